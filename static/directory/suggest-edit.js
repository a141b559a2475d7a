/*
 * Suggest-an-edit form: when the report is "it has closed" the listing's details do
 * not matter, so they are hidden (they stay in the page without JavaScript). After a
 * failed send, focus moves to the list of problems.
 */
(function () {
  "use strict";

  function init() {
    const details = document.getElementById("proposed-details");
    const reasons = document.querySelectorAll("input[name='reason']");
    function update() {
      const chosen = document.querySelector("input[name='reason']:checked");
      details.hidden = Boolean(chosen && chosen.value === "closed");
    }
    if (details) {
      reasons.forEach(function (input) {
        input.addEventListener("change", update);
      });
      update();
    }
    const summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
