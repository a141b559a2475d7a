"""Map data: the public points of filtered organizations as a GeoJSON FeatureCollection.

The database writes the whole document (PostgreSQL's json_agg, SQLite's
json_group_array) in one query, so no Python runs per row however many points there
are. Features carry only what the map needs: slug, name, type slug, city and url.
Approximate points are rounded in the database (directory.models.public_coordinate);
hidden points are never selected.

At most `settings.MAP_DATA_MAX_FEATURES` features are returned; the FeatureCollection's
foreign member "truncated" says whether more matched (RFC 7946 section 6.1 allows
foreign members).
"""

import hashlib

from django.conf import settings
from django.db import connections
from django.db.models import Count, F, Max

from directory.filters import BBox, public_points_in_bbox
from directory.models import Location, Organization, public_coordinate

PROPERTIES = ("slug", "name", "type", "city", "url")

_FEATURE = {
    "postgresql": (
        "json_build_object('type', 'Feature', "
        "'geometry', json_build_object('type', 'Point', "
        "'coordinates', json_build_array(m.map_longitude, m.map_latitude)), "
        "'properties', json_build_object('slug', m.map_slug, 'name', m.map_name, "
        "'type', m.map_type, 'city', m.map_city, 'url', %s || m.map_slug || '/'))"
    ),
    "sqlite": (
        "json_object('type', 'Feature', "
        "'geometry', json_object('type', 'Point', "
        "'coordinates', json_array(m.map_longitude, m.map_latitude)), "
        "'properties', json_object('slug', m.map_slug, 'name', m.map_name, "
        "'type', m.map_type, 'city', m.map_city, 'url', %s || m.map_slug || '/'))"
    ),
}
_COLLECTION = {
    "postgresql": (
        "SELECT json_build_object('type', 'FeatureCollection', "
        "'features', coalesce(json_agg({feature}) FILTER (WHERE m.map_row <= %s), '[]'::json), "
        "'truncated', count(*) > %s)::text "
        "FROM (SELECT rows.*, row_number() OVER () AS map_row FROM ({rows}) AS rows) AS m"
    ),
    "sqlite": (
        "SELECT json_object('type', 'FeatureCollection', "
        "'features', json(coalesce(json_group_array(json({feature})) "
        "FILTER (WHERE m.map_row <= %s), '[]')), "
        "'truncated', json(CASE WHEN count(*) > %s THEN 'true' ELSE 'false' END)) "
        "FROM (SELECT rows.*, row_number() OVER () AS map_row FROM ({rows}) AS rows) AS m"
    ),
}


def map_locations(organizations, *, bbox: BBox | None = None):
    """Public points of the given (already filtered, published) organizations."""
    locations = Location.objects.on_map().filter(organization__in=organizations.values("pk"))
    if bbox is not None:
        locations = public_points_in_bbox(locations, bbox)
    return locations


def feature_collection(locations, *, url_prefix: str, limit: int | None = None) -> bytes:
    """The RFC 7946 FeatureCollection of the locations, as UTF-8 JSON written by the
    database. Each feature's url is url_prefix + slug + "/"."""
    limit = settings.MAP_DATA_MAX_FEATURES if limit is None else limit
    rows = locations.annotate(
        map_longitude=public_coordinate("longitude"),
        map_latitude=public_coordinate("latitude"),
        map_slug=F("organization__slug"),
        map_name=F("organization__name"),
        map_type=F("organization__type__slug"),
        map_city=F("city"),
    ).values("map_longitude", "map_latitude", "map_slug", "map_name", "map_type", "map_city")[
        : limit + 1
    ]
    connection = connections[locations.db]
    rows_sql, rows_params = rows.query.get_compiler(connection=connection).as_sql()
    vendor = connection.vendor if connection.vendor in _COLLECTION else "sqlite"
    sql = _COLLECTION[vendor].format(feature=_FEATURE[vendor], rows=rows_sql)
    with connection.cursor() as cursor:
        cursor.execute(sql, [url_prefix, limit, limit, *rows_params])
        (document,) = cursor.fetchone()
    return document.encode()


def data_version(locations, *, key: str) -> str:
    """A cheap validator for the map data of `locations`: it changes whenever a
    published listing or location is added, removed or edited (saving a location
    touches its organization's updated_at, see directory.signals) and with `key` (the
    request's parameters)."""
    selected = locations.aggregate(
        count=Count("pk"), last_change=Max("organization__updated_at"), last_pk=Max("pk")
    )
    everywhere = Organization.objects.aggregate(count=Count("pk"), last_change=Max("updated_at"))
    fingerprint = repr((key, settings.MAP_DATA_MAX_FEATURES, selected, everywhere))
    return hashlib.sha256(fingerprint.encode()).hexdigest()[:32]
