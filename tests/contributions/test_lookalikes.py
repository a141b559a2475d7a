"""The public "is it one of these?" check can never locate a listing more closely than
the map shows it: the probe that recovered hidden and approximate points by posting
pins on a grid, reproduced (directory/contributions/lookalikes.py)."""

import time

import pytest
from django.test import Client
from django.urls import reverse

from directory.contributions import abuse
from directory.models import Location
from tests.support.factories import LocationFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

SUGGEST_URL = reverse("directory:suggest")
SHELTER_POINT = (38.937321, -76.988842)  # not on the 0.01-degree grid
KM = 1 / 111.2  # degrees of latitude per km


def shelter(precision: str, point=SHELTER_POINT):
    organization = OrganizationFactory(
        name="Eastside Safe Harbor Network", slug="eastside-safe-harbor", website="", phone=""
    )
    LocationFactory(
        organization=organization,
        precision=precision,
        latitude=point[0],
        longitude=point[1],
        city="Washington",
        state="DC",
        zip_code="20018",
    )
    return organization


def probe(client, pin) -> bool:
    """Does a suggestion with a similar name and this pin get shown the listing?"""
    response = client.post(
        SUGGEST_URL,
        {
            "name": "Eastside Safe Harbor",
            "type": "mutual-aid",
            "summary": "A probe.",
            "latitude": f"{pin[0]:.6f}",
            "longitude": f"{pin[1]:.6f}",
            "precision": "exact",
            "submitter_email": "probe@example.net",
            "started": abuse.started_token(time.time() - 60),
        },
    )
    return "eastside-safe-harbor" in response.content.decode()


def grid(center, *, steps=4, spacing_km=0.25):
    lat, lng = center
    return [
        (lat + row * spacing_km * KM, lng + column * spacing_km * KM)
        for row in range(-steps, steps + 1)
        for column in range(-steps, steps + 1)
    ]


def test_a_hidden_location_gets_the_same_answer_at_its_point_and_5_km_away(client):
    shelter("hidden")
    at_the_point = probe(client, SHELTER_POINT)
    five_km_away = probe(client, (SHELTER_POINT[0] + 5 * KM, SHELTER_POINT[1]))
    assert at_the_point == five_km_away
    assert {probe(client, pin) for pin in grid(SHELTER_POINT, steps=2)} == {at_the_point}


def test_an_approximate_location_is_compared_by_its_rounded_point_only(client):
    """Two listings whose stored points differ but round to the same public point give
    the same answer to every probe: nothing finer than the map's point can be learned."""
    organization = shelter("approximate")
    probes = grid(SHELTER_POINT, steps=2)
    first = [probe(client, pin) for pin in probes]
    elsewhere_in_the_same_square = (38.9351, -76.9856)  # rounds to 38.94, -76.99 too
    Location.objects.filter(organization=organization).update(
        latitude=elsewhere_in_the_same_square[0], longitude=elsewhere_in_the_same_square[1]
    )
    assert [probe(client, pin) for pin in probes] == first
    assert any(first), "a probe near the public point still finds it"


def test_an_exact_location_is_still_found_nearby(client):
    shelter("exact")
    assert probe(client, SHELTER_POINT)
    assert not probe(client, (SHELTER_POINT[0] + 5 * KM, SHELTER_POINT[1]))


def test_twenty_probing_posts_from_one_address_reach_the_limit(settings):
    """Posts answered with lookalikes, or with form errors, count like any other."""
    settings.CONTRIBUTION_RATE_LIMIT = 10
    shelter("approximate")
    prober = Client(REMOTE_ADDR="203.0.113.50")
    statuses = []
    for pin in grid(SHELTER_POINT, steps=2)[:20]:
        response = prober.post(
            SUGGEST_URL,
            {
                "name": "Eastside Safe Harbor",
                "type": "mutual-aid",
                "summary": "A probe.",
                "latitude": f"{pin[0]:.6f}",
                "longitude": f"{pin[1]:.6f}",
                "precision": "exact",
                "submitter_email": "probe@example.net",
                "started": abuse.started_token(time.time() - 60),
            },
        )
        statuses.append(response.status_code)
    assert statuses[:10].count(429) == 0
    assert statuses[10:] == [429] * 10
    assert Client(REMOTE_ADDR="198.51.100.4").get(SUGGEST_URL).status_code == 200


def test_one_served_form_cannot_be_replayed_for_many_probes(client):
    shelter("approximate")
    served = abuse.started_token(time.time() - 60)
    first = client.post(
        SUGGEST_URL,
        {
            "name": "Eastside Safe Harbor",
            "type": "mutual-aid",
            "summary": "A probe.",
            "zip_code": "20018",
            "precision": "exact",
            "submitter_email": "probe@example.net",
            "started": served,
        },
    )
    replay = client.post(
        SUGGEST_URL,
        {
            "name": "Eastside Safe Harbor",
            "type": "mutual-aid",
            "summary": "A probe.",
            "latitude": f"{SHELTER_POINT[0]:.6f}",
            "longitude": f"{SHELTER_POINT[1]:.6f}",
            "precision": "exact",
            "submitter_email": "probe@example.net",
            "started": served,
        },
    )
    assert first.status_code in (200, 302)
    assert "eastside-safe-harbor" not in replay.content.decode()
    assert "was already sent" in replay.content.decode()
