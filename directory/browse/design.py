"""The design system's tokens, read from the stylesheet that defines them, for the living
reference page (/design/) and the contrast check (tests/site/test_design_tokens.py)."""

import re
from pathlib import Path

from django.conf import settings

STYLESHEET = Path(settings.BASE_DIR) / "static" / "directory" / "site.css"
_ROOT = re.compile(r":root\s*\{(?P<body>[^}]*)\}")
_TOKEN = re.compile(r"--(?P<name>[\w-]+)\s*:\s*(?P<value>[^;]+);")

# Text colour on background colour: WCAG AA for normal text (4.5:1).
TEXT_PAIRS = (
    ("color-text", "color-bg"),
    ("color-text", "color-surface"),
    ("color-muted", "color-bg"),
    ("color-muted", "color-surface"),
    ("color-accent", "color-bg"),
    ("color-accent", "color-surface"),
    ("color-accent-strong", "color-accent-tint"),
    ("color-accent-text", "color-accent"),
    ("color-accent-text", "color-accent-strong"),
    ("color-danger", "color-surface"),
    ("color-danger", "color-danger-tint"),
    ("color-success", "color-surface"),
    ("color-success", "color-success-tint"),
    ("color-warning", "color-surface"),
    ("color-warning", "color-warning-tint"),
    ("color-text", "color-warning-tint"),
    ("color-text", "color-danger-tint"),
)
# Focus rings and control borders against what they sit on: 3:1 (WCAG 1.4.11).
GRAPHIC_PAIRS = (
    ("color-focus", "color-bg"),
    ("color-focus", "color-surface"),
    ("color-border-strong", "color-surface"),
    ("color-accent", "color-surface"),
)
COLOUR_TOKENS = (
    "color-bg",
    "color-surface",
    "color-text",
    "color-muted",
    "color-border",
    "color-accent",
    "color-accent-strong",
    "color-accent-text",
    "color-focus",
    "color-danger",
    "color-success",
    "color-warning",
)


def design_tokens(stylesheet: Path = STYLESHEET) -> dict[str, str]:
    """Every custom property the stylesheet's first :root block defines, by name."""
    match = _ROOT.search(stylesheet.read_text(encoding="utf-8"))
    body = re.sub(r"/\*.*?\*/", "", match.group("body"), flags=re.DOTALL) if match else ""
    return {token["name"]: token["value"].strip() for token in _TOKEN.finditer(body)}
