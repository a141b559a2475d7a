"""Search finds listings by their translated text and by their type's and sectors'
names in every shipped language (seeded by 0021_translate_reference_data)."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.support.factories import LocationFactory, OrganizationFactory, organization_type

pytestmark = pytest.mark.django_db


def _found(client, query: str, *, prefix: str = "") -> str:
    with translation.override("en"):
        path = reverse("directory:organization-list")
    response = client.get(prefix + path, {"q": query})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def listings(db):
    housing = OrganizationFactory(
        name="Riverside Homes", type=organization_type("housing-cooperative"), summary="Homes."
    )
    pantry = OrganizationFactory(
        name="Northside Neighbours", type=organization_type("mutual-aid"), sectors=["food"]
    )
    lender = OrganizationFactory(
        name="Capital Solidarity Fund", type=organization_type("community-lender")
    )
    translated = OrganizationFactory(name="Anacostia Makers", summary="Furniture makers.")
    translated.summary_es = "Taller de muebles de madera reciclada."
    translated.save()
    for organization in (housing, pantry, lender, translated):
        LocationFactory(organization=organization)
    return {"housing": housing, "pantry": pantry, "lender": lender, "translated": translated}


@pytest.mark.parametrize(
    ("query", "expected", "absent"),
    [
        ("cooperativa de vivienda", "Riverside Homes", "Northside Neighbours"),
        ("banco de alimentos", "Northside Neighbours", "Riverside Homes"),
        ("fondo de préstamos", "Capital Solidarity Fund", "Riverside Homes"),
        ("muebles", "Anacostia Makers", "Riverside Homes"),
    ],
)
@pytest.mark.parametrize("prefix", ["", "/es"])
def test_spanish_queries_find_types_sectors_and_translated_text(
    client, listings, query, expected, absent, prefix
):
    page = _found(client, query, prefix=prefix)
    assert expected in page
    assert absent not in page


def test_english_queries_still_find_english_text_on_a_spanish_page(client, listings):
    page = _found(client, "furniture", prefix="/es")
    assert "Anacostia Makers" in page
