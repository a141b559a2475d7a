"""The public fields of a listing, declared once.

Every surface that shows or takes a listing's public details reads this list: the
public suggestion forms and the organizers' review (what can be proposed, the diff),
the JSON API (its selectors and representation), the CSV export and the organizations
GeoJSON, the spreadsheet import and the admin's fieldsets. Each surface may add its own
extras (the API's links, the CSV's coordinates and licence, the admin's internal
fields); none lists the public fields again.

To add a public field: add the model field (and its migration), then one PublicField
below. Public formats stay stable for partners: a field added after the first version
(`added` > 1) comes after every earlier column of the CSV and key of the API.

Only what a visitor may see belongs here. Internal fields (`source`, `internal_*`) and
the lifecycle's dates are the admin's own; what the public sees of a location's
address and point is decided by directory.listings.privacy, not here.
"""

from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils.text import capfirst, format_lazy
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from directory.listings.privacy import ADDRESS_FIELDS
from directory.models import Location, Organization

# Kinds of field, as the surfaces treat them.
TEXT, LONG_TEXT, NUMBER, BOOLEAN, CHOICE, TYPE, RELATION, LINKS = (
    "text",
    "long_text",
    "number",
    "boolean",
    "choice",
    "type",
    "relation",
    "links",
)


@dataclass(frozen=True)
class PublicField:
    """One public field of an organization or of its primary location.

    group: the admin fieldset it belongs to ("identity", "about", "membership").
    row: fields of one group sharing a row key share a line in the admin.
    proposable: the public may suggest a value (suggest-edit form, review page).
    asked_for_new: the "suggest a listing" form asks for it.
    csv: the CSV export has a column for it (the organizations GeoJSON has a property
        for every API field either way).
    api: the JSON API and the organizations GeoJSON show it.
    importable: the spreadsheet import reads it.
    added: the version of the public formats that introduced it (see above).
    """

    name: str
    group: str = "about"
    row: str = ""
    proposable: bool = True
    asked_for_new: bool = False
    csv: bool = False
    api: bool = True
    importable: bool = True
    added: int = 1
    on_location: bool = False
    # For a translation column (summary_es): its language code ("es") and the field.
    language: str = ""
    translates: str = ""

    @cached_property
    def model_field(self):
        model = Location if self.on_location else Organization
        if self.kind == LINKS:
            return None
        return model._meta.get_field(self.name)

    @property
    def kind(self) -> str:
        if self.name == "social_links":
            return LINKS
        field = (Location if self.on_location else Organization)._meta.get_field(self.name)
        if field.many_to_many:
            return RELATION
        if field.is_relation:
            return TYPE
        if field.choices:
            return CHOICE
        if isinstance(field, models.BooleanField):
            return BOOLEAN
        if isinstance(field, models.IntegerField):
            return NUMBER
        if isinstance(field, models.TextField):
            return LONG_TEXT
        return TEXT

    @property
    def label(self) -> str:
        if self.translates:
            return capfirst(
                str(
                    format_lazy(
                        _("{field} in {language}"),
                        field=BY_NAME[self.translates].label,
                        language=get_language_info(self.language)["name_translated"],
                    )
                )
            )
        return str(self.model_field.verbose_name) if self.model_field else self.name

    @property
    def natural_key(self) -> str:
        """For a relation: the field of the related model that names a row ("code")."""
        return self.model_field.related_model._default_manager.natural_key_field


ORGANIZATION_FIELDS: tuple[PublicField, ...] = (
    PublicField("name", group="identity", asked_for_new=True, csv=True),
    PublicField("type", group="identity", asked_for_new=True, csv=True),
    # Always "published" wherever it is shown; organizers set it in the admin and import.
    PublicField("status", group="identity", proposable=False, csv=True, api=False),
    PublicField("summary", asked_for_new=True, csv=True),
    PublicField("description"),
    PublicField("website", row="contact", asked_for_new=True, csv=True),
    PublicField("email", row="contact", asked_for_new=True, csv=True),
    PublicField("phone", row="contact", asked_for_new=True, csv=True),
    PublicField("social_links", proposable=False, importable=False),
    PublicField("year_founded", row="numbers", csv=True),
    PublicField("membership_model", group="membership", row="membership", csv=True),
    PublicField("how_to_join", group="membership", asked_for_new=True),
    PublicField("eligibility", group="membership"),
    PublicField("accepting_members", group="membership", row="membership", csv=True),
    PublicField("member_count", row="numbers"),
    PublicField("limited_equity", group="membership"),
    PublicField("languages", asked_for_new=True, csv=True),
    PublicField("sectors", asked_for_new=True, csv=True),
    PublicField("service_area", asked_for_new=True, csv=True),
)

