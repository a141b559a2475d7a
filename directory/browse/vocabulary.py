"""The words search understands: synonyms, language names and spelling correction.

A query is read as a list of *terms*; each term is a tuple of alternatives (a word or a
phrase), any one of which may match. "food bank" is one term whose alternatives include
"pantry"; "español" is one term whose alternatives are the names of Spanish in the
languages the region speaks, so it finds every listing whose languages include Spanish.
Text is compared lower case with accents folded (directory.listings.search_index) and
the spellings of co-op folded to "coop".

When a query finds nothing, `correct()` replaces each word that is not a word of the
directory (names, cities, types, sectors, languages, the synonyms below) with the
nearest one by edit distance, for search to retry ("Showing results for ...") or to
offer ("Did you mean ...?").
"""

import bisect
import re
from collections import Counter
from dataclasses import dataclass

from django.db import connections
from django.db.models import Count, F, Func, Value

from directory.core.cache import data_version, remember
from directory.listings.privacy import searchable_place
from directory.listings.search_index import fold_accents
from directory.models import Language, Location, Organization, OrganizationType, Sector

MAX_TERMS = 8
COOP_PATTERN = re.compile(r"\bco-?op(?:erative)?s?\b", re.IGNORECASE)
WORD = re.compile(r"\w+")
# The words a vocabulary keeps: letters only (numbers are never corrected).
LETTERS = re.compile(r"[^\W\d_]{2,}")

# Each group: spellings that mean the same to a person searching. Phrases are fine.
SYNONYMS = [
    ("coop", "co-op", "co op"),
    ("bakery", "bakeries", "bread", "baker", "bakers"),
    ("food bank", "food banks", "food pantry", "pantry", "pantries", "food shelf"),
    ("grocery", "groceries", "grocer", "food store"),
    ("credit union", "credit unions", "cu", "fcu"),
    ("child care", "childcare", "daycare", "day care"),
    ("land trust", "land trusts", "clt"),
    ("loan fund", "loan funds", "community lender", "cdfi"),
    ("mutual aid", "ayuda mutua"),
    ("housing", "vivienda", "homes"),
    ("farm", "farms", "farmers", "agriculture"),
    ("bike", "bikes", "bicycle", "bicycles"),
    ("clinic", "health"),
]

# The names of each language (by its code in the Language table) in English, in the
# language itself (with and without accents) and in Spanish, as people type them.
LANGUAGE_NAMES = {
    "en": ("english", "ingles", "inglés"),
    "es": ("spanish", "español", "espanol", "castellano"),
    "ase": ("american sign language", "sign language", "asl", "lengua de señas"),
    "am": ("amharic", "አማርኛ", "amarico", "amárico"),
    "ar": ("arabic", "عربي", "العربية", "arabe", "árabe"),
    "bn": ("bengali", "bangla", "বাংলা"),
    "zh": ("chinese", "mandarin", "cantonese", "中文", "普通话", "chino"),
    "fa": ("persian", "farsi", "فارسی"),
    "fr": ("french", "français", "francais", "frances", "francés"),
    "ht": ("haitian creole", "kreyol", "kreyòl", "creole", "criollo haitiano"),
    "hi": ("hindi", "हिन्दी"),
    "ko": ("korean", "한국어", "coreano"),
    "pt": ("portuguese", "português", "portugues"),
    "ru": ("russian", "русский", "ruso"),
    "so": ("somali", "soomaali"),
    "tl": ("tagalog", "filipino"),
    "ti": ("tigrinya", "ትግርኛ"),
    "ur": ("urdu", "اردو"),
    "vi": ("vietnamese", "tiếng việt", "tieng viet", "vietnamita"),
}


def normalize(text: str) -> str:
    """Lower case, accents folded, co-op spellings as "coop"."""
    return COOP_PATTERN.sub("coop", fold_accents(text.lower()))


