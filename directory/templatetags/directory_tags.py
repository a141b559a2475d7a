"""Template helpers for the public pages."""

import json

from django import template
from django.utils.html import _json_script_escapes
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def json_ld(data) -> str:
    """A JSON-LD data block. The JSON is escaped like json_script's, so no value can
    close the element; the block is data, never executed, so CSP allows it."""
    text = json.dumps(data, ensure_ascii=False).translate(_json_script_escapes)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced, e.g. for page links."""
    params = context["request"].GET.copy()
    for name, value in changes.items():
        params[name] = value
    return params.urlencode()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def tel_href(phone: str) -> str:
    """A phone number as a tel: link's target: its digits, with a leading + kept
    ("(301) 555-0151" -> "tel:3015550151")."""
    digits = "".join(character for character in phone if character.isdigit())
    return f"tel:{'+' if phone.strip().startswith('+') else ''}{digits}"