# Public texts that may also be given in each other shipped language (the English field
# is the original; directory.models.translation adds one column per language). The
# public forms offer only the page language's columns; the admin, the import and the
# review of suggestions carry them all. Not in the API or the CSV (yet): partners get
# the original.
TRANSLATED = ("summary", "how_to_join", "eligibility")
TRANSLATION_LANGUAGES = tuple(
    code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE
)


def translation_name(name: str, language: str) -> str:
    """summary, es -> summary_es; how_to_join, zh-hans -> how_to_join_zh_hans."""
    return f"{name}_{language.replace('-', '_')}"


ORGANIZATION_FIELDS += tuple(
    PublicField(
        translation_name(name, language),
        group="translations",
        asked_for_new=name != "eligibility",
        api=False,
        added=2,
        language=language,
        translates=name,
    )
    for language in TRANSLATION_LANGUAGES
    for name in TRANSLATED
)

LOCATION_FIELDS: tuple[PublicField, ...] = (
    PublicField("street_address", on_location=True, asked_for_new=True, csv=True),
    PublicField("city", on_location=True, csv=True),
    # Follows from the ZIP code, so nobody proposes it.
    PublicField("state", on_location=True, proposable=False, csv=True),
    PublicField("zip_code", on_location=True, asked_for_new=True, csv=True),
    PublicField("precision", on_location=True, asked_for_new=True),
    PublicField("hours", on_location=True),
    PublicField("accessibility", on_location=True),
)

BY_NAME = {field.name: field for field in (*ORGANIZATION_FIELDS, *LOCATION_FIELDS)}


def field(name: str) -> PublicField:
    return BY_NAME[name]


def names(fields, **conditions) -> list[str]:
    """The names of the fields whose attributes match, in declared order:
    names(ORGANIZATION_FIELDS, proposable=True)."""
    return [
        item.name
        for item in fields
        if all(getattr(item, key) == value for key, value in conditions.items())
    ]


# What the public may propose for a listing, and what the suggest-a-listing form asks.
PROPOSABLE = names((*ORGANIZATION_FIELDS, *LOCATION_FIELDS), proposable=True)
PROPOSABLE_ORGANIZATION = names(ORGANIZATION_FIELDS, proposable=True)
PROPOSABLE_LOCATION = names(LOCATION_FIELDS, proposable=True)
ASKED_FOR_NEW = names((*ORGANIZATION_FIELDS, *LOCATION_FIELDS), asked_for_new=True)
RELATIONS = names(ORGANIZATION_FIELDS, kind=RELATION)
# Location fields the public sees only when the location's precision is exact.
HIDDEN_UNLESS_EXACT = set(ADDRESS_FIELDS)


def translations_for(language: str, fields=ORGANIZATION_FIELDS) -> list[str]:
    """The translation columns of one language, in declared order (none for English)."""
    return [item.name for item in fields if item.language == language]


def is_translation(name: str) -> bool:
    item = BY_NAME.get(name)
    return item is not None and bool(item.translates)


def scalar_names(fields=ORGANIZATION_FIELDS, **conditions) -> list[str]:
    """Fields stored in the row itself (no relation, no links)."""
    return [
        name for name in names(fields, **conditions) if field(name).kind not in (RELATION, LINKS)
    ]


def admin_fieldset_fields(group: str) -> list:
    """The admin fieldset lines for a group: names, with fields sharing a row key
    together on one line, where the first of them stands."""
    lines: list = []
    rows: dict[str, list] = {}
    for item in ORGANIZATION_FIELDS:
        if item.group != group or item.kind == LINKS:
            continue
        if not item.row:
            lines.append(item.name)
        elif item.row in rows:
            rows[item.row].append(item.name)
        else:
            rows[item.row] = [item.name]
            lines.append(rows[item.row])
    return [tuple(line) if isinstance(line, list) else line for line in lines]
