"""{% type_marker organization_type %}: the type's map pin (its glyph on its colour) as
inline SVG, the same drawing the map script makes, for cards, the filters and the key."""

from django import template
from django.utils.html import format_html, format_html_join

from directory.core.markers import glyph_paths, ink_for

register = template.Library()


@register.simple_tag
def type_marker(organization_type, size: int = 28):
    glyph = glyph_paths(organization_type.marker)
    paths = format_html_join("", '<path d="{}"/>', ((d,) for d in glyph))
    return format_html(
        '<svg class="type-marker" width="{size}" height="{size}" viewBox="0 0 32 32" '
        'aria-hidden="true" focusable="false"><circle cx="16" cy="16" r="15" fill="{fill}"/>'
        '<g transform="translate(6.4 6.4) scale(0.8)" stroke="{ink}">{paths}</g></svg>',
        size=size,
        fill=organization_type.colour,
        ink=ink_for(organization_type.colour),
        paths=paths,
    )
