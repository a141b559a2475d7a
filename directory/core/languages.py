"""The interface languages: which are offered, and how a request chooses one.

Every language in settings.LANGUAGES has language-prefixed pages (/es/, /zh-hans/, ...;
English has none), but a language is *offered* (the switcher, the first-visit redirect,
hreflang alternates, the sitemap) only while its catalogues in locale/ are complete: no
untranslated or fuzzy message in django.po and djangojs.po. English, the original of
every message, is always complete. `catalogue_gaps()` says what is missing; the tests
in tests/core/test_catalogues.py fail on any gap of a language listed in SHIPPED.

Data endpoints (the API, the exports, map data, sitemaps, robots.txt) have one address
for every language: `data_url()` reverses them unprefixed, and a prefixed request for
one is a 404 (directory.core.middleware.LanguageMiddleware).
"""

import functools
import re
from contextlib import contextmanager
from pathlib import Path

import polib
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import to_locale
from django.utils.translation.trans_real import get_supported_language_variant

# The languages this release promises complete: `make test` fails on any gap in their
# catalogues (tests/core/test_catalogues.py). Add a language here once its catalogues
# are translated and reviewed; the switcher offers it from then on.
SHIPPED = ("en", "es", "zh-hans", "vi", "ko", "am", "fr")

# The gettext domains the site ships: templates and Python, and the JavaScript.
DOMAINS = ("django", "djangojs")

# URL names whose answer is the same in every language (data for machines, not pages).
DATA_URL_NAMES = frozenset(
    {
        "sitemap",
        "sitemap-section",
        "robots-txt",
        "api-schema",
        "location-map-data",
        "api-organization-list",
        "api-organization-geojson",
        "api-organization-detail",
        "export-organizations-csv",
        "export-datapackage",
        "murmurations-list",
        "murmurations-profile",
        "web-manifest",
        "favicon",
    }
)


def catalogue_path(code: str, domain: str = "django") -> Path:
    return Path(settings.LOCALE_PATHS[0]) / to_locale(code) / "LC_MESSAGES" / f"{domain}.po"


def catalogue_gaps(code: str) -> list[str]:
    """What keeps a language's catalogues from being complete, one line each (empty when
    complete): a missing file, untranslated or fuzzy messages, placeholders that differ
    from the original's."""
    if code == settings.LANGUAGE_CODE:
        return []
    gaps = []
    for domain in DOMAINS:
        path = catalogue_path(code, domain)
        if not path.is_file():
            gaps.append(f"{path}: missing")
            continue
        catalogue = polib.pofile(str(path))
        for entry in catalogue:
            if entry.obsolete:
                continue
            where = f"{path.name}: {entry.msgid[:60]!r}"
            if "fuzzy" in entry.flags:
                gaps.append(f"{where} is fuzzy")
            elif not entry.translated():
                gaps.append(f"{where} is untranslated")
            else:
                gaps.extend(f"{where}: {problem}" for problem in placeholder_problems(entry))
    return gaps


_PYTHON_FORMAT = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGcou%]")
_BRACE_FORMAT = re.compile(r"\{[^{}]*\}")


def _placeholders(entry: polib.POEntry, text: str) -> list[str]:
    if "python-format" in entry.flags:
        return sorted(p for p in _PYTHON_FORMAT.findall(text) if p != "%%")
    if "python-brace-format" in entry.flags:
        return sorted(_BRACE_FORMAT.findall(text))
    return []


def placeholder_problems(entry: polib.POEntry) -> list[str]:
    """Placeholders of a translation that differ from its original's. A plural form may
    leave out the count (Chinese, Vietnamese, Korean have one form for every number)."""
    problems = []
    if entry.msgid_plural:
        expected = set(_placeholders(entry, entry.msgid_plural)) | set(
            _placeholders(entry, entry.msgid)
        )
        for index, text in entry.msgstr_plural.items():
            extra = set(_placeholders(entry, text)) - expected
            if extra:
                problems.append(f"plural form {index} has unknown placeholders {sorted(extra)}")
        return problems
    expected, found = _placeholders(entry, entry.msgid), _placeholders(entry, entry.msgstr)
    if expected != found:
        problems.append(f"placeholders {found} instead of {expected}")
    return problems


@functools.cache
def complete_languages() -> tuple[str, ...]:
    """The codes of the languages offered to visitors, in settings.LANGUAGES order.
    Read once per process: catalogues change only with a deploy."""
    return tuple(code for code, _name in settings.LANGUAGES if not catalogue_gaps(code))


def offered_languages() -> list[dict]:
    """The switcher's choices: code, name in that language, direction."""
    return [translation.get_language_info(code) | {"code": code} for code in complete_languages()]


def preferred_language(accept_language: str) -> str | None:
    """The complete language a browser asks for first (Accept-Language), or None."""
    complete = complete_languages()
    for accepted, _quality in translation.trans_real.parse_accept_lang_header(accept_language):
        if accepted == "*":
            break
        try:
            code = get_supported_language_variant(accepted)
        except LookupError:
            continue
        if code in complete:
            return code
    return None


def data_url(name: str, *args, **kwargs) -> str:
    """The one address of a data endpoint (DATA_URL_NAMES), whatever the page's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(f"directory:{name}", args=args or None, kwargs=kwargs or None)


@contextmanager
def original_language():
    """Writes of translated fields inside this block go to the original (English)
    column, whatever language the person writing reads the site in."""
    with translation.override(settings.LANGUAGE_CODE):
        yield
