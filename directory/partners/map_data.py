"""Map data (/api/locations.geojson): the public points of filtered organizations as a
GeoJSON FeatureCollection, for the site's own maps and for partners.

The database writes the whole document (PostgreSQL's json_agg, SQLite's
json_group_array) in one query, so no Python runs per row however many points there
are. Features carry only what the map needs: slug, name, type_slug (named as in the
organizations GeoJSON and the CSV), city, whether it accepts new members (yes, no or
unknown) and url.
Approximate points are rounded in the database (directory.listings.privacy);
hidden points are never selected.

At most `settings.MAP_DATA_MAX_FEATURES` features are returned; the FeatureCollection's
foreign member "truncated" says whether more matched (RFC 7946 section 6.1 allows
foreign members).
"""

import gzip
import re

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.db.models import F
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from directory.browse.filters import BBox
from directory.browse.selectors import applied_filters, public_filterset
from directory.core.cache import remember
from directory.core.errors import InvalidParameters
from directory.core.links import absolute_url
from directory.listings import privacy
from directory.partners.http import (
    REPRESENTATION_VERSION,
    check_limit,
    conditional_response,
    describe_rate,
    rate_limit,
)

MEDIA_TYPE = "application/geo+json"
ACCEPTS_GZIP = re.compile(r"\bgzip\b")

PROPERTIES = ("slug", "name", "type_slug", "city", "accepting", "url")

_FEATURE = {
    "postgresql": (
        "json_build_object('type', 'Feature', "
        "'geometry', json_build_object('type', 'Point', "
        "'coordinates', json_build_array(m.map_longitude, m.map_latitude)), "
        "'properties', json_build_object('slug', m.map_slug, 'name', m.map_name, "
        "'type_slug', m.map_type, 'city', m.map_city, 'accepting', m.map_accepting, "
        "'url', %s || m.map_slug || '/'))"
    ),
    "sqlite": (
        "json_object('type', 'Feature', "
        "'geometry', json_object('type', 'Point', "
        "'coordinates', json_array(m.map_longitude, m.map_latitude)), "
        "'properties', json_object('slug', m.map_slug, 'name', m.map_name, "
        "'type_slug', m.map_type, 'city', m.map_city, 'accepting', m.map_accepting, "
        "'url', %s || m.map_slug || '/'))"
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
    public_latitude, public_longitude = privacy.public_point_expressions()
    rows = (
        locations.annotate(
            map_longitude=public_longitude,
            map_latitude=public_latitude,
            map_slug=F("organization__slug"),
            map_name=F("organization__name"),
            map_type=F("organization__type__slug"),
            map_city=F("city"),
            map_accepting=F("organization__accepting_members"),
        )
        .order_by()
        .values(
            "map_longitude",
            "map_latitude",
            "map_slug",
            "map_name",
            "map_type",
            "map_city",
            "map_accepting",
        )[: limit + 1]
    )
    connection = connections[locations.db]
    return connection, *rows.query.get_compiler(connection=connection).as_sql()


def feature_collection(locations, *, url_prefix: str) -> bytes:
    """The RFC 7946 FeatureCollection of the locations as UTF-8 JSON written by the
    database in one query (each feature's url is url_prefix + slug + "/")."""
    limit = settings.MAP_DATA_MAX_FEATURES
    connection, rows_sql, rows_params = _rows(locations, limit)
    vendor = connection.vendor if connection.vendor in _COLLECTION else "sqlite"
    sql = _COLLECTION[vendor].format(feature=_FEATURE[vendor], rows=rows_sql)
    with connection.cursor() as cursor:
        cursor.execute(sql, [url_prefix, limit, limit, *rows_params])
        (document,) = cursor.fetchone()
    return document.encode()


def _compress(document: bytes) -> bytes:
    """gzip level 1: on this JSON it is about three times faster than GZipMiddleware's
    level 6 for a file about 20% bigger, and the time matters more than the bytes for a
    map with 100,000 points."""
    return gzip.compress(document, compresslevel=1, mtime=0)


def _accepts_gzip(request) -> bool:
    return bool(ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))


@require_safe
def location_map_data(request):
    """Published organizations' public points as GeoJSON; same filters plus bbox."""
    limit = check_limit("map", request)
    if not limit.allowed:
        response = JsonResponse(
            {
                "detail": _(
                    "Too many requests from your address. The limit for the map data is %(limit)s."
                )
                % {"limit": describe_rate(rate_limit("map"))}
            },
            status=429,
        )
        response["Retry-After"] = str(limit.retry_after)
        return response
    try:
        filterset = public_filterset(request.GET)
    except InvalidParameters as error:
        return JsonResponse({"errors": error.messages}, status=400)
    locations = map_locations(
        filterset.qs.order_by() if filterset.narrows_organizations else None,
        bbox=filterset.form.cleaned_data["bbox"],
    )
    url_prefix = absolute_url(reverse("directory:organization-detail", args=["x"]))[:-2]
    # Kept and validated by the filters applied, not the raw query string:
    # ?utm_source=... must not build and keep another copy of the map.
    filters = applied_filters(filterset)
    gzip_accepted = _accepts_gzip(request)

    def build(version):
        # Everyone asking with the same filters gets the same document until public data
        # changes, so it is built and compressed once per change. Only the compressed
        # form is kept (a seventh of the size, so a seventh of the time to read back);
        # the rare client that does not accept gzip gets it decompressed.
        compressed = remember(
            f"locations-geojson-gz v{REPRESENTATION_VERSION} {url_prefix} "
            f"{settings.MAP_DATA_MAX_FEATURES}",
            filters,
            lambda: _compress(feature_collection(locations, url_prefix=url_prefix)),
            version=version,
            # The whole map, which every first visit loads, is shared by all processes;
            # a filtered or zoomed-in one stays in this process's bounded memory, so no
            # run of distinct filters can fill the shared cache.
            store=caches["default"] if not filters else caches["documents"],
        )
        response = HttpResponse(
            compressed if gzip_accepted else gzip.decompress(compressed),
            content_type=MEDIA_TYPE,
        )
        if gzip_accepted:
            response["Content-Encoding"] = "gzip"
        return response

    response = conditional_response(request, build=build, params=sorted(filters.items()))
    patch_vary_headers(response, ["Accept-Encoding"])
    patch_cache_control(response, public=True)
    if gzip_accepted:
        # The gzipped bytes differ from the identity ones: the same ETag, marked weak.
        response["ETag"] = "W/" + response["ETag"]
    return response
