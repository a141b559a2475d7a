"""Response headers that depend on the view.

The site-wide Content-Security-Policy forbids framing (`frame-ancestors 'none'`). A
view that partners may put in an iframe (the `/embed/` map) is marked with Django's
`@xframe_options_exempt`, which already drops X-Frame-Options; here the same mark
opens `frame-ancestors` to every site, so the two headers can never disagree.
"""

from csp.middleware import CSPMiddleware, PolicyParts

FRAMEABLE_BY_ANY_SITE = {"frame-ancestors": ["*"]}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if getattr(response, "xframe_options_exempt", False):
            parts.replace = {**(parts.replace or {}), **FRAMEABLE_BY_ANY_SITE}
        return parts

