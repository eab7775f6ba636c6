// Starts DKFDS's components (menus, accordions, alerts) after each page and htmx swap.
(function () {
  function init() {
    if (window.DKFDS && typeof window.DKFDS.init === "function") {
      try { window.DKFDS.init(); } catch (err) { /* a component missing on this page */ }
    }
  }
  document.addEventListener("DOMContentLoaded", init);
  document.addEventListener("htmx:afterSettle", init);
})();
