// Import job page: poll the job's state while it runs; reload when it has finished.
(function () {
  "use strict";
  var box = document.getElementById("import-status");
  if (!box || box.getAttribute("data-running") !== "1") return;
  var url = box.getAttribute("data-status-url");
  function tick() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        var bar = document.getElementById("import-progress");
        var count = document.getElementById("import-count");
        var state = document.getElementById("import-state");
        if (bar) bar.value = s.percent;
        if (count) count.textContent = s.progress + " / " + s.total;
        if (state) state.textContent = s.state_label;
        if (s.running) { window.setTimeout(tick, 1000); } else { window.location.reload(); }
      })
      .catch(function () { window.setTimeout(tick, 3000); });
  }
  window.setTimeout(tick, 800);
})();
