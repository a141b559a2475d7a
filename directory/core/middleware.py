"""Response headers that depend on the view, and compression of the public data.

The site-wide Content-Security-Policy forbids framing (`frame-ancestors 'none'`). A
view that partners may put in an iframe (the `/embed/` map) is marked with Django's
`@xframe_options_exempt`, which already drops X-Frame-Options; here the same mark
opens `frame-ancestors` to every site, so the two headers can never disagree.
"""

import re

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.middleware.gzip import GZipMiddleware

FRAMEABLE_BY_ANY_SITE = {"frame-ancestors": ["*"]}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if getattr(response, "xframe_options_exempt", False):
            parts.replace = {**(parts.replace or {}), **FRAMEABLE_BY_ANY_SITE}
        return parts


class PublicDataGZipMiddleware(GZipMiddleware):
    """gzip for the public data addresses only (settings.PUBLIC_DATA_PATHS): JSON, CSV
    and GeoJSON shrink five to ten times, streamed answers included. Pages and forms
    are left alone: compressing a page that holds a CSRF token beside reflected input
    opens it to BREACH. Answers already compressed (the map data) pass through."""

    def process_response(self, request, response):
        if not re.match(settings.PUBLIC_DATA_PATHS, request.path_info):
            return response
        return super().process_response(request, response)
