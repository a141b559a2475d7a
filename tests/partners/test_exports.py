"""The CSV export: documented columns, the list's organizations, neutralized formulas,
RFC 4180, and the same bytes from PostgreSQL's COPY as from the portable path."""

import csv
import datetime
import io
import tracemalloc
from urllib.parse import urlencode

import pandas as pd
import pytest
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.urls import reverse

from directory.browse.selectors import filter_organizations
from directory.models import Jurisdiction, Language, Organization, OrganizationType, Sector
from directory.partners import csv_export as exports
from directory.partners.columns import COLUMNS, LIST, TEXT
from directory.partners.csv_export import ExportOptions, stream_csv
from tests.support.factories import LocationFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

EXPORT_URL = reverse("directory:export-organizations-csv")
LIST_URL = reverse("directory:organization-list")
COLUMN_NAMES = [column.name for column in COLUMNS]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY is PostgreSQL's; the portable path runs here"
)


def download(client, query=None) -> bytes:
    response = client.get(EXPORT_URL, query or {})
    assert response.status_code == 200, response.content
    assert response.streaming, "the export streams instead of building the file in memory"
    return b"".join(response.streaming_content)


def parse(content: bytes) -> list[dict[str, str]]:
    text = content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def restore(cell: str) -> str:
    """What the /api/ page tells partners: remove the one added apostrophe."""
    if cell.startswith("'") and cell.lstrip("'")[:1] in TRIGGERS:
        return cell[1:]
    return cell


def query_dict(query: dict) -> QueryDict:
    return QueryDict(urlencode(query, doseq=True))


def test_the_csv_has_the_documented_columns_and_one_row_per_published_organization(
    client, demo_data
):
    rows = parse(download(client))
    published = Organization.objects.published()
    assert list(rows[0]) == COLUMN_NAMES
    assert len(rows) == published.count()
    assert {row["slug"] for row in rows} == set(published.values_list("slug", flat=True))
    assert {row["status"] for row in rows} == {"published"}


def test_pandas_reads_the_columns_with_numbers_as_numbers_and_text_as_text(client, demo_data):
    OrganizationFactory(name="Phone Co-op", phone="+1 202 555 0100", year_founded=1999)
    content = download(client, {"bom": "1"})
    frame = pd.read_csv(io.BytesIO(content), encoding="utf-8-sig")
    assert list(frame.columns) == COLUMN_NAMES
    assert len(frame) == Organization.objects.published().count()
    for name in ("year_founded", "location_count"):
        assert pd.api.types.is_integer_dtype(frame[name]), name
    for name in ("latitude", "longitude"):
        assert pd.api.types.is_float_dtype(frame[name]), name
    assert frame["longitude"].dropna().lt(0).all(), "negative longitudes stay numbers"
    phone = frame.loc[frame["name"] == "Phone Co-op", "phone"].item()
    assert phone == "'+1 202 555 0100"
    assert restore(phone) == "+1 202 555 0100"


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"state": "MD"},
        {"type": "credit-union"},
        {"type": ["credit-union", "worker-cooperative"]},
        {"q": "bread"},
        {"language": "es"},
        {"sector": "food"},
        {"accepting": "yes"},
        {"serves": "24031"},
        {"jurisdiction": "11001"},
        {"near": "20912", "radius": "10"},
        {"near": "38.9,-77.03", "radius": "3", "sort": "distance"},
        {"sort": "verified"},
    ],
)
def test_an_export_has_the_organizations_of_the_list_with_the_same_filters(
    client, demo_data, query
):
    rows = parse(download(client, query))
    expected = list(filter_organizations(query_dict(query)).values_list("slug", flat=True))
    assert [row["slug"] for row in rows] == expected
    list_page = client.get(LIST_URL, query)
    assert list_page.context["page_obj"].paginator.count == len(rows)


@pytest.fixture
def formula_organization(settings):
    """An organization whose every free-text value begins like a spreadsheet formula,
    reference values included."""
    settings.DATA_LICENSE = "@license"
    settings.DATA_LICENSE_URL = "=license-url"
    county = Jurisdiction.objects.create(
        fips="-9999", name="=Evil County", state="MD", kind="county", slug="evil-county"
    )
    organization = OrganizationFactory(
        slug="-slug",
        name='=HYPERLINK("http://evil.example","click")',
        type=OrganizationType.objects.create(slug="-type", name="=TYPE()", plural="=TYPES()"),
        summary="+SUM(1,2)",
        website="=cmd|' /C calc'!A0",
        email="@evil.example",
        phone="+1 202 555 0100",
        membership_model="-workers",
    )
    organization.languages.set([Language.objects.create(code="+lang", name="Lang")])
    organization.sectors.set([Sector.objects.create(slug="@sector", name="Sector")])
    organization.service_area.set([county])
    LocationFactory(
        organization=organization,
        street_address="\tTabbed St",
        city="\rCarriage",
        state="MD",
        zip_code="-2090",
        jurisdiction=county,
        latitude=39.0,
        longitude=-77.0,
    )
    return {
        "slug": "-slug",
        "name": '=HYPERLINK("http://evil.example","click")',
        "type_slug": "-type",
        "type_name": "=TYPE()",
        "summary": "+SUM(1,2)",
        "website": "=cmd|' /C calc'!A0",
        "email": "@evil.example",
        "phone": "+1 202 555 0100",
        "membership_model": "-workers",
        "languages": "+lang",
        "sectors": "@sector",
        "service_area": "=Evil County, MD",
        "service_area_fips": "-9999",
        "street_address": "\tTabbed St",
        "city": "\rCarriage",
        "zip_code": "-2090",
        "jurisdiction": "=Evil County",
        "jurisdiction_fips": "-9999",
        "license": "@license",
        "license_url": "=license-url",
    }


