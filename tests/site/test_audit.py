"""`make audit` (.ci/audit.py) fails on a dependency with a known vulnerability that has
a fixed release, and never passes silently when it could audit nothing in CI."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

AUDIT = Path(__file__).resolve().parents[2] / ".ci" / "audit.py"


def judge(tmp_path, report: dict, **env):
    path = tmp_path / "report.json"
    path.write_text(json.dumps(report))
    environment = {k: v for k, v in os.environ.items() if k != "REQUIRE_AUDIT"}
    return subprocess.run(
        [sys.executable, str(AUDIT), "--report", str(path)],
        env={**environment, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def dependency(name, version, *vulns):
    return {"name": name, "version": version, "vulns": list(vulns)}


def vuln(identifier, *fixes):
    return {"id": identifier, "fix_versions": list(fixes), "aliases": [], "description": ""}


def test_a_vulnerability_with_a_fix_fails_the_audit(tmp_path):
    report = {
        "dependencies": [
            dependency("django", "5.2.0", vuln("PYSEC-2025-1", "5.2.1")),
            dependency("gunicorn", "23.0.0"),
        ]
    }
    result = judge(tmp_path, report)
    assert result.returncode == 1
    assert "VULNERABLE, upgrade: django 5.2.0: PYSEC-2025-1 (fixed in 5.2.1)" in result.stdout


def test_a_vulnerability_without_a_fix_is_reported_but_passes(tmp_path):
    report = {"dependencies": [dependency("somepkg", "1.0", vuln("GHSA-xxxx"))]}
    result = judge(tmp_path, report)
    assert result.returncode == 0
    assert "no fix available: somepkg 1.0: GHSA-xxxx" in result.stdout


def test_a_clean_report_passes(tmp_path):
    result = judge(tmp_path, {"dependencies": [dependency("django", "5.2.9")]})
    assert result.returncode == 0
    assert "1 packages audited, no fixable vulnerability" in result.stdout


@pytest.mark.parametrize(("require", "code"), [("", 0), ("1", 1)])
def test_an_unreachable_advisory_service_is_said_and_fails_only_where_required(
    tmp_path, require, code
):
    skipped = {"name": "django", "skip_reason": "Dependency not found on PyPI"}
    result = judge(tmp_path, {"dependencies": [skipped]}, REQUIRE_AUDIT=require)
    assert result.returncode == code
    assert "could not audit" in result.stdout
