"""Organizers in Chromium: two people edit one listing at once, and a spreadsheet is
imported with its normalizations shown (issue 11)."""

from directory.models import Organization
from tests.support.factories import LocationFactory, UserFactory
from tests.support.imports import GOOD_ROW, csv_upload


def test_a_conflict_lists_the_other_persons_location_edit_and_keeps_it(
    browser_context, login, screenshot
):
    location = LocationFactory(organization__summary="A worker-owned bakery.")
    organization = location.organization
    url = f"/admin/directory/organization/{organization.pk}/change/"
    alice, bea = browser_context().new_page(), browser_context().new_page()
    login(alice, UserFactory(username="alice", organizer=True))
    login(bea, UserFactory(username="bea", organizer=True))
    alice.goto(url)
    bea.goto(url)

    alice.locator("textarea[name='locations-0-hours']").fill("Mon-Fri 8-4")
    alice.get_by_role("button", name="Save", exact=True).click()
    alice.wait_for_url("**/admin/directory/organization/")

    bea.locator("[name='summary']").fill("Summary by Bea.")
    bea.get_by_role("button", name="Save", exact=True).click()
    errors = bea.locator(".errorlist.nonfield")
    errors.wait_for()
    text = errors.inner_text()
    assert "alice saved this organization" in text
    assert "Hours: now “Mon-Fri 8-4”" in text
    assert bea.locator("[name='summary']").input_value() == "Summary by Bea."
    screenshot(bea, "organizers-conflict-1280")
    bea.set_viewport_size({"width": 390, "height": 844})
    screenshot(bea, "organizers-conflict-390")

    bea.get_by_role("button", name="Save", exact=True).click()
    bea.wait_for_url("**/admin/directory/organization/")
    organization.refresh_from_db()
    assert organization.summary == "Summary by Bea."
    assert organization.locations.get().hours == "Mon-Fri 8-4", "Alice's edit survived"


def test_an_import_shows_its_normalizations_then_imports(page, login, screenshot, tmp_path):
    login(page, UserFactory(organizer=True))
    upload = csv_upload(
        [
            {
                "name": "CAPITAL AREA COMMUNITY LAND TRUST",
                "type": "community-land-trust",
                "website": "www.example.org",
                "state": "Virginia",
                "zip_code": "22201--4415",
            },
            {"name": "", "type": "mutual-aid", "zip_code": "20737"},
        ]
    )
    path = tmp_path / "lists.csv"
    path.write_bytes(upload.read())
    page.goto("/admin/directory/organization/import/")
    page.set_input_files("input[name='import_file']", str(path))
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#import-preview")
    preview.wait_for()
    text = preview.inner_text()
    assert "website: www.example.org → https://www.example.org" in text
    assert "state: Virginia → VA" in text
    assert "Every row needs a name." in text, "errors inline, not on hover"
    assert page.get_by_role("button", name="Confirm the import").count() == 0
    screenshot(page, "organizers-import-errors-1280")

    rows = path.read_text().splitlines()
    path.write_text("\n".join(rows[:2]) + "\n")
    page.set_input_files("input[name='import_file']", str(path))
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("button", name="Confirm the import").click()
    page.wait_for_url("**/admin/directory/organization/")
    assert "1 new, 0 updated" in page.locator(".messagelist").inner_text()
    screenshot(page, "organizers-import-done-1280")
    assert Organization.objects.filter(name="Capital Area Community Land Trust").exists()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/admin/directory/organization/import/")
    screenshot(page, "organizers-import-390")


def test_a_large_import_shows_its_progress_then_its_result(
    page, login, screenshot, tmp_path, settings
):
    """A file that takes more than one request: the import's page reloads by itself,
    with a progress bar, until every row is in, then says what was not imported."""
    settings.IMPORT_CHUNK_ROWS, settings.IMPORT_STEP_SECONDS = 4, 0
    rows = [
        {**GOOD_ROW, "name": f"Riverdale Food Cooperative {number}", "slug": ""}
        for number in range(14)
    ]
    path = tmp_path / "food.csv"
    path.write_bytes(csv_upload(rows).read())
    login(page, UserFactory(organizer=True))
    page.goto("/admin/directory/organization/import/")
    page.set_input_files("input[name='import_file']", str(path))
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("button", name="Confirm the import").click()
    page.wait_for_url("**/admin/directory/organization/import/*-*/")
    assert page.locator("progress").count() == 1
    assert "rows done" in page.locator("#import-job").inner_text()
    screenshot(page, "organizers-import-progress-1280")
    page.get_by_role("heading", name="Imported").wait_for(timeout=30_000)
    assert "14 new, 0 updated" in page.locator("#import-job").inner_text()
    assert Organization.objects.filter(name__startswith="Riverdale Food").count() == 14
    screenshot(page, "organizers-import-result-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "organizers-import-result-390")


def test_the_list_of_organizations_fits_a_1280_pixel_screen(page, login, screenshot):
    """The buttons stay clear of the title, every column is in view without scrolling
    sideways, and a long name takes two lines at most."""
    long_name = "Greater Washington Solidarity Economy Federal Credit Union of the District"
    LocationFactory(organization__name=long_name)
    for number in range(5):
        LocationFactory(organization__name=f"Listing {number}", organization__status="draft")
    login(page, UserFactory(organizer=True))
    page.goto("/admin/directory/organization/")
    page.locator("#result_list").wait_for()
    layout = page.evaluate(
        """() => {
          const results = document.querySelector('#changelist .results');
          const title = document.querySelector('#content h1').getBoundingClientRect();
          const covered = [...document.querySelectorAll('.object-tools a')].some((button) => {
            const box = button.getBoundingClientRect();
            return !(box.right <= title.left || box.left >= title.right
                     || box.bottom <= title.top || box.top >= title.bottom);
          });
          const name = [...document.querySelectorAll('#result_list tbody th a')]
            .find((link) => link.textContent.startsWith('Greater Washington'));
          const updated = document.querySelector('#result_list thead .column-updated_at');
          return {
            scrollWidth: results.scrollWidth,
            clientWidth: results.clientWidth,
            covered,
            nameLines: name.getClientRects().length,
            updatedRight: updated.getBoundingClientRect().right,
            resultsRight: results.getBoundingClientRect().right,
          };
        }"""
    )
    screenshot(page, "organizers-list-1280")
    assert layout["scrollWidth"] <= layout["clientWidth"], "the table scrolls sideways"
    assert layout["updatedRight"] <= layout["resultsRight"] + 1, "the Updated column is in view"
    assert not layout["covered"], "a button covers the title"
    assert layout["nameLines"] <= 2
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "organizers-list-390")
    assert page.errors == []
