"""Only these modules touch a location's stored latitude and longitude. Everything a
visitor sees reads points through directory.listings.privacy, so a new surface that
reads them directly fails here and must go through the privacy module (or, if it is
for organizers only, be added to the list below with its reason)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COORDINATES = ("latitude", "longitude")

ALLOWED = {
    # The model and the one rule for the public.
    "directory/models/locations.py": "the stored fields and their constraints",
    "directory/listings/privacy.py": "what the public may see of a location",
    # Finding, writing and showing points to organizers.
    "directory/core/geocoding.py": "points from ZIP codes and the street geocoder",
    "directory/listings/services.py": "placing a location from its ZIP code or address",
    "directory/listings/admin_parts.py": "the organizers' location form and its map",
    "directory/listings/imports/diff.py": "spreadsheet import of a location's point",
    "directory/contributions/places.py": "placing a suggested location from a pin or ZIP",
    "directory/contributions/forms.py": "the pin a person drops on the suggest form",
    "directory/contributions/views.py": "the suggested pin, passed to the lookalike check",
    "directory/contributions/duplicates.py": "organizers' duplicate flags (stored points)",
    "directory/contributions/admin.py": "organizers review a suggestion's exact point",
    "directory/contributions/merge.py": "merging: two locations within 50 m are one place",
    "directory/contributions/proposals.py": "the review says what a new address does to the pin",
    "directory/management/commands/generate_listings.py": "synthetic listings",
}


# Calls that name a model field by a string: F("latitude"), .values("latitude"), ...
FIELD_NAMING_CALLS = {"F", "values", "values_list", "only", "defer", "order_by", "get_field"}


def _is_coordinate_name(name: str | None) -> bool:
    return bool(name) and name.split("__")[0] in COORDINATES


def _callee(call: ast.Call) -> str:
    function = call.func
    return function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")


def _touches(tree: ast.AST) -> bool:
    """Reads or writes `.latitude`/`.longitude`, filters by them (latitude__range=...),
    or names them to the ORM (F("latitude"), values_list("longitude"))."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in COORDINATES:
            return True
        if isinstance(node, ast.keyword) and _is_coordinate_name(node.arg):
            return True
        if (
            isinstance(node, ast.Call)
            and _callee(node) in FIELD_NAMING_CALLS
            and any(
                isinstance(argument, ast.Constant) and _is_coordinate_name(str(argument.value))
                for argument in node.args
            )
        ):
            return True
    return False


def modules_touching_raw_coordinates() -> set[str]:
    found = set()
    for path in (ROOT / "directory").rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if "/migrations/" in relative:
            continue
        if _touches(ast.parse(path.read_text(), relative)):
            found.add(relative)
    return found


def test_only_the_listed_modules_touch_stored_coordinates():
    assert modules_touching_raw_coordinates() == set(ALLOWED)
