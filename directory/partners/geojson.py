"""GeoJSON (RFC 7946) of published organizations, streamed in constant memory.

One Feature per organization, placed at its primary location's public point: exact, or
rounded to about 1 km when the location is approximate. When that point is hidden (or
the organization has no located primary location) the Feature has `"geometry": null`,
which RFC 7946 (section 3.2) allows for an unlocated feature, so the collection holds
exactly the organizations of the list with the same filters, and a partner can still
show them by service area. Properties are the CSV columns with JSON types (lists as
arrays) plus the longer public texts; the licence is a member of the FeatureCollection.
"""

import datetime
import json
from collections.abc import Iterator

from django.db.models import QuerySet

from directory.partners.columns import API_ONLY_COLUMNS, COLUMNS_BY_NAME
from directory.partners.csv_export import raw_chunks
from directory.partners.serializers import license_data

# Coordinates are the geometry, the licence is the collection's, and every feature is
# published: no property repeats them.
WITHOUT = {"status", "latitude", "longitude", "license", "license_url"}
PROPERTY_COLUMNS = (
    *(column for name, column in COLUMNS_BY_NAME.items() if name not in WITHOUT),
    *API_ONLY_COLUMNS,
)
POINT_COLUMNS = (COLUMNS_BY_NAME["longitude"], COLUMNS_BY_NAME["latitude"])
MEDIA_TYPE = "application/geo+json"
COMPACT = (",", ":")


def _json_value(value):
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def stream_feature_collection(organizations: QuerySet, *, base_url: str) -> Iterator[bytes]:
    """The FeatureCollection for these organizations (already filtered), as bytes."""
    names = [column.name for column in PROPERTY_COLUMNS]
    opening = {"type": "FeatureCollection", "license": license_data()}
    yield json.dumps(opening, ensure_ascii=False, separators=COMPACT)[:-1].encode()
    yield b',"features":['
    separator = ""
    columns = (*POINT_COLUMNS, *PROPERTY_COLUMNS)
    for chunk in raw_chunks(organizations, columns=columns, base_url=base_url):
        features = []
        for longitude, latitude, *values in chunk:
            properties = {
                name: _json_value(value) for name, value in zip(names, values, strict=True)
            }
            geometry = (
                None
                if latitude is None
                else {"type": "Point", "coordinates": [longitude, latitude]}
            )
            features.append(
                {
                    "type": "Feature",
                    "id": properties["slug"],
                    "geometry": geometry,
                    "properties": properties,
                }
            )
        text = ",".join(
            json.dumps(feature, ensure_ascii=False, separators=COMPACT) for feature in features
        )
        yield (separator + text).encode()
        separator = ","
    yield b"]}"
