"""A partner reads /api/ on a phone, by keyboard, and downloads the CSV it documents."""

from pathlib import Path
from urllib.parse import urlsplit

from django.core.management import call_command


def test_the_api_page_reads_on_a_phone_by_keyboard(browser_context, screenshot):
    call_command("loaddata", "fixtures/demo.json", verbosity=0)
    page = browser_context(viewport={"width": 360, "height": 740}).new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto("/api/")
    assert page.get_by_role("heading", level=1).inner_text() == "Open data: CSV, JSON and GeoJSON"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "no sideways scrolling"

    contents = page.get_by_role("navigation", name="On this page")
    contents.get_by_role("link", name="CSV export and its columns").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#csv"
    assert page.locator("#csv").is_visible()

    columns = page.get_by_role("region", name="Columns, in order")
    columns.focus()
    assert page.evaluate("document.activeElement.getAttribute('role')") == "region"
    assert columns.get_by_role("rowheader", name="license_url").count() == 1
    screenshot(page, "api-docs-phone")
    assert errors == []


def test_the_documented_csv_link_downloads_a_file(browser_context):
    call_command("loaddata", "fixtures/demo.json", verbosity=0)
    page = browser_context(accept_downloads=True).new_page()
    page.goto("/api/")
    documented = urlsplit(page.locator("#examples code").first.inner_text().split('"')[1])
    with page.expect_download() as download_info:
        # The page shows SITE_URL's host; the test server has its own.
        page.evaluate(
            "url => { window.location.href = url; }", documented.path + "?" + documented.query
        )
    download = download_info.value
    assert download.suggested_filename.startswith("organizations-")
    assert download.suggested_filename.endswith(".csv")
    # Wait for the whole file, as a person does; the server has finished with it then.
    content = Path(download.path()).read_text(encoding="utf-8-sig")
    header, *rows = content.splitlines()
    assert header.startswith("slug,name,type_slug,type_name,status,")
    assert rows and all(",worker-cooperative," in row for row in rows)
