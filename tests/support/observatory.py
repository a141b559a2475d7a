"""The Mozilla HTTP Observatory's published scoring rules, applied to test responses.

Each `grade_*` function follows one test of the Observatory (mozilla/http-observatory,
httpobs/scanner/analyzer and docs/scoring.md; the MDN Observatory kept the same rules
and added Cross-Origin-Resource-Policy) and returns its result name and score
modifier. `grade_page` runs them all over one page and scores it as the Observatory
does: 100, plus penalties, plus bonuses only when the score without them is 90 or more;
100 and above is A+. Tests that need a live network (certificate chains, the HSTS
preload list) are out of scope; the rest are checked on every public URL.
"""

from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookies import Morsel
from urllib.parse import urlsplit

SIX_MONTHS = 15_552_000
DANGEROUSLY_BROAD = {
    "ftp:",
    "http:",
    "https:",
    "*",
    "http://*",
    "http://*.*",
    "https://*",
    "https://*.*",
}
UNSAFE_INLINE = {"'unsafe-inline'", "data:"}
PASSIVE_DIRECTIVES = ("img-src", "media-src")
MODIFIERS = {
    "csp-implemented-with-no-unsafe-default-src-none": 10,
    "csp-implemented-with-no-unsafe": 5,
    "csp-implemented-with-unsafe-inline-in-style-src-only": 0,
    "csp-implemented-with-insecure-scheme-in-passive-content-only": -10,
    "csp-implemented-with-unsafe-eval": -10,
    "csp-implemented-with-insecure-scheme": -20,
    "csp-implemented-with-unsafe-inline": -20,
    "csp-not-implemented": -25,
    "csp-header-invalid": -25,
    "cookies-secure-with-httponly-sessions-and-samesite": 5,
    "cookies-not-found": 0,
    "cookies-secure-with-httponly-sessions": 0,
    "cookies-without-secure-flag-but-protected-by-hsts": -5,
    "cookies-session-without-secure-flag-but-protected-by-hsts": -10,
    "cookies-without-secure-flag": -20,
    "cookies-samesite-flag-invalid": -20,
    "cookies-anticsrf-without-samesite-flag": -20,
    "cookies-session-without-httponly-flag": -30,
    "cookies-session-without-secure-flag": -40,
    "cross-origin-resource-sharing-implemented-with-public-access": 0,
    "cross-origin-resource-sharing-implemented-with-restricted-access": 0,
    "cross-origin-resource-sharing-not-implemented": 0,
    "cross-origin-resource-sharing-implemented-with-universal-access": -50,
    "redirection-to-https": 0,
    "redirection-missing": -20,
    "redirection-not-to-https": -20,
    "redirection-off-host-from-http": -5,
    "referrer-policy-private": 5,
    "referrer-policy-no-referrer-when-downgrade": 0,
    "referrer-policy-not-implemented": 0,
    "referrer-policy-unsafe": -5,
    "referrer-policy-header-invalid": -5,
    "hsts-implemented-max-age-at-least-six-months": 0,
    "hsts-implemented-max-age-less-than-six-months": -10,
    "hsts-not-implemented": -20,
    "hsts-header-invalid": -20,
    "sri-implemented-and-all-scripts-loaded-securely": 5,
    "sri-implemented-and-external-scripts-loaded-securely": 5,
    "sri-not-implemented-but-all-scripts-loaded-from-secure-origin": 0,
    "sri-not-implemented-but-no-scripts-loaded": 0,
    "sri-not-implemented-response-not-html": 0,
    "sri-not-implemented-but-external-scripts-loaded-securely": -5,
    "sri-implemented-but-external-scripts-not-loaded-securely": -20,
    "sri-not-implemented-and-external-scripts-not-loaded-securely": -50,
    "x-content-type-options-nosniff": 0,
    "x-content-type-options-not-implemented": -5,
    "x-content-type-options-header-invalid": -5,
    "x-frame-options-implemented-via-csp": 5,
    "x-frame-options-sameorigin-or-deny": 0,
    "x-frame-options-not-implemented": -20,
    "x-frame-options-header-invalid": -20,
    "corp-implemented-with-same-origin": 0,
    "corp-implemented-with-same-site": 0,
    "corp-implemented-with-cross-origin": 0,
    "corp-not-implemented": 0,
    "corp-header-invalid": -5,
}


@dataclass(frozen=True)
class Outcome:
    test: str
    result: str

    @property
    def modifier(self) -> int:
        return MODIFIERS[self.result]

    @property
    def passed(self) -> bool:
        return self.modifier >= 0


def parse_csp(header: str) -> dict[str, set[str]]:
    policy: dict[str, set[str]] = {}
    for directive in header.replace("\r", "").replace("\n", "").split(";"):
        entry = directive.strip().split(maxsplit=1)
        if not entry:
            continue
        name = entry[0]
        if name in policy:
            raise ValueError(f"repeated directive {name}")
        values = {source.lower() for source in entry[1].split()} if len(entry) > 1 else set()
        policy[name] = values or {"'none'"}
    if not policy:
        raise ValueError("empty policy")
    return policy


