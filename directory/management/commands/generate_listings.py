"""Create synthetic published listings for benchmarks (10,000 or 100,000 of them).

Listings are numbered: `--count 10000` makes sure synthetic listings 1..10000 exist,
so running it twice adds nothing, and a larger count later adds only the difference.
The same --seed always gives the same data. `--delete` removes them all again.
"""

import random

import zipcodes
from django.core.management import BaseCommand, CommandError
from django.db import connection, transaction

from directory.core import cache
from directory.core.geocoding import county_fips
from directory.core.region import State
from directory.listings import search_index
from directory.models import (
    AcceptingMembers,
    Jurisdiction,
    Language,
    Location,
    Organization,
    OrganizationStatus,
    OrganizationType,
    PointSource,
    Precision,
    Sector,
)

SLUG_PREFIX = "synthetic-"
SOURCE = "Synthetic benchmark data"
BATCH_SIZE = 2000
WORDS = [
    "Commons",
    "Harvest",
    "Union",
    "Solidarity",
    "Riverside",
    "Mutual",
    "Cooperative",
    "Community",
    "Neighbors",
    "Unity",
    "Sunrise",
    "Liberty",
    "Cedar",
    "Maple",
    "Harbor",
    "Valley",
    "Ridge",
    "Anchor",
    "Beacon",
    "Keystone",
]
NOUNS = {
    "worker-cooperative": ["Bakery", "Cleaning", "Printing", "Care", "Software", "Catering"],
    "consumer-cooperative": ["Food Co-op", "Grocery", "Market", "Internet Co-op"],
    "producer-cooperative": ["Growers", "Farmers Co-op", "Makers", "Fishers"],
    "housing-cooperative": ["Housing Co-op", "Tenants Co-op", "Homes Cooperative"],
    "community-land-trust": ["Land Trust", "Community Land Trust"],
    "mutual-aid": ["Mutual Aid", "Community Fridge", "Solidarity Network"],
    "credit-union": ["Credit Union", "Federal Credit Union"],
    "public-bank": ["Public Bank"],
    "community-lender": ["Loan Fund", "Lending Circle", "Community Capital"],
    "other": ["Time Bank", "Repair Cafe", "Co-op Network"],
}


class Command(BaseCommand):
    help = "Create synthetic published listings for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument(
            "--count", type=int, default=10000, help="How many listings should exist."
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed (same seed, same data)."
        )
        parser.add_argument("--delete", action="store_true", help="Delete all synthetic listings.")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be done.")

    def handle(self, *args, count, seed, delete, dry_run, **options):
        synthetic = Organization.objects.filter(slug__startswith=SLUG_PREFIX, source=SOURCE)
        if delete:
            if not dry_run:
                deleted, _ = synthetic.delete()
                self.data_changed()
            self.stdout.write(
                self.style.SUCCESS(f"Deleted {synthetic.count() if dry_run else deleted} rows.")
            )
            return
        if count < 0 or count > 1_000_000:
            raise CommandError("--count must be between 0 and 1,000,000.")
        existing = set(synthetic.values_list("slug", flat=True))
        wanted = [n for n in range(1, count + 1) if self.slug(n) not in existing]
        if dry_run:
            self.stdout.write(f"Would create {len(wanted)} listings ({len(existing)} exist).")
            return
        context = self.reference_data()
        for start in range(0, len(wanted), BATCH_SIZE):
            self.create_batch(wanted[start : start + BATCH_SIZE], seed, context)
            self.stdout.write(f"  {min(start + BATCH_SIZE, len(wanted))}/{len(wanted)}")
        if wanted:
            self.data_changed()
        self.stdout.write(self.style.SUCCESS(f"Created {len(wanted)} synthetic listings."))

    @staticmethod
    def data_changed():
        # bulk_create sends no signals: tell the caches and validators directly.
        cache.bump()

    @staticmethod
    def slug(number: int) -> str:
        return f"{SLUG_PREFIX}{number:07d}"

    def reference_data(self):
        places = []
        for state in State.values:
            for place in zipcodes.filter_by(state=state, zip_code_type="STANDARD"):
                fips = county_fips(place["county"], state)
                if fips and float(place["lat"]):
                    places.append((place, fips))
        return {
            "types": list(OrganizationType.objects.all()),
            "languages": list(Language.objects.all()),
            "sectors": list(Sector.objects.all()),
            "jurisdictions": {j.fips: j for j in Jurisdiction.objects.all()},
            "places": places,
        }

    @transaction.atomic
    def create_batch(self, numbers, seed, context):
        organizations, plans = [], []
        for number in numbers:
            rng = random.Random(seed * 10_000_019 + number)
            org_type = rng.choice(context["types"])
            place, fips = rng.choice(context["places"])
            words = (rng.choice(WORDS), rng.choice(WORDS), rng.choice(NOUNS[org_type.slug]))
            name = f"{' '.join(words)} {number}"
            organizations.append(
                Organization(
                    name=name,
                    slug=self.slug(number),
                    type=org_type,
                    status=OrganizationStatus.PUBLISHED,
                    summary=f"Synthetic listing {number} for benchmarks.",
                    description=f"{name} serves {place['city'].title()} and nearby neighbourhoods.",
                    website=f"https://example.org/{self.slug(number)}",
                    accepting_members=rng.choice(AcceptingMembers.values),
                    source=SOURCE,
                    last_verified=None,
                )
            )
            precision = rng.choices(
                [Precision.EXACT, Precision.APPROXIMATE, Precision.HIDDEN], weights=[90, 7, 3]
            )[0]
            plans.append((rng, place, fips, precision))
        with search_index.bulk_insert(connection) as indexed:
            self.create_rows(organizations, plans, context)
            indexed.extend(organization.pk for organization in organizations)
        # bulk_create sends no signals, so the state filter's column is filled here.
        Organization.objects.filter(pk__in=[o.pk for o in organizations]).refresh_states()

    def create_rows(self, organizations, plans, context):
        locations, language_links, sector_links, area_links = [], [], [], []
        Organization.objects.bulk_create(organizations)
        jurisdictions = context["jurisdictions"]
        for organization, (rng, place, fips, precision) in zip(organizations, plans, strict=True):
            locations.append(
                Location(
                    organization=organization,
                    is_primary=True,
                    street_address=f"{rng.randint(100, 9999)} Main St",
                    city=place["city"].title(),
                    state=place["state"],
                    zip_code=place["zip_code"],
                    jurisdiction=jurisdictions.get(fips),
                    latitude=round(float(place["lat"]) + rng.uniform(-0.01, 0.01), 6),
                    longitude=round(float(place["long"]) + rng.uniform(-0.01, 0.01), 6),
                    point_source=PointSource.ZIP_CENTROID,
                    precision=precision,
                )
            )
            for language in rng.sample(context["languages"], k=rng.randint(1, 3)):
                language_links.append(
                    Organization.languages.through(organization=organization, language=language)
                )
            for sector in rng.sample(context["sectors"], k=rng.randint(1, 2)):
                sector_links.append(
                    Organization.sectors.through(organization=organization, sector=sector)
                )
            if fips in jurisdictions:
                area_links.append(
                    Organization.service_area.through(
                        organization=organization, jurisdiction=jurisdictions[fips]
                    )
                )
        Location.objects.bulk_create(locations)
        Organization.languages.through.objects.bulk_create(language_links)
        Organization.sectors.through.objects.bulk_create(sector_links)
        Organization.service_area.through.objects.bulk_create(area_links)
