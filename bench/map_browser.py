"""Time from navigation to clusters drawn on the home page, in headless Chromium.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench \\
        .venv/bin/python bench/map_browser.py --count 100000 --repeat 5

Starts gunicorn with production settings (DEBUG off, hashed and compressed static
files, 2 workers, Redis database 6 as the shared cache unless CACHE_URL is set) on 127.0.0.1:8101
against DATABASE_URL (with at least --count synthetic listings), opens / in Chromium
(map tiles are not fetched) and reads the "map-drawn" performance mark that map.js sets
after the first clusters are on the map. Each run uses a fresh browser context, so the
browser caches nothing. The first run follows a change of the data (the server builds
the page and the map data); the others are what visitors get until the next change
(both from the server's cache). Prints both, and the phases of the last run (map data
download, parse + clustering + drawing).
"""

import argparse
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _setup import ROOT, setup_django

PORT = 8101
CHROMIUM = "/usr/bin/chromium"


def wait_for_server(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 (our own local server)
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"The server at {url} did not start.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    published = setup_django(args.count)

    import redis
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{PORT}"
    static_root = tempfile.TemporaryDirectory(prefix="bench-static-")
    environment = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": base,
        "STATIC_ROOT": static_root.name,
        "LOG_LEVEL": "WARNING",
        "GUNICORN_ACCESS_LOG": "",
        "WEB_CONCURRENCY": "2",
        # Shared by the workers, as in production.
        "CACHE_URL": os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/6"),
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=environment,
        check=True,
    )
    # The first visit comes after a change of the data: nothing cached on the server.
    redis.Redis.from_url(environment["CACHE_URL"]).flushdb()
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "--bind", f"127.0.0.1:{PORT}"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_server(base + "/robots.txt")
        timings, points = [], None
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
            )
            for _ in range(args.repeat):
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                context.route(
                    "**/*",
                    lambda route: (
                        route.continue_() if route.request.url.startswith(base) else route.abort()
                    ),
                )
                page = context.new_page()
                page.goto(base + "/")
                page.wait_for_selector("[data-map][data-map-state=ready]", timeout=120_000)
                drawn = page.evaluate("performance.getEntriesByName('map-drawn')[0].startTime")
                data = page.evaluate(
                    "performance.getEntriesByType('resource')"
                    ".find((r) => r.name.includes('locations.geojson'))?.toJSON()"
                )
                points = page.locator("[data-map]").get_attribute("data-map-points")
                timings.append(drawn)
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        static_root.cleanup()

    first, rest = timings[0], timings[1:] or timings
    print(f"{published} published listings, {points} points on the map")
    print(f"navigation to clusters drawn, first visit after a change: {first:.0f} ms")
    print(
        f"navigation to clusters drawn, later visits: median {statistics.median(rest):.0f} ms "
        f"of {[round(t) for t in rest]}"
    )
    if data:
        print(
            f"last run: map data requested at {data['requestStart']:.0f} ms, downloaded at "
            f"{data['responseEnd']:.0f} ms ({data['encodedBodySize'] / 1e6:.1f} MB gzipped, "
            f"{data['decodedBodySize'] / 1e6:.1f} MB JSON); clusters drawn "
            f"{timings[-1] - data['responseEnd']:.0f} ms later"
        )


if __name__ == "__main__":
    main()
