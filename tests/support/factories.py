import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from directory.models import (
    ChangeReason,
    ChangeRequest,
    ChangeRequestKind,
    Jurisdiction,
    Language,
    Location,
    Organization,
    OrganizationStatus,
    OrganizationType,
    Precision,
    Sector,
    VerificationRequest,
)


def organization_type(slug="worker-cooperative"):
    return OrganizationType.objects.get(slug=slug)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Test Cooperative {n}")
    slug = factory.Sequence(lambda n: f"test-cooperative-{n}")
    type = factory.LazyFunction(organization_type)
    status = OrganizationStatus.PUBLISHED
    summary = "A test listing."
    last_verified = factory.LazyFunction(datetime.date.today)

    @factory.post_generation
    def languages(self, create, codes):
        if create and codes:
            self.languages.set(Language.objects.filter(code__in=codes))

    @factory.post_generation
    def sectors(self, create, slugs):
        if create and slugs:
            self.sectors.set(Sector.objects.filter(slug__in=slugs))

    @factory.post_generation
    def service_area(self, create, fips_codes):
        if create and fips_codes:
            self.service_area.set(Jurisdiction.objects.filter(fips__in=fips_codes))


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    organization = factory.SubFactory(OrganizationFactory)
    is_primary = True
    street_address = "1500 Example St NW"
    city = "Washington"
    state = "DC"
    zip_code = "20005"
    jurisdiction = factory.LazyFunction(lambda: Jurisdiction.objects.get(fips="11001"))
    latitude = 38.9067
    longitude = -77.0312
    precision = Precision.EXACT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"organizer{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def organizer(self, create, extracted):
        if create and extracted:
            self.groups.add(Group.objects.get(name="Organizers"))
        self.save()


class ChangeRequestFactory(factory.django.DjangoModelFactory):
    """A suggested edit waiting for review."""

    class Meta:
        model = ChangeRequest

    organization = factory.SubFactory(OrganizationFactory)
    organization_name = factory.LazyAttribute(lambda request: request.organization.name)
    kind = ChangeRequestKind.EDIT
    reason = ChangeReason.WRONG
    proposed = factory.LazyFunction(dict)
    submitter_name = "Pat Visitor"
    submitter_email = "pat@example.net"
    submitter_is_member = False


class VerificationRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VerificationRequest

    organization = factory.SubFactory(OrganizationFactory, internal_contact_email="c@example.org")
    email = factory.LazyAttribute(lambda request: request.organization.internal_contact_email)
