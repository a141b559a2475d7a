"""The admin's location map: click or drag to set the point, type to move the pin."""

from directory.models import Organization
from tests.support.factories import LocationFactory, UserFactory


def test_clicking_the_map_sets_the_point_and_typing_moves_the_pin(
    page, login, live_server, screenshot
):
    location = LocationFactory(latitude=38.9067, longitude=-77.0312, point_source="zip")
    login(page, UserFactory(organizer=True))
    page.goto(f"/admin/directory/organization/{location.organization.pk}/change/")
    latitude = page.locator("input[name='locations-0-latitude']")
    longitude = page.locator("input[name='locations-0-longitude']")
    source = page.locator("select[name='locations-0-point_source']")
    map_box = page.locator(".location-map").first
    map_box.scroll_into_view_if_needed()
    marker = page.locator(".location-map .leaflet-marker-icon").first
    assert marker.is_visible()

    # Click somewhere else on the map: the fields follow and the point becomes a pin.
    box = map_box.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.25)
    new_latitude, new_longitude = float(latitude.input_value()), float(longitude.input_value())
    assert new_latitude > 38.9067 and new_longitude < -77.0312  # up and to the left
    assert source.input_value() == "pin"

    # Typing coordinates moves the pin.
    before = marker.bounding_box()
    latitude.fill("38.9100")
    longitude.fill("-77.0200")
    longitude.dispatch_event("change")
    after = marker.bounding_box()
    assert (before["x"], before["y"]) != (after["x"], after["y"])
    screenshot(page, "admin-location-map")

    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/directory/organization/")
    stored = Organization.objects.get(pk=location.organization.pk).locations.get()
    assert (stored.latitude, stored.longitude) == (38.91, -77.02)
    assert stored.point_source == "pin"
    assert page.errors == []


def test_dragging_the_pin_sets_the_point(page, login):
    location = LocationFactory(latitude=38.9067, longitude=-77.0312)
    login(page, UserFactory(organizer=True))
    page.goto(f"/admin/directory/organization/{location.organization.pk}/change/")
    marker = page.locator(".location-map .leaflet-marker-icon").first
    marker.scroll_into_view_if_needed()
    box = marker.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] - 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 60, y + 40, steps=8)
    page.mouse.up()
    latitude = float(page.locator("input[name='locations-0-latitude']").input_value())
    longitude = float(page.locator("input[name='locations-0-longitude']").input_value())
    assert latitude < 38.9067 and longitude > -77.0312  # down and to the right
    assert page.errors == []
