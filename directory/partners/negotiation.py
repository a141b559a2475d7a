"""How the partner endpoints choose a format and report bad parameters.

Kept apart from the views because REST_FRAMEWORK names PublicContentNegotiation as the
default, and DRF imports it while defining APIView.
"""

from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.negotiation import BaseContentNegotiation, DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer


class BadQuery(APIException):
    """A 400 that lists every parameter problem in plain words."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_parameters"

    def __init__(self, messages: list[str]):
        super().__init__(
            {"detail": _("Some parameters could not be used."), "errors": list(messages)}
        )


class PublicContentNegotiation(DefaultContentNegotiation):
    """`?format=` must name one of the view's formats (a 400 says which exist); an
    Accept header nothing matches gets the view's first format rather than a 406."""

    def select_renderer(self, request, renderers, format_suffix=None):
        requested = format_suffix or request.query_params.get(self.settings.URL_FORMAT_OVERRIDE)
        formats = list(dict.fromkeys(renderer.format for renderer in renderers))
        if requested and requested not in formats:
            raise BadQuery(
                [
                    _("format: “%(value)s” is not available here. Available: %(formats)s.")
                    % {"value": requested[:20], "formats": ", ".join(formats)}
                ]
            )
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except APIException:
            return renderers[0], renderers[0].media_type


class FirstRendererNegotiation(BaseContentNegotiation):
    """For downloads whose only body is the file: errors use the view's one renderer."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class PlainTextErrorRenderer(BaseRenderer):
    """Errors of the CSV export as plain text, readable in a browser tab or a terminal."""

    media_type = "text/plain"
    format = "txt"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if not isinstance(data, dict):
            data = {"detail": data}
        errors = [f"- {error}" for error in data.get("errors", [])]
        return ("\n".join([str(data.get("detail", "")), *errors]) + "\n").encode()
