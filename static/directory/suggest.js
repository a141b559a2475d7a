/*
 * "Drop a pin instead" on the suggest-a-listing form. The latitude and longitude
 * fields work without JavaScript; with it, a Leaflet map fills them: tap or click to
 * place the pin, drag it, or pan with the keyboard and press "Put the pin at the
 * centre". Typing coordinates moves the pin.
 */
(function () {
  "use strict";

  // The page's language, from the JavaScript catalogue base.html loads (/jsi18n/);
  // English if it did not load.
  const gettext = window.gettext || function (text) { return text; };
  const interpolate =
    window.interpolate ||
    function (format, values) {
      return format.replace(/%\((\w+)\)s/g, function (_match, name) { return String(values[name]); });
    };

  function round6(value) {
    return Math.round(value * 1e6) / 1e6;
  }

  function start() {
    const configElement = document.getElementById("suggest-map-config");
    const picker = document.getElementById("pin-picker");
    const container = document.getElementById("pin-map");
    const latitude = document.getElementById("id_latitude");
    const longitude = document.getElementById("id_longitude");
    if (!configElement || !picker || !container || !latitude || !longitude || typeof L === "undefined") {
      return;
    }
    const config = JSON.parse(configElement.textContent);
    const actions = document.getElementById("pin-actions");
    const status = document.getElementById("pin-status");
    let map = null;
    let marker = null;

    function currentPoint() {
      const lat = parseFloat(latitude.value);
      const lng = parseFloat(longitude.value);
      return Number.isFinite(lat) && Number.isFinite(lng) ? L.latLng(lat, lng) : null;
    }

    function announce(latlng) {
      status.textContent = latlng
        ? interpolate(gettext("Pin placed at %(latitude)s, %(longitude)s."), {
            latitude: round6(latlng.lat),
            longitude: round6(latlng.lng),
          }, true)
        : gettext("No pin placed.");
    }

    function setPin(latlng, fromFields) {
      if (!marker) {
        marker = L.marker(latlng, { draggable: true, keyboard: true, title: gettext("Location pin") }).addTo(map);
        marker.on("dragend", function () {
          setPin(marker.getLatLng(), false);
        });
      } else {
        marker.setLatLng(latlng);
      }
      if (!fromFields) {
        latitude.value = round6(latlng.lat);
        longitude.value = round6(latlng.lng);
      }
      announce(latlng);
    }

    function clearPin() {
      if (marker) {
        map.removeLayer(marker);
        marker = null;
      }
      latitude.value = "";
      longitude.value = "";
      announce(null);
    }

    function createMap() {
      if (map) {
        map.invalidateSize();
        return;
      }
      container.hidden = false;
      actions.hidden = false;
      map = L.map(container, { scrollWheelZoom: false });
      L.tileLayer(config.tileUrl, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
      const point = currentPoint();
      if (point) {
        map.setView(point, 15);
        setPin(point, true);
      } else {
        map.setView(config.center, config.zoom);
      }
      map.on("click", function (event) {
        setPin(event.latlng, false);
      });
    }

    function syncFromFields() {
      const point = currentPoint();
      if (map && point) {
        setPin(point, true);
        map.setView(point, Math.max(map.getZoom(), 14));
      }
    }

    picker.addEventListener("toggle", function () {
      if (picker.open) {
        createMap();
      }
    });
    document.getElementById("pin-centre").addEventListener("click", function () {
      setPin(map.getCenter(), false);
    });
    document.getElementById("pin-clear").addEventListener("click", clearPin);
    latitude.addEventListener("change", syncFromFields);
    longitude.addEventListener("change", syncFromFields);
    if (picker.open) {
      createMap();
    }
  }

  function focusProblems() {
    // After a failed send, take keyboard and screen-reader users to what needs fixing.
    const target = document.getElementById("lookalikes") || document.getElementById("error-summary");
    if (target) {
      target.focus();
    }
  }

  function init() {
    start();
    focusProblems();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
