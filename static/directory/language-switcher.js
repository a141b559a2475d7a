/*
 * The language switcher posts to Django's set_language with `next` set to this page.
 * The server renders `next` from the address it served; since then the map page may
 * have changed its query string (filters, pushState) and its fragment (the map's
 * position, #map=zoom/lat/lng): take them as they are now, so the page, the filters
 * and the map position all survive the switch.
 */
(function () {
  "use strict";
  document.querySelectorAll("form[data-language-switcher]").forEach(function (form) {
    form.addEventListener("submit", function () {
      const next = form.querySelector("input[name=next]");
      if (next && next.value !== "/") {
        next.value = window.location.pathname + window.location.search + window.location.hash;
      } else if (next) {
        next.value = "/" + window.location.hash;
      }
    });
  });
})();
