/* The project form's point picker: click the map to fill latitude/longitude (WGS-84, the
   system of our map layers) and set the entry system to 地图选点. */
(function () {
  "use strict";
  var node = document.getElementById("pick-map");
  if (!node || !window.L || !window.kpMap) { return; }
  var lat = document.getElementById("id_latitude");
  var lng = document.getElementById("id_longitude");
  var system = document.getElementById("id_coord_input");
  fetch(node.dataset.configUrl, { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (config) {
      var marker = null;
      window.kpMap(node, config, function (map, bounds) {
        var here = lat.value && lng.value ? L.latLng(Number(lat.value), Number(lng.value)) : null;
        if (here) {
          marker = L.circleMarker(here, { radius: 8, color: "#fff", weight: 2, fillColor: "#c0392b", fillOpacity: 1 }).addTo(map);
          map.setView(here, bounds ? Math.max(map.getBoundsZoom(bounds), 12) : 13);
        } else if (bounds) {
          map.fitBounds(bounds);
        }
        map.on("click", function (e) {
          lat.value = e.latlng.lat.toFixed(6);
          lng.value = e.latlng.lng.toFixed(6);
          if (system) { system.value = "map"; }
          if (marker) { marker.setLatLng(e.latlng); }
          else { marker = L.circleMarker(e.latlng, { radius: 8, color: "#fff", weight: 2, fillColor: "#c0392b", fillOpacity: 1 }).addTo(map); }
          node.dataset.picked = "true";
        });
        node.dataset.ready = "true";
      });
    });
})();
