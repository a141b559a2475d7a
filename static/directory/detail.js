// A detail page: "Back to results" follows the results page the visitor came from, and
// "Share" uses the phone's share sheet, or copies the link where there is none.
// Loaded as a file: the Content-Security-Policy refuses inline scripts.
(function () {
  "use strict";
  const gettext = window.gettext || ((s) => s);

  function upgradeBackLink() {
    const link = document.querySelector("[data-back-link][data-back-default]");
    if (!link || !document.referrer) {
      return;
    }
    let referrer;
    try {
      referrer = new URL(document.referrer);
    } catch (error) {
      return;
    }
    if (referrer.origin !== window.location.origin) {
      return;
    }
    const paths = (link.dataset.backPaths || "").split(" ").filter(Boolean);
    const prefix = link.dataset.backPrefix || "";
    const isResults =
      paths.includes(referrer.pathname) ||
      (prefix && referrer.pathname.startsWith(prefix) && referrer.pathname.split("/").length === 4);
    if (!isResults) {
      return;
    }
    link.href = referrer.pathname + referrer.search;
    const label = link.querySelector("[data-back-label]");
    const text = document.querySelector("[data-back-results-text]");
    if (label && text) {
      label.textContent = text.textContent;
    }
    delete link.dataset.backDefault;
  }

  async function copyLink(url, status) {
    try {
      await navigator.clipboard.writeText(url);
      status.textContent = gettext("Link copied.");
    } catch (error) {
      status.textContent = gettext("Copy this link:") + " " + url;
    }
  }

  function setUpShare() {
    const box = document.querySelector("[data-share]");
    if (!box) {
      return;
    }
    const button = box.querySelector("[data-share-button]");
    const status = box.querySelector("[data-share-status]");
    const url = box.dataset.shareUrl;
    const title = box.dataset.shareTitle;
    if (!navigator.share) {
      button.textContent = gettext("Copy link");
    }
    button.addEventListener("click", async () => {
      status.textContent = "";
      if (navigator.share) {
        try {
          await navigator.share({ title: title, url: url });
          return;
        } catch (error) {
          if (error && error.name === "AbortError") {
            return;  // the visitor closed the share sheet
          }
        }
      }
      await copyLink(url, status);
    });
    box.hidden = false;
  }

  upgradeBackLink();
  setUpShare();
})();
