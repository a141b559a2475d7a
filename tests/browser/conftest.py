"""Browser tests: Playwright drives Debian's Chromium against the live test server.

External requests (map tiles) never leave the machine: they are answered with a blank
tile, so tests never depend on the network. When Chromium is missing the tests are
skipped, except in CI (REQUIRE_BROWSER=1), where that is a failure.
"""

import base64
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.support.reference import seed_reference_data

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """Browser tests commit for real, and the database is emptied after each one: put
    back what the data migrations seed (types, jurisdictions, the Organizers group)."""
    seed_reference_data()


@pytest.fixture(autouse=True)
def site_url_is_the_live_server(settings, live_server):
    """Absolute links (map data, share and embed code, canonical URLs) point at the
    server the browser talks to."""
    settings.SITE_URL = live_server.url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made
    # by the test itself are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import expect, sync_playwright

    # expect() waits as long as Playwright's other waits (30 s): a busy machine is slow,
    # not wrong.
    expect.set_options(timeout=30_000)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _keep_requests_local(live_server_url):
    local_host = urlsplit(live_server_url).netloc

    def handle(route):
        if urlsplit(route.request.url).netloc == local_host:
            route.continue_()
        elif route.request.resource_type == "image":
            route.fulfill(status=200, content_type="image/png", body=BLANK_PNG)
        else:
            route.fulfill(status=204, body="")

    return handle


@pytest.fixture
def browser_context(browser, live_server):
    def make(**options):
        context = browser.new_context(
            base_url=live_server.url, **{"viewport": {"width": 1280, "height": 800}, **options}
        )
        context.route("**/*", _keep_requests_local(live_server.url))
        contexts.append(context)
        return context

    contexts = []
    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(browser_context):
    """A page whose console errors and uncaught exceptions are collected in
    `page.errors`; a test that expects none asserts `page.errors == []`.

    Wait with expect() and locators, never page.wait_for_function(): it runs eval() in
    the page, which the Content-Security-Policy refuses ('unsafe-eval' is not allowed),
    so it logs an EvalError whenever its condition is not already true."""
    page = browser_context().new_page()
    page.errors = []
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


@pytest.fixture
def login(live_server):
    """Sign a user in to the page's browser context with a real session cookie."""

    def sign_in(page, user):
        from django.test import Client

        client = Client()
        client.force_login(user)
        cookie = client.cookies["sessionid"]
        page.context.add_cookies(
            [{"name": "sessionid", "value": cookie.value, "url": live_server.url}]
        )

    return sign_in


@pytest.fixture
def screenshot():
    def take(page, name):
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
