"""The backup and restore drill (bench/restore_drill) brings back every row, on SQLite
and on PostgreSQL, with small data."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parents[2]
ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def drill(*args):
    return subprocess.run(
        [sys.executable, str(BASE_DIR / "bench" / "restore_drill"), "--count", "50", *args],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def assert_drill_passed(result):
    assert result.returncode == 0, result.stdout + result.stderr
    assert "RESTORE DRILL PASSED" in result.stdout
    assert "RECOVERY TIME (restore + verify):" in result.stdout
    tables = {line.split()[0]: line for line in result.stdout.splitlines() if " rows " in line}
    for table in ("directory_organization", "directory_location", "reversion_version"):
        assert table in tables and tables[table].rstrip().endswith("ok")
    assert int(tables["directory_organization"].split()[1]) >= 50 + 87  # synthetic + demo


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="needs the sqlite3 command")
def test_the_restore_drill_passes_on_sqlite():
    assert_drill_passed(drill("--engine", "sqlite"))


@pytest.mark.skipif(not ON_POSTGRESQL, reason="runs with the PostgreSQL suite (DATABASE_URL)")
def test_the_restore_drill_passes_on_postgresql():
    database = settings.DATABASES["default"]
    user, host = database["USER"] or "postgres", database["HOST"] or "127.0.0.1"
    server = f"postgres://{user}@{host}:{database['PORT'] or 5432}"
    assert_drill_passed(drill("--engine", "postgresql", "--server", server))
