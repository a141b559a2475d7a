"""Map data (/api/locations.geojson) against PostgreSQL's json_agg floor and a plain
Django REST framework ModelSerializer, for the full set and a county-sized bbox.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench \\
        .venv/bin/python bench/map_data.py --count 10000 --repeat 7

Prints the median milliseconds of each way, the ratios the issue sets targets for
(endpoint within 1.5x of the floor, at least 3x faster than DRF; taken for "+gzip",
the request the map page makes) and the query counts. "endpoint" is the full Django
request through the test client without compression, building the document: the
data version is replaced before each request, as a change to a listing does, so the
shared cache cannot answer (the cache keeps the gzipped bytes, so this way also
compresses once and decompresses once). "+gzip" is the same with Accept-Encoding:
gzip (what browsers get). "cached" is a repeated gzip request, answered from the cache
(directory.core.cache) without building anything.
"""

import argparse
import json

from _setup import compare_ms, setup_django, vacuum_analyze

# Montgomery County, Maryland: about 1,300 km2 (a "county-sized" box).
COUNTY_BBOX = (-77.53, 38.93, -76.88, 39.35)

FLOOR_SQL = """
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(
  json_build_object('type', 'Feature',
    'geometry', json_build_object('type', 'Point', 'coordinates', json_build_array(
       CASE WHEN l.precision = 'exact' THEN l.longitude
            ELSE round(l.longitude::numeric, 2)::double precision END,
       CASE WHEN l.precision = 'exact' THEN l.latitude
            ELSE round(l.latitude::numeric, 2)::double precision END)),
    'properties', json_build_object('slug', o.slug, 'name', o.name, 'type_slug', t.slug,
       'city', l.city, 'url', 'http://testserver/organizations/' || o.slug || '/'))
), '[]'::json))::text
FROM directory_location l
JOIN directory_organization o ON o.id = l.organization_id
JOIN directory_organizationtype t ON t.id = o.type_id
WHERE o.status = 'published' AND l.latitude IS NOT NULL AND l.precision <> 'hidden'
  {bbox}
"""
FLOOR_BBOX = "AND l.longitude BETWEEN %s AND %s AND l.latitude BETWEEN %s AND %s"


def drf_view():
    """What many projects ship: a ModelSerializer per feature, rendered by DRF."""
    from rest_framework import generics, serializers
    from rest_framework.renderers import JSONRenderer

    from directory.listings import privacy
    from directory.models import Location

    class LocationFeatureSerializer(serializers.ModelSerializer):
        type = serializers.SerializerMethodField()
        geometry = serializers.SerializerMethodField()
        properties = serializers.SerializerMethodField()

        class Meta:
            model = Location
            fields = ["type", "geometry", "properties"]

        def get_type(self, location):
            return "Feature"

        def get_geometry(self, location):
            return {
                "type": "Point",
                "coordinates": [location.public_longitude, location.public_latitude],
            }

        def get_properties(self, location):
            organization = location.organization
            return {
                "slug": organization.slug,
                "name": organization.name,
                "type": organization.type.slug,
                "city": location.city,
                "url": self.context["request"].build_absolute_uri(organization.get_absolute_url()),
            }

    class LocationFeatures(generics.ListAPIView):
        serializer_class = LocationFeatureSerializer
        renderer_classes = [JSONRenderer]
        authentication_classes = []
        permission_classes = []
        pagination_class = None

        def get_queryset(self):
            queryset = privacy.with_public_points(
                privacy.on_map().select_related("organization__type")
            )
            bbox = self.request.query_params.get("bbox")
            if bbox:
                west, south, east, north = (float(part) for part in bbox.split(","))
                queryset = queryset.filter(
                    latitude__range=(south, north), longitude__range=(west, east)
                )
            return queryset

        def list(self, request, *args, **kwargs):
            response = super().list(request, *args, **kwargs)
            response.data = {"type": "FeatureCollection", "features": response.data}
            return response

    return LocationFeatures.as_view()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    published = setup_django(args.count)
    vacuum_analyze()

    from django.db import connection
    from django.test import Client, RequestFactory
    from django.test.utils import CaptureQueriesContext

    from directory.core.cache import bump

    client = Client()
    factory = RequestFactory()
    view = drf_view()
    bbox_param = ",".join(str(value) for value in COUNTY_BBOX)
    west, south, east, north = COUNTY_BBOX

    def endpoint(params, *, cached=False, **headers):
        def run():
            if not cached:
                bump()
            response = client.get("/api/locations.geojson", params, **headers)
            assert response.status_code == 200, response.content[:200]
            return response.content

        return run

    def floor(bbox):
        sql = FLOOR_SQL.format(bbox=FLOOR_BBOX if bbox else "")
        params = [west, east, south, north] if bbox else []

        def run():
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchone()[0].encode()

        return run

    def drf(params):
        def run():
            response = view(factory.get("/drf/locations.geojson", params))
            response.render()
            return response.content

        return run

    print(f"{published} published listings on PostgreSQL; median of {args.repeat} runs (ms)")
    print(
        f"{'case':<12} {'features':>8} {'floor':>8} {'endpoint':>9} {'+gzip':>8} "
        f"{'cached':>7} {'DRF':>9} {'+gzip/floor':>15} {'DRF/+gzip':>13} {'queries':>8}"
    )
    for label, params, bbox in (
        ("full set", {}, False),
        ("county bbox", {"bbox": bbox_param}, True),
    ):
        # The endpoint tests the box on public (rounded) points, the others on exact
        # ones, so a few approximate points on the edge may differ.
        features = len(json.loads(endpoint(params)())["features"])
        medians = compare_ms(
            {
                "floor": floor(bbox),
                "endpoint": endpoint(params),
                "gzip": endpoint(params, HTTP_ACCEPT_ENCODING="gzip"),
                # As the map page asks for it (the cache keeps the gzipped bytes).
                "cached": endpoint(params, cached=True, HTTP_ACCEPT_ENCODING="gzip"),
                "drf": drf(params),
            },
            repeat=args.repeat,
        )
        floor_ms, endpoint_ms, gzip_ms, cached_ms, drf_ms = (
            medians[name] for name in ("floor", "endpoint", "gzip", "cached", "drf")
        )
        with CaptureQueriesContext(connection) as queries:
            endpoint(params)()
        print(
            f"{label:<12} {features:>8} {floor_ms:>8.1f} {endpoint_ms:>9.1f} {gzip_ms:>8.1f} "
            f"{cached_ms:>7.1f} {drf_ms:>9.1f} {gzip_ms / floor_ms:>14.2f}x "
            f"{drf_ms / gzip_ms:>12.1f}x "
            f"{len(queries):>8}"
        )


if __name__ == "__main__":
    main()