def test_formula_like_values_are_neutralized_in_every_text_column_and_round_trip(
    client, formula_organization
):
    # The database constrains these to fixed codes, and url starts with the site address.
    constrained = {"status", "state", "accepting_members", "location_precision", "url"}
    text_columns = {column.name for column in COLUMNS if column.kind in (TEXT, LIST)}
    assert set(formula_organization) == text_columns - constrained

    (row,) = parse(download(client))
    for name, original in formula_organization.items():
        assert row[name] == "'" + original, name
        assert restore(row[name]) == original, name
    assert (row["latitude"], row["longitude"]) == ("39", "-77"), "numbers are never prefixed"


@pytest.mark.parametrize(
    ("value", "exported"),
    [
        ("'Til Dawn Bakers", "'Til Dawn Bakers"),
        ("'=already quoted", "''=already quoted"),
        ("''+twice", "'''+twice"),
        ("Plain -5 units", "Plain -5 units"),
        ("-5", "'-5"),
        ("", ""),
    ],
)
def test_neutralization_is_reversible_even_for_values_that_start_with_apostrophes(
    client, value, exported
):
    OrganizationFactory(summary=value)
    (row,) = parse(download(client))
    assert row["summary"] == exported
    assert restore(row["summary"]) == value


def test_cells_are_quoted_as_rfc_4180_says_and_rows_end_with_crlf(client):
    OrganizationFactory(
        name='The "Quoted", Co-op', summary="Line one\nline two\r\nline three", phone=""
    )
    content = download(client, {"columns": "name,summary,phone,year_founded"})
    assert content == (
        b"name,summary,phone,year_founded\r\n"
        b'"The ""Quoted"", Co-op","Line one\nline two\r\nline three",,\r\n'
    )


def test_text_is_utf8_and_bom_1_adds_a_byte_order_mark_for_excel(client):
    OrganizationFactory(name="Cooperativa Panadería Ñandú 🍞")
    plain = download(client)
    with_bom = download(client, {"bom": "1"})
    assert not plain.startswith(exports.UTF8_BOM)
    assert with_bom == exports.UTF8_BOM + plain
    assert "Cooperativa Panadería Ñandú 🍞" in plain.decode("utf-8")


def test_the_download_is_an_attachment_with_a_dated_file_name(client, published_organization):
    response = client.get(EXPORT_URL)
    today = datetime.date.today().isoformat()
    assert response["Content-Type"] == "text/csv; charset=utf-8; header=present"
    assert response["Content-Disposition"] == f'attachment; filename="organizations-{today}.csv"'


def test_columns_chooses_columns_in_the_order_asked(client, published_organization):
    rows = parse(download(client, {"columns": ["city,name", "slug"]}))
    expected = {"city": "Takoma Park", "name": "Takoma Bread Cooperative"}
    assert rows == [{**expected, "slug": published_organization.slug}]
    assert list(rows[0]) == ["city", "name", "slug"]


@pytest.mark.parametrize(
    ("query", "explanation"),
    [
        ({"bom": "maybe"}, "Use bom=1 for Excel or bom=0"),
        ({"columns": "name,secret_notes"}, "Allowed columns: slug, name,"),
        ({"columns": "name,name"}, "name asked for more than once"),
        ({"format": "xlsx"}, "/api/organizations/"),
        ({"state": "NY"}, "State: Select a valid choice"),
        ({"near": "nan,nan"}, "Near"),
        ({"type": "bakery", "bom": "2"}, "bom: “2”"),
    ],
)
def test_unusable_parameters_are_a_400_that_says_what_is_allowed(client, query, explanation):
    response = client.get(EXPORT_URL, query)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert explanation in response.content.decode()


def test_head_gives_the_headers_without_building_the_file(client, published_organization):
    response = client.head(EXPORT_URL)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content == b""


def test_approximate_and_hidden_points_are_rounded_or_withheld_in_the_database(client):
    approximate = OrganizationFactory(name="A")
    LocationFactory(
        organization=approximate, latitude=38.912345, longitude=-77.034567, precision="approximate"
    )
    hidden = OrganizationFactory(name="B")
    LocationFactory(organization=hidden, latitude=38.9, longitude=-77.0, precision="hidden")
    content = download(client)
    rows = {row["name"]: row for row in parse(content)}
    assert (rows["A"]["latitude"], rows["A"]["longitude"]) == ("38.91", "-77.03")
    assert rows["A"]["street_address"] == rows["A"]["zip_code"] == ""
    assert rows["A"]["city"] == "Washington"
    assert (rows["B"]["latitude"], rows["B"]["longitude"], rows["B"]["street_address"]) == (
        "",
        "",
        "",
    )
    assert b"38.912345" not in content
    assert b"1500 Example St" not in content


