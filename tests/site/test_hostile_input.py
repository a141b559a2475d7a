"""Arbitrary query strings and form bodies thrown at every URL of the site (collected
from the URL resolver, so new pages are covered without editing this file) never
cause a server error and are never reflected as live markup."""

import re
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.public_urls import sample_data, url_patterns
from tests.support.xss import CORPUS

pytestmark = pytest.mark.django_db

FILTER_PARAMETERS = [
    "q",
    "type",
    "state",
    "jurisdiction",
    "serves",
    "sector",
    "language",
    "accepting",
    "near",
    "radius",
    "sort",
    "page",
    "bbox",
    "format",
]
INTERESTING_VALUES = [
    "",
    "0",
    "-1",
    "1e309",
    "nan",
    "NaN,NaN",
    "38.9,-77.03",
    "91,181",
    "20001",
    "99999",
    "DC",
    "yes",
    "%",
    "_",
    "\\",
    "'; DROP TABLE directory_organization; --",
    "\x00",
    "\ud7ff\ufffd",
    "a" * 5000,
    "-77.1,38.8,-76.9,39.0",
    "1,2,3",
]
keys = st.one_of(st.sampled_from(FILTER_PARAMETERS), st.text(max_size=20))
values = st.one_of(
    st.sampled_from(INTERESTING_VALUES),
    st.sampled_from([payload.text for payload in CORPUS]),
    st.text(max_size=300),
    st.from_regex(r"-?\d{1,3}(\.\d{1,8})?,-?\d{1,3}(\.\d{1,8})?", fullmatch=True),
)
query_pairs = st.lists(st.tuples(keys, values), max_size=8)
raw_query_strings = st.text(
    alphabet=st.characters(codec="ascii", exclude_categories=["Cc"]), max_size=200
)
# A reflected value with markup in it is live only if it appears unescaped.
MARKUP = re.compile(r"<[a-zA-Z/!]|[\"'] *on\w+=")
PLACEHOLDER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
# The same examples on every run, so CI never flakes on a new one; raise max_examples
# (or drop derandomize) locally to explore further.
HYPOTHESIS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=True,
)


def concrete_url(route: str, sample) -> str:
    """The route with its placeholders filled from sample data: the first candidate
    value that exists (a 404 means the sample did not fit), else the first one."""
    candidates = [
        sample.organization.slug,
        sample.organization_type.slug,
        str(sample.organization.pk),
    ]
    if not PLACEHOLDER.search(route):
        return "/" + route
    urls = ["/" + PLACEHOLDER.sub(lambda match, value=value: value, route) for value in candidates]
    client = Client()
    return next((url for url in urls if client.get(url).status_code != 404), urls[0])


def assert_no_live_reflection(response, sent_values):
    """Markup echoed into an HTML page would run; in any other type it stays data,
    provided the browser may not sniff it into HTML."""
    if not response.get("Content-Type", "").startswith("text/html"):
        assert response.get("X-Content-Type-Options") == "nosniff"
        return
    text = response.content.decode(errors="replace")
    for value in sent_values:
        if len(value) >= 6 and MARKUP.search(value):
            assert value not in text, f"reflected unescaped: {value[:80]!r}"


def assert_handled(response, url):
    assert response.status_code < 500, f"{url} answered {response.status_code}"


def fuzz_query_strings(client: Client, url: str):
    @HYPOTHESIS
    @given(pairs=query_pairs)
    def structured(pairs):
        response = client.get(f"{url}?{urlencode(pairs)}")
        assert_handled(response, url)
        assert_no_live_reflection(response, [value for _, value in pairs])

    @HYPOTHESIS
    @given(raw=raw_query_strings)
    def raw(raw):
        response = client.get(f"{url}?{quote(raw, safe='=&%+;,/?:@')}")
        assert_handled(response, url)

    structured()
    raw()


def fuzz_form_bodies(client: Client, url: str):
    @HYPOTHESIS
    @given(pairs=query_pairs)
    def posted(pairs):
        body = {}
        for key, value in pairs:
            body.setdefault(key, []).append(value)
        response = client.post(url, body)
        assert_handled(response, url)
        assert_no_live_reflection(response, [value for _, value in pairs])

    posted()


@pytest.mark.parametrize("route", url_patterns())
def test_arbitrary_query_strings_never_break_a_page(route):
    url = concrete_url(route, sample_data())
    fuzz_query_strings(Client(raise_request_exception=False), url)


@pytest.mark.parametrize("route", url_patterns())
def test_arbitrary_form_bodies_never_break_a_page(route):
    url = concrete_url(route, sample_data())
    fuzz_form_bodies(Client(raise_request_exception=False), url)
