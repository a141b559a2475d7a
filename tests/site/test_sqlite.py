"""SQLite, the embedded default, under concurrent writes: a real gunicorn with production
settings, on a SQLite file that also holds the database cache (the rate-limit counters),
as a small organization would run it (solidarity/settings.py)."""

import http.cookiejar
import re
import sqlite3
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.support.production import gunicorn_server, manage, production_env

CONCURRENT_POSTS = 25
RATE_LIMIT = 20


def _field(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, f"the form has its {name} field"
    return match.group(1)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class _SecureCookiesOverLoopback(http.cookiejar.DefaultCookiePolicy):
    """Production cookies are Secure; here plain HTTP on loopback stands in for the TLS
    proxy, so the browser-like client sends them back anyway."""

    def return_ok_secure(self, cookie, request):
        return True


def _visitor():
    cookies = http.cookiejar.CookieJar(policy=_SecureCookiesOverLoopback())
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies), _NoRedirects())


def _post(opener, url: str, data: dict) -> tuple[int, str, str]:
    body = urllib.parse.urlencode(data, doseq=True).encode()
    request = urllib.request.Request(url, data=body, headers={"Referer": url})  # noqa: S310
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.headers.get("Location", ""), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", ""), error.read().decode()


@pytest.fixture
def sqlite_site(tmp_path, collected_static):
    database = tmp_path / "db.sqlite3"
    env = production_env(
        DATABASE_URL=f"sqlite:///{database}",
        STATIC_ROOT=str(collected_static),
        CONTRIBUTION_MIN_FILL_SECONDS="0",
        CONTRIBUTION_RATE_LIMIT=str(RATE_LIMIT),
    )
    manage("migrate", "--noinput", env=env)
    manage("createcachetable", env=env)
    with gunicorn_server(env, workers=2) as base_url:
        yield base_url, database


def test_concurrent_suggestions_on_sqlite_are_saved_or_limited_never_a_503(sqlite_site):
    # Before: 23 of 25 concurrent posts were a 503 ("database is locked").
    base_url, database = sqlite_site
    url = base_url + "/suggest/"
    visitors = []
    for number in range(CONCURRENT_POSTS):
        opener = _visitor()
        with opener.open(url, timeout=30) as response:
            html = response.read().decode()
        data = {
            "csrfmiddlewaretoken": _field(html, "csrfmiddlewaretoken"),
            "started": _field(html, "started"),
            "name": f"Concurrent Tenants Union {number}",
            "type": "mutual-aid",
            "summary": "Neighbours helping neighbours.",
            "zip_code": "20020",
            "precision": "approximate",
            "not_a_duplicate": "on",
            "submitter_email": f"neighbour{number}@example.net",
            "homepage": "",
        }
        visitors.append((opener, data))

    answers = [None] * CONCURRENT_POSTS
    start = threading.Barrier(CONCURRENT_POSTS)

    def send(index):
        opener, data = visitors[index]
        start.wait()
        answers[index] = _post(opener, url, data)

    threads = [threading.Thread(target=send, args=(index,)) for index in range(CONCURRENT_POSTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    statuses = sorted(status for status, _location, _body in answers)
    saved = [a for a in answers if a[0] == 302 and a[1].endswith("/suggest/thanks/")]
    limited = [
        a for a in answers if a[0] == 429 and "Many suggestions came from your connection" in a[2]
    ]
    assert len(saved) + len(limited) == CONCURRENT_POSTS, statuses
    assert saved, "some suggestions were saved"
    with sqlite3.connect(database) as connection:
        stored = connection.execute("SELECT count(*) FROM directory_changerequest").fetchone()[0]
        mode = connection.execute("PRAGMA journal_mode").fetchone()[0]
    assert stored == len(saved)
    assert mode == "wal"
