"""register_murmurations against a fake Murmurations index on this machine."""

import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import CommandError, call_command

from directory.models import SlugRedirect
from tests.support.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


class FakeIndex:
    """Records what it is sent; answers as the index's v2 API does."""

    def __init__(self, *, refuse: set[str] = frozenset()):
        self.posted: list[str] = []
        self.deleted: list[str] = []
        index = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                url = body["profile_url"]
                index.posted.append(url)
                status = 400 if any(part in url for part in refuse) else 200
                self._answer(
                    status, {"data": {"node_id": hashlib.sha256(url.encode()).hexdigest()}}
                )

            def do_DELETE(self):
                index.deleted.append(self.path.rsplit("/", 1)[1])
                self._answer(404, {"errors": [{"title": "Node Not Found"}]})

            def _answer(self, status, data):
                payload = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/v2"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_index():
    index = FakeIndex()
    yield index
    index.close()


@pytest.fixture
def listings():
    OrganizationFactory(slug="open-bakery")
    OrganizationFactory(slug="open-grocery")
    OrganizationFactory(slug="quiet-draft", status="draft")
    OrganizationFactory(slug="closed-shop", status="archived")
    survivor = OrganizationFactory(slug="merged-into")
    SlugRedirect.objects.create(old_slug="merged-away", organization=survivor)


def profile(slug):
    return f"http://testserver/api/murmurations/{slug}.json"


def test_without_an_index_nothing_is_sent(settings, capsys, listings):
    settings.MURMURATIONS_INDEX_URL = ""
    call_command("register_murmurations")
    assert "nothing sent" in capsys.readouterr().out


def test_published_profiles_are_registered_and_the_others_withdrawn(
    settings, capsys, fake_index, listings
):
    settings.MURMURATIONS_INDEX_URL = fake_index.url
    call_command("register_murmurations")
    assert fake_index.posted == [profile(s) for s in ("merged-into", "open-bakery", "open-grocery")]
    expected = [
        hashlib.sha256(profile(s).encode()).hexdigest() for s in ("closed-shop", "merged-away")
    ]
    assert fake_index.deleted == expected
    assert "Registered 3 profile(s)" in capsys.readouterr().out
    call_command("register_murmurations")
    assert len(fake_index.posted) == 6, "a second run registers again, so the index re-reads"


def test_a_dry_run_sends_nothing(settings, fake_index, listings):
    settings.MURMURATIONS_INDEX_URL = fake_index.url
    call_command("register_murmurations", "--dry-run")
    assert fake_index.posted == fake_index.deleted == []


def test_refusals_and_an_unreachable_index_are_reported_and_the_rest_go_on(
    settings, capsys, listings
):
    index = FakeIndex(refuse={"open-bakery"})
    try:
        settings.MURMURATIONS_INDEX_URL = index.url
        with pytest.raises(CommandError, match="1 profile"):
            call_command("register_murmurations")
        assert len(index.posted) == 3
        assert "open-bakery" in capsys.readouterr().err
    finally:
        index.close()
    with pytest.raises(CommandError, match="5 profile"):
        call_command("register_murmurations", "--index", "http://127.0.0.1:9/v2")
