// Behaviour every page may use, declared in markup instead of inline handlers or style attributes, so the
// Content-Security-Policy can forbid both (script-src and style-src without 'unsafe-inline').
//   data-confirm="question"       on a submit button or link: ask first, cancel on "no"
//   data-check-all="name"         on a checkbox: tick or untick every checkbox of that name
//   data-width="42"               on a progress bar: its width in percent (also after an htmx swap)
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var asker = event.target.closest("[data-confirm]");
    if (asker && !window.confirm(asker.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  document.addEventListener("change", function (event) {
    var all = event.target.closest("[data-check-all]");
    if (!all) return;
    document.querySelectorAll('input[name="' + all.dataset.checkAll + '"]').forEach(function (box) {
      box.checked = all.checked;
    });
  });
  function widths(root) {
    (root || document).querySelectorAll("[data-width]").forEach(function (bar) {
      bar.style.width = Math.max(0, Math.min(100, Number(bar.dataset.width) || 0)) + "%";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { widths(document); });
  document.addEventListener("htmx:afterSwap", function (event) { widths(event.target); });
})();
