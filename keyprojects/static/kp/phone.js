// Phones: fold the filter forms away unless a filter is set, so the first rows are on the
// first screen. Desktop (and a browser without script) keeps them open, as before.
// A static file, not inline script, so the Content Security Policy can stay strict.
(function () {
  "use strict";
  if (!window.matchMedia || !window.matchMedia("(max-width: 640px)").matches) return;
  document.querySelectorAll("details.filter-fold[open]:not([data-filtered])").forEach(function (d) {
    d.removeAttribute("open");
  });
})();
