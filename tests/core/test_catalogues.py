"""The translation catalogues: each compiles, a shipped language's is complete with the
placeholders of its originals, and only complete languages are offered."""

import os
import shutil
import subprocess

import polib
import pytest
from django.conf import settings

from directory.core import languages

CATALOGUES = [
    languages.catalogue_path(code, domain)
    for code, _name in settings.LANGUAGES
    if code != settings.LANGUAGE_CODE
    for domain in languages.DOMAINS
]


@pytest.mark.parametrize(
    "path", CATALOGUES, ids=lambda path: f"{path.parent.parent.name}/{path.name}"
)
def test_each_catalogue_exists_and_compiles(path, tmp_path):
    assert path.is_file(), f"{path} is missing: run `make messages`"
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        # CI installs GNU gettext (.ci/run sets REQUIRE_MSGFMT); on a new machine the
        # polib checks below still run, and `make compile` builds with polib.
        if os.environ.get("REQUIRE_MSGFMT"):
            pytest.fail("msgfmt (GNU gettext) is needed: apt-get install gettext")
        pytest.skip("msgfmt (GNU gettext) is not installed: apt-get install gettext")
    result = subprocess.run(
        [msgfmt, "--check", "--output-file", str(tmp_path / "out.mo"), str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("code", languages.SHIPPED)
def test_a_shipped_language_has_every_message_translated(code):
    assert languages.catalogue_gaps(code) == []


def test_every_shipped_language_is_offered():
    assert set(languages.SHIPPED) <= set(languages.complete_languages())


def _entry(msgid, msgstr, *, flag="python-format", **extra):
    return polib.POEntry(msgid=msgid, msgstr=msgstr, flags=[flag], **extra)


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (_entry("There is no page %(page)s.", "No hay página."), True),
        (_entry("There is no page %(page)s.", "No hay página %(pagina)s."), True),
        (_entry("There is no page %(page)s.", "No existe la página %(page)s."), False),
        (_entry("{field} in {language}", "{field} en {idioma}", flag="python-brace-format"), True),
        (
            _entry("{field} in {language}", "{field} en {language}", flag="python-brace-format"),
            False,
        ),
        (_entry("100% sure", "Seguro al 100%", flag="no-python-format"), False),
    ],
)
def test_placeholders_must_match_the_original(entry, problem):
    assert bool(languages.placeholder_problems(entry)) is problem


def test_a_plural_may_leave_out_the_count_but_add_no_placeholder():
    entry = polib.POEntry(
        msgid="%(count)s listing",
        msgid_plural="%(count)s listings",
        msgstr_plural={0: "条目"},
        flags=["python-format"],
    )
    assert languages.placeholder_problems(entry) == []
    entry.msgstr_plural = {0: "%(total)s 条目"}
    assert languages.placeholder_problems(entry)


def _write_catalogue(folder, code, entries):
    for domain in languages.DOMAINS:
        catalogue = polib.POFile()
        catalogue.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
        for entry in entries if domain == "django" else []:
            catalogue.append(entry)
        path = folder / code / "LC_MESSAGES" / f"{domain}.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        catalogue.save(str(path))


def test_only_a_complete_catalogue_makes_a_language_offered(settings, tmp_path):
    settings.LOCALE_PATHS = [tmp_path]
    _write_catalogue(tmp_path, "es", [polib.POEntry(msgid="Map", msgstr="Mapa")])
    _write_catalogue(tmp_path, "fr", [polib.POEntry(msgid="Map", msgstr="")])
    _write_catalogue(tmp_path, "ko", [polib.POEntry(msgid="Map", msgstr="지도", flags=["fuzzy"])])
    languages.complete_languages.cache_clear()
    try:
        assert languages.complete_languages() == ("en", "es")
        assert any("untranslated" in gap for gap in languages.catalogue_gaps("fr"))
        assert any("fuzzy" in gap for gap in languages.catalogue_gaps("ko"))
        assert languages.catalogue_gaps("vi")[0].endswith("missing")
    finally:
        languages.complete_languages.cache_clear()
