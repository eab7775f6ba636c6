// Starts DKFDS's components (menus, accordions, alerts, modals) after each page and htmx swap.
(function () {
  // The mobile drawer lists the same links as the desktop menu; they are written once, in the
  // desktop menu, and copied here before DKFDS wires up the drawer.
  function fillMobileMenu() {
    var source = document.querySelector(".navigation-menu .mainmenu");
    var target = document.querySelector(".navigation-menu-mobile .mainmenu");
    if (!source || !target || target.children.length) { return; }
    Array.prototype.forEach.call(source.children, function (item) {
      if (item.classList.contains("more-option")) { return; }  // DKFDS's own "more" button
      var copy = item.cloneNode(true);
      copy.classList.remove("d-none");
      copy.querySelectorAll("[data-testid]").forEach(function (el) { el.removeAttribute("data-testid"); });
      target.appendChild(copy);
    });
  }

  // A button that opens a confirm modal is also a plain submit button (or link) leading to the
  // confirm page when JavaScript is off; with JavaScript the modal asks instead.
  function preventModalTriggerDefault(scope) {
    scope.querySelectorAll('[data-module="modal"]').forEach(function (trigger) {
      if (trigger.dataset.portalModal) { return; }
      trigger.dataset.portalModal = "1";
      trigger.addEventListener("click", function (event) { event.preventDefault(); });
    });
  }

  // DKFDS makes every child of <body> inert while a modal is open, except its
  // .fds-modal-container; modals written beside their buttons move there.
  function collectModals(scope) {
    var modals = scope.querySelectorAll(".fds-modal");
    if (!modals.length) { return; }
    var container = document.querySelector("body > .fds-modal-container");
    if (!container) {
      container = document.createElement("div");
      container.className = "fds-modal-container";
      document.body.appendChild(container);
    }
    modals.forEach(function (modal) {
      var old = document.getElementById(modal.id);
      if (old && old !== modal && container.contains(old)) { old.remove(); }  // swapped again
      container.appendChild(modal);
    });
  }

  // The drawer's "Menu" button is written hidden (without JavaScript it does nothing; the
  // <noscript> <details> menu serves instead) and shown once this script runs.
  function showMenuButton() {
    document.querySelectorAll(".js-menu-open[hidden]").forEach(function (button) {
      button.removeAttribute("hidden");
    });
  }

  function initPage() {
    showMenuButton();
    fillMobileMenu();
    collectModals(document);
    preventModalTriggerDefault(document);
    if (window.DKFDS && typeof window.DKFDS.init === "function") {
      try { window.DKFDS.init(); } catch (err) { /* a component missing on this page */ }
    }
  }

  // DKFDS.init() also rebuilds the header's menus, so a swapped fragment starts only the
  // components inside it.
  function initFragment(event) {
    var scope = event.target;
    var D = window.DKFDS;
    if (!D || !scope || !scope.querySelectorAll) { return; }
    preventModalTriggerDefault(scope);
    var modals = Array.prototype.slice.call(scope.querySelectorAll(".fds-modal"));
    collectModals(scope);
    modals.forEach(function (el) { try { new D.Modal(el).init(); } catch (err) { /* plain form */ } });
    function each(selector, start) {
      scope.querySelectorAll(selector).forEach(function (el) {
        try { start(el); } catch (err) { /* leave the element as plain HTML */ }
      });
    }
    each(".accordion, .accordion-bordered:not(.accordion)", function (el) { new D.Accordion(el).init(); });
    each(".alert.has-close", function (el) { new D.Alert(el).init(); });
    each(".js-dropdown", function (el) { new D.Dropdown(el).init(); });
    each(".tooltip-wrapper", function (el) { new D.Tooltip(el).init(); });
  }

  document.addEventListener("DOMContentLoaded", initPage);
  document.addEventListener("htmx:afterSettle", initFragment);
})();
