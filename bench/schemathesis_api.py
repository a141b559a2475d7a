"""Fuzz the live API against its own OpenAPI description with schemathesis, every
check, for a bounded time, and report failures by class.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/solidarity_open \\
        .venv/bin/python bench/schemathesis_api.py --port 8115 --max-time 180

Starts the site (runserver, DEBUG on, rate limits off so the fuzzer is not throttled)
on the given port with the demo data, runs `schemathesis run` with `--checks all`
against /api/schema/?format=json, prints its summary and exits non-zero on any
failure. Without DATABASE_URL a throwaway SQLite database is used.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=30):  # noqa: S310 (localhost)
                return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"The site did not answer at {url}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8115)
    parser.add_argument("--max-time", type=int, default=180, help="seconds of fuzzing")
    parser.add_argument("--workers", default="2")
    args = parser.parse_args()
    base = f"http://127.0.0.1:{args.port}"
    with tempfile.TemporaryDirectory() as scratch:
        env = {
            **os.environ,
            "DEBUG": "true",
            "LOG_LEVEL": "WARNING",
            "SITE_URL": base,
            "API_RATE_LIMIT": "",
            "EXPORT_RATE_LIMIT": "",
            "GEOJSON_RATE_LIMIT": "",
            "MAP_DATA_RATE_LIMIT": "",
        }
        env.setdefault("DATABASE_URL", f"sqlite:///{scratch}/fuzz.sqlite3")
        manage = [PYTHON, str(ROOT / "manage.py")]
        for command in (["migrate", "-v0"], ["createcachetable"], ["load_demo_data", "--if-empty"]):
            subprocess.run([*manage, *command], env=env, check=True, cwd=ROOT)
        server = subprocess.Popen(
            [*manage, "runserver", f"127.0.0.1:{args.port}", "--noreload"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            schema = f"{base}/api/schema/?format=json"
            wait_for(schema, 120)
            started = time.monotonic()
            result = subprocess.run(
                [
                    str(Path(PYTHON).parent / "schemathesis"),
                    "run",
                    schema,
                    "--url",
                    base,
                    "--checks",
                    "all",
                    "--max-time",
                    str(args.max_time),
                    "--workers",
                    args.workers,
                    "--request-timeout",
                    "30",
                ],
                cwd=scratch,
                check=False,
            )
            print(f"schemathesis ran {time.monotonic() - started:.0f} s, exit {result.returncode}")
            return result.returncode
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
