"""Text that people type: plain text only, everywhere it is accepted.

Two rules for every text field, public forms, the admin and the spreadsheet import
alike (`text_rule(field)` picks the rule by the model field's type):

- **All text** (`validate_text`): no control characters except line breaks and tabs,
  no text-direction overrides or embeddings (they make text read in another order than
  it is stored: "Trojan Source"), nothing that is not a character.
- **Single-line text** (`validate_single_line`), every CharField such as a name, a city
  or a phone number: also no line breaks or tabs, and no invisible characters (zero-width
  spaces and joiners, soft hyphens, direction marks, byte-order marks), which make two
  names look the same while they differ. The zero-width joiner and non-joiner stay
  allowed where a script needs them (after a virama in Indic scripts, between joining
  letters in Persian), as IDNA's rules (RFC 5892, through the `idna` package) define.

Public forms also refuse HTML tags and more than a few web addresses in free text.
`confusable_skeleton` tells names apart as a reader would (Unicode TR39).
"""

import functools
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy
from idna.core import valid_contextj

# A "<" directly followed by a letter, "/", "!" or "?" starts a tag in HTML; "a < b"
# and "<3" do not, so they stay allowed.
_HTML_TAG = re.compile(r"<[a-zA-Z!?/]")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")
_LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
# Explicit embeddings, overrides and isolates (not the plain direction marks).
_BIDI_CONTROLS = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")
_LINE_BREAKS = re.compile(r"[\n\r\t\x0b\x0c\x85\u2028\u2029]")
_JOINERS = {"\u200c", "\u200d"}  # zero-width non-joiner and joiner


def _describe(character: str) -> str:
    name = unicodedata.name(character, "")
    return f"U+{ord(character):04X} {name}".strip()


def _refuse_unreadable(value: str, character: str) -> None:
    raise ValidationError(
        gettext_lazy(
            "This contains a character that cannot be seen or that changes how text "
            "reads (%(character)s), often pasted from another document. Please retype it."
        ),
        code="invisible_characters",
        params={"character": _describe(character)},
    )


def validate_text(value: str) -> None:
    """Any text, one line or several."""
    value = value or ""
    for pattern in (CONTROL_CHARACTERS, _BIDI_CONTROLS, _SURROGATES):
        found = pattern.search(value)
        if found:
            _refuse_unreadable(value, found.group())


def validate_single_line(value: str) -> None:
    """A name, a city, a phone number: one line of visible text."""
    value = value or ""
    if _LINE_BREAKS.search(value):
        raise ValidationError(
            gettext_lazy("Please keep this on one line: remove the line breaks and tabs."),
            code="line_break",
        )
    validate_text(value)
    for position, character in enumerate(value):
        if unicodedata.category(character) != "Cf":
            continue
        if character in _JOINERS and valid_contextj(value, position):
            continue
        _refuse_unreadable(value, character)


def text_rule(field: models.Field):
    """The rule for a model field's text: single-line for a CharField (names, addresses,
    slugs, emails, web addresses), any text for a TextField."""
    return validate_text if isinstance(field, models.TextField) else validate_single_line


def validate_plain_text(value: str) -> None:
    """No HTML tags and no control characters: the public forms' free text."""
    if _HTML_TAG.search(value or ""):
        raise ValidationError(
            gettext_lazy(
                "Please write plain text, without HTML tags such as <b> or <a>. "
                "Remove the angle brackets < >."
            ),
            code="html",
        )
    validate_text(value)


def validate_few_links(value: str) -> None:
    """At most CONTRIBUTION_MAX_LINKS web addresses in a free-text field."""
    limit = settings.CONTRIBUTION_MAX_LINKS
    count = len(_LINK.findall(value or ""))
    if count > limit:
        raise ValidationError(
            gettext_lazy(
                "Please include at most %(limit)d web addresses here (this has %(count)d)."
            ),
            code="too_many_links",
            params={"limit": limit, "count": count},
        )


# Confusable skeletons ----------------------------------------------------------------


@functools.cache
def _prototypes() -> dict[str, str]:
    """Each confusable character's prototype, from Unicode's confusables.txt (UTS #39) as
    confusable_homoglyphs ships it. The package keeps every pair in both directions; in
    its data each class is a star, a prototype with the characters that look like it,
    so the prototype is the member paired with more than one. In a class of two either
    can stand for both; the one that sorts first does."""
    # Imported here: the 900 KB table loads only when names are compared.
    from confusable_homoglyphs.confusables import confusables_data

    neighbours = {
        character: {entry["c"] for entry in entries}
        for character, entries in confusables_data.items()
        if len(character) == 1
    }
    prototypes = {}
    for character, others in neighbours.items():
        if len(others) == 1:
            (other,) = others
            if len(neighbours.get(other, ())) > 1 or len(other) > 1 or other < character:
                prototypes[character] = other
    return prototypes


def _as_read(character: str, *, ascii_too: bool) -> str:
    """What a reader takes the character for, without case."""
    prototypes = _prototypes()
    if character.isascii() and not ascii_too:
        return character.casefold()
    seen = character if character.isascii() else prototypes.get(character, character)
    if seen == "l" and character.isupper():
        # UTS #39 puts capital I (and its look-alikes) with l; compared without case,
        # it is an i.
        seen = "I"
    folded = seen.casefold()
    if not ascii_too:
        return folded
    return "".join(prototypes.get(part, part) for part in folded).casefold()


def _skeleton(value: str, *, ascii_too: bool) -> str:
    decomposed = unicodedata.normalize("NFKD", value or "")
    read = "".join(
        _as_read(character, ascii_too=ascii_too)
        for character in decomposed
        if unicodedata.category(character) != "Cf"  # invisible: not read at all
    )
    return unicodedata.normalize("NFKD", read)


def confusable_skeleton(value: str) -> str:
    """The text as a reader sees it, for comparing (UTS #39 section 4, without case):
    "Takoma" spelled with a Cyrillic capital Te, with a zero-width space inside, or as
    "TAKOMA" has one skeleton, and so do "C0-op" and "Co-op". Not for display."""
    return _skeleton(value, ascii_too=True)


def resolve_lookalikes(value: str) -> str:
    """The text without case and invisible characters, with every non-ASCII character
    that looks like an ASCII one replaced by it ("Takoma" spelled with a Cyrillic
    capital Te becomes "takoma"); ASCII stays as typed. What to search stored names
    with."""
    return _skeleton(value, ascii_too=False)
