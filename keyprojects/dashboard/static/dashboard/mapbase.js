/* Shared by the project map and the project form's point picker: a Leaflet map that needs no
   internet — local boundaries (GeoJSON, WGS-84) and, only if the office configured one, a base
   map from an intranet tile server or this machine's tile folder. */
(function () {
  "use strict";
  function boundaryStyle(feature) {
    var county = feature.properties.kp_level === "county";
    return {
      color: county ? "#3e4c59" : "#7b8794",
      weight: county ? 2.5 : 1.2,
      dashArray: county ? null : "4 4",
      fill: true,
      fillColor: county ? "#f5f7fa" : "#ffffff",
      fillOpacity: county ? 0.35 : 0.05
    };
  }

  window.kpMap = function (node, config, onReady) {
    // markercluster needs a maxZoom; without tiles the boundaries still read well at 18.
    var maxZoom = (config.tiles && config.tiles.max_zoom) || 18;
    var map = L.map(node, { zoomControl: true, attributionControl: true, preferCanvas: true, maxZoom: maxZoom });
    map.attributionControl.setPrefix(false);
    if (config.tiles && config.tiles.url) {
      L.tileLayer(config.tiles.url, {
        maxZoom: config.tiles.max_zoom || 18,
        attribution: config.tiles.attribution || ""
      }).addTo(map);
    }
    map.setView([35, 105], 4);
    fetch(config.boundaries_url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (gj) {
        var layer = L.geoJSON(gj, {
          style: boundaryStyle,
          interactive: false
        }).addTo(map);
        var illustrative = gj.features.some(function (f) { return f.properties.kp_illustrative; });
        if (illustrative) { map.attributionControl.addAttribution("示意边界（演示用，非真实行政区划）"); }
        gj.features.forEach(function (f) {
          var name = f.properties.name || f.properties.kp_layer;
          if (f.properties.kp_level === "township" && name) {
            var b = L.geoJSON(f).getBounds();
            L.tooltip({ permanent: true, direction: "center", className: "boundary-label" })
              .setContent(name).setLatLng(b.getCenter()).addTo(map);
          }
        });
        onReady(map, gj.features.length ? layer.getBounds() : null);
      })
      .catch(function () { onReady(map, null); });
    return map;
  };
})();
