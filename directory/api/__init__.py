"""What partners reuse: the JSON API, the GeoJSON of organizations and the CSV export.

Every endpoint filters through directory.selectors (the one FilterSet), shows published
organizations only, carries the data licence, answers conditional requests and is rate
limited per client (directory.http).
"""
