"""What every part of the directory builds on, knowing nothing of listings: the region
(states and bounds), ZIP code geocoding, the client's address, the data version with
its one cache-or-build helper, absolute URLs from SITE_URL, the bad-parameter error,
plain-text validation, readable POST bodies, security headers and deployment checks."""