def grade_csp(headers, *, https: bool = True) -> Outcome:
    header = headers.get("Content-Security-Policy")
    if header is None:
        return Outcome("csp", "csp-not-implemented")
    try:
        csp = parse_csp(header)
    except ValueError:
        return Outcome("csp", "csp-header-invalid")
    default = csp.get("default-src")
    script_src = set(csp.get("script-src") or default or {"*"})
    object_src = set(csp.get("object-src") or default or {"*"})
    style_src = set(csp.get("style-src") or default or {"*"})
    hashes = ("'sha256-", "'sha384-", "'sha512-", "'nonce-")
    for sources in (script_src, style_src):
        if any(source.startswith(hashes) for source in sources):
            sources.discard("'unsafe-inline'")
    active = [
        source
        for directive, sources in csp.items()
        if directive not in PASSIVE_DIRECTIVES and directive != "script-src"
        for source in sources
    ] + list(script_src)
    passive = [
        source
        for directive in PASSIVE_DIRECTIVES
        for source in csp.get(directive, default or set())
    ]
    if script_src & (DANGEROUSLY_BROAD | UNSAFE_INLINE) or object_src & DANGEROUSLY_BROAD:
        return Outcome("csp", "csp-implemented-with-unsafe-inline")
    if https and any("http:" in source or "ftp:" in source for source in active):
        return Outcome("csp", "csp-implemented-with-insecure-scheme")
    if "'unsafe-eval'" in script_src | style_src:
        return Outcome("csp", "csp-implemented-with-unsafe-eval")
    if https and any("http:" in source or "ftp:" in source for source in passive):
        return Outcome("csp", "csp-implemented-with-insecure-scheme-in-passive-content-only")
    if style_src & (DANGEROUSLY_BROAD | UNSAFE_INLINE):
        return Outcome("csp", "csp-implemented-with-unsafe-inline-in-style-src-only")
    if default == {"'none'"}:
        return Outcome("csp", "csp-implemented-with-no-unsafe-default-src-none")
    return Outcome("csp", "csp-implemented-with-no-unsafe")


def grade_hsts(headers) -> Outcome:
    header = headers.get("Strict-Transport-Security")
    if header is None:
        return Outcome("hsts", "hsts-not-implemented")
    if "," in header:
        return Outcome("hsts", "hsts-header-invalid")
    max_age = None
    for parameter in (part.strip().lower() for part in header.split(";")):
        if parameter.startswith("max-age="):
            try:
                max_age = int(parameter[8:])
            except ValueError:
                return Outcome("hsts", "hsts-header-invalid")
    if not max_age:
        return Outcome("hsts", "hsts-header-invalid")
    if max_age < SIX_MONTHS:
        return Outcome("hsts", "hsts-implemented-max-age-less-than-six-months")
    return Outcome("hsts", "hsts-implemented-max-age-at-least-six-months")


def grade_cookies(cookies: list[Morsel], *, hsts: bool) -> Outcome:
    if not cookies:
        return Outcome("cookies", "cookies-not-found")
    goodness = [
        "cookies-without-secure-flag-but-protected-by-hsts",
        "cookies-without-secure-flag",
        "cookies-session-without-secure-flag-but-protected-by-hsts",
        "cookies-samesite-flag-invalid",
        "cookies-anticsrf-without-samesite-flag",
        "cookies-session-without-httponly-flag",
        "cookies-session-without-secure-flag",
    ]
    worst = None
    same_site_seen = False

    def worse(result):
        nonlocal worst
        if worst is None or goodness.index(result) > goodness.index(worst):
            worst = result

    for cookie in cookies:
        same_site = (cookie["samesite"] or "").strip().lower()
        if same_site in ("lax", "strict"):
            same_site_seen = True
        elif same_site:
            worse("cookies-samesite-flag-invalid")
        session = any(word in cookie.key.lower() for word in ("login", "sess"))
        anti_csrf = "csrf" in cookie.key.lower()
        if not cookie["secure"]:
            worse(
                "cookies-without-secure-flag-but-protected-by-hsts"
                if hsts
                else "cookies-without-secure-flag"
            )
        if anti_csrf and not same_site:
            worse("cookies-anticsrf-without-samesite-flag")
        if session and not cookie["secure"]:
            worse(
                "cookies-session-without-secure-flag-but-protected-by-hsts"
                if hsts
                else "cookies-session-without-secure-flag"
            )
        if session and not cookie["httponly"]:
            worse("cookies-session-without-httponly-flag")
    if worst:
        return Outcome("cookies", worst)
    if same_site_seen:
        return Outcome("cookies", "cookies-secure-with-httponly-sessions-and-samesite")
    return Outcome("cookies", "cookies-secure-with-httponly-sessions")


def grade_cors(headers, *, request_origin: str) -> Outcome:
    allowed = headers.get("Access-Control-Allow-Origin")
    if allowed is None:
        return Outcome("cors", "cross-origin-resource-sharing-not-implemented")
    credentials = headers.get("Access-Control-Allow-Credentials", "").lower() == "true"
    if allowed.strip() == "*":
        return Outcome("cors", "cross-origin-resource-sharing-implemented-with-public-access")
    if allowed.strip() == request_origin and credentials:
        return Outcome("cors", "cross-origin-resource-sharing-implemented-with-universal-access")
    return Outcome("cors", "cross-origin-resource-sharing-implemented-with-restricted-access")


