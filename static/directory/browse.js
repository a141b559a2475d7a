/*
 * Browsing with the map (home page, type pages, embed).
 *
 * The query string is the state: changing a filter updates the address (pushState),
 * the map and the result list without reloading; the back button and a shared link
 * restore the same view. The map's position lives in the fragment (#map=zoom/lat/lng),
 * which the server never sees. Without JavaScript the filter form submits normally.
 *
 * While a change loads, the browse area is aria-busy, a bar moves and the old pins and
 * results dim. Cards and pins highlight each other; "Search this area" filters to the
 * map's view; the searched place shows as a marker with its radius ring.
 */
(function () {
  "use strict";

  const SEARCH_DELAY_MS = 350;
  const NOT_FILTERS = ["page"];
  const PHONE = window.matchMedia("(max-width: 719px)");

  function filterQuery(search) {
    const params = new URLSearchParams(search);
    for (const name of NOT_FILTERS) params.delete(name);
    return params.toString();
  }

  function formQuery(form) {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData(form)) {
      if (typeof value === "string" && value.trim() !== "") params.append(name, value.trim());
    }
    if (!params.has("near")) params.delete("radius");
    return params.toString();
  }

  function setForm(form, search) {
    const params = new URLSearchParams(search);
    for (const field of form.elements) {
      if (!field.name) continue;
      const values = params.getAll(field.name);
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = values.includes(field.value);
      } else if (field.tagName === "SELECT") {
        const fallback = field.name === "radius" ? "25" : "";
        field.value = values[0] !== undefined ? values[0] : fallback;
      } else if (field.type !== "submit" && field.type !== "button") {
        field.value = values[0] !== undefined ? values[0] : "";
      }
    }
  }

  function readHashView() {
    const match = /map=(\d+(?:\.\d+)?)\/(-?[\d.]+)\/(-?[\d.]+)/.exec(window.location.hash);
    return match ? { zoom: Number(match[1]), center: [Number(match[2]), Number(match[3])] } : null;
  }

  function readNear(results) {
    const count = results && results.querySelector("[data-near-lat]");
    if (!count) return null;
    return {
      lat: Number(count.dataset.nearLat),
      lng: Number(count.dataset.nearLng),
      radius: Number(count.dataset.nearRadius),
      label: count.dataset.nearLabel,
    };
  }

  document.addEventListener("DOMContentLoaded", async () => {
    const mapElement = document.querySelector("[data-map]");
    const config = window.DirectoryMap.readConfig(mapElement);
    const strings = config.strings || {};
    // The page paints first; Leaflet builds the map in a task of its own.
    await window.DirectoryMap.nextTask();
    const directoryMap = new window.DirectoryMap(mapElement, config, { lazy: true });
    await window.DirectoryMap.nextTask();
    const browse = document.querySelector("[data-browse]");
    const form = document.querySelector("[data-filter-form]");
    const results = document.querySelector("[data-results]");
    const liveStatus = document.querySelector("[data-live-status]");
    const barCount = document.querySelector("[data-bar-count]");
    const searchArea = document.querySelector("[data-search-area]");
    let loadedFilters = null;
    let resultsRequest = null;
    let pending = 0;

    function busy(change) {
      pending = Math.max(0, pending + change);
      if (browse) browse.setAttribute("aria-busy", String(pending > 0));
    }

    async function updateResults(search) {
      if (!results) return;
      if (resultsRequest) resultsRequest.abort();
      const request = new AbortController();
      resultsRequest = request;
      const params = new URLSearchParams(search);
      for (const [name, value] of Object.entries(config.fixedParams || {})) params.set(name, value);
      let html;
      try {
        const response = await fetch(config.resultsUrl + "?" + params.toString(), { signal: request.signal });
        html = await response.text();
      } catch (error) {
        if (error.name !== "AbortError" && liveStatus) liveStatus.textContent = strings.loadError;
        return;
      }
      if (request !== resultsRequest) return;
      // The fragment is server-rendered and escaped; DOMParser never runs scripts.
      const fragment = new DOMParser().parseFromString(html, "text/html");
      const counts = fragment.getElementById("type-counts");
      if (counts) {
        const byType = JSON.parse(counts.textContent);
        counts.remove();
        for (const element of document.querySelectorAll("[data-type-count]")) {
          element.textContent = "(" + (byType[element.dataset.typeCount] || 0) + ")";
        }
      }
      const applied = fragment.getElementById("applied-count");
      if (applied) {
        const number = JSON.parse(applied.textContent);
        applied.remove();
        for (const element of document.querySelectorAll("[data-filter-count]")) {
          element.textContent = number ? String(number) : "";
        }
      }
      results.replaceChildren(...fragment.body.childNodes);
      const count = results.querySelector("[data-result-count]");
      const error = results.querySelector("[role=alert]");
      const countText = count ? count.textContent.replace(/\s+/g, " ").trim() : "";
      if (barCount) barCount.textContent = countText;
      if (liveStatus) liveStatus.textContent = error ? error.textContent.trim() : countText;
      directoryMap.showNear(readNear(results));
    }

    async function update(search, { fit }) {
      busy(+1);
      try {
        const filters = filterQuery(search);
        const listUpdate = updateResults(search);
        if (filters !== loadedFilters) {
          loadedFilters = filters;
          const data = await directoryMap.load(filters);
          await listUpdate;
          if (data) {
            const view = fit ? null : readHashView();
            if (view) directoryMap.setView(view.center, view.zoom);
            else if (fit !== "keep") directoryMap.fit(data);
            directoryMap.draw();
          }
        }
        await listUpdate;
        updateShareDialog();
      } finally {
        busy(-1);
      }
    }

    let current = window.location.search.slice(1);
    function navigate(search, { fit = true } = {}) {
      // Enter in a field fires both its change and the submit: one request, not two.
      if (search === current) return;
      current = search;
      if (searchArea) searchArea.hidden = true;
      const query = search ? "?" + search : window.location.pathname;
      window.history.pushState({ search }, "", query);
      update(search, { fit });
    }

    if (form) {
      let timer = null;
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        clearTimeout(timer);
        navigate(formQuery(form));
        if (PHONE.matches) showView("list");
      });
      form.addEventListener("change", (event) => {
        if (event.target.type === "search") return;
        navigate(formQuery(form));
      });
      form.addEventListener("input", (event) => {
        if (event.target.type !== "search") return;
        clearTimeout(timer);
        timer = setTimeout(() => navigate(formQuery(form)), SEARCH_DELAY_MS);
      });
      const clear = form.querySelector("[data-clear-filters]");
      clear.addEventListener("click", (event) => {
        event.preventDefault();
        setForm(form, "");
        navigate("");
      });
      setUpLocate(form);
    }

    if (results) {
      results.addEventListener("click", (event) => {
        const link = event.target.closest("a");
        if (!link || link.getAttribute("href") === null || !link.getAttribute("href").startsWith("?")) return;
        event.preventDefault();
        const search = new URL(link.href).search.slice(1);
        if (link.closest(".pagination")) {
          window.history.pushState({ search }, "", "?" + search);
          current = search;
          busy(+1);
          updateResults(search)
            .then(() => results.closest("section").scrollIntoView())
            .finally(() => busy(-1));
          return;
        }
        // Removing a filter, a spelling suggestion, a wider radius: a new search.
        if (form) setForm(form, search);
        navigate(filterQuery(search));
      });
      // Card to pin: pointing at or focusing a card marks its pin.
      const cardSlug = (event) => {
        const card = event.target.closest && event.target.closest("[data-slug]");
        return card ? card.dataset.slug : null;
      };
      results.addEventListener("mouseover", (event) => directoryMap.highlight(cardSlug(event)));
      results.addEventListener("focusin", (event) => directoryMap.highlight(cardSlug(event)));
      results.addEventListener("mouseleave", () => directoryMap.highlight(null));
      results.addEventListener("focusout", (event) => {
        if (!results.contains(event.relatedTarget)) directoryMap.highlight(null);
      });
    }

    // Pin to card: pointing at or opening a pin marks its card (and scrolls it into view).
    directoryMap.onPointFocus = (slug, { reveal }) => {
      if (!results) return;
      for (const card of results.querySelectorAll("[data-slug]")) {
        const match = Boolean(slug) && card.dataset.slug === slug;
        card.classList.toggle("is-highlighted", match);
        if (match && reveal && card.offsetParent !== null) card.scrollIntoView({ block: "nearest", behavior: "smooth" });
      }
    };

    if (searchArea && !config.embed) {
      directoryMap.onUserMove = () => {
        searchArea.hidden = false;
      };
      searchArea.addEventListener("click", () => {
        const bounds = directoryMap.map.getBounds();
        const box = [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()]
          .map((value) => value.toFixed(4))
          .join(",");
        const bbox = form && form.querySelector("[name=bbox]");
        if (bbox) bbox.value = box;
        const params = new URLSearchParams(form ? formQuery(form) : current);
        params.set("bbox", box);
        navigate(params.toString(), { fit: "keep" });
      });
    }

    window.addEventListener("popstate", () => {
      const search = window.location.search.slice(1);
      current = search;
      if (form) setForm(form, search);
      update(search, { fit: false });
    });

    directoryMap.map.on("moveend", () => {
      if (config.embed) return;
      const center = directoryMap.map.getCenter();
      const hash =
        "#map=" + directoryMap.map.getZoom() + "/" + center.lat.toFixed(4) + "/" + center.lng.toFixed(4);
      window.history.replaceState(window.history.state, "", window.location.pathname + window.location.search + hash);
    });

    const showView = setUpViewSwitch(directoryMap);
    const updateShareDialog = setUpShareDialog(strings);

    // The server already rendered the list for this address; load the map for it.
    const initialFilters = filterQuery(current);
    loadedFilters = initialFilters;
    directoryMap.showNear(readNear(results));
    (async () => {
      busy(+1);
      try {
        const data = await directoryMap.load(initialFilters, { initial: true });
        if (!data) return;
        await window.DirectoryMap.nextTask();
        const view = readHashView();
        if (view) directoryMap.setView(view.center, view.zoom);
        else if (!new URLSearchParams(initialFilters).has("bbox")) directoryMap.fit(data, { animate: false });
        directoryMap.draw();
      } finally {
        // The tiles of the fitted view only, in a task of their own.
        await window.DirectoryMap.nextTask();
        directoryMap.showTiles();
        busy(-1);
      }
    })();

    function setUpLocate(panel) {
      const button = panel.querySelector("[data-locate]");
      const status = panel.querySelector("[data-locate-status]");
      if (!button) return;
      if (!("geolocation" in navigator)) {
        button.hidden = true;
        return;
      }
      button.addEventListener("click", () => {
        status.textContent = strings.locating;
        navigator.geolocation.getCurrentPosition(
          (position) => {
            const near = panel.querySelector("[name=near]");
            near.value = position.coords.latitude.toFixed(4) + "," + position.coords.longitude.toFixed(4);
            status.textContent = "";
            navigate(formQuery(panel));
          },
          (error) => {
            status.textContent = window.DirectoryMap.format(strings.locateFailed, { reason: error.message });
          },
          { enableHighAccuracy: false, timeout: 10000, maximumAge: 300000 },
        );
      });
    }
  });

  /* One Map/List switch on phones: links to #map-view and #results without JavaScript. */
  function setUpViewSwitch(directoryMap) {
    const toggle = document.querySelector("[data-view-switch]");
    const browse = document.querySelector("[data-browse]");
    if (!toggle || !browse) return () => {};
    function show(view) {
      browse.dataset.view = view;
      for (const other of toggle.querySelectorAll("[data-show]")) {
        other.setAttribute("aria-pressed", String(other.dataset.show === view));
      }
      if (view === "map") directoryMap.map.invalidateSize();
    }
    for (const button of toggle.querySelectorAll("[data-show]")) {
      button.addEventListener("click", (event) => {
        event.preventDefault();
        show(button.dataset.show);
      });
      button.addEventListener("keydown", (event) => {
        if (event.key === " ") {
          event.preventDefault();
          show(button.dataset.show);
        }
      });
    }
    return show;
  }

  function setUpShareDialog(strings) {
    const dialog = document.querySelector("[data-share-dialog]");
    const opener = document.querySelector("[data-share-open]");
    if (!dialog || !opener || typeof dialog.showModal !== "function") return () => {};
    const link = dialog.querySelector("[data-share-link]");
    const code = dialog.querySelector("[data-embed-code]");
    const status = dialog.querySelector("[data-copy-status]");

    function escapeAttribute(value) {
      return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    }

    function refresh() {
      const filters = filterQuery(window.location.search.slice(1));
      const suffix = filters ? "?" + filters : "";
      link.value = dialog.dataset.homeBase + suffix + window.location.hash;
      code.value =
        '<iframe src="' + escapeAttribute(dialog.dataset.embedBase + suffix) + '" title="' +
        escapeAttribute(dialog.dataset.embedTitle) +
        '" width="100%" height="480" loading="lazy"></iframe>';
    }

    opener.addEventListener("click", () => {
      refresh();
      status.textContent = "";
      dialog.showModal();
    });
    for (const button of dialog.querySelectorAll("[data-copy]")) {
      button.addEventListener("click", async () => {
        const field = document.getElementById(button.dataset.copy);
        field.select();
        try {
          await navigator.clipboard.writeText(field.value);
          status.textContent = strings.copied;
        } catch (error) {
          status.textContent = strings.copyManually;
        }
      });
    }
    return refresh;
  }
})();