def test_the_primary_location_is_the_one_marked_primary_else_the_first(client):
    marked = OrganizationFactory(name="Marked")
    LocationFactory(organization=marked, is_primary=False, city="Second")
    LocationFactory(organization=marked, is_primary=True, city="Primary")
    unmarked = OrganizationFactory(name="Unmarked")
    LocationFactory(organization=unmarked, is_primary=False, city="First")
    LocationFactory(organization=unmarked, is_primary=False, city="Later")
    OrganizationFactory(name="Nowhere")
    rows = {row["name"]: row for row in parse(download(client))}
    assert (rows["Marked"]["city"], rows["Marked"]["location_count"]) == ("Primary", "2")
    assert (rows["Unmarked"]["city"], rows["Unmarked"]["location_count"]) == ("First", "2")
    assert (rows["Nowhere"]["city"], rows["Nowhere"]["location_count"]) == ("", "0")


def tricky_data():
    """Values where a hand-made CSV writer and PostgreSQL's usually disagree."""
    call_command("generate_listings", "--count", "150", "--seed", "5")
    values = [
        "",
        "plain",
        'quote " inside',
        "comma, inside",
        "new\nline",
        "carriage\rreturn",
        "crlf\r\nend",
        " leading and trailing ",
        "\\.",
        "=1+1",
        "'=quoted",
        "-",
        "ünïcödé ✓ 🍞",
        "%s %(name)s %% ",
    ]
    for index, value in enumerate(values):
        organization = OrganizationFactory(
            name=f"Tricky {index} {value}",
            summary=value,
            phone=value,
            email=value,
            year_founded=1900 + index if index % 2 else None,
            last_verified=None if index % 3 else datetime.date(2024, 2, index + 1),
        )
        if index % 4:
            LocationFactory(
                organization=organization,
                street_address=value,
                city=value,
                latitude=[39.0, 38.905, 38.9, 38.123456789][index % 4],
                longitude=-77.0 - index / 1000,
                precision=["exact", "approximate", "hidden"][index % 3],
            )


@on_postgresql
@pytest.mark.parametrize(
    "query",
    [
        {},
        {"q": "co-op", "state": "MD"},
        {"near": "20001", "radius": "30", "columns": "name,latitude,longitude", "bom": "1"},
        {"sort": "verified", "language": ["en", "es"]},
    ],
)
def test_copy_and_the_portable_path_write_byte_identical_files(monkeypatch, query):
    tricky_data()
    # Small chunks, so chunk boundaries are crossed many times on both paths.
    monkeypatch.setattr(exports, "CHUNK_ROWS", 7)
    monkeypatch.setattr(exports, "CHUNK_BYTES", 500)
    params = query_dict(query)
    options = exports.parse_options(params)

    def export(use_copy):
        organizations = filter_organizations(params)
        chunks = stream_csv(
            organizations, options=options, base_url="https://example.org", use_copy=use_copy
        )
        return b"".join(chunks)

    copied, portable = export(use_copy=True), export(use_copy=False)
    assert copied.count(b"\r\n") > 10
    assert copied == portable


@on_postgresql
def test_a_download_stopped_early_leaves_the_connection_usable(client):
    call_command("generate_listings", "--count", "400")
    organizations = filter_organizations(QueryDict())
    chunks = stream_csv(organizations, options=ExportOptions(), base_url="", use_copy=True)
    next(chunks)
    next(chunks)
    chunks.close()
    assert Organization.objects.count() == 400


def peak_memory_while_streaming(use_copy: bool) -> tuple[int, int]:
    """(peak bytes allocated, bytes written) while streaming every published row."""

    def export():
        organizations = filter_organizations(QueryDict())
        options = ExportOptions()
        return stream_csv(organizations, options=options, base_url="", use_copy=use_copy)

    for _chunk in export():  # once first, so one-time imports and caches are not counted
        pass
    tracemalloc.start()
    try:
        written = sum(len(chunk) for chunk in export())
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, written


@pytest.mark.parametrize(
    "use_copy",
    [
        pytest.param(False, id="portable"),
        pytest.param(True, id="copy", marks=on_postgresql),
    ],
)
def test_memory_stays_flat_while_streaming_many_more_rows(use_copy):
    call_command("generate_listings", "--count", "2000", "--seed", "2")
    small_peak, small_size = peak_memory_while_streaming(use_copy)
    call_command("generate_listings", "--count", "12000", "--seed", "2")
    large_peak, large_size = peak_memory_while_streaming(use_copy)
    assert large_size > 5 * small_size
    # Six times the rows, about the same memory: a chunk at a time, never the whole file.
    assert large_peak < small_peak * 1.25 + 1024 * 1024, (small_peak, large_peak)
    assert large_peak < 8 * 1024 * 1024, large_peak
