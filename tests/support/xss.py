"""An XSS corpus and checkers for every surface that shows stored text.

`CORPUS` holds hostile strings (script tags, event handlers, `javascript:` URLs,
`</script>` meant to break out of JSON-LD or json_script, SVG, unicode tricks).
`store_everywhere()` writes one of them into every text field of an organization, its
location and a social link, straight through the ORM as an import or a future API
might, each value starting with a marker so a test can see that the field is shown.

A checker takes what a surface returned and returns a list of problems (empty when
safe). `check_html` is the one HTML pages and the admin use; a new surface (API,
GeoJSON, CSV, map popups, moderation diff, emails) gets one small checker beside it and
one entry in tests/site/test_xss.py's SURFACES.
"""

import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from directory.models import Location, Organization, SocialLink


@dataclass(frozen=True)
class Payload:
    name: str
    text: str
    # Fragments that would be live markup if they reached an HTML page unescaped.
    forbidden: tuple[str, ...] = ()


CORPUS = [
    Payload("script-tag", "<script>alert('xss')</script>", ("<script>alert",)),
    Payload("img-onerror", '<img src=x onerror="alert(1)">', ("<img src=x",)),
    Payload("svg-onload", "<svg/onload=alert(1)>", ("<svg/onload",)),
    Payload("svg-script", "<svg><script>alert(1)</script></svg>", ("<svg><script>",)),
    Payload("attribute-breakout", '" autofocus onfocus="alert(1)', ('" autofocus onfocus',)),
    Payload("single-quote-breakout", "' onmouseover='alert(1)' x='", ("' onmouseover='",)),
    Payload("javascript-url", "javascript:alert(document.cookie)"),
    Payload("data-url", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="),
    Payload("json-ld-breakout", '</script><script>alert("json")</script>', ("</script><script>",)),
    Payload("comment-breakout", "--><script>alert(1)</script><!--", ("--><script>",)),
    Payload("iframe-srcdoc", '<iframe srcdoc="<b>x</b>"></iframe>', ("<iframe",)),
    Payload("style-import", '<style>@import "https://evil.example/x.css";</style>', ("<style>",)),
    Payload("template-tags", "{{ request.META }}{% debug %}"),
    Payload("fullwidth-brackets", "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e"),
    Payload("zero-width-split", "<scr\u200bipt>alert(1)</scr\u200bipt>", ("<scr\u200bipt>",)),
    Payload("bidi-override", "safe-name\u202egnp.exe\u202c"),
    Payload("line-separators", "one\u2028two\u2029three</script>", ("three</script>",)),
    Payload("entity-smuggling", "&lt;script&gt;alert(1)&lt;/script&gt;", ("&lt;script&gt;alert",)),
]

# Validated fields (phone, email) are included: their validators guard the forms, but
# an import or a future API could bypass them, and the pages must stay safe regardless.
ORGANIZATION_TEXT_FIELDS = [
    "name",
    "summary",
    "description",
    "phone",
    "email",
    "how_to_join",
    "eligibility",
    "source",
    "internal_contact_name",
    "internal_contact_email",
    "internal_contact_phone",
    "internal_notes",
]
LOCATION_TEXT_FIELDS = ["label", "street_address", "city", "hours", "accessibility"]


def marker(field: str, payload: Payload) -> str:
    return f"xss{field.replace('_', '')}{CORPUS.index(payload)}"


def _value(model, field: str, payload: Payload) -> str:
    text = f"{marker(field, payload)} {payload.text}"
    max_length = model._meta.get_field(field).max_length
    return text[:max_length] if max_length else text


def store_everywhere(organization: Organization, location: Location, payload: Payload) -> None:
    """Write the payload into every text field, bypassing form validation on purpose."""
    for field in ORGANIZATION_TEXT_FIELDS:
        setattr(organization, field, _value(Organization, field, payload))
    organization.save()
    for field in LOCATION_TEXT_FIELDS:
        setattr(location, field, _value(Location, field, payload))
    location.save()
    SocialLink.objects.create(
        organization=organization,
        label=_value(SocialLink, "label", payload),
        url="https://example.org/social",
    )


URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcdoc", "data"}
JSON_SCRIPT_TYPES = {"application/json", "application/ld+json"}
# Browsers ignore ASCII control characters and whitespace inside a URL scheme.
_SCHEME_NOISE = re.compile(r"[\x00-\x20]")


class _PageScanner(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.json_blocks: list[str] = []
        self._script: dict | None = None
        self._script_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag}> has an event handler attribute {name}")
            if name in URL_ATTRIBUTES and value:
                scheme = _SCHEME_NOISE.sub("", value).lower()
                if scheme.startswith(("javascript:", "vbscript:", "data:text/html")):
                    self.problems.append(f"<{tag} {name}> points at {value[:40]!r}")
            if name == "style":
                self.problems.append(f"<{tag}> has a style attribute")
        if tag == "script":
            self._script = dict(attrs)
            self._script_text = []
        if tag in ("iframe", "object", "embed", "base"):
            self.problems.append(f"unexpected <{tag}> element")

    def handle_data(self, data):
        if self._script is not None:
            self._script_text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            body = "".join(self._script_text)
            kind = (self._script.get("type") or "").lower()
            if kind in JSON_SCRIPT_TYPES:
                self.json_blocks.append(body)
            elif self._script.get("src") is None or body.strip():
                self.problems.append(f"inline script: {body.strip()[:60]!r}")
            self._script = None


def check_html(html: str, payload: Payload) -> list[str]:
    """Problems that would let the payload run in a browser, or an empty list."""
    scanner = _PageScanner()
    scanner.feed(html)
    scanner.close()
    problems = list(scanner.problems)
    # Inside a JSON block a quote is \" and markup is inert text: check_json judges those.
    markup = html
    for block in scanner.json_blocks:
        markup = markup.replace(block, "")
        problems += check_json(block, payload)
    problems += [f"unescaped {fragment!r}" for fragment in payload.forbidden if fragment in markup]
    return problems


def check_json(text: str, payload: Payload) -> list[str]:
    """A JSON document or a JSON block in a page: it must parse (a `</script>` that
    broke out of it would leave it truncated) and must not end a script element."""
    problems = []
    if "</script" in text.lower():
        problems.append("JSON contains </script")
    try:
        json.loads(text)
    except ValueError as error:
        problems.append(f"JSON does not parse: {error}")
    return problems
