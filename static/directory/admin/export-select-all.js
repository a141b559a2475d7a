/*
 * The "Select all" toggle on django-import-export's export page, attached here
 * because the Content-Security-Policy refuses the package's inline onchange handler.
 */
(function () {
  "use strict";

  function attach() {
    const toggle = document.getElementById("select-all-toggle");
    if (toggle && typeof onSelectToggleChange === "function") {
      toggle.addEventListener("change", onSelectToggleChange);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", attach);
  } else {
    attach();
  }
})();
