"""The design system's colours are readable: contrast ratios computed from the tokens
in static/directory/site.css (WCAG 2: 4.5:1 for text, 3:1 for focus rings and control
borders), the token contract other templates rely on, and pins whose glyph stands out
from their fill."""

import pytest

from directory.browse.design import GRAPHIC_PAIRS, TEXT_PAIRS, design_tokens
from directory.core.markers import contrast_ratio, ink_for
from directory.models import OrganizationType

CONTRACT = {
    *(
        f"color-{name}"
        for name in [
            "bg",
            "surface",
            "text",
            "muted",
            "border",
            "accent",
            "accent-strong",
            "accent-text",
            "focus",
            "danger",
            "success",
            "warning",
        ]
    ),
    *(f"space-{step}" for step in range(1, 9)),
    "font-body",
    *(f"text-{size}" for size in ("sm", "base", "lg", "xl", "2xl")),
    "radius",
    "radius-lg",
    "shadow-1",
    "shadow-2",
}
SPACES = {1: "4px", 2: "8px", 3: "12px", 4: "16px", 5: "24px", 6: "32px", 7: "48px", 8: "64px"}


def test_every_token_of_the_contract_is_defined():
    tokens = design_tokens()
    assert tokens.keys() >= CONTRACT, CONTRACT - tokens.keys()
    assert {step: tokens[f"space-{step}"] for step in SPACES} == SPACES


@pytest.mark.parametrize(("foreground", "background"), TEXT_PAIRS)
def test_text_colours_meet_wcag_aa(foreground, background):
    tokens = design_tokens()
    ratio = contrast_ratio(tokens[foreground], tokens[background])
    assert ratio >= 4.5, f"{foreground} on {background}: {ratio:.2f}:1"


@pytest.mark.parametrize(("foreground", "background"), GRAPHIC_PAIRS)
def test_focus_rings_and_control_borders_stand_out(foreground, background):
    tokens = design_tokens()
    ratio = contrast_ratio(tokens[foreground], tokens[background])
    assert ratio >= 3, f"{foreground} on {background}: {ratio:.2f}:1"


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.django_db
def test_each_seeded_type_has_its_own_glyph_drawn_in_a_contrasting_ink():
    types = list(OrganizationType.objects.all())
    assert len({organization_type.marker for organization_type in types}) == len(types)
    for organization_type in types:
        ink = ink_for(organization_type.colour)
        assert contrast_ratio(ink, organization_type.colour) >= 4.5, organization_type.slug
