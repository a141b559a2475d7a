"""What partners reuse: the CSV export, the JSON API, both GeoJSON endpoints (map data
and organizations), the OpenAPI schema and the /api/ documentation page, with their
validators (ETag, Last-Modified) and per-client rate limits."""
