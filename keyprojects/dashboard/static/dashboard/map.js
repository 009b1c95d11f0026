/* 一张图: projects of the ledger filter as markers coloured by their light, clustered. */
(function () {
  "use strict";
  var node = document.getElementById("project-map");
  var configNode = document.getElementById("map-config");
  if (!node || !configNode || !window.L) { return; }
  var config = JSON.parse(configNode.textContent);
  var COLOURS = { red: "#d93025", yellow: "#e8a317", green: "#1e8e3e", none: "#7b8794" };
  var RANK = { red: 3, yellow: 2, green: 1, none: 0 };
  var status = document.getElementById("map-status");

  function worst(markers) {
    var best = "none";
    markers.forEach(function (m) {
      if (RANK[m.options.kpColour] > RANK[best]) { best = m.options.kpColour; }
    });
    return best;
  }

  function popup(p) {
    var box = document.createElement("div");
    box.className = "map-popup";
    var h = document.createElement("h4");
    var a = document.createElement("a");
    a.href = p.url;
    a.textContent = p.name;
    h.appendChild(a);
    box.appendChild(h);
    [
      p.code + "　" + p.department + "　" + p.category + "　" + p.status,
      "总投资 " + Number(p.total_wan).toLocaleString("zh-CN") + " 万元" + (p.town ? "　" + p.town : ""),
      p.light + (p.reasons ? "：" + p.reasons : "")
    ].forEach(function (t) {
      var line = document.createElement("p");
      line.textContent = t;
      box.appendChild(line);
    });
    return box;
  }

  window.kpMap(node, config, function (map, boundsOfBoundaries) {
    fetch(config.data_url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        return r.json().then(function (body) {
          if (!r.ok) { throw new Error(body.error || ("HTTP " + r.status)); }
          return body;
        });
      })
      .then(function (data) {
        var cluster = L.markerClusterGroup({
          showCoverageOnHover: false,
          maxClusterRadius: 40,
          iconCreateFunction: function (c) {
            var markers = c.getAllChildMarkers();
            var n = markers.length;
            var size = n < 10 ? 34 : n < 100 ? 42 : 52;
            return L.divIcon({
              html: "<span>" + n + "</span>",
              className: "kp-cluster kp-cluster-" + worst(markers),
              iconSize: [size, size]
            });
          }
        });
        data.points.forEach(function (p) {
          var m = L.circleMarker([p.lat, p.lng], {
            radius: 8, weight: 2, color: "#fff", fillColor: COLOURS[p.colour], fillOpacity: 0.95,
            kpColour: p.colour, kpId: p.id
          });
          m.bindPopup(popup(p));
          m.bindTooltip(p.name);
          cluster.addLayer(m);
        });
        map.addLayer(cluster);
        window.kpProjectLayer = cluster; // read by the browser tests
        var bounds = data.points.length ? cluster.getBounds() : boundsOfBoundaries;
        if (boundsOfBoundaries && data.points.length) { bounds = boundsOfBoundaries.extend(bounds); }
        if (bounds && bounds.isValid()) { map.fitBounds(bounds, { padding: [20, 20] }); }
        var cut = data.located > data.points.length ?
          "（有坐标的" + data.located + " 个中显示红灯、黄灯在前的 " + data.points.length + " 个，请筛选缩小范围）" : "";
        status.textContent = "共 " + data.count + " 个项目，地图上 " + data.points.length + " 个" + cut +
          (data.missing ? "（" + data.missing + " 个未填写坐标）" : "") + "；序时预警按 " + data.as_of + " 计算";
        node.dataset.ready = "true";
        node.dataset.points = String(data.points.length);
      })
      .catch(function (err) { status.textContent = "项目载入失败：" + (err && err.message ? err.message : err); });
  });
})();
