"""Lighthouse scores of the public pages, with the mobile and desktop presets.

Runs the Lighthouse CLI (npm package `lighthouse`; set LIGHTHOUSE to its command, or it
runs `npx --yes lighthouse@13`) with Debian's Chromium (CHROME_PATH, default
/usr/bin/chromium) against a running server, and prints one Markdown table row per page
and preset: performance, accessibility, best practices, SEO and cumulative layout shift.

    MAP_TILE_URL=/static/directory/offline-tile.png SERVE_ADDRESS=127.0.0.1:8113 make serve &
    .venv/bin/python bench/lighthouse.py http://127.0.0.1:8113 --repeat 3

With --repeat N every page and preset is measured N times (in rounds, so a busy spell
of a shared machine falls on all of them alike) and each cell is the median; the load
average is printed before and after, and the total blocking time (ms) is given too.

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
import statistics
import subprocess
import sys
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
    # On a busy machine Chromium sometimes misses Lighthouse's protocol timeout: try again.
    for attempt in (1, 2):
        result = subprocess.run(arguments, capture_output=True, text=True, env=environment)
        if result.returncode == 0:
            return json.loads(result.stdout)
        print(f"Lighthouse failed on {url} ({preset}, try {attempt}):", file=sys.stderr)
        print(result.stderr[-2000:], file=sys.stderr, flush=True)
    raise SystemExit(f"Lighthouse failed twice on {url} ({preset})")


def failing_audits(report: dict) -> list[str]:
    return [
        audit_id
        for key in CATEGORIES
        for ref in report["categories"][key]["auditRefs"]
        if ref["weight"]
        and (audit_id := ref["id"])
        and (report["audits"][audit_id].get("score") or 0) < 0.9
        and report["audits"][audit_id].get("scoreDisplayMode") == "binary"
    ]


def figures(report: dict) -> list[float]:
    """The four category scores, the cumulative layout shift and the blocking time."""
    audits = report["audits"]
    return [
        *(report["categories"][key]["score"] * 100 for key in CATEGORIES),
        audits["cumulative-layout-shift"]["numericValue"],
        audits["total-blocking-time"]["numericValue"],
    ]


DEFAULT_PATHS = ("/", "/organizations/", "detail", "/types/credit-union/")


def report_name(path: str) -> str:
    """A file name for a page's report: /es/organizations/ -> es-organizations."""
    return path.strip("/").replace("/", "-") or "home"


def main(base: str, repeat: int, paths: list[str], presets: list[str]) -> None:
    command = shlex.split(os.environ.get("LIGHTHOUSE", "npx --yes lighthouse@13"))
    pages = {report_name(path): detail_path(base) if path == "detail" else path for path in paths}
    REPORTS.mkdir(parents=True, exist_ok=True)
    print(f"<!-- load average before: {' '.join(f'{load:.1f}' for load in os.getloadavg())} -->")
    runs: dict[tuple[str, str], list[list[float]]] = {}
    failed: dict[tuple[str, str], set[str]] = {}
    for round_number in range(1, repeat + 1):
        for name, path in pages.items():
            for preset in presets:
                report = run(command, base + path, preset)
                suffix = f"-{round_number}" if repeat > 1 else ""
                (REPORTS / f"{name}-{preset}{suffix}.json").write_text(json.dumps(report))
                runs.setdefault((name, preset), []).append(figures(report))
                # Progress on stderr: a long series on a busy machine can be followed.
                performance, *_, shift, blocking = runs[(name, preset)][-1]
                print(
                    f"run {round_number}: {name} {preset}: performance {performance:.0f}, "
                    f"TBT {blocking:.0f} ms, CLS {shift:.3f}",
                    file=sys.stderr,
                    flush=True,
                )
                failed.setdefault((name, preset), set()).update(failing_audits(report))
    print("| page | preset | performance | accessibility | best practices | SEO | CLS | TBT ms |")
    print("|---|---|---|---|---|---|---|---|")
    for name, path in pages.items():
        for preset in presets:
            results = runs[(name, preset)]
            medians = [statistics.median(column) for column in zip(*results, strict=True)]
            scores = " | ".join(str(round(score)) for score in medians[:4])
            print(f"| `{path}` | {preset} | {scores} | {medians[4]:.3f} | {medians[5]:.0f} |")
            if failing := ", ".join(sorted(failed[(name, preset)])):
                print(f"<!-- {name} {preset} failing: {failing} -->")
    if repeat > 1:
        print(f"<!-- performance of each run: {performance_runs(runs)} -->")
    print(f"<!-- load average after: {' '.join(f'{load:.1f}' for load in os.getloadavg())} -->")


def performance_runs(runs: dict[tuple[str, str], list[list[float]]]) -> str:
    return "; ".join(
        f"{name} {preset} " + "/".join(str(round(result[0])) for result in results)
        for (name, preset), results in runs.items()
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", nargs="?", default="http://127.0.0.1:8113")
    parser.add_argument("--repeat", type=int, default=1, help="runs per page and preset (median)")
    parser.add_argument("--paths", nargs="+", default=list(DEFAULT_PATHS))
    parser.add_argument(
        "--presets", nargs="+", choices=("mobile", "desktop"), default=["mobile", "desktop"]
    )
    arguments = parser.parse_args()
    main(arguments.base.rstrip("/"), max(1, arguments.repeat), arguments.paths, arguments.presets)
