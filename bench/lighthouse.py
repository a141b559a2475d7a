"""Lighthouse scores of the public pages, with the mobile and desktop presets.

Runs the Lighthouse CLI (npm package `lighthouse`; set LIGHTHOUSE to its command, or it
runs `npx --yes lighthouse@13`) with Debian's Chromium (CHROME_PATH, default
/usr/bin/chromium) against a running server, and prints one Markdown table row per page
and preset: performance, accessibility, best practices, SEO and cumulative layout shift.

    MAP_TILE_URL=/static/directory/offline-tile.png SERVE_ADDRESS=127.0.0.1:8113 make serve &
    .venv/bin/python bench/lighthouse.py http://127.0.0.1:8113

--paths chooses the pages (the word `detail` stands for a published listing's page),
--presets the presets, e.g. the Spanish and Chinese home pages on a phone:

    .venv/bin/python bench/lighthouse.py http://127.0.0.1:8113 --paths /es/ /zh-hans/ \
        --presets mobile

Without network, map tiles from the default tile server fail and Lighthouse counts the
failures as console errors (best practices); MAP_TILE_URL above serves a plain local
tile instead. Reports (JSON) are kept in test-artifacts/lighthouse/.
"""

import argparse
import json
import os
import shlex
import subprocess
import urllib.request
from pathlib import Path

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
REPORTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "lighthouse"


def detail_path(base: str) -> str:
    """A published organization's page, from the JSON API."""
    if not base.startswith(("http://", "https://")):
        raise SystemExit(f"Not a web address: {base}")
    with urllib.request.urlopen(f"{base}/api/organizations/?page_size=1") as response:  # noqa: S310
        document = json.load(response)
    first = (document.get("results") or document.get("organizations") or [])[0]
    url = first.get("url") or first.get("html_url") or f"/organizations/{first['slug']}/"
    return "/" + url.split("/", 3)[3] if url.startswith("http") else url


def run(command: list[str], url: str, preset: str) -> dict:
    chrome_flags = "--headless=new --no-sandbox --disable-gpu --no-first-run"
    arguments = [
        *command,
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={chrome_flags}",
    ]
    if preset == "desktop":
        arguments.append("--preset=desktop")
    environment = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    result = subprocess.run(arguments, capture_output=True, text=True, env=environment, check=True)
    return json.loads(result.stdout)


DEFAULT_PATHS = ("/", "/organizations/", "detail", "/types/credit-union/")


def report_name(path: str) -> str:
    """A file name for a page's report: /es/organizations/ -> es-organizations."""
    return path.strip("/").replace("/", "-") or "home"


def main(base: str, paths: list[str], presets: list[str]) -> None:
    command = shlex.split(os.environ.get("LIGHTHOUSE", "npx --yes lighthouse@13"))
    pages = {report_name(path): detail_path(base) if path == "detail" else path for path in paths}
    REPORTS.mkdir(parents=True, exist_ok=True)
    print("| page | preset | performance | accessibility | best practices | SEO | CLS |")
    print("|---|---|---|---|---|---|---|")
    for name, path in pages.items():
        for preset in presets:
            report = run(command, base + path, preset)
            (REPORTS / f"{name}-{preset}.json").write_text(json.dumps(report))
            scores = [round(report["categories"][key]["score"] * 100) for key in CATEGORIES]
            shift = report["audits"]["cumulative-layout-shift"]["numericValue"]
            failed = [
                audit_id
                for key in CATEGORIES
                for ref in report["categories"][key]["auditRefs"]
                if ref["weight"]
                and (audit_id := ref["id"])
                and (report["audits"][audit_id].get("score") or 0) < 0.9
                and report["audits"][audit_id].get("scoreDisplayMode") == "binary"
            ]
            row = " | ".join(str(score) for score in scores)
            print(f"| `{path}` | {preset} | {row} | {shift:.3f} |", flush=True)
            if failed:
                print(f"<!-- {name} {preset} failing: {', '.join(failed)} -->", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base", nargs="?", default="http://127.0.0.1:8113")
    parser.add_argument("--paths", nargs="+", default=list(DEFAULT_PATHS))
    parser.add_argument(
        "--presets", nargs="+", choices=("mobile", "desktop"), default=["mobile", "desktop"]
    )
    arguments = parser.parse_args()
    main(arguments.base.rstrip("/"), arguments.paths, arguments.presets)
