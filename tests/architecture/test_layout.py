"""The shape of directory/: layered packages (import-linter contracts in
pyproject.toml), each saying what it owns, and modules small enough to read."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAX_MODULE_LINES = 450


def python_modules():
    return [
        path
        for path in sorted((ROOT / "directory").rglob("*.py"))
        if "migrations" not in path.parts
    ]


def test_the_import_contracts_hold():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" in result.stdout and "0 broken" in result.stdout


@pytest.mark.parametrize("path", python_modules(), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_module_is_too_long_to_read(path):
    assert len(path.read_text().splitlines()) <= MAX_MODULE_LINES


@pytest.mark.parametrize(
    "package",
    sorted(path.parent for path in (ROOT / "directory").glob("*/__init__.py")),
    ids=lambda path: path.name,
)
def test_each_subpackage_says_what_it_owns(package):
    docstring = ast.get_docstring(ast.parse((package / "__init__.py").read_text()))
    if package.name in ("migrations", "management", "templatetags"):
        return
    assert docstring and len(docstring.split()) >= 10, f"{package.name}/__init__.py"
