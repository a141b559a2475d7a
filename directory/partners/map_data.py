"""Map data: the public points of filtered organizations as a GeoJSON FeatureCollection.

The database writes the whole document (PostgreSQL's json_agg, SQLite's
json_group_array) in one query, so no Python runs per row however many points there
are. Features carry only what the map needs: slug, name, type slug, city and url.
Approximate points are rounded in the database (directory.listings.privacy);
hidden points are never selected.

At most `settings.MAP_DATA_MAX_FEATURES` features are returned; the FeatureCollection's
foreign member "truncated" says whether more matched (RFC 7946 section 6.1 allows
foreign members).
"""

import hashlib

from django.conf import settings
from django.db import connections
from django.db.models import F

from directory.browse.filters import BBox
from directory.listings import privacy
from directory.listings.privacy import public_coordinate

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
        "'truncated', count(*) > %s)::text, "
        "count(*), max(m.map_changed), max(m.map_pk) "
        "FROM (SELECT rows.*, row_number() OVER () AS map_row FROM ({rows}) AS rows) AS m"
    ),
    "sqlite": (
        "SELECT json_object('type', 'FeatureCollection', "
        "'features', json(coalesce(json_group_array(json({feature})) "
        "FILTER (WHERE m.map_row <= %s), '[]')), "
        "'truncated', json(CASE WHEN count(*) > %s THEN 'true' ELSE 'false' END)), "
        "count(*), max(m.map_changed), max(m.map_pk) "
        "FROM (SELECT rows.*, row_number() OVER () AS map_row FROM ({rows}) AS rows) AS m"
    ),
}


def map_locations(organizations=None, *, bbox: BBox | None = None):
    """Public points of the given (already filtered, published) organizations, or of
    every published organization when `organizations` is None (cheaper: no subquery)."""
    locations = privacy.on_map()
    if organizations is not None:
        locations = locations.filter(organization__in=organizations.values("pk"))
    if bbox is not None:
        locations = privacy.points_in_box(
            locations, west=bbox.west, south=bbox.south, east=bbox.east, north=bbox.north
        )
    return locations


def _rows(locations, limit: int):
    """The SQL (and parameters) of the rows a FeatureCollection is made of."""
    rows = (
        locations.annotate(
            map_longitude=public_coordinate("longitude"),
            map_latitude=public_coordinate("latitude"),
            map_slug=F("organization__slug"),
            map_name=F("organization__name"),
            map_type=F("organization__type__slug"),
            map_city=F("city"),
            map_changed=F("organization__updated_at"),
            map_pk=F("pk"),
        )
        .order_by()
        .values(
            "map_longitude",
            "map_latitude",
            "map_slug",
            "map_name",
            "map_type",
            "map_city",
            "map_changed",
            "map_pk",
        )[: limit + 1]
    )
    connection = connections[locations.db]
    return connection, *rows.query.get_compiler(connection=connection).as_sql()


def _version(key: str, count, last_change, last_pk) -> str:
    fingerprint = repr((key, settings.MAP_DATA_MAX_FEATURES, count, str(last_change), last_pk))
    return hashlib.sha256(fingerprint.encode()).hexdigest()[:32]


def data_version(locations, *, key: str) -> str:
    """A cheap validator for the map data of `locations`: one aggregate query, no JSON.

    It changes with `key` (the request's parameters) and whenever the selection
    changes: a location or listing leaving it lowers the count; one edited or entering
    it (publishing, moving, renaming, changing precision) raises the latest
    `updated_at`, which saving a location also touches (directory.listings.signals).
    feature_collection() returns the same value for the same data."""
    connection, rows_sql, rows_params = _rows(locations, settings.MAP_DATA_MAX_FEATURES)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), max(m.map_changed), max(m.map_pk) FROM ({rows_sql}) AS m",  # noqa: S608
            rows_params,
        )
        return _version(key, *cursor.fetchone())


def feature_collection(locations, *, url_prefix: str, key: str) -> tuple[bytes, str]:
    """The RFC 7946 FeatureCollection of the locations as UTF-8 JSON written by the
    database (each feature's url is url_prefix + slug + "/"), and its data_version(),
    both from one query."""
    limit = settings.MAP_DATA_MAX_FEATURES
    connection, rows_sql, rows_params = _rows(locations, limit)
    vendor = connection.vendor if connection.vendor in _COLLECTION else "sqlite"
    sql = _COLLECTION[vendor].format(feature=_FEATURE[vendor], rows=rows_sql)
    with connection.cursor() as cursor:
        cursor.execute(sql, [url_prefix, limit, limit, *rows_params])
        document, count, last_change, last_pk = cursor.fetchone()
    return document.encode(), _version(key, count, last_change, last_pk)