def grade_redirection(response, *, host: str) -> Outcome:
    if response.status_code not in (301, 302, 303, 307, 308):
        return Outcome("redirection", "redirection-missing")
    target = urlsplit(response["Location"])
    if target.scheme != "https":
        return Outcome("redirection", "redirection-not-to-https")
    if target.hostname != host:
        return Outcome("redirection", "redirection-off-host-from-http")
    return Outcome("redirection", "redirection-to-https")


def grade_referrer_policy(headers) -> Outcome:
    header = headers.get("Referrer-Policy")
    if header is None:
        return Outcome("referrer-policy", "referrer-policy-not-implemented")
    good = ["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"]
    bad = ["origin", "origin-when-cross-origin", "unsafe-url"]
    valid = [*good, *bad, "no-referrer-when-downgrade"]
    tokens = [token.strip() for token in header.lower().split(",") if token.strip() in valid]
    policy = tokens[-1] if tokens else None
    if policy in good:
        return Outcome("referrer-policy", "referrer-policy-private")
    if policy == "no-referrer-when-downgrade":
        return Outcome("referrer-policy", "referrer-policy-no-referrer-when-downgrade")
    if policy in bad:
        return Outcome("referrer-policy", "referrer-policy-unsafe")
    return Outcome("referrer-policy", "referrer-policy-header-invalid")


class _ScriptCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts.append(dict(attrs))


def grade_sri(response, *, origin: str) -> Outcome:
    if "text/html" not in response.get("Content-Type", ""):
        return Outcome("sri", "sri-not-implemented-response-not-html")
    collector = _ScriptCollector()
    collector.feed(response.content.decode())
    sources = [script["src"] for script in collector.scripts if script.get("src")]
    if not sources:
        return Outcome("sri", "sri-not-implemented-but-no-scripts-loaded")
    site = urlsplit(origin)
    external = []
    for script in collector.scripts:
        src = script.get("src")
        if not src:
            continue
        parts = urlsplit(src)
        if parts.netloc and parts.netloc != site.netloc:
            external.append((parts, bool(script.get("integrity"))))
    if not external:
        return Outcome("sri", "sri-not-implemented-but-all-scripts-loaded-from-secure-origin")
    secure = all(parts.scheme == "https" for parts, _ in external)
    with_integrity = all(has_integrity for _, has_integrity in external)
    if with_integrity:
        return Outcome(
            "sri",
            "sri-implemented-and-external-scripts-loaded-securely"
            if secure
            else "sri-implemented-but-external-scripts-not-loaded-securely",
        )
    return Outcome(
        "sri",
        "sri-not-implemented-but-external-scripts-loaded-securely"
        if secure
        else "sri-not-implemented-and-external-scripts-not-loaded-securely",
    )


def grade_x_content_type_options(headers) -> Outcome:
    header = headers.get("X-Content-Type-Options")
    if header is None:
        return Outcome("x-content-type-options", "x-content-type-options-not-implemented")
    if header.strip().lower() == "nosniff":
        return Outcome("x-content-type-options", "x-content-type-options-nosniff")
    return Outcome("x-content-type-options", "x-content-type-options-header-invalid")


def grade_x_frame_options(headers) -> Outcome:
    csp = headers.get("Content-Security-Policy")
    try:
        if csp and "frame-ancestors" in parse_csp(csp):
            return Outcome("x-frame-options", "x-frame-options-implemented-via-csp")
    except ValueError:
        pass
    header = headers.get("X-Frame-Options")
    if header is None:
        return Outcome("x-frame-options", "x-frame-options-not-implemented")
    if header.strip().lower() in ("deny", "sameorigin"):
        return Outcome("x-frame-options", "x-frame-options-sameorigin-or-deny")
    return Outcome("x-frame-options", "x-frame-options-header-invalid")


def grade_corp(headers) -> Outcome:
    header = headers.get("Cross-Origin-Resource-Policy")
    if header is None:
        return Outcome("corp", "corp-not-implemented")
    value = header.strip().lower()
    if value in ("same-origin", "same-site", "cross-origin"):
        return Outcome("corp", f"corp-implemented-with-{value}")
    return Outcome("corp", "corp-header-invalid")


def score(outcomes: list[Outcome]) -> int:
    penalties = sum(outcome.modifier for outcome in outcomes if outcome.modifier < 0)
    bonuses = sum(outcome.modifier for outcome in outcomes if outcome.modifier > 0)
    base = 100 + penalties
    return max(0, base + (bonuses if base >= 90 else 0))


def grade_letter(points: int) -> str:
    bands = [
        (100, "A+"),
        (90, "A"),
        (85, "A-"),
        (80, "B+"),
        (70, "B"),
        (65, "B-"),
        (60, "C+"),
        (50, "C"),
        (45, "C-"),
        (40, "D+"),
        (30, "D"),
        (25, "D-"),
    ]
    return next((letter for floor, letter in bands if points >= floor), "F")