def _words(text: str) -> tuple[str, ...]:
    return tuple(WORD.findall(normalize(text)))


def _groups() -> dict[tuple[str, ...], tuple[str, ...]]:
    """Each spelling (as normalized words) to its group's alternatives."""
    index = {}
    for group in [*SYNONYMS, *LANGUAGE_NAMES.values()]:
        alternatives = tuple(dict.fromkeys(" ".join(_words(spelling)) for spelling in group))
        for alternative in alternatives:
            index[tuple(alternative.split())] = alternatives
    return index


GROUPS = _groups()
LONGEST_PHRASE = max(len(words) for words in GROUPS)
KNOWN_SPELLINGS = {alternative for group in GROUPS.values() for alternative in group}


def parse_query(query: str) -> list[tuple[str, ...]]:
    """The query's terms, each a tuple of alternatives: synonyms and language names
    expanded, punctuation dropped (nothing typed reaches a query syntax), one-letter
    words ignored, at most MAX_TERMS."""
    words = list(_words(query))
    terms = []
    position = 0
    while position < len(words) and len(terms) < MAX_TERMS:
        for size in range(min(LONGEST_PHRASE, len(words) - position), 0, -1):
            phrase = tuple(words[position : position + size])
            if phrase in GROUPS:
                terms.append(GROUPS[phrase])
                position += size
                break
        else:
            word = words[position]
            if len(word) > 1:
                terms.append((word,))
            position += 1
    return terms


def as_written(alternatives: tuple[str, ...]) -> tuple[str, ...]:
    """The alternatives as they may be written in stored text that is not folded (SQLite's
    index): "coop" is also "co-op" there."""
    if "coop" in alternatives:
        return ("co-op", *alternatives)
    return alternatives


@dataclass(frozen=True)
class Correction:
    text: str
    # Every changed word is within AUTO_DISTANCE: search may show its results at once.
    confident: bool


