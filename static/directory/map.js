/*
 * Directory maps, shared by the home page, type pages, the embed and detail pages.
 *
 * DirectoryMap loads the map data (GeoJSON from /api/locations.geojson), clusters it
 * with supercluster and draws only what is in view, so 100,000 listings stay smooth.
 * Each type's pin is its glyph on its colour (the same drawing as the key and the
 * cards), so types differ by more than colour; a cluster's ring shows the mix of types
 * in it. Markers are keyboard-focusable; popups are built from DOM nodes with
 * textContent, never from HTML strings. Configuration arrives through json_script.
 */
(function () {
  "use strict";

  const t = window.gettext || ((s) => s);
  const SVG = "http://www.w3.org/2000/svg";
  // Levels below the map's minimum zoom are never shown, and above 14 points are far
  // enough apart to show one by one: indexing fewer levels draws 100,000 points sooner.
  // Each cluster counts its points per type (flat "t:slug" keys: supercluster copies
  // the mapped properties shallowly).
  // Radius 90 of a 512 extent is 45 px on 256 px tiles: points closer than that join a
  // cluster (two are enough), so 32 px pins never overlap and each stays a clear target.
  const CLUSTER_OPTIONS = {
    radius: 90,
    minZoom: 5,
    maxZoom: 16,
    minPoints: 2,
    map: (properties) => ({ ["t:" + properties.type_slug]: 1 }),
    reduce: (total, properties) => {
      for (const key in properties) total[key] = (total[key] || 0) + properties[key];
    },
  };
  const POINT_FOCUS_ZOOM = 13;
  const PIN_SIZE = 32;
  const METRES_PER_MILE = 1609.344;
  const FALLBACK_TYPE = { name: "", plural: "", colour: "#dddddd", ink: "#1a1a1a", glyph: [] };
  // Pins are added this many milliseconds at a time, then the page may paint and answer
  // input: on a slow phone drawing every pin at once is one long task.
  const DRAW_BUDGET_MS = 8;

  /* Resolves in a later task (scheduler.yield where the browser has it). */
  function nextTask() {
    if (window.scheduler && typeof window.scheduler.yield === "function") return window.scheduler.yield();
    return new Promise((resolve) => setTimeout(resolve, 0));
  }

  function readConfig(element) {
    return JSON.parse(document.getElementById(element.dataset.map).textContent);
  }

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, (match, name) => String(values[name]));
  }

  function svgElement(name, attributes) {
    const element = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
    return element;
  }

  /* The type's pin as SVG: the same drawing as the {% type_marker %} template tag. */
  function typeMarkerSvg(type, size) {
    const svg = svgElement("svg", {
      class: "type-marker",
      width: size,
      height: size,
      viewBox: "0 0 32 32",
      "aria-hidden": "true",
      focusable: "false",
    });
    svg.append(svgElement("circle", { cx: 16, cy: 16, r: 15, fill: type.colour }));
    const glyph = svgElement("g", { transform: "translate(6.4 6.4) scale(0.8)", stroke: type.ink });
    for (const d of type.glyph) glyph.append(svgElement("path", { d }));
    svg.append(glyph);
    return svg;
  }

  function pointIcon(type, extraClass) {
    return L.divIcon({
      html: typeMarkerSvg(type, PIN_SIZE),
      className: "map-pin" + (extraClass ? " " + extraClass : ""),
      iconSize: [PIN_SIZE, PIN_SIZE],
      iconAnchor: [PIN_SIZE / 2, PIN_SIZE / 2],
      popupAnchor: [0, -PIN_SIZE / 2],
    });
  }

  /* A cluster: its count on white, in a ring cut into one arc per type, sized by count. */
  function clusterIcon(mix, count, label, types) {
    const pixels = count < 100 ? 40 : count < 1000 ? 48 : 56;
    const centre = pixels / 2;
    const ring = pixels / 2 - 5;
    const svg = svgElement("svg", {
      width: pixels,
      height: pixels,
      viewBox: "0 0 " + pixels + " " + pixels,
      "aria-hidden": "true",
    });
    svg.append(svgElement("circle", { class: "cluster-core", cx: centre, cy: centre, r: centre - 1, fill: "#ffffff", stroke: "#1b1f23", "stroke-width": 1 }));
    const circumference = 2 * Math.PI * ring;
    let offset = 0;
    for (const [slug, share] of mix) {
      const length = (share / count) * circumference;
      svg.append(
        svgElement("circle", {
          cx: centre,
          cy: centre,
          r: ring,
          fill: "none",
          stroke: (types[slug] || FALLBACK_TYPE).colour,
          "stroke-width": 7,
          "stroke-dasharray": length + " " + (circumference - length),
          "stroke-dashoffset": -offset,
          transform: "rotate(-90 " + centre + " " + centre + ")",
        }),
      );
      offset += length;
    }
    const text = svgElement("text", { x: centre, y: centre + 4.5, "text-anchor": "middle" });
    text.textContent = label;
    svg.append(text);
    return L.divIcon({
      html: svg,
      className: "map-cluster",
      iconSize: [pixels, pixels],
      iconAnchor: [centre, centre],
    });
  }

  function clusterMix(properties) {
    const mix = [];
    for (const key in properties) {
      if (key.startsWith("t:")) mix.push([key.slice(2), properties[key]]);
    }
    return mix.sort((a, b) => b[1] - a[1]);
  }

  class DirectoryMap {
    /* A lazy map gets its view and tiles later (fit or setView, then showTiles): a page
     * that fits the view to its data fetches the tiles of that view only, and building
     * the map is a shorter task. */
    constructor(element, config, { lazy = false } = {}) {
      this.element = element;
      this.config = config;
      this.strings = config.strings || {};
      this.types = config.types || {};
      this.markers = new Map();
      this.drawing = 0; // the latest draw; an older one still adding pins stops
      this.points = new Map(); // slug -> [{latitude, longitude, properties}]
      this.index = null;
      this.request = null;
      this.halo = null;
      this.nearLayer = null;
      this.onPointFocus = null;
      this.onUserMove = null;
      this.openSlug = null;
      this.userIntent = false;
      this.notice = element.parentElement.querySelector("[data-map-notice]");
      this.map = L.map(element, { minZoom: 5, maxZoom: 18, zoomSnap: 0.5 });
      // The tiles' credit is there from the start: added with late tiles it would shift.
      this.map.attributionControl.addAttribution(config.tileAttribution);
      this.tiles = L.tileLayer(config.tileUrl, { maxZoom: 19 });
      this.layer = L.layerGroup().addTo(this.map);
      this.hasView = false;
      this.map.once("viewprereset", () => (this.hasView = true));
      if (!lazy) {
        this.map.fitBounds(config.bounds);
        this.showTiles();
      }
      // A move that follows the visitor's pointer, wheel or keys is theirs ("search this
      // area" then makes sense); moves the code makes are not.
      for (const name of ["pointerdown", "wheel", "keydown", "touchstart"]) {
        element.addEventListener(name, () => (this.userIntent = true), { passive: true });
      }
      this.map.on("moveend", () => {
        this.draw();
        if (this.userIntent && this.onUserMove) this.onUserMove();
        this.userIntent = false;
      });
      this.map.on("popupopen", (event) => {
        const popup = event.popup.getElement();
        // Leaflet closes popups on Escape only while the map itself has focus.
        popup.addEventListener("keydown", (key) => {
          if (key.key === "Escape") this.map.closePopup();
        });
        const link = popup.querySelector(".map-popup a");
        if (link) link.focus({ preventScroll: true });
        const source = event.popup._source;
        this.openSlug = source && source.slug ? source.slug : null;
        if (this.openSlug && this.onPointFocus) this.onPointFocus(this.openSlug, { reveal: true });
      });
      this.map.on("popupclose", (event) => {
        const source = event.popup._source;
        const icon = source && source.getElement && source.getElement();
        if (icon && event.popup.getElement().contains(document.activeElement)) icon.focus();
        this.openSlug = null;
        if (this.onPointFocus) this.onPointFocus(null, {});
      });
    }

    /* The tiles (of the whole region when no view was set). */
    showTiles() {
      if (!this.hasView) this.map.fitBounds(this.config.bounds, { animate: false });
      if (!this.map.hasLayer(this.tiles)) this.tiles.addTo(this.map);
    }

    type(slug) {
      return this.types[slug] || { ...FALLBACK_TYPE, name: slug, plural: slug };
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
          this.points = new Map();
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
      // Reading the response and indexing the points are separate tasks.
      await nextTask();
      if (request !== this.request) return null;
      this.index = new Supercluster(CLUSTER_OPTIONS).load(data.features);
      this.points = new Map();
      for (const feature of data.features) {
        const [longitude, latitude] = feature.geometry.coordinates;
        const slug = feature.properties.slug;
        if (!this.points.has(slug)) this.points.set(slug, []);
        this.points.get(slug).push({ latitude, longitude, properties: feature.properties });
      }
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

    /* Fit the view to the features (and the searched circle), or to the region. */
    fit(data, { animate = true } = {}) {
      let bounds = null;
      if (data && data.features.length) {
        bounds = L.latLngBounds(
          data.features.map((feature) => [feature.geometry.coordinates[1], feature.geometry.coordinates[0]]),
        );
      }
      if (this.nearLayer) {
        const circle = this.nearLayer.getLayers().find((layer) => layer instanceof L.Circle);
        // From the circle's centre and radius: on a map still without a view the circle
        // is not drawn yet, and Leaflet cannot give its bounds.
        const ring = circle && circle.getLatLng().toBounds(circle.getRadius() * 2);
        if (ring) bounds = bounds ? bounds.extend(ring) : ring;
      }
      this.userIntent = false;
      if (!bounds) this.map.fitBounds(this.config.bounds, { animate });
      else this.map.fitBounds(bounds, { maxZoom: POINT_FOCUS_ZOOM, padding: [32, 32], animate });
    }

    setView(center, zoom) {
      this.userIntent = false;
      this.map.setView(center, zoom);
    }

    /* Show the clusters and points in view. Markers that stay in view are kept, so an
     * open popup or a focused marker survives panning. New ones are added a few at a time
     * (see addMarkers); the map is "ready" once all of them are on it. */
    draw() {
      const drawing = ++this.drawing;
      const wanted = new Map();
      if (this.index && this.hasView) {
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
      return this.addMarkers(
        [...wanted].filter(([key]) => !this.markers.has(key)),
        drawing,
      );
    }

    async addMarkers(missing, drawing) {
      await nextTask();
      if (drawing !== this.drawing) return;
      let started = performance.now();
      for (const [key, { item, latitude, longitude }] of missing) {
        if (performance.now() - started > DRAW_BUDGET_MS) {
          await nextTask();
          if (drawing !== this.drawing) return;
          started = performance.now();
        }
        const marker = item.properties.cluster
          ? this.clusterMarker(item, latitude, longitude)
          : this.pointMarker(item.properties, latitude, longitude);
        this.markers.set(key, marker);
        this.layer.addLayer(marker);
      }
      if (this.index && this.hasView) {
        this.element.dataset.mapState = "ready";
        performance.mark("map-drawn");
      }
    }

    clusterMarker(item, latitude, longitude) {
      const count = item.properties.point_count;
      const mix = clusterMix(item.properties);
      const described = mix
        .map(([slug, share]) => share + " " + (share === 1 ? this.type(slug).name : this.type(slug).plural))
        .join(", ");
      const marker = L.marker([latitude, longitude], {
        icon: clusterIcon(mix, count, item.properties.point_count_abbreviated, this.types),
        title: format(this.strings.clusterMix || this.strings.cluster || "%(count)s", { count, mix: described }),
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
      const type = this.type(properties.type_slug);
      const marker = L.marker([latitude, longitude], {
        icon: pointIcon(type),
        title: properties.name + " (" + type.name + ")",
        keyboard: true,
        riseOnHover: true,
      });
      marker.slug = properties.slug;
      marker.bindPopup(() => this.popupContent(properties), { closeOnEscapeKey: true });
      const focusCard = () => this.onPointFocus && this.onPointFocus(properties.slug, {});
      marker.on("mouseover", focusCard);
      // Leaving the pin goes back to the card of the open popup, if any.
      marker.on("mouseout", () => this.onPointFocus && this.onPointFocus(this.openSlug, {}));
      marker.on("add", () => {
        const element = marker.getElement();
        if (element) element.addEventListener("focus", focusCard);
      });
      return marker;
    }

    popupContent(properties) {
      const type = this.type(properties.type_slug);
      const box = document.createElement("div");
      box.className = "map-popup";
      box.append(typeMarkerSvg(type, 28));
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
      details.textContent = [type.name, properties.city].filter(Boolean).join(" · ");
      box.append(name, details);
      const accepting = { yes: this.strings.accepting, no: this.strings.notAccepting }[properties.accepting];
      if (accepting) {
        const badge = document.createElement("p");
        const span = document.createElement("span");
        span.className = "badge" + (properties.accepting === "yes" ? " badge--success" : "");
        span.textContent = accepting;
        badge.append(span);
        box.append(badge);
      }
      return box;
    }

    /* Mark an organization's pin (drawn above any cluster hiding it), or clear it. */
    highlight(slug) {
      if (this.halo) {
        this.map.removeLayer(this.halo);
        this.halo = null;
      }
      for (const marker of this.markers.values()) {
        const element = marker.getElement && marker.getElement();
        if (element) element.classList.toggle("is-highlighted", Boolean(slug) && marker.slug === slug);
      }
      const points = slug ? this.points.get(slug) : null;
      if (!points) return;
      const type = this.type(points[0].properties.type_slug);
      this.halo = L.layerGroup(
        points.map((point) =>
          L.marker([point.latitude, point.longitude], {
            icon: pointIcon(type, "is-highlighted"),
            interactive: false,
            keyboard: false,
            zIndexOffset: 2000,
          }),
        ),
      ).addTo(this.map);
    }

    /* The place searched near: a marker and the radius ring; null removes them. */
    showNear(near) {
      if (this.nearLayer) {
        this.map.removeLayer(this.nearLayer);
        this.nearLayer = null;
      }
      if (!near) return;
      const target = svgElement("svg", { width: 28, height: 28, viewBox: "0 0 28 28", "aria-hidden": "true" });
      target.append(
        svgElement("circle", { cx: 14, cy: 14, r: 12, fill: "#ffffff", stroke: "#1b1f23", "stroke-width": 2 }),
        svgElement("circle", { cx: 14, cy: 14, r: 6, fill: "#b3470b" }),
      );
      const label = format(this.strings.nearLabel || "%(place)s", { place: near.label });
      this.nearLayer = L.layerGroup([
        L.circle([near.lat, near.lng], {
          radius: near.radius * METRES_PER_MILE,
          color: "#b3470b",
          weight: 2,
          dashArray: "6 6",
          fillOpacity: 0.05,
          interactive: false,
        }),
        L.marker([near.lat, near.lng], {
          icon: L.divIcon({ html: target, className: "near-marker", iconSize: [28, 28], iconAnchor: [14, 14] }),
          title: label,
          alt: label,
          keyboard: false,
          zIndexOffset: 1000,
        }),
      ]).addTo(this.map);
    }

    /* A detail page's fixed points (no clustering, no loading). */
    showPoints(points, typeSlug) {
      const type = this.type(typeSlug);
      const bounds = [];
      for (const point of points) {
        const marker = L.marker([point.latitude, point.longitude], {
          icon: pointIcon(type, point.approximate ? "map-pin-approximate" : ""),
          title: point.label,
          keyboard: true,
        });
        this.layer.addLayer(marker);
        if (point.approximate) {
          this.layer.addLayer(
            L.circle([point.latitude, point.longitude], { radius: 700, color: type.colour, weight: 1 }),
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
  window.DirectoryMap.t = t;
  window.DirectoryMap.nextTask = nextTask;

  /* Leaflet's script and stylesheet, added once, for a map that names them in
   * data-leaflet-script and data-leaflet-style instead of the page loading them. */
  let leafletLoading = null;
  function loadLeaflet(element) {
    if (window.L) return Promise.resolve();
    if (!leafletLoading) {
      const loaded = (node) =>
        new Promise((resolve, reject) => {
          node.addEventListener("load", resolve);
          node.addEventListener("error", reject);
        });
      const style = document.createElement("link");
      style.rel = "stylesheet";
      style.href = element.dataset.leafletStyle;
      const script = document.createElement("script");
      script.src = element.dataset.leafletScript;
      leafletLoading = Promise.all([loaded(style), loaded(script)]);
      document.head.append(style, script);
    }
    return leafletLoading;
  }

  /* Call back once the element is 300 px or less from being seen. */
  function whenNearScreen(element, callback) {
    if (!("IntersectionObserver" in window)) return callback();
    const observer = new IntersectionObserver(
      (entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        observer.disconnect();
        callback();
      },
      { rootMargin: "300px 0px" },
    );
    observer.observe(element);
  }

  // A detail page's mini-map sits below the fold on a phone: Leaflet (the largest
  // script of the page) is fetched and run only when the visitor scrolls towards it.
  document.addEventListener("DOMContentLoaded", () => {
    for (const element of document.querySelectorAll("[data-map]")) {
      const config = readConfig(element);
      if (!config.points) continue;
      const show = () => new DirectoryMap(element, config).showPoints(config.points, config.pointType);
      if (!element.dataset.leafletScript) {
        show();
        continue;
      }
      whenNearScreen(element, () =>
        loadLeaflet(element).then(show, () => {
          element.dataset.mapState = "error";
        }),
      );
    }
  });
})();
