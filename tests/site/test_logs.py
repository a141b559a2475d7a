"""Logs are JSON lines on stdout: the application's own and gunicorn's request log
(solidarity/logs.py), which never records the query string."""

import json

from tests.support.production import fetch, gunicorn_server, manage, production_env


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_application_logs_are_json_lines_on_stdout():
    result = manage(
        "shell",
        "-c",
        "import logging; logging.getLogger('directory.test').warning('hello %s', 'world')",
        env=production_env(),
    )
    records = [r for r in json_lines(result.stdout) if r["logger"] == "directory.test"]
    assert records == [
        {
            "level": "WARNING",
            "logger": "directory.test",
            "message": "hello world",
            "time": records[0]["time"],
        }
    ]
    assert records[0]["time"].endswith("+00:00"), "ISO 8601 in UTC"


def test_each_request_is_logged_as_json_without_its_query_string(tmp_path, collected_static):
    log_path = tmp_path / "gunicorn.log"
    env = production_env(STATIC_ROOT=str(collected_static), TRUSTED_PROXIES="1")
    with gunicorn_server(env, log_path=log_path) as base_url:
        assert fetch(base_url + "/healthz?near=20912").status == 200
        # Behind the proxy: the address it added, not the one the client claimed.
        forwarded = {"X-Forwarded-For": "192.0.2.66, 203.0.113.5"}
        assert fetch(base_url + "/readyz", headers=forwarded).status in (200, 503)
    requests = [r for r in json_lines(log_path.read_text()) if r["logger"] == "gunicorn.access"]
    logged = [r for r in requests if r["path"] == "/healthz"]
    assert logged, log_path.read_text()
    assert logged[-1]["status"] == 200
    assert logged[-1]["method"] == "GET"
    assert isinstance(logged[-1]["duration_ms"], float)
    assert logged[-1]["remote_addr"] == "127.0.0.1"
    proxied = [r for r in requests if r["path"] == "/readyz"]
    assert [r["remote_addr"] for r in proxied] == ["203.0.113.5"]
    assert "20912" not in log_path.read_text()


def test_verification_tokens_never_reach_a_log(tmp_path, collected_static):
    # Before: the token of a verification link was in the request log (its path) and
    # in Django's request log (the path, and the query string through the request).
    token = "SECRET-token-4f1c9a"
    database = tmp_path / "db.sqlite3"
    env = production_env(STATIC_ROOT=str(collected_static), DATABASE_URL=f"sqlite:///{database}")
    manage("migrate", "--noinput", env=env)
    log_path = tmp_path / "gunicorn.log"
    with gunicorn_server(env, log_path=log_path) as base_url:
        for path in (
            f"/organizations/no-such-listing/verify/{token}/",
            f"/organizations/no-such-listing/suggest-edit/?verification={token}",
        ):
            assert fetch(base_url + path).status == 404
    text = log_path.read_text()
    records = json_lines(text)
    paths = [r["path"] for r in records if r["logger"] == "gunicorn.access"]
    assert [path for path in paths if path != "/healthz"] == [
        "/organizations/no-such-listing/verify/[redacted]/",
        "/organizations/no-such-listing/suggest-edit/",
    ]
    not_found = [r["message"] for r in records if r["logger"] == "django.request"]
    assert "Not Found: /organizations/no-such-listing/verify/[redacted]/" in not_found
    assert token not in text
