"""Which texts exist in every shipped language (django-modeltranslation).

Each registered field gets one column per language (`summary_es`, `name_zh_hans`,
...); reading the field gives the active language's text, or the English original when
there is none yet (`directory.listings.translations` says which, so pages can note it).
The English column is the original: writes go through
`directory.core.languages.original_language()` so that no visitor's or organizer's
interface language decides which column a text lands in.

Querysets of registered models carry their Meta.ordering as an explicit order_by()
(modeltranslation sets it so that it can rewrite translated names), so a grouping
(`.values(...).annotate(Count(...))`) must start with `.order_by()`, as the selectors'
do; otherwise each group is split by the ordering field.
"""

from modeltranslation.translator import TranslationOptions, register

from directory.models.listings import Organization
from directory.models.reference import Language, OrganizationType, Sector


@register(OrganizationType)
class OrganizationTypeTranslation(TranslationOptions):
    fields = ("name", "plural", "description")


@register(Sector)
class SectorTranslation(TranslationOptions):
    fields = ("name",)


@register(Language)
class LanguageTranslation(TranslationOptions):
    fields = ("name",)


@register(Organization)
class OrganizationTranslation(TranslationOptions):
    fields = ("summary", "how_to_join", "eligibility")
