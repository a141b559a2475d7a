"""A public suggestion as the form posts it."""

import time

from directory.contributions import abuse


def suggestion(**overrides) -> dict:
    data = {
        "name": "Anacostia Bike Repair Cooperative",
        "type": "worker-cooperative",
        "summary": "A bike repair shop owned by its mechanics.",
        "website": "https://example.org/anacostia-bikes",
        "email": "hello@example.org",
        "phone": "(202) 555-0190",
        "languages": ["en", "es"],
        "sectors": ["repair-reuse"],
        "how_to_join": "Ask at the shop.",
        "street_address": "1300 Good Hope Rd SE",
        "zip_code": "20020",
        "latitude": "",
        "longitude": "",
        "precision": "exact",
        "service_area": ["11001"],
        "submitter_name": "Pat Visitor",
        "submitter_email": "pat.private@example.net",
        "homepage": "",
        "started": abuse.started_token(time.time() - 60),
    }
    data.update(overrides)
    return data
