"""How far apart the map's type colours stay for colour-blind visitors.

Simulates protanopia, deuteranopia and tritanopia (Machado, Oliveira and Fernandes 2009,
severity 1.0, applied in linear sRGB) and prints, for normal vision and each
simulation, the smallest CIEDE2000 difference between any two type colours and the pair
it belongs to. Glyphs tell the types apart in any case; the colours are a second cue.

    .venv/bin/python bench/palette.py            # the palette the seeded types get
    .venv/bin/python bench/palette.py '#1f77b4' '#ff7f0e' ...   # any colours

A difference under about 10 is hard to see on a small pin; under 2 it is invisible.
"""

import itertools
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

MACHADO = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}


def to_linear(colour: str) -> tuple[float, float, float]:
    channels = [int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
    return tuple(c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)


def simulate(linear, matrix):
    mixed = (sum(m * c for m, c in zip(row, linear, strict=True)) for row in matrix)
    return tuple(min(1.0, max(0.0, value)) for value in mixed)


def to_lab(linear) -> tuple[float, float, float]:
    r, g, b = linear
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def ciede2000(lab1, lab2) -> float:
    """CIEDE2000 colour difference (Sharma, Wu and Dalal 2005), kL = kC = kH = 1."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    c_mean = (c1 + c2) / 2
    g = 0.5 * (1 - math.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    delta_l = l2 - l1
    delta_c = c2p - c1p
    if c1p * c2p == 0:
        delta_h_angle = 0.0
    elif abs(h2p - h1p) <= 180:
        delta_h_angle = h2p - h1p
    else:
        delta_h_angle = h2p - h1p - 360 if h2p > h1p else h2p - h1p + 360
    delta_h = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(delta_h_angle) / 2)
    l_mean = (l1 + l2) / 2
    cp_mean = (c1p + c2p) / 2
    if c1p * c2p == 0:
        hp_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hp_mean = (h1p + h2p) / 2
    else:
        hp_mean = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(hp_mean - 30))
        + 0.24 * math.cos(math.radians(2 * hp_mean))
        + 0.32 * math.cos(math.radians(3 * hp_mean + 6))
        - 0.20 * math.cos(math.radians(4 * hp_mean - 63))
    )
    delta_theta = 30 * math.exp(-(((hp_mean - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_mean**7 / (cp_mean**7 + 25**7))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c = 1 + 0.045 * cp_mean
    s_h = 1 + 0.015 * cp_mean * t
    r_t = -math.sin(math.radians(2 * delta_theta)) * r_c
    return math.sqrt(
        (delta_l / s_l) ** 2
        + (delta_c / s_c) ** 2
        + (delta_h / s_h) ** 2
        + r_t * (delta_c / s_c) * (delta_h / s_h)
    )


def minimum_difference(colours: dict[str, str], matrix=None) -> tuple[float, str, str]:
    labs = {}
    for name, colour in colours.items():
        linear = to_linear(colour)
        labs[name] = to_lab(simulate(linear, matrix) if matrix else linear)
    return min(
        (ciede2000(labs[first], labs[second]), first, second)
        for first, second in itertools.combinations(labs, 2)
    )


def seeded_palette() -> dict[str, str]:
    import importlib

    migration = importlib.import_module("directory.migrations.0013_type_markers")
    return {slug: colour for slug, (colour, _glyph) in migration.TYPE_MARKERS.items()}


def main(arguments: list[str]) -> None:
    colours = {colour: colour for colour in arguments} if arguments else seeded_palette()
    print(f"{len(colours)} colours")
    print(f"{'vision':<14} {'min CIEDE2000':>13}  closest pair")
    for vision, matrix in [("normal", None), *MACHADO.items()]:
        difference, first, second = minimum_difference(colours, matrix)
        print(f"{vision:<14} {difference:>13.1f}  {first} / {second}")


if __name__ == "__main__":
    main(sys.argv[1:])
