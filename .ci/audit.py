#!/usr/bin/env python3
"""Fail on an installed dependency with a known vulnerability that has a fixed release.

Runs pip-audit over the current environment (the project itself is skipped: it is not
on PyPI) against PyPI's advisory data. A vulnerability with no fixed release yet is
reported but does not fail the build: there is nothing to upgrade to.

When the advisory service cannot be reached (pip-audit then skips every package as
"not found"), the audit says so plainly and passes, unless REQUIRE_AUDIT=1, which CI
with internet access sets so that a silent skip can never pass there.

--report FILE reads an existing pip-audit JSON report instead of running pip-audit.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile


def run_pip_audit() -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        result = subprocess.run(  # noqa: S603 (a fixed command line)
            [
                sys.executable,
                "-m",
                "pip_audit",
                "--skip-editable",
                "--progress-spinner",
                "off",
                "--format",
                "json",
                "--output",
                report.name,
            ],
            check=False,
            capture_output=True,
            text=True,
        )
        try:
            with open(report.name, encoding="utf-8") as handle:
                return json.load(handle)
        except json.JSONDecodeError:
            sys.exit(f"pip-audit did not produce a report:\n{result.stderr}")


def judge(report: dict, *, require_audit: bool) -> int:
    dependencies = report.get("dependencies", [])
    audited = [dep for dep in dependencies if "skip_reason" not in dep]
    fixable, unfixed = [], []
    for dep in audited:
        for vuln in dep.get("vulns", []):
            line = f"{dep['name']} {dep['version']}: {vuln['id']}"
            if vuln.get("fix_versions"):
                fixable.append(f"{line} (fixed in {', '.join(vuln['fix_versions'])})")
            else:
                unfixed.append(f"{line} (no fixed release yet)")
    for line in unfixed:
        print(f"pip-audit: known vulnerability, no fix available: {line}")
    for line in fixable:
        print(f"pip-audit: VULNERABLE, upgrade: {line}")
    if fixable:
        return 1
    if dependencies and not audited:
        print(
            "pip-audit: could not audit: the advisory service did not answer for any of "
            f"{len(dependencies)} packages (network blocked?)."
        )
        return 1 if require_audit else 0
    print(f"pip-audit: {len(audited)} packages audited, no fixable vulnerability.")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", help="a pip-audit JSON report to judge instead")
    args = parser.parse_args()
    if args.report:
        with open(args.report, encoding="utf-8") as handle:
            report = json.load(handle)
    else:
        report = run_pip_audit()
    return judge(report, require_audit=os.environ.get("REQUIRE_AUDIT") == "1")


if __name__ == "__main__":
    sys.exit(main())
