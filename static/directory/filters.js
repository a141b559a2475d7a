/*
 * The filter panel on every page that has one (map pages and the plain list).
 *
 * On narrow screens the panel is a drawer: without JavaScript its "Filters" link opens
 * it through the #filters fragment (CSS :target); with JavaScript the link toggles it,
 * Escape and "Close" shut it and give focus back, the rest of the page is inert while
 * it is open, and "Show results" closes it. County lists offer only the chosen state's
 * counties and cities.
 */
(function () {
  "use strict";

  const NARROW = window.matchMedia("(max-width: 1099px)");

  function setUpDrawer() {
    const drawer = document.querySelector("[data-drawer]");
    const opener = document.querySelector("[data-drawer-open]");
    if (!drawer || !opener) return null;
    const backdrop = document.querySelector("[data-drawer-backdrop]");
    const closer = drawer.querySelector("[data-drawer-close]");
    const others = () =>
      [...drawer.parentElement.children].filter((element) => element !== drawer && element !== backdrop);
    opener.setAttribute("aria-expanded", "false");

    function open() {
      drawer.classList.add("is-open");
      if (backdrop) backdrop.classList.add("is-open");
      opener.setAttribute("aria-expanded", "true");
      if (NARROW.matches) {
        drawer.setAttribute("role", "dialog");
        drawer.setAttribute("aria-modal", "true");
        for (const element of others()) element.inert = true;
      }
      const first = drawer.querySelector("input, select, button");
      if (first) first.focus();
    }

    function close({ restoreFocus = true } = {}) {
      if (!drawer.classList.contains("is-open")) return;
      drawer.classList.remove("is-open");
      if (backdrop) backdrop.classList.remove("is-open");
      drawer.removeAttribute("role");
      drawer.removeAttribute("aria-modal");
      opener.setAttribute("aria-expanded", "false");
      for (const element of others()) element.inert = false;
      if (restoreFocus && NARROW.matches) opener.focus();
    }

    opener.addEventListener("click", (event) => {
      event.preventDefault();
      if (drawer.classList.contains("is-open")) close();
      else open();
    });
    if (closer) {
      closer.addEventListener("click", (event) => {
        event.preventDefault();
        close();
      });
    }
    if (backdrop) backdrop.addEventListener("click", () => close());
    drawer.addEventListener("keydown", (event) => {
      if (event.key === "Escape") close();
    });
    NARROW.addEventListener("change", () => close({ restoreFocus: false }));
    const form = drawer.querySelector("form");
    if (form) form.addEventListener("submit", () => close());
    return { open, close };
  }

  /* Each county select keeps only the chosen state's group; all of them for no state. */
  function setUpCountiesFollowState() {
    const state = document.querySelector("[data-state-select]");
    if (!state) return;
    const selects = [...document.querySelectorAll("[data-follows-state]")].map((select) => ({
      select,
      groups: [...select.querySelectorAll("optgroup")],
    }));

    function apply() {
      for (const { select, groups } of selects) {
        const wanted = groups.filter((group) => !state.value || group.dataset.state === state.value);
        const present = [...select.querySelectorAll("optgroup")];
        // Rebuilding 158 options costs a long task on a slow phone: only when they change.
        if (wanted.length === present.length && wanted.every((group, index) => group === present[index])) {
          continue;
        }
        const chosen = select.value;
        for (const group of present) group.remove();
        select.append(...wanted);
        select.value = [...select.options].some((option) => option.value === chosen) ? chosen : "";
      }
    }

    // Before the form's own change handler sees the event, so one request carries both.
    state.addEventListener("change", apply, { capture: true });
    apply();
    window.addEventListener("popstate", () => setTimeout(apply));
  }

  document.addEventListener("DOMContentLoaded", () => {
    window.directoryDrawer = setUpDrawer();
    setUpCountiesFollowState();
  });
})();
