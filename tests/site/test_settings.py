"""Settings: production refuses to start without a real secret key or with a replaced
variable, and every environment variable the code reads is documented in the README."""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
# Files whose environment variables operators set (the README's configuration table).
CONFIGURED_BY_ENVIRONMENT = [BASE_DIR / "solidarity" / "settings.py", BASE_DIR / "gunicorn.conf.py"]


def run_check(*command, **env):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "solidarity.settings"}
    environment.pop("SECRET_KEY", None)
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *(command or ["check"])],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("secret", [None, "", "django-insecure-abc", "short"])
def test_debug_off_without_a_real_secret_key_refuses_to_start(secret):
    env = {"DEBUG": "false"}
    if secret is not None:
        env["SECRET_KEY"] = secret
    result = run_check(**env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_off_with_a_real_secret_key_starts():
    result = run_check(DEBUG="false", SECRET_KEY="k" * 20 + "Zq8v0LpR3mX9sT2wY5nB7cF1hJ4dG6aE")
    assert result.returncode == 0, result.stderr


def test_the_migration_check_runs_on_a_fresh_checkout_without_a_secret_key():
    # It reads only the code: nothing is served or signed, so no key is needed.
    result = run_check("makemigrations", "--check", "--dry-run", DEBUG="false")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


@pytest.mark.parametrize("replaced", ["CLIENT_IP_HEADER", "NUM_PROXIES"])
def test_a_replaced_client_address_setting_refuses_to_start(replaced):
    # Ignoring it silently would count every visitor behind nginx as one address.
    result = run_check(
        DEBUG="false", SECRET_KEY="k" * 20 + "Zq8v0LpR3mX9sT2wY5nB7cF1hJ4dG6aE", **{replaced: "1"}
    )
    assert result.returncode != 0
    assert f"{replaced} is no longer read: set TRUSTED_PROXIES" in result.stderr


def _reads_environment(call: ast.Call) -> bool:
    """env(...), env.str(...) and friends (django-environ), os.environ.get(...),
    os.getenv(...)."""
    function = call.func
    if isinstance(function, ast.Name):
        return function.id in {"env", "getenv"}
    if isinstance(function, ast.Attribute):
        owner = ast.unparse(function.value)
        return owner == "env" or (owner, function.attr) in {
            ("os.environ", "get"),
            ("os", "getenv"),
            ("os.environ", "setdefault"),
        }
    return False


def _literal_strings(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.Tuple | ast.List):
        return [value for element in node.elts for value in _literal_strings(element)]
    return []


def environment_variables(source: str) -> set[str]:
    """Every variable name a module reads from the environment: a literal first
    argument, a loop over literal names, or a literal passed to a helper of the module
    whose parameter it reads (like _rate_limit("API_RATE_LIMIT", ...))."""
    tree = ast.parse(source)
    names: set[str] = set()
    helpers: dict[str, int] = {}  # helper function -> position of the name parameter
    loops: dict[str, list[str]] = {}  # loop variable -> the literal names it takes
    for node in ast.walk(tree):
        if isinstance(node, ast.For) and isinstance(node.target, ast.Name):
            loops[node.target.id] = _literal_strings(node.iter)
        if isinstance(node, ast.FunctionDef):
            parameters = [argument.arg for argument in node.args.args]
            for inner in ast.walk(node):
                if isinstance(inner, ast.Call) and _reads_environment(inner) and inner.args:
                    first = inner.args[0]
                    if isinstance(first, ast.Name) and first.id in parameters:
                        helpers[node.name] = parameters.index(first.id)
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            names.update(_literal_strings(node.slice))
        if not isinstance(node, ast.Call) or not node.args:
            continue
        if _reads_environment(node):
            first = node.args[0]
            names.update(_literal_strings(first))
            if isinstance(first, ast.Name):
                names.update(loops.get(first.id, []))
        elif isinstance(node.func, ast.Name) and node.func.id in helpers:
            position = helpers[node.func.id]
            if position < len(node.args):
                names.update(_literal_strings(node.args[position]))
    return names


def readme_configuration_table() -> set[str]:
    """The variable names in the first column of the README's "Configuration" table."""
    readme = (BASE_DIR / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in re.findall(r"`([A-Z][A-Z0-9_]*)`", row.split("|")[1])}


def test_the_parser_finds_every_way_settings_read_the_environment():
    source = """
import os
A = env("ONE")
B = env.int("TWO", default=1)
C = os.environ.get("THREE")
D = os.environ["FOUR"]
E = os.getenv("FIVE")
def _rate(name, default):
    return env.str(name, default=default)
F = _rate("SIX", "1/min")
for _old in ("SEVEN", "EIGHT"):
    env.str(_old, default="")
"""
    assert environment_variables(source) == {
        "ONE",
        "TWO",
        "THREE",
        "FOUR",
        "FIVE",
        "SIX",
        "SEVEN",
        "EIGHT",
    }


@pytest.mark.parametrize("path", CONFIGURED_BY_ENVIRONMENT, ids=lambda path: path.name)
def test_every_environment_variable_is_in_the_readme_configuration_table(path):
    read = environment_variables(path.read_text(encoding="utf-8"))
    assert len(read) > 3, "the parser found the variables"
    missing = sorted(read - readme_configuration_table())
    assert not missing, f"{path.name} reads {missing}, which README.md's table does not list"


def test_test_settings_ignore_the_callers_environment_and_env_file(tmp_path):
    # A shell that exported DEBUG=1 to run the development server, or a developer's
    # .env, used to turn 27 security tests red: the suite must see the same settings.
    env_file = tmp_path / "developer.env"
    env_file.write_text("CONTRIBUTION_RATE_WINDOW_MINUTES=1\nLOG_FORMAT=plain\n")
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "solidarity.test_settings",
        "DEBUG": "1",
        "SITE_URL": "http://127.0.0.1:8000",
        "SECURE_SSL_REDIRECT": "true",
        "API_RATE_LIMIT": "1/min",
        "ENV_FILE": str(env_file),
    }
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.SITE_URL, s.SECURE_SSL_REDIRECT, s.API_RATE_LIMIT, "
        "s.CONTRIBUTION_RATE_WINDOW_MINUTES, s.LOG_FORMAT)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    values = result.stdout.strip().splitlines()[-1].split()  # after the start-up log lines
    assert values == ["False", "http://testserver", "False", "120/min", "60", "json"]
