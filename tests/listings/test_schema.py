"""Every public field declared in directory/listings/schema.py reaches every surface
that should carry it: the forms, the review, the admin, the import, the CSV, the
organizations GeoJSON and the JSON API."""

import pytest
from django.urls import reverse
from django.utils import translation

from directory.contributions.forms import SuggestEditForm, SuggestListingForm
from directory.listings import schema
from directory.listings.admin import OrganizationAdmin
from directory.listings.imports.export import OrganizationResource
from directory.partners.columns import API_ONLY_COLUMNS, COLUMNS_BY_NAME
from directory.partners.geojson import PROPERTY_COLUMNS
from directory.partners.serializers import OrganizationSerializer
from tests.support.factories import LocationFactory

pytestmark = pytest.mark.django_db

ALL_FIELDS = [*schema.ORGANIZATION_FIELDS, *schema.LOCATION_FIELDS]


def csv_names(item):
    if item.kind == schema.TYPE:
        return [f"{item.name}_slug", f"{item.name}_name"]
    return [item.name]


def admin_fields():
    names = set()
    for _title, options in OrganizationAdmin.fieldsets:
        for line in options["fields"]:
            names.update(line if isinstance(line, tuple) else [line])
    return names


@pytest.mark.parametrize("item", ALL_FIELDS, ids=lambda item: item.name)
def test_each_public_field_reaches_its_surfaces(item, client):
    organization = LocationFactory().organization
    # The public forms offer a translation on its language's pages only.
    with translation.override(item.language or "en"):
        if item.proposable:
            form = SuggestEditForm(
                organization=organization, current={}, address_public=True, label_suffix=""
            )
            assert item.name in form.fields
        if item.asked_for_new:
            assert item.name in SuggestListingForm().fields
    if item.importable:
        headers = OrganizationResource().get_export_headers()
        assert item.name in headers
    if item.csv:
        assert all(name in COLUMNS_BY_NAME for name in csv_names(item))
    if item.on_location:
        return
    if item.kind != schema.LINKS:
        assert item.name in admin_fields()
    if item.api:
        assert item.name in OrganizationSerializer.Meta.fields
        detail = client.get(
            reverse("directory:api-organization-detail", args=[organization.slug])
        ).json()
        assert item.name in detail
        if item.kind != schema.LINKS:
            geojson_properties = {column.name for column in PROPERTY_COLUMNS}
            assert set(csv_names(item)) <= geojson_properties
    else:
        assert item.name not in OrganizationSerializer.Meta.fields


def test_the_api_only_columns_are_the_public_fields_without_a_csv_column():
    assert [column.name for column in API_ONLY_COLUMNS] == [
        item.name
        for item in schema.ORGANIZATION_FIELDS
        if item.api and not item.csv and item.kind != schema.LINKS
    ]


@pytest.mark.parametrize("language", ["en", "es", "zh-hans"])
def test_the_public_forms_offer_translations_in_the_page_language_only(language):
    with translation.override(language):
        offered = {name for name in SuggestListingForm().fields if schema.is_translation(name)}
    assert offered == set(schema.translations_for(language)) & set(schema.ASKED_FOR_NEW)
