"""The import and export columns, and the template organizers start from."""

from tablib import Dataset

from directory.listings import schema

ORGANIZATION_COLUMNS = [
    "slug",
    *schema.names(schema.ORGANIZATION_FIELDS, importable=True),
    "source",
    "last_verified",
    "internal_contact_name",
    "internal_contact_email",
    "internal_contact_phone",
]
# The primary location's columns: its public fields, its label and its point.
LOCATION_COLUMNS = [
    "location_label",
    *schema.names(schema.LOCATION_FIELDS, importable=True),
    "latitude",
    "longitude",
]
# When the row was exported, so a re-import knows what changed since (see diff).
VERSION_COLUMN = "version"
COLUMNS = [*ORGANIZATION_COLUMNS, *LOCATION_COLUMNS, VERSION_COLUMN]
# Column name -> Location attribute, where they differ.
LOCATION_ATTRIBUTES = {"location_label": "label"}
# Location columns found from the ZIP code when left empty: empty means "work it out".
DERIVED_LOCATION_COLUMNS = {"city", "state", "latitude", "longitude"}

TEMPLATE_EXAMPLE = {
    "name": "Example Bakery Workers Cooperative",
    "type": "worker-cooperative",
    "status": "draft",
    "summary": "A worker-owned bakery. Delete this example row before importing.",
    "website": "https://example.org",
    "email": "hello@example.org",
    "phone": "(202) 555-0143",
    "year_founded": "2019",
    "membership_model": "workers",
    "accepting_members": "unknown",
    "limited_equity": "0",
    "languages": "en;es",
    "sectors": "food",
    "service_area": "11001",
    "source": "Phone call with the co-op",
    "last_verified": "2026-01-15",
    "location_label": "Bakery",
    "street_address": "100 Example St NW",
    "city": "Washington",
    "state": "DC",
    "zip_code": "20001",
    "precision": "exact",
}


def column_label(column: str) -> str:
    if column in schema.BY_NAME:
        return schema.field(column).label
    return column.replace("_", " ")


def import_template_dataset() -> Dataset:
    """Headers and one example row: the file organizers download to start an import."""
    dataset = Dataset(headers=COLUMNS)
    dataset.append([TEMPLATE_EXAMPLE.get(column, "") for column in COLUMNS])
    return dataset
