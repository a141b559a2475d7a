/*
 * Directory maps, shared by the home page, type pages, the embed and detail pages.
 *
 * DirectoryMap loads the map data (GeoJSON from /api/locations.geojson), clusters it
 * with supercluster and draws only what is in view, so 100,000 listings stay smooth.
 * Markers are keyboard-focusable; popups are built from DOM nodes with textContent,
 * never from HTML strings. Configuration arrives through json_script.
 */
(function () {
  "use strict";

  // Levels below the map's minimum zoom are never shown, and above 14 points are far
  // enough apart to show one by one: indexing fewer levels draws 100,000 points sooner.
  const CLUSTER_OPTIONS = { radius: 60, minZoom: 5, maxZoom: 14, minPoints: 3 };
  const POINT_FOCUS_ZOOM = 13;

  function readConfig(element) {
    return JSON.parse(document.getElementById(element.dataset.map).textContent);
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, (match, name) => String(values[name]));
  }

  function pointIcon(colour, extraClass) {
    const dot = document.createElement("span");
    dot.className = "map-pin-dot";
    dot.style.backgroundColor = colour;
    return L.divIcon({
      html: dot,
      className: "map-pin" + (extraClass ? " " + extraClass : ""),
      iconSize: [20, 20],
      iconAnchor: [10, 10],
      popupAnchor: [0, -10],
    });
  }

  function clusterIcon(count, label) {
    const text = document.createElement("span");
    text.textContent = label;
    const size = count < 100 ? "small" : count < 1000 ? "medium" : "large";
    const pixels = { small: 34, medium: 42, large: 52 }[size];
    return L.divIcon({
      html: text,
      className: "map-cluster map-cluster-" + size,
      iconSize: [pixels, pixels],
      iconAnchor: [pixels / 2, pixels / 2],
    });
  }

  class DirectoryMap {
    constructor(element, config) {
      this.element = element;
      this.config = config;
      this.strings = config.strings || {};
      this.types = config.types || {};
      this.markers = new Map();
      this.index = null;
      this.request = null;
      this.notice = element.parentElement.querySelector("[data-map-notice]");
      this.map = L.map(element, { minZoom: 5, maxZoom: 18, zoomSnap: 1 });
      L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 19 }).addTo(
        this.map,
      );
      this.layer = L.layerGroup().addTo(this.map);
      this.map.fitBounds(config.bounds);
      this.map.on("moveend", () => this.draw());
      this.map.on("popupopen", (event) => {
        const popup = event.popup.getElement();
        // Leaflet closes popups on Escape only while the map itself has focus.
        popup.addEventListener("keydown", (key) => {
          if (key.key === "Escape") this.map.closePopup();
        });
        const link = popup.querySelector(".map-popup a");
        if (link) link.focus({ preventScroll: true });
      });
      this.map.on("popupclose", (event) => {
        const source = event.popup._source;
        const icon = source && source.getElement && source.getElement();
        if (icon && event.popup.getElement().contains(document.activeElement)) icon.focus();
      });
    }

    typeName(slug) {
      return (this.types[slug] && this.types[slug].name) || slug;
    }

    typeColour(slug) {
      return (this.types[slug] && this.types[slug].colour) || "#1f6feb";
    }

    setNotice(text) {
      if (this.notice) this.notice.textContent = text || "";
    }

    /* Load the map data for a query string; resolves with the FeatureCollection, or
     * null when a newer load replaced it or the filters were refused. */
    async load(query, { initial = false } = {}) {
      if (this.request) this.request.abort();
      const request = new AbortController();
      this.request = request;
      this.element.dataset.mapState = "loading";
      const params = new URLSearchParams(query);
      for (const [name, value] of Object.entries(this.config.fixedParams || {})) {
        params.set(name, value);
      }
      // The page preloads the map data it was served with; asking for the very same
      // URL (no extra headers) lets the browser use it.
      const url = initial ? this.config.initialDataUrl : this.config.dataUrl + "?" + params.toString();
      let data;
      try {
        const response = await fetch(url, { signal: request.signal });
        data = await response.json();
        if (!response.ok) {
          this.index = null;
          this.draw();
          this.setNotice((data.errors || []).join(" "));
          this.element.dataset.mapState = "error";
          return null;
        }
      } catch (error) {
        if (error.name === "AbortError") return null;
        this.setNotice(this.strings.loadError || "");
        this.element.dataset.mapState = "error";
        return null;
      }
      this.index = new Supercluster(CLUSTER_OPTIONS).load(data.features);
      this.element.dataset.mapPoints = String(data.features.length);
      this.setNotice(
        data.truncated
          ? format(this.strings.truncated || "", { count: data.features.length })
          : data.features.length === 0
            ? this.strings.noPoints || ""
            : "",
      );
      return data;
    }

    /* Fit the view to the features, or to the region when there are none. */
    fit(data) {
      if (!data || data.features.length === 0) {
        this.map.fitBounds(this.config.bounds);
        return;
      }
      let south = 90, west = 180, north = -90, east = -180;
      for (const feature of data.features) {
        const [longitude, latitude] = feature.geometry.coordinates;
        if (latitude < south) south = latitude;
        if (latitude > north) north = latitude;
        if (longitude < west) west = longitude;
        if (longitude > east) east = longitude;
      }
      this.map.fitBounds(
        [
          [south, west],
          [north, east],
        ],
        { maxZoom: POINT_FOCUS_ZOOM, padding: [24, 24] },
      );
    }

    /* Show the clusters and points in view. Markers that stay in view are kept, so an
     * open popup or a focused marker survives panning. */
    draw() {
      const wanted = new Map();
      if (this.index) {
        const bounds = this.map.getBounds();
        const box = [
          Math.max(-180, bounds.getWest()),
          Math.max(-85, bounds.getSouth()),
          Math.min(180, bounds.getEast()),
          Math.min(85, bounds.getNorth()),
        ];
        for (const item of this.index.getClusters(box, Math.round(this.map.getZoom()))) {
          const [longitude, latitude] = item.geometry.coordinates;
          const key = item.properties.cluster
            ? "c" + item.properties.cluster_id
            : "p" + item.properties.slug + "@" + longitude + "," + latitude;
          wanted.set(key, { item, latitude, longitude });
        }
      }
      for (const [key, marker] of this.markers) {
        if (!wanted.has(key)) {
          this.layer.removeLayer(marker);
          this.markers.delete(key);
        }
      }
      for (const [key, { item, latitude, longitude }] of wanted) {
        if (!this.markers.has(key)) {
          const marker = item.properties.cluster
            ? this.clusterMarker(item, latitude, longitude)
            : this.pointMarker(item.properties, latitude, longitude);
          this.markers.set(key, marker);
          this.layer.addLayer(marker);
        }
      }
      if (this.index) {
        this.element.dataset.mapState = "ready";
        performance.mark("map-drawn");
      }
    }

    clusterMarker(item, latitude, longitude) {
      const count = item.properties.point_count;
      const marker = L.marker([latitude, longitude], {
        icon: clusterIcon(count, item.properties.point_count_abbreviated),
        title: format(this.strings.cluster || "%(count)s", { count }),
        keyboard: true,
        riseOnHover: true,
      });
      marker.on("click", () => {
        const zoom = Math.min(this.index.getClusterExpansionZoom(item.properties.cluster_id), 16);
        this.map.setView([latitude, longitude], zoom);
        this.element.focus({ preventScroll: true });
      });
      return marker;
    }

    pointMarker(properties, latitude, longitude) {
      const marker = L.marker([latitude, longitude], {
        icon: pointIcon(this.typeColour(properties.type_slug)),
        title: properties.name + " (" + this.typeName(properties.type_slug) + ")",
        keyboard: true,
        riseOnHover: true,
      });
      marker.bindPopup(() => this.popupContent(properties), { closeOnEscapeKey: true });
      return marker;
    }

    popupContent(properties) {
      const box = document.createElement("div");
      box.className = "map-popup";
      const name = document.createElement("p");
      name.className = "map-popup-name";
      const link = document.createElement("a");
      link.href = properties.url;
      link.textContent = properties.name;
      if (this.config.linkTarget) {
        link.target = this.config.linkTarget;
        link.rel = "noopener";
      }
      name.append(link);
      const details = document.createElement("p");
      details.className = "map-popup-meta";
      details.textContent = [this.typeName(properties.type_slug), properties.city]
        .filter(Boolean)
        .join(" · ");
      box.append(name, details);
      return box;
    }

    /* A detail page's fixed points (no clustering, no loading). */
    showPoints(points, typeSlug) {
      const colour = this.typeColour(typeSlug);
      const bounds = [];
      for (const point of points) {
        const marker = L.marker([point.latitude, point.longitude], {
          icon: pointIcon(colour, point.approximate ? "map-pin-approximate" : ""),
          title: point.label,
          keyboard: true,
        });
        this.layer.addLayer(marker);
        if (point.approximate) {
          this.layer.addLayer(
            L.circle([point.latitude, point.longitude], { radius: 700, color: colour, weight: 1 }),
          );
        }
        bounds.push([point.latitude, point.longitude]);
      }
      this.map.fitBounds(bounds, { maxZoom: 14, padding: [32, 32] });
      this.element.dataset.mapState = "ready";
    }
  }

  window.DirectoryMap = DirectoryMap;
  window.DirectoryMap.readConfig = readConfig;
  window.DirectoryMap.format = format;

  document.addEventListener("DOMContentLoaded", () => {
    for (const element of document.querySelectorAll("[data-map]")) {
      const config = readConfig(element);
      if (config.points) new DirectoryMap(element, config).showPoints(config.points, config.pointType);
    }
  });
})();
