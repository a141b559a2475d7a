/*
 * Browsing with the map (home page, type pages, embed).
 *
 * The query string is the state: changing a filter updates the address (pushState),
 * the map and the result list without reloading; the back button and a shared link
 * restore the same view. The map's position lives in the fragment (#map=zoom/lat/lng),
 * which the server never sees. Without JavaScript the filter form submits normally.
 */
(function () {
  "use strict";

  const SEARCH_DELAY_MS = 350;
  const NOT_FILTERS = ["page"];

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
    const match = /map=(\d+)\/(-?[\d.]+)\/(-?[\d.]+)/.exec(window.location.hash);
    return match ? { zoom: Number(match[1]), center: [Number(match[2]), Number(match[3])] } : null;
  }

  document.addEventListener("DOMContentLoaded", () => {
    const mapElement = document.querySelector("[data-map]");
    const config = window.DirectoryMap.readConfig(mapElement);
    const strings = config.strings || {};
    const directoryMap = new window.DirectoryMap(mapElement, config);
    const form = document.querySelector("[data-filter-form]");
    const results = document.querySelector("[data-results]");
    const liveStatus = document.querySelector("[data-live-status]");
    let loadedFilters = null;
    let resultsRequest = null;

    async function updateResults(search) {
      if (!results) return;
      if (resultsRequest) resultsRequest.abort();
      resultsRequest = new AbortController();
      const params = new URLSearchParams(search);
      for (const [name, value] of Object.entries(config.fixedParams || {})) params.set(name, value);
      let html;
      try {
        const response = await fetch(config.resultsUrl + "?" + params.toString(), {
          signal: resultsRequest.signal,
        });
        html = await response.text();
      } catch (error) {
        if (error.name !== "AbortError" && liveStatus) liveStatus.textContent = strings.loadError;
        return;
      }
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
      results.replaceChildren(...fragment.body.childNodes);
      const count = results.querySelector("[data-result-count]");
      const error = results.querySelector("[role=alert]");
      if (liveStatus) liveStatus.textContent = error ? error.textContent : count ? count.textContent.trim() : "";
    }

    async function update(search, { fit }) {
      const filters = filterQuery(search);
      const listUpdate = updateResults(search);
      if (filters !== loadedFilters) {
        loadedFilters = filters;
        const data = await directoryMap.load(filters);
        if (data) {
          const view = fit ? null : readHashView();
          if (view) directoryMap.map.setView(view.center, view.zoom);
          else directoryMap.fit(data);
          directoryMap.draw();
        }
      }
      await listUpdate;
      updateShareDialog();
    }

    function navigate(search) {
      const query = search ? "?" + search : window.location.pathname;
      window.history.pushState({ search }, "", query);
      update(search, { fit: true });
    }

    if (form) {
      let timer = null;
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        navigate(formQuery(form));
      });
      form.addEventListener("change", (event) => {
        if (event.target.type === "search" || event.target.name === "near") return;
        navigate(formQuery(form));
      });
      form.addEventListener("input", (event) => {
        if (event.target.type !== "search") return;
        clearTimeout(timer);
        timer = setTimeout(() => navigate(formQuery(form)), SEARCH_DELAY_MS);
      });
      form.querySelector("[name=near]").addEventListener("change", () => {
        navigate(formQuery(form));
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
        const link = event.target.closest(".pagination a");
        if (!link) return;
        event.preventDefault();
        const search = new URL(link.href).search.slice(1);
        window.history.pushState({ search }, "", "?" + search);
        updateResults(search).then(() => results.closest("section").scrollIntoView());
      });
    }

    window.addEventListener("popstate", () => {
      const search = window.location.search.slice(1);
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

    // On a phone the filters start folded away, so the map is on the first screen.
    const filterDetails = document.querySelector("[data-filter-details]");
    if (filterDetails && window.matchMedia("(max-width: 720px)").matches) filterDetails.open = false;

    setUpViewToggle(directoryMap);
    const updateShareDialog = setUpShareDialog(strings);

    // The server already rendered the list for this address; load the map for it.
    const initial = window.location.search.slice(1);
    const initialFilters = filterQuery(initial);
    loadedFilters = initialFilters;
    directoryMap.load(initialFilters, { initial: true }).then((data) => {
      if (!data) return;
      const view = readHashView();
      if (view) directoryMap.map.setView(view.center, view.zoom);
      else if (initialFilters || config.fixedParams.type) directoryMap.fit(data);
      directoryMap.draw();
    });

    function setUpLocate(panel) {
      const button = panel.querySelector("[data-locate]");
      const status = panel.querySelector("[data-locate-status]");
      if (!button || !("geolocation" in navigator)) return;
      button.hidden = false;
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

  function setUpViewToggle(directoryMap) {
    const toggle = document.querySelector("[data-view-toggle]");
    const browse = document.querySelector("[data-browse]");
    if (!toggle || !browse) return;
    toggle.hidden = false;
    browse.dataset.view = "map";
    for (const button of toggle.querySelectorAll("button")) {
      button.addEventListener("click", () => {
        browse.dataset.view = button.dataset.show;
        for (const other of toggle.querySelectorAll("button")) {
          other.setAttribute("aria-pressed", String(other === button));
        }
        if (button.dataset.show === "map") directoryMap.map.invalidateSize();
      });
    }
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

    opener.hidden = false;
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