def _distance(first: str, second: str, limit: int) -> int:
    """Edit distance with adjacent swaps (optimal string alignment), or limit + 1 when
    it exceeds the limit."""
    if abs(len(first) - len(second)) > limit:
        return limit + 1
    previous_previous = None
    previous = list(range(len(second) + 1))
    for i, first_char in enumerate(first, 1):
        current = [i] + [0] * len(second)
        for j, second_char in enumerate(second, 1):
            cost = first_char != second_char
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if (
                previous_previous is not None
                and i > 1
                and j > 1
                and first_char == second[j - 2]
                and first[i - 2] == second_char
            ):
                current[j] = min(current[j], previous_previous[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous_previous, previous = previous, current
    return previous[-1]


def _trigrams(word: str) -> set[str]:
    padded = f"#{word}#"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def allowed_distance(word: str) -> int:
    """How far a word may be from its correction: none below 4 letters, one edit up to 7,
    two from 8 (a suggestion may go one further from 5 letters)."""
    if len(word) < 4:
        return 0
    return 1 if len(word) < 8 else 2


def suggested_distance(word: str) -> int:
    return allowed_distance(word) + (1 if len(word) >= 5 else 0)


class Vocabulary:
    """The directory's words with their frequency and a trigram index to find the
    nearest ones fast."""

    def __init__(self, counts: Counter):
        self.counts = counts
        self.sorted_words = sorted(counts)
        self.by_trigram: dict[str, list[str]] = {}
        for word in counts:
            for trigram in _trigrams(word):
                self.by_trigram.setdefault(trigram, []).append(word)

    def knows(self, word: str) -> bool:
        """A word of the directory, or the beginning of one (a word being typed)."""
        position = bisect.bisect_left(self.sorted_words, word)
        return position < len(self.sorted_words) and self.sorted_words[position].startswith(word)

    def nearest(self, word: str, limit: int) -> tuple[str, int] | None:
        """The most frequent word at the smallest distance within limit."""
        if limit <= 0:
            return None
        shared = Counter()
        for trigram in _trigrams(word):
            shared.update(self.by_trigram.get(trigram, ()))
        best = None
        for candidate, _count in shared.most_common(200):
            distance = _distance(word, candidate, limit)
            if distance <= limit:
                key = (distance, -self.counts[candidate], candidate)
                if best is None or key < best:
                    best = key
        return (best[2], best[0]) if best else None


def correct(query: str, vocabulary: "Vocabulary") -> Correction | None:
    """The query with unknown words replaced by the nearest known ones, or None when no
    word could be corrected."""
    words = WORD.findall(fold_accents(query.lower()))
    corrected, confident, changed = [], True, False
    for word in words[: MAX_TERMS * LONGEST_PHRASE]:
        if word.isdigit() or vocabulary.knows(word) or normalize(word) in KNOWN_SPELLINGS:
            corrected.append(word)
            continue
        nearest = vocabulary.nearest(word, suggested_distance(word))
        if nearest is None:
            corrected.append(word)
            continue
        replacement, distance = nearest
        corrected.append(replacement)
        changed = True
        confident = confident and distance <= allowed_distance(word)
    if not changed:
        return None
    return Correction(" ".join(corrected), confident)


_BUILT: dict[tuple[str, str], Vocabulary] = {}


def vocabulary_for(using: str) -> Vocabulary:
    """The vocabulary of the published directory at the current data version: this
    process's copy, else one built from the word counts in the shared cache (another
    process may have counted them), else counted from the database and kept there."""
    version = data_version()
    key = (using, version.token if version else "")
    vocabulary = _BUILT.get(key) if version else None
    if vocabulary is None:
        counts = remember(
            "search-vocabulary", {"database": using}, lambda: word_counts(using), version=version
        )
        vocabulary = Vocabulary(counts)
        _BUILT.clear()  # one version at a time: older ones are never asked for again
        if version:
            _BUILT[key] = vocabulary
    return vocabulary


def _words_of(texts) -> Counter:
    # One regular expression over all the text at once: about ten times faster than one
    # call per name at 100,000 names.
    return Counter(LETTERS.findall(fold_accents("\n".join(texts).lower())))


def _name_words(published) -> Counter:
    """The words of the published listings' names, each counted as often as it occurs."""
    if connections[published.db].vendor != "postgresql":
        return _words_of(published.values_list("name", flat=True).order_by())
    # PostgreSQL groups the names that differ only in their numbers ("Harbor Bakery 12",
    # "Harbor Bakery 13"), so each text travels once with how many names read so. A run
    # of digits becomes a space: digits are never part of a word, so the words are the
    # same as in the names themselves.
    rows = (
        published.annotate(
            words=Func(
                F("name"), Value("[0-9]+"), Value(" "), Value("g"), function="regexp_replace"
            )
        )
        .values("words")
        .annotate(names=Count("pk"))
        .order_by()
        .values_list("words", "names")
    )
    counts = Counter()
    for text, names in rows:
        for word in LETTERS.findall(fold_accents(text.lower())):
            counts[word] += names
    return counts


def word_counts(using: str) -> Counter:
    """How often each word of the directory occurs: in published names (every time),
    public cities (once each), types, sectors, languages and the synonyms."""
    published = Organization.objects.using(using).published()
    counts = _name_words(published)
    public_places = (
        Location.objects.using(using)
        .filter(searchable_place(), organization__in=published)
        .values_list("city", flat=True)
        .order_by()
        .distinct()
    )
    counts.update(_words_of(public_places))
    references = []
    for model, fields in (
        (OrganizationType, ("name", "plural")),
        (Sector, ("name",)),
        (Language, ("name",)),
    ):
        for values in model.objects.using(using).values_list(*fields):
            references.extend(values)
    references.extend(
        spelling for group in [*SYNONYMS, *LANGUAGE_NAMES.values()] for spelling in group
    )
    counts.update(_words_of(references))
    return counts
