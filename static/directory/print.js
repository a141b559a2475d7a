// The resource sheet's "Print this sheet" button (a file: the Content-Security-Policy
// refuses inline scripts). Without JavaScript the browser's own Print still works.
(function () {
  "use strict";
  const button = document.querySelector("[data-print]");
  if (!button || !window.print) {
    return;
  }
  button.addEventListener("click", () => window.print());
  button.hidden = false;
})();
