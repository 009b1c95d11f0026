// Photo forms (the monthly report form, the report page's upload): note each chosen photo's
// file time and, when the phone allows it, where the reporter is, so the server can record
// them with the photos (dispatch.forms.metas_for). A static file, not inline script, so the
// Content Security Policy can stay strict.
(function () {
  "use strict";
  function setup(form) {
    var inputs = form.querySelectorAll("input[type=file].photo-input");
    var status = form.querySelector(".photo-status");
    var place = "";

    function field(name) {
      return form.querySelector("input[name=" + name + "]");
    }

    function chosen() {
      // The order the browser sends the files in: inputs in page order, files in each.
      var list = [];
      inputs.forEach(function (input) {
        Array.prototype.forEach.call(input.files || [], function (f) {
          list.push({ name: f.name, lastModified: f.lastModified });
        });
      });
      return list;
    }

    function show() {
      var list = chosen();
      field("photo_times").value = JSON.stringify(list);
      if (!status) return;
      status.textContent = list.length
        ? "已选择" + list.length + "张照片" + place + "：" +
          list.map(function (f) { return f.name; }).join("、")
        : "";
    }

    function locate() {
      // Browsers give a position only over HTTPS (or on localhost) and only when allowed.
      if (!navigator.geolocation || !window.isSecureContext) {
        place = "（未记录位置：需通过HTTPS访问）";
        show();
        return;
      }
      navigator.geolocation.getCurrentPosition(
        function (pos) {
          var acc = Math.round(pos.coords.accuracy);
          field("geo_lat").value = pos.coords.latitude.toFixed(6);
          field("geo_lng").value = pos.coords.longitude.toFixed(6);
          field("geo_acc").value = acc;
          place = "，已记录位置（±" + acc + "米）";
          show();
        },
        function () {
          place = "（未记录位置：未允许定位）";
          show();
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    }

    inputs.forEach(function (input) {
      input.addEventListener("change", function () {
        show();
        if (chosen().length) locate();
      });
    });
    show();
  }
  document.querySelectorAll("form[data-photos]").forEach(setup);
})();
