"""Partners' tools against a live server: `frictionless validate` on the data package,
and a page on another origin reading every data address with fetch(), conditional
requests included."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import frictionless
import pytest
from django.core.management import call_command
from django.urls import reverse

PARTNER_PAGE = b"<!doctype html><title>Partner map</title><p>A partner's page</p>"


class PartnerPage(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PARTNER_PAGE)))
        self.end_headers()
        self.wfile.write(PARTNER_PAGE)

    def log_message(self, *args):
        pass


@pytest.fixture
def partner_site():
    """A partner's page on another origin (its own server on this machine)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), PartnerPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


def data_paths() -> list[str]:
    return [
        reverse("directory:location-map-data"),
        reverse("directory:api-organization-list") + "?state=MD",
        reverse("directory:api-organization-detail", args=["demo-slug"]),
        reverse("directory:api-organization-geojson"),
        reverse("directory:export-organizations-csv"),
        reverse("directory:api-schema") + "?format=json",
        reverse("directory:export-datapackage"),
        reverse("directory:murmurations-list"),
        reverse("directory:murmurations-profile", args=["demo-slug"]),
    ]


def test_frictionless_validates_the_live_data_package(live_server):
    call_command("loaddata", "fixtures/demo.json", verbosity=0)
    report = frictionless.validate(f"{live_server.url}{reverse('directory:export-datapackage')}")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    (task,) = report.tasks
    assert task.stats["rows"] >= 50


FETCH_TWICE = """async (urls) => {
  const results = [];
  for (const url of urls) {
    const first = await fetch(url, {cache: "no-store"});
    await first.arrayBuffer();
    const etag = first.headers.get("ETag");
    const again = await fetch(url, {cache: "no-store", headers: {"If-None-Match": etag}});
    results.push({url, first: first.status, etag, again: again.status,
                  modified: first.headers.get("Last-Modified")});
  }
  return results;
}"""


def test_a_page_on_another_origin_reads_every_data_address_and_polls_politely(
    page, live_server, partner_site
):
    from directory.models import Organization

    call_command("loaddata", "fixtures/demo.json", verbosity=0)
    slug = Organization.objects.published().values_list("slug", flat=True).first()
    page.route(partner_site, lambda route: route.continue_())
    page.goto(partner_site)
    urls = [live_server.url + path.replace("demo-slug", slug) for path in data_paths()]
    results = page.evaluate(FETCH_TWICE, urls)
    for result in results:
        assert result["first"] == 200, result
        assert result["etag"], result
        assert result["modified"], result
        assert result["again"] == 304, result
    assert page.errors == []
