/*
 * A Leaflet map under each location in the organization admin: clicking the map or
 * dragging the pin sets latitude/longitude (and marks the point as the organizer's
 * pin); typing coordinates moves the pin. Works for locations added with
 * "Add another location".
 */
(function () {
  "use strict";

  let config = null;

  function round6(value) {
    return Math.round(value * 1e6) / 1e6;
  }

  function attachMap(row) {
    if (!config || !row || !row.id || row.id.endsWith("-empty") || row.querySelector(".location-map")) {
      return;
    }
    const latitude = row.querySelector("input[name$='-latitude']");
    const longitude = row.querySelector("input[name$='-longitude']");
    const pointSource = row.querySelector("select[name$='-point_source']");
    if (!latitude || !longitude) {
      return;
    }
    const container = document.createElement("div");
    container.className = "location-map";
    container.setAttribute("role", "application");
    container.setAttribute(
      "aria-label",
      "Map: click to place the pin or drag it to move it. You can also type the coordinates."
    );
    const fieldRow = latitude.closest(".form-row") || latitude.parentElement;
    fieldRow.parentElement.insertBefore(container, fieldRow.nextSibling);

    const map = L.map(container, { scrollWheelZoom: false });
    L.tileLayer(config.tileUrl, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
    let marker = null;

    function currentPoint() {
      const lat = parseFloat(latitude.value);
      const lng = parseFloat(longitude.value);
      return Number.isFinite(lat) && Number.isFinite(lng) ? L.latLng(lat, lng) : null;
    }

    function writeFields(latlng) {
      latitude.value = round6(latlng.lat);
      longitude.value = round6(latlng.lng);
      if (pointSource) {
        pointSource.value = "pin";
      }
      latitude.dispatchEvent(new Event("input", { bubbles: true }));
    }

    function placeMarker(latlng) {
      if (marker) {
        marker.setLatLng(latlng);
        return;
      }
      marker = L.marker(latlng, { draggable: true, keyboard: true, title: "Location pin" }).addTo(map);
      marker.on("dragend", function () {
        writeFields(marker.getLatLng());
      });
    }

    map.on("click", function (event) {
      placeMarker(event.latlng);
      writeFields(event.latlng);
    });

    function syncFromFields() {
      const point = currentPoint();
      if (point) {
        placeMarker(point);
        map.setView(point, Math.max(map.getZoom() || 0, 14));
      }
    }
    latitude.addEventListener("change", syncFromFields);
    longitude.addEventListener("change", syncFromFields);

    const start = currentPoint();
    if (start) {
      map.setView(start, 15);
      placeMarker(start);
    } else {
      map.setView(config.center, config.zoom);
    }
    // Collapsed or freshly added inlines have no size until shown.
    setTimeout(function () {
      map.invalidateSize();
    }, 0);
  }

  function attachAll() {
    // The admin loads this script in <head>, before the configuration element exists.
    const configElement = document.getElementById("location-map-config");
    if (!configElement || typeof L === "undefined") {
      return;
    }
    config = JSON.parse(configElement.textContent);
    document.querySelectorAll(".inline-related").forEach(attachMap);
  }

  document.addEventListener("formset:added", function (event) {
    attachMap(event.target);
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", attachAll);
  } else {
    attachAll();
  }
})();
