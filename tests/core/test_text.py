"""Text rules (directory/core/text.py): one line of visible text in single-line fields,
no control or text-direction characters anywhere, on every way text comes in; and
names compared as a reader sees them."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from directory.core import text
from directory.models import Organization, OrganizationType, PossibleDuplicate
from tests.support.admin_forms import ADD_URL, new_organization_data
from tests.support.contributions import suggestion
from tests.support.factories import LocationFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

ZERO_WIDTH_SPACE = "\u200b"
RIGHT_TO_LEFT_OVERRIDE = "\u202e"
FIRST_STRONG_ISOLATE = "\u2068"
SOFT_HYPHEN = "\u00ad"
BYTE_ORDER_MARK = "\ufeff"
CYRILLIC = str.maketrans("TaoBeC", "\u0422\u0430\u043e\u0412\u0435\u0421")


@pytest.mark.parametrize(
    "value",
    [
        f"Takoma{ZERO_WIDTH_SPACE} Bread",
        f"Takoma {RIGHT_TO_LEFT_OVERRIDE}daerB",
        f"Takoma {FIRST_STRONG_ISOLATE}Bread",
        f"Ta{SOFT_HYPHEN}koma",
        f"{BYTE_ORDER_MARK}Takoma",
        "Takoma\nBread",
        "Takoma\tBread",
        "Takoma\u2028Bread",
        "Takoma\x00Bread",
        "Takoma\udcffBread",
    ],
)
def test_single_line_text_refuses_breaks_and_invisible_characters(value):
    with pytest.raises(ValidationError):
        text.validate_single_line(value)


@pytest.mark.parametrize(
    "value",
    [
        "Café Solidaridad",
        "Prices < market rate & 2 > 1 <3",
        "\u83ef\u4eba\u4e92\u52a9\u6703",  # Chinese
        "\u12e8\u130b\u122b \u1218\u1228\u1303",  # Amharic
        "Nh\u00e0 \u0110\u1ea5t C\u1ed9ng \u0110\u1ed3ng",  # Vietnamese
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",  # Persian: the joiner it needs
        "\u0915\u094d\u200d\u0937",  # Devanagari: a joiner after a virama
    ],
)
def test_single_line_text_keeps_every_script_and_the_joiners_scripts_need(value):
    text.validate_single_line(value)


def test_a_joiner_where_no_script_needs_it_is_refused():
    with pytest.raises(ValidationError, match="U\\+200D ZERO WIDTH JOINER"):
        text.validate_single_line("Take\u200dma")


def test_longer_text_keeps_line_breaks_but_not_direction_overrides():
    text.validate_text("Mon-Fri 9-5\nSat 10-2\n")
    with pytest.raises(ValidationError):
        text.validate_text(f"Call {RIGHT_TO_LEFT_OVERRIDE}4310-555 (202)")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", f"Anacostia{ZERO_WIDTH_SPACE} Bikes", "U+200B ZERO WIDTH SPACE"),
        ("name", f"Anacostia {RIGHT_TO_LEFT_OVERRIDE}sekiB", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("name", "Anacostia\nBikes", "on one line"),
        ("street_address", f"1300 Good Hope{SOFT_HYPHEN} Rd", "U+00AD SOFT HYPHEN"),
        ("submitter_name", f"Pat{BYTE_ORDER_MARK}", "U+FEFF"),
        ("how_to_join", f"Ask {FIRST_STRONG_ISOLATE}at the shop", "U+2068"),
    ],
)
def test_the_public_form_refuses_invisible_characters_with_a_clear_error(
    client, field, value, message
):
    # Before: names took bidi overrides and newlines (a newline then showed as its own
    # line in the organizers' digest).
    response = client.post(reverse("directory:suggest"), suggestion(**{field: value}))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Organization.objects.exists()


def test_the_public_form_keeps_a_persian_name_with_its_joiner(client):
    name = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 Cooperative"
    response = client.post(reverse("directory:suggest"), suggestion(name=name))
    assert response.status_code == 302
    assert Organization.objects.get().name == name


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", f"Riverdale {RIGHT_TO_LEFT_OVERRIDE}srekaB"),
        ("name", "Riverdale\r\nBakers"),
        ("phone", f"(301) 555{ZERO_WIDTH_SPACE}-0100"),
        ("internal_contact_name", f"Sam{ZERO_WIDTH_SPACE}"),
        ("description", f"Bread {RIGHT_TO_LEFT_OVERRIDE}daily"),
        ("locations-0-city", f"River{ZERO_WIDTH_SPACE}dale"),
        ("locations-0-label", "Bakery\nBack door"),
        ("locations-0-hours", f"Mon {FIRST_STRONG_ISOLATE}9-5"),
    ],
)
def test_the_admin_refuses_invisible_characters_in_every_text_field(organizer_client, field, value):
    response = organizer_client.post(ADD_URL, new_organization_data(**{field: value}))
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert not Organization.objects.exists()


def test_the_admin_refuses_them_in_reference_tables_too(client):
    client.force_login(UserFactory(is_superuser=True))
    response = client.post(
        reverse("admin:directory_organizationtype_add"),
        {
            "slug": "bakery",
            "name": f"Bakery{ZERO_WIDTH_SPACE}",
            "plural": "Bakeries",
            "description": "",
            "colour": "#1f6feb",
            "sort_order": "11",
        },
    )
    assert response.status_code == 200
    assert "U+200B ZERO WIDTH SPACE" in response.content.decode()
    assert not OrganizationType.objects.filter(slug="bakery").exists()


def test_the_admin_keeps_line_breaks_in_longer_text(organizer_client):
    data = new_organization_data(description="Bread daily.\nCakes on Saturdays.")
    assert organizer_client.post(ADD_URL, data).status_code == 302


def test_a_suggestion_in_look_alike_letters_is_recognised_as_a_listing_we_have(client):
    # Before: Cyrillic letters that look like Latin ones made a different name, so
    # neither the public check nor the organizers' flags saw the listing it copies.
    existing = OrganizationFactory(name="Takoma Bread Cooperative")
    LocationFactory(organization=existing, precision="hidden", zip_code="20912", state="MD")
    copied = "Takoma Bread Cooperative".translate(CYRILLIC)
    assert copied != existing.name
    details = {"name": copied, "street_address": "", "zip_code": "", "precision": "hidden"}
    details.update(website="", phone="")
    response = client.post(reverse("directory:suggest"), suggestion(**details))
    assert "Is it one of these?" in response.content.decode()
    assert f'href="{existing.get_absolute_url()}"' in response.content.decode()

    # "None of these" (each served form takes one post: a fresh one here).
    sent = client.post(reverse("directory:suggest"), suggestion(**details, not_a_duplicate="on"))
    assert sent.status_code == 302
    suggested = Organization.objects.get(name=copied)
    assert [pair.other(suggested) for pair in PossibleDuplicate.objects.involving(suggested)] == [
        existing
    ]
