"""Helpers for the interface-language tests: which languages are offered, and the
English interface sentences left on a rendered page."""

import re
from html.parser import HTMLParser

import polib
from django.conf import settings

from directory.core import languages

# Interface messages that read the same in English and in the languages shipped (names,
# the brand, codes). A message listed here may appear verbatim on a translated page.
SAME_IN_EVERY_LANGUAGE = {
    "CSV",
    "JSON",
    "GeoJSON",
    "API",
    "OpenStreetMap",
    "ZIP",
    # The brand, and the Census name of a jurisdiction in the county lists.
    "Solidarity Economy Directory",
    "District of Columbia",
}
_CODE = re.compile(r"<code>.*?</code>", re.S)


def offer(monkeypatch, *codes: str) -> None:
    """Make the site offer these languages (English always), whatever the catalogues
    on disk say."""
    offered = tuple(code for code, _name in settings.LANGUAGES if code == "en" or code in codes)
    monkeypatch.setattr(languages, "complete_languages", lambda: offered)


class _VisibleText(HTMLParser):
    """The text a person reads: no scripts, styles or templates, and no code samples
    (the API answers in English whatever the page's language, and its documentation
    quotes it); attribute texts people hear or see (alt, title, placeholder,
    aria-label) included."""

    HIDDEN = {"script", "style", "template", "pre", "code"}
    SPOKEN_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self._hidden += 1
        for name, value in attrs:
            if name in self.SPOKEN_ATTRIBUTES and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


_PLACEHOLDER = re.compile(r"%\([^)]+\)[sd]|%[sd]|\{[^}]*\}|<[^>]+>")


def english_sentences() -> set[str]:
    """The interface's English messages long enough to be a sentence of the interface,
    each cut at its placeholders and markup, from the catalogue's msgids."""
    catalogue = polib.pofile(str(languages.catalogue_path("es")))
    sentences = set()
    for entry in catalogue:
        # Code quoted in a message (<code>304 Not Modified</code>) is not translated.
        for piece in _PLACEHOLDER.split(_CODE.sub(" ", entry.msgid)):
            piece = re.sub(r"\s+", " ", piece).strip(" .,:;()")
            if len(piece) >= 12 and " " in piece and piece not in SAME_IN_EVERY_LANGUAGE:
                sentences.add(piece)
    return sentences


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class _SpokenAttributes(HTMLParser):
    """The values of the attributes people hear or see (aria-label, title, placeholder,
    alt), outside code samples and elements marked as English (lang="en")."""

    def __init__(self):
        super().__init__()
        self.values: list[str] = []
        self._english: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag not in _VOID and attributes.get("lang") == "en":
            self._english.append(tag)
        if self._english:
            return
        for name, value in attrs:
            if name in _VisibleText.SPOKEN_ATTRIBUTES and value and value.strip():
                self.values.append(value.strip())

    def handle_endtag(self, tag):
        if self._english and self._english[-1] == tag:
            self._english.pop()


def english_attributes_left(html: str, code: str) -> list[str]:
    """Attribute texts (aria-label, title, placeholder, alt) that are an English message
    of the interface, word for word, on a page in a language that translates it
    differently. Unlike english_left, short labels count too ("Main", "Close")."""
    translated = {}
    for domain in ("django", "djangojs"):
        for entry in polib.pofile(str(languages.catalogue_path(code, domain))):
            if entry.msgstr and entry.msgstr != entry.msgid:
                translated[entry.msgid] = entry.msgstr
    parser = _SpokenAttributes()
    parser.feed(html)
    return sorted(
        {
            value
            for value in parser.values
            if value in translated and value not in SAME_IN_EVERY_LANGUAGE
        }
    )


def english_left(html: str) -> list[str]:
    """The English interface messages a rendered page still shows."""
    text = visible_text(html)
    return sorted(sentence for sentence in english_sentences() if sentence in text)
