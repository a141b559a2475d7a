"""Production refuses to start without a real secret key."""

import os
import subprocess
import sys

import pytest


def run_check(**env):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "solidarity.settings"}
    environment.pop("SECRET_KEY", None)
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
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


@pytest.mark.parametrize("replaced", ["CLIENT_IP_HEADER", "NUM_PROXIES"])
def test_a_replaced_client_address_setting_refuses_to_start(replaced):
    # Ignoring it silently would count every visitor behind nginx as one address.
    result = run_check(
        DEBUG="false", SECRET_KEY="k" * 20 + "Zq8v0LpR3mX9sT2wY5nB7cF1hJ4dG6aE", **{replaced: "1"}
    )
    assert result.returncode != 0
    assert f"{replaced} is no longer read: set TRUSTED_PROXIES" in result.stderr
