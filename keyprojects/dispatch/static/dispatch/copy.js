// 待报 page: copy a department's reminder text for pasting into the work chat group.
// A static file, not inline script, so the Content Security Policy can stay strict.
(function () {
  "use strict";
  function copied(button) {
    var label = button.textContent;
    button.textContent = "已复制";
    setTimeout(function () { button.textContent = label; }, 1500);
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var box = document.getElementById(button.getAttribute("data-copy"));
      if (!box) return;
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(box.value).then(function () { copied(button); });
      } else {
        // Plain HTTP on the county intranet: the older selection API still works there.
        box.select();
        document.execCommand("copy");
        copied(button);
      }
    });
  });
})();
