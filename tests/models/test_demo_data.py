"""The demo data set loads and covers what development and review need."""

import pytest
from django.core.management import call_command
from django.db.models import Count

from directory.models import Language, Location, Organization, OrganizationType

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("load_demo_data", "--if-empty")


def test_demo_data_covers_types_states_languages_precisions_and_statuses(demo):
    organizations = Organization.objects.all()
    assert organizations.count() >= 80
    assert set(organizations.values_list("type__slug", flat=True)) == set(
        OrganizationType.objects.values_list("slug", flat=True)
    )
    assert set(Location.objects.values_list("state", flat=True)) == {"DC", "MD", "VA"}
    assert Language.objects.filter(organizations__isnull=False).distinct().count() >= 6
    assert set(Location.objects.values_list("precision", flat=True)) == {
        "exact",
        "approximate",
        "hidden",
    }
    # order_by(): querysets of translated models carry their Meta.ordering explicitly
    # (django-modeltranslation), which would otherwise split the groups by name.
    statuses = dict(organizations.order_by().values_list("status").annotate(n=Count("id")))
    assert statuses["published"] >= 75
    assert {"draft", "pending", "archived"} <= set(statuses)


def test_demo_data_is_clearly_fictional(demo):
    for name, summary in Organization.objects.values_list("name", "summary"):
        assert name.endswith("(demo)")
        assert "Fictional demo listing" in summary


def test_demo_locations_pass_validation(demo):
    for location in Location.objects.select_related("jurisdiction"):
        location.full_clean()
    assert not Location.objects.filter(jurisdiction__isnull=True).exists()


def test_loading_twice_with_if_empty_changes_nothing(demo):
    before = Organization.objects.count()
    call_command("load_demo_data", "--if-empty")
    assert Organization.objects.count() == before
