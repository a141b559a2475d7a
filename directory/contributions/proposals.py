"""Proposals: what a suggestion proposes, against what the listing shows, and applying it.

Every proposable field is a public field of directory.listings.schema, kept as a
JSON-friendly value: text, a number, a yes/no, a type's slug or a relation's natural
keys (language codes, sector slugs, FIPS codes), so a proposal is stored as it was typed
and applied later. What the public sees of the primary location's address comes from
directory.listings.privacy: a withheld address is never pre-filled in a public form.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from directory.contributions.fields import public_field
from directory.core.languages import original_language
from directory.listings import privacy, schema
from directory.listings.services import DELIBERATE_POINT_SOURCES, default_precision, locate
from directory.models import ChangeRequest, Location, Organization, Precision

ORGANIZATION_NAMES = schema.PROPOSABLE_ORGANIZATION
LOCATION_NAMES = schema.PROPOSABLE_LOCATION
ADDRESS_NAMES = schema.HIDDEN_UNLESS_EXACT


def _primary_location(organization: Organization) -> Location | None:
    return organization.locations.order_by("-is_primary", "pk").first()


def _related_keys(organization: Organization, item: schema.PublicField) -> list[str]:
    return sorted(getattr(organization, item.name).values_list(item.natural_key, flat=True))


def public_values(organization: Organization) -> tuple[dict, bool]:
    """The listing's proposable values as the public sees them, and whether its street
    address and ZIP code are public (they are withheld unless the precision is exact)."""
    values = {}
    for name in ORGANIZATION_NAMES:
        item = schema.field(name)
        if item.kind == schema.RELATION:
            values[name] = _related_keys(organization, item)
        elif item.kind == schema.TYPE:
            values[name] = getattr(getattr(organization, name), item.natural_key)
        else:
            values[name] = getattr(organization, name)
    location = _primary_location(organization)
    place = privacy.public_place(location) if location is not None else None
    for name in LOCATION_NAMES:
        if place is None:
            values[name] = Precision.EXACT if name == "precision" else ""
        else:
            values[name] = getattr(place, name)
    return values, place is None or place.shows_address


def _normalized(value):
    if isinstance(value, list | tuple):
        return sorted(str(item) for item in value)
    if value is None:
        return ""
    return value.strip() if isinstance(value, str) else value


def changed_values(current: dict, submitted: dict, *, address_public: bool) -> dict:
    """Only the fields whose submitted value differs from today's. An address the
    public cannot see counts as changed only when something was typed into it."""
    changed = {}
    for name, value in submitted.items():
        if name not in current:
            continue
        if not address_public and name in ADDRESS_NAMES and not value:
            continue
        if _normalized(value) != _normalized(current[name]):
            changed[name] = sorted(value) if isinstance(value, list) else value
    return changed


def _set_field(copy: Organization, item: schema.PublicField, value) -> None:
    with original_language():
        _set_value(copy, item, value)


def _set_value(copy: Organization, item: schema.PublicField, value) -> None:
    if item.kind == schema.TYPE:
        model = item.model_field.related_model
        related = model.objects.filter(**{item.natural_key: value}).first()
        if related is None:
            raise ValidationError({item.name: _("Choose a type from the list.")})
        setattr(copy, item.name, related)
    elif item.kind == schema.NUMBER:
        setattr(copy, item.name, None if value in ("", None) else int(value))
    elif item.kind == schema.BOOLEAN:
        setattr(copy, item.name, bool(value))
    elif item.kind == schema.CHOICE:
        allowed = [choice for choice, _label in item.model_field.choices]
        if value and value not in allowed:
            raise ValidationError({item.name: _("Choose one of the options in the list.")})
        setattr(copy, item.name, value or item.model_field.get_default())
    else:
        setattr(copy, item.name, value or "")


def new_organization(values: dict, **attributes) -> Organization:
    """An unsaved organization with the proposed values (relations aside) and
    `attributes`."""
    organization = Organization(**attributes)
    for name in ORGANIZATION_NAMES:
        item = schema.field(name)
        if name in values and item.kind != schema.RELATION:
            _set_field(organization, item, values[name])
    return organization


def _prepare(organization: Organization, values: dict) -> tuple[Organization, Location | None]:
    """A copy of the listing with the values set, and its primary location with the
    location values set (re-placed when the address changed), both unsaved and fully
    validated. Raises ValidationError keyed by field name."""
    copy = Organization.objects.select_related("type").get(pk=organization.pk)
    for name in ORGANIZATION_NAMES:
        item = schema.field(name)
        if name in values and item.kind != schema.RELATION:
            _set_field(copy, item, values[name])
    copy.full_clean(validate_unique=False)

    location = None
    location_values = {name: values[name] for name in LOCATION_NAMES if name in values}
    if location_values:
        location = _primary_location(copy) or Location(organization=copy, is_primary=True)
        changed = {
            name
            for name, value in location_values.items()
            if (value or "") != (getattr(location, name) or "")
        }
        for name, value in location_values.items():
            setattr(location, name, value or "")
        if not location.precision:
            location.precision = default_precision(copy.type if copy.type_id else None)
        if location.zip_code:
            # The one rule (directory.listings.services.locate): a new ZIP code brings
            # its city and county; the point follows the address unless an organizer
            # pinned it.
            locate(location, changed=changed)
        elif not location.state:
            raise ValidationError(
                {"zip_code": _("Add the ZIP code, so the location can be placed.")}
            )
        location.full_clean(exclude=["organization"])
    return copy, location


def validate_proposal(organization: Organization, values: dict) -> None:
    """Raise ValidationError (keyed by field) if these values cannot be applied."""
    _prepare(organization, values)


def set_relations(organization: Organization, values: dict) -> None:
    """Set the relations among `values` (natural keys) on a saved organization."""
    for name in ORGANIZATION_NAMES:
        item = schema.field(name)
        if item.kind == schema.RELATION and name in values:
            related = item.model_field.related_model.objects.filter(
                **{f"{item.natural_key}__in": values[name] or []}
            )
            getattr(organization, name).set(related)


def apply(organization: Organization, values: dict) -> Organization:
    """Write the values to the listing and its primary location (validated first)."""
    updated, location = _prepare(organization, values)
    updated.save()
    set_relations(updated, values)
    if location is not None:
        location.organization = updated
        location.save()
    return updated


def display_value(name: str, value) -> str:
    """A proposed or current value as organizers read it."""
    if value in (None, "", []):
        return ""
    item = schema.field(name)
    if item.kind in (schema.TYPE, schema.RELATION):
        model = item.model_field.related_model
        keys = value if item.kind == schema.RELATION else [value]
        names = dict(
            model.objects.filter(**{f"{item.natural_key}__in": keys}).values_list(
                item.natural_key, "name"
            )
        )
        return ", ".join(names.get(key, key) for key in keys)
    if item.kind == schema.BOOLEAN:
        return _("Yes") if value else _("No")
    if item.kind == schema.CHOICE:
        return str(dict(item.model_field.choices).get(value, value))
    return str(value)


@dataclass(frozen=True)
class DiffRow:
    field: str
    label: str
    current: str
    proposed: str
    informational: bool = False

    @property
    def changed(self) -> bool:
        return self.current != self.proposed


def field_label(name: str) -> str:
    return str(public_field(name).label)


def diff(change_request: ChangeRequest) -> list[DiffRow]:
    """Field by field, what the listing shows now and what the request proposes."""
    if change_request.organization is None:
        return []
    current, _address_public = public_values(change_request.organization)
    location = _primary_location(change_request.organization)
    if location is None:
        current = {name: value for name, value in current.items() if name not in LOCATION_NAMES}
    else:
        # An address withheld from the public is still shown to organizers.
        for name in ADDRESS_NAMES:
            current[name] = getattr(location, name)
    rows = [
        DiffRow(
            field=name,
            label=field_label(name),
            current=display_value(name, current.get(name)),
            proposed=display_value(name, value),
        )
        for name, value in change_request.proposed.items()
    ]
    if location is not None and ({"street_address", "zip_code"} & set(change_request.proposed)):
        rows.append(_point_row(location))
    return rows


def _point_row(location: Location) -> DiffRow:
    """What approving a new address does to the point on the map (locate's rule)."""
    if location.latitude is None:
        now = _("no point")
    else:
        source = location.get_point_source_display() or _("typed")
        now = f"{location.latitude:.5f}, {location.longitude:.5f} ({source})"
    if location.latitude is not None and location.point_source in DELIBERATE_POINT_SOURCES:
        proposed = _(
            "Kept where it was placed by hand: the new address does not move it. Move the "
            "pin on the listing's page if it should follow."
        )
    else:
        proposed = _("Placed again from the new address (street geocoder or ZIP code centre).")
    return DiffRow(
        field="", label=_("Point on the map"), current=now, proposed=proposed, informational=True
    )
