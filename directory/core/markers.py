# ruff: noqa: E501 (vendored icon path data is kept as published, one path a line)
"""Map markers: the glyph drawn in each organization type's pin and the ink it is drawn in.

A type is told apart by its glyph as well as its colour, so nobody needs to see colour
to read the map. The glyphs are Lucide icons (ISC licence, lucide-static 1.62.0; see
static/vendor/lucide-static-1.62.0/LICENSE), 24-unit stroked paths. The palette the
seeded types use is Paul Tol's "muted" scheme, checked for colour-blind viewers by
bench/palette.py.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Ink (glyph) colours: whichever of the two contrasts more with the pin's fill.
DARK_INK = "#1a1a1a"
LIGHT_INK = "#ffffff"


class Glyph(models.TextChoices):
    DOT = "dot", _("Dot")
    HAMMER = "hammer", _("Hammer")
    BASKET = "basket", _("Basket")
    WHEAT = "wheat", _("Wheat")
    HOUSE = "house", _("House")
    TREES = "trees", _("Trees")
    HAND_HEART = "hand-heart", _("Hand with a heart")
    PIGGY_BANK = "piggy-bank", _("Piggy bank")
    LANDMARK = "landmark", _("Public building")
    HAND_COINS = "hand-coins", _("Hand with coins")
    SPARKLES = "sparkles", _("Sparkles")


GLYPH_PATHS: dict[str, tuple[str, ...]] = {
    "dot": ("M8 12a4 4 0 1 0 8 0a4 4 0 1 0-8 0",),
    "hammer": (
        "m15 12-9.373 9.373a1 1 0 0 1-3.001-3L12 9",
        "m18 15 4-4",
        "m21.5 11.5-1.914-1.914A2 2 0 0 1 19 8.172v-.344a2 2 0 0 0-.586-1.414l-1.657-1.657A6 6 0 0 0 12.516 3H9l1.243 1.243A6 6 0 0 1 12 8.485V10l2 2h1.172a2 2 0 0 1 1.414.586L18.5 14.5",
    ),
    "basket": (
        "m15 11-1 9",
        "m19 11-4-7",
        "M2 11h20",
        "m3.5 11 1.6 7.4a2 2 0 0 0 2 1.6h9.8a2 2 0 0 0 2-1.6l1.7-7.4",
        "M4.5 15.5h15",
        "m5 11 4-7",
        "m9 11 1 9",
    ),
    "wheat": (
        "M2 22 16 8",
        "M3.47 12.53 5 11l1.53 1.53a3.5 3.5 0 0 1 0 4.94L5 19l-1.53-1.53a3.5 3.5 0 0 1 0-4.94Z",
        "M7.47 8.53 9 7l1.53 1.53a3.5 3.5 0 0 1 0 4.94L9 15l-1.53-1.53a3.5 3.5 0 0 1 0-4.94Z",
        "M11.47 4.53 13 3l1.53 1.53a3.5 3.5 0 0 1 0 4.94L13 11l-1.53-1.53a3.5 3.5 0 0 1 0-4.94Z",
        "M20 2h2v2a4 4 0 0 1-4 4h-2V6a4 4 0 0 1 4-4Z",
        "M11.47 17.47 13 19l-1.53 1.53a3.5 3.5 0 0 1-4.94 0L5 19l1.53-1.53a3.5 3.5 0 0 1 4.94 0Z",
        "M15.47 13.47 17 15l-1.53 1.53a3.5 3.5 0 0 1-4.94 0L9 15l1.53-1.53a3.5 3.5 0 0 1 4.94 0Z",
        "M19.47 9.47 21 11l-1.53 1.53a3.5 3.5 0 0 1-4.94 0L13 11l1.53-1.53a3.5 3.5 0 0 1 4.94 0Z",
    ),
    "house": (
        "M15 21v-8a1 1 0 0 0-1-1h-4a1 1 0 0 0-1 1v8",
        "M3 10a2 2 0 0 1 .709-1.528l7-6a2 2 0 0 1 2.582 0l7 6A2 2 0 0 1 21 10v9a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z",
    ),
    "trees": (
        "M10 10v.2A3 3 0 0 1 8.9 16H5a3 3 0 0 1-1-5.8V10a3 3 0 0 1 6 0Z",
        "M7 16v6",
        "M13 19v3",
        "M12 19h8.3a1 1 0 0 0 .7-1.7L18 14h.3a1 1 0 0 0 .7-1.7L16 9h.2a1 1 0 0 0 .8-1.7L13 3l-1.4 1.5",
    ),
    "hand-heart": (
        "M11 14h2a2 2 0 0 0 0-4h-3c-.6 0-1.1.2-1.4.6L3 16",
        "m14.45 13.39 5.05-4.694C20.196 8 21 6.85 21 5.75a2.75 2.75 0 0 0-4.797-1.837.276.276 0 0 1-.406 0A2.75 2.75 0 0 0 11 5.75c0 1.2.802 2.248 1.5 2.946L16 11.95",
        "m2 15 6 6",
        "m7 20 1.6-1.4c.3-.4.8-.6 1.4-.6h4c1.1 0 2.1-.4 2.8-1.2l4.6-4.4a1 1 0 0 0-2.75-2.91",
    ),
    "piggy-bank": (
        "M11 17h3v2a1 1 0 0 0 1 1h2a1 1 0 0 0 1-1v-3a3.16 3.16 0 0 0 2-2h1a1 1 0 0 0 1-1v-2a1 1 0 0 0-1-1h-1a5 5 0 0 0-2-4V3a4 4 0 0 0-3.2 1.6l-.3.4H11a6 6 0 0 0-6 6v1a5 5 0 0 0 2 4v3a1 1 0 0 0 1 1h2a1 1 0 0 0 1-1z",
        "M16 10h.01",
        "M2 8v1a2 2 0 0 0 2 2h1",
    ),
    "landmark": (
        "M10 18v-7",
        "M11.119 2.205a2 2 0 0 1 1.762 0l7.84 3.846A.5.5 0 0 1 20.5 7h-17a.5.5 0 0 1-.22-.949z",
        "M14 18v-7",
        "M18 18v-7",
        "M3 22h18",
        "M6 18v-7",
    ),
    "hand-coins": (
        "M11 15h2a2 2 0 1 0 0-4h-3c-.6 0-1.1.2-1.4.6L3 17",
        "m7 21 1.6-1.4c.3-.4.8-.6 1.4-.6h4c1.1 0 2.1-.4 2.8-1.2l4.6-4.4a2 2 0 0 0-2.75-2.91l-4.2 3.9",
        "m2 16 6 6",
        "M13.1 9a2.9 2.9 0 1 0 5.8 0a2.9 2.9 0 1 0 -5.8 0",
        "M3 5a3 3 0 1 0 6 0a3 3 0 1 0 -6 0",
    ),
    "sparkles": (
        "M11.017 2.814a1 1 0 0 1 1.966 0l1.051 5.558a2 2 0 0 0 1.594 1.594l5.558 1.051a1 1 0 0 1 0 1.966l-5.558 1.051a2 2 0 0 0-1.594 1.594l-1.051 5.558a1 1 0 0 1-1.966 0l-1.051-5.558a2 2 0 0 0-1.594-1.594l-5.558-1.051a1 1 0 0 1 0-1.966l5.558-1.051a2 2 0 0 0 1.594-1.594z",
        "M20 2v4",
        "M22 4h-4",
        "M2 20a2 2 0 1 0 4 0a2 2 0 1 0 -4 0",
    ),
}


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a #rrggbb colour."""
    channels = [int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours (1 to 21)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def ink_for(fill: str) -> str:
    """The glyph colour that stands out more on a pin of this fill colour."""
    if contrast_ratio(fill, DARK_INK) >= contrast_ratio(fill, LIGHT_INK):
        return DARK_INK
    return LIGHT_INK


def glyph_paths(glyph: str) -> tuple[str, ...]:
    """The glyph's path data; an unknown name draws the plain dot."""
    return GLYPH_PATHS.get(glyph, GLYPH_PATHS[Glyph.DOT])
