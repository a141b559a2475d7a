"""Seed the reference tables: organization types, languages, sectors, and the region's
158 jurisdictions (Census FIPS data shipped with the `addfips` package)."""

import csv
from pathlib import Path

import addfips
from django.db import migrations
from django.utils.text import slugify

ORGANIZATION_TYPES = [
    # slug, name, plural, map colour (colour-blind-safe palette), description
    (
        "worker-cooperative",
        "Worker cooperative",
        "Worker cooperatives",
        "#0072B2",
        "A business owned and run by the people who work in it. Each worker-owner has one "
        "vote, and the profits are shared among the workers.",
    ),
    (
        "consumer-cooperative",
        "Consumer cooperative",
        "Consumer cooperatives",
        "#007A5A",
        "A store or service owned by the community members who use it, such as a food "
        "co-op or a utility co-op. Members vote on how it is run and share in its surplus.",
    ),
    (
        "producer-cooperative",
        "Producer cooperative",
        "Producer cooperatives",
        "#B25E00",
        "Farmers, makers or artists who pool their work to process, market or sell it "
        "together, and own the cooperative that does it.",
    ),
    (
        "housing-cooperative",
        "Housing cooperative",
        "Housing cooperatives",
        "#A23D7E",
        "A building or group of homes owned together by the people who live there. In a "
        "limited-equity co-op, resale prices are capped so homes stay affordable.",
    ),
    (
        "community-land-trust",
        "Community land trust",
        "Community land trusts",
        "#7A4E2D",
        "A community-controlled nonprofit that holds land for good, so homes, farms and "
        "shops on it stay permanently affordable.",
    ),
    (
        "mutual-aid",
        "Mutual aid group",
        "Mutual aid groups",
        "#C2410C",
        "Neighbours organizing to meet each other's needs directly: food, rides, rent, "
        "care. Solidarity, not charity.",
    ),
    (
        "credit-union",
        "Credit union",
        "Credit unions",
        "#1D4ED8",
        "A not-for-profit bank owned by its members. Each member has one vote, and "
        "earnings return to members as lower fees and better rates.",
    ),
    (
        "public-bank",
        "Public bank",
        "Public banks",
        "#4C1D95",
        "A bank owned by a city, county or state that invests public money in the "
        "community instead of with Wall Street.",
    ),
    (
        "community-lender",
        "Solidarity loan fund or community lender",
        "Solidarity loan funds and community lenders",
        "#166534",
        "A loan fund or community development lender that finances co-ops, community "
        "businesses and housing on fair terms, often with community control.",
    ),
    (
        "other",
        "Other solidarity-economy organization",
        "Other solidarity-economy organizations",
        "#4B5563",
        "Other organizations that put people and planet before profit: community-owned "
        "energy, time banks, networks and federations of co-ops.",
    ),
]

LANGUAGES = [
    # BCP 47 code, name; English and Spanish first, the rest alphabetical.
    ("en", "English"),
    ("es", "Spanish"),
    ("ase", "American Sign Language"),
    ("am", "Amharic"),
    ("ar", "Arabic"),
    ("bn", "Bengali"),
    ("zh", "Chinese"),
    ("fa", "Persian (Farsi)"),
    ("fr", "French"),
    ("ht", "Haitian Creole"),
    ("hi", "Hindi"),
    ("ko", "Korean"),
    ("pt", "Portuguese"),
    ("ru", "Russian"),
    ("so", "Somali"),
    ("tl", "Tagalog"),
    ("ti", "Tigrinya"),
    ("ur", "Urdu"),
    ("vi", "Vietnamese"),
]

SECTORS = [
    ("food", "Food"),
    ("housing", "Housing"),
    ("money-finance", "Money and finance"),
    ("care-health", "Care and health"),
    ("education", "Education"),
    ("arts-media", "Arts and media"),
    ("energy", "Energy"),
    ("goods-services", "Goods and services"),
    ("repair-reuse", "Repair and reuse"),
    ("agriculture", "Agriculture"),
    ("transport", "Transport"),
    ("technology", "Technology"),
    ("other", "Other"),
]

STATES = {"11": "DC", "24": "MD", "51": "VA"}
# Bedford city (51515) became part of Bedford County in 2013; the Census file keeps it
# only so that old addresses still resolve.
FORMER_JURISDICTIONS = {"51515"}


def region_jurisdictions():
    """(fips, name, state, kind) for every county, independent city and the District."""
    data = Path(addfips.__file__).parent / "data" / "counties_2020.csv"
    seen = set()
    with data.open(newline="", encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            state = STATES.get(row["statefp"])
            fips = row["statefp"] + row["countyfp"]
            if state is None or fips in seen or fips in FORMER_JURISDICTIONS:
                continue
            seen.add(fips)  # the file lists aliases after each official name
            name = row["name"]
            if state == "DC":
                kind = "district"
            elif name.endswith(" city"):
                kind = "city"
                name = f"City of {name.removesuffix(' city')}"
            else:
                kind = "county"
            yield fips, name, state, kind


def seed(apps, schema_editor):
    OrganizationType = apps.get_model("directory", "OrganizationType")
    Language = apps.get_model("directory", "Language")
    Sector = apps.get_model("directory", "Sector")
    Jurisdiction = apps.get_model("directory", "Jurisdiction")

    for order, (slug, name, plural, colour, description) in enumerate(ORGANIZATION_TYPES):
        OrganizationType.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "plural": plural,
                "colour": colour,
                "description": description,
                "sort_order": order,
            },
        )
    for order, (code, name) in enumerate(LANGUAGES):
        Language.objects.update_or_create(
            code=code, defaults={"name": name, "sort_order": order if order < 2 else 100}
        )
    for order, (slug, name) in enumerate(SECTORS):
        Sector.objects.update_or_create(slug=slug, defaults={"name": name, "sort_order": order})
    for fips, name, state, kind in region_jurisdictions():
        Jurisdiction.objects.update_or_create(
            fips=fips,
            defaults={
                "name": name,
                "state": state,
                "kind": kind,
                "slug": slugify(f"{name}-{state}"),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
