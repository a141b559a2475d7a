"""Which clustering library keeps the map smooth: Leaflet.markercluster or supercluster?

Both run in headless Chromium on the same synthetic points spread over the region, on
a 1280x800 map at the home page's zoom. For each library and size it prints the median
time from "points in hand" to "clusters drawn", and the median time to redraw after a
zoom (what a person feels when they use the map).

Leaflet comes from django-leaflet; supercluster is the vendored copy; markercluster is
fetched with `npm pack leaflet.markercluster@1.5.3` into a temporary folder (only this
script needs it).

    .venv/bin/python bench/cluster_libraries.py --sizes 10000 100000 --repeat 3
"""

import argparse
import importlib.util
import json
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Found without importing django-leaflet, which needs Django settings.
LEAFLET = Path(importlib.util.find_spec("leaflet").origin).parent / "static" / "leaflet"
SUPERCLUSTER = ROOT / "static" / "vendor" / "supercluster-9.1.0" / "supercluster.min.js"
CHROMIUM = "/usr/bin/chromium"

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<style>html,body{margin:0}#map{width:1280px;height:800px}</style></head>
<body><div id="map"></div></body></html>"""

# Both harnesses build the same points, then resolve with the milliseconds it took
# until the first set of clusters is on the map, and the time to redraw after zooming in.
POINTS_JS = """
(count) => {
  let seed = 42;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const points = [];
  for (let i = 0; i < count; i++) {
    points.push([36.6 + random() * 3.0, -83.5 + random() * 8.3, i]);
  }
  window.benchPoints = points;
}
"""

SUPERCLUSTER_JS = """
async () => {
  const map = L.map('map', {zoomAnimation: false, maxZoom: 18}).setView([38.3, -77.4], 7);
  const start = performance.now();
  const features = window.benchPoints.map(([lat, lng, i]) => ({
    type: 'Feature', geometry: {type: 'Point', coordinates: [lng, lat]}, properties: {i},
  }));
  const index = new Supercluster({radius: 60, maxZoom: 16}).load(features);
  const layer = L.layerGroup().addTo(map);
  const draw = () => {
    const b = map.getBounds();
    const clusters = index.getClusters(
      [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()], map.getZoom());
    layer.clearLayers();
    for (const c of clusters) {
      const [lng, lat] = c.geometry.coordinates;
      const el = document.createElement('span');
      el.textContent = c.properties.cluster ? c.properties.point_count_abbreviated : '';
      layer.addLayer(L.marker([lat, lng], {icon: L.divIcon({html: el, className: 'c'})}));
    }
    return clusters.length;
  };
  draw();
  const first = performance.now() - start;
  const zoomStart = performance.now();
  map.setView([38.9, -77.03], 10, {animate: false});
  draw();
  return {first, zoom: performance.now() - zoomStart};
}
"""

MARKERCLUSTER_JS = """
async () => {
  const map = L.map('map', {zoomAnimation: false, maxZoom: 18}).setView([38.3, -77.4], 7);
  const start = performance.now();
  const group = L.markerClusterGroup({chunkedLoading: true, animate: false});
  const markers = window.benchPoints.map(([lat, lng]) => L.marker([lat, lng]));
  map.addLayer(group);
  await new Promise((resolve) => {
    group.options.chunkProgress = (done, total) => { if (done === total) resolve(); };
    group.addLayers(markers);
  });
  const first = performance.now() - start;
  const zoomStart = performance.now();
  map.setView([38.9, -77.03], 10, {animate: false});
  await new Promise((resolve) => requestAnimationFrame(() => resolve()));
  return {first, zoom: performance.now() - zoomStart};
}
"""


def fetch_markercluster(folder: Path) -> Path:
    subprocess.run(
        ["npm", "pack", "leaflet.markercluster@1.5.3", "--silent"],
        cwd=folder,
        check=True,
        capture_output=True,
    )
    with tarfile.open(folder / "leaflet.markercluster-1.5.3.tgz") as archive:
        archive.extractall(folder, filter="data")
    return folder / "package" / "dist"


def measure(browser, scripts, harness, size, repeat):
    firsts, zooms = [], []
    for _ in range(repeat):
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.set_content(PAGE)
        for script in scripts:
            page.add_script_tag(path=str(script))
        page.evaluate(POINTS_JS, size)
        result = page.evaluate(harness)
        firsts.append(result["first"])
        zooms.append(result["zoom"])
        page.close()
    return statistics.median(firsts), statistics.median(zooms)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        markercluster = fetch_markercluster(Path(folder))
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        rows = []
        for size in args.sizes:
            rows.append(
                (
                    "supercluster 9.1.0",
                    size,
                    *measure(
                        browser,
                        [LEAFLET / "leaflet.js", SUPERCLUSTER],
                        SUPERCLUSTER_JS,
                        size,
                        args.repeat,
                    ),
                )
            )
            rows.append(
                (
                    "markercluster 1.5.3 (chunkedLoading)",
                    size,
                    *measure(
                        browser,
                        [LEAFLET / "leaflet.js", markercluster / "leaflet.markercluster.js"],
                        MARKERCLUSTER_JS,
                        size,
                        args.repeat,
                    ),
                )
            )
        browser.close()

    print(f"{'library':40} {'points':>8} {'clusters drawn (ms)':>20} {'zoom redraw (ms)':>17}")
    for library, size, first, zoom in rows:
        print(f"{library:40} {size:>8} {first:>20.0f} {zoom:>17.0f}")
    json.dump(
        [dict(zip(["library", "points", "first_ms", "zoom_ms"], row, strict=True)) for row in rows],
        sys.stderr,
    )
    print(file=sys.stderr)


if __name__ == "__main__":
    main()
