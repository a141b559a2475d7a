"""Which translated texts of a listing fall back to the original.

A page in Spanish shows `summary_es` when there is one and the English original when
there is none (django-modeltranslation's fallback); the page then says so next to the
text ("Shown in English: no translation yet"), so nobody mistakes the fallback for a
page left half-translated by accident.
"""

from django.conf import settings
from django.utils.translation import get_language

from directory.listings.schema import TRANSLATED, translation_name


def shown_in_original(instance, fields=TRANSLATED) -> dict[str, bool]:
    """{field: True} for each field whose text is the English original standing in for
    a missing translation in the active language; False where it is translated (or the
    page is in English, or there is no text at all)."""
    language = get_language() or settings.LANGUAGE_CODE
    flags = {}
    for field in fields:
        original = getattr(instance, translation_name(field, settings.LANGUAGE_CODE))
        translated = (
            original
            if language == settings.LANGUAGE_CODE
            else getattr(instance, translation_name(field, language), None)
        )
        flags[field] = bool(original) and not translated
    return flags
