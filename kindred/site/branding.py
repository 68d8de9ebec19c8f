"""An overlay's colours on the theme: which ones it may set, the WCAG AA check every text
pair must pass, and the small stylesheet that applies them.

The theme's colours are CSS custom properties (theme/static/css/kindred.css); an overlay sets
some of them, in a stylesheet the build writes and base.html links after the theme's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kindred.catalog.overlay import Colour, Overlay
from kindred.catalog.problems import Problem

# The colours an overlay may set: name in overlay.yaml -> (custom property, what it colours).
COLOURS = {
    "accent": ("--accent", "buttons and highlights"),
    "accent_hover": ("--accent-hover", "buttons under the pointer (default: accent)"),
    "on_accent": ("--on-accent", "text on buttons"),
    "band": ("--band", "the crisis band"),
    "on_band": ("--on-band", "text and links in the crisis band"),
    "link": ("--link", "links, in the light colour scheme"),
    "link_dark": ("--link", "links, in the dark colour scheme"),
}
# The theme's own values of what an overlay's colours are read against. They mirror
# kindred.css (a test checks they still do).
THEME = {
    "on_accent": "#ffffff",
    "on_band": "#ffffff",
    "page background": "#fbfaf7",
    "card background": "#ffffff",
    "dark page background": "#15171a",
    "dark card background": "#1d2024",
}
AA_TEXT = 4.5  # WCAG 2 level AA, normal-size text


@dataclass(frozen=True, slots=True)
class _Pair:
    text: str
    background: str


_PAIRS = (
    _Pair("on_accent", "accent"),
    _Pair("on_accent", "accent_hover"),
    _Pair("on_band", "band"),
    _Pair("link", "page background"),
    _Pair("link", "card background"),
    _Pair("link_dark", "dark page background"),
    _Pair("link_dark", "dark card background"),
)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2's contrast ratio of two #rrggbb colours, from 1 to 21."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _effective(colours: Mapping[str, Colour]) -> dict[str, str]:
    """Every colour a pair reads: the overlay's, else the theme's (a hover colour follows the
    accent, so an overlay that changes the accent never inherits a hover it cannot read on)."""
    values = {**THEME, **{name: colour.value for name, colour in colours.items()}}
    if "accent" in colours and "accent_hover" not in colours:
        values["accent_hover"] = colours["accent"].value
    return values


def colour_problems(overlay: Overlay) -> list[Problem]:
    """Unknown colour names, and every text pair the overlay changed that fails WCAG AA."""
    problems = []
    for name, colour in overlay.colours.items():
        if name not in COLOURS:
            problems.append(
                Problem(
                    overlay.source,
                    colour.line,
                    colour.col,
                    f"unknown colour '{name}'; an overlay may set {', '.join(COLOURS)}",
                )
            )
    values = _effective(overlay.colours)
    for pair in _PAIRS:
        changed = [overlay.colours[n] for n in (pair.background, pair.text) if n in overlay.colours]
        if not changed or pair.text not in values or pair.background not in values:
            continue
        ratio = contrast_ratio(values[pair.text], values[pair.background])
        if ratio < AA_TEXT:
            where = changed[0]
            problems.append(
                Problem(
                    overlay.source,
                    where.line,
                    where.col,
                    f"colours: '{pair.text}' {values[pair.text]} on '{pair.background}' "
                    f"{values[pair.background]} has a contrast ratio of {ratio:.2f}:1; WCAG AA "
                    f"needs at least {AA_TEXT}:1 for text",
                )
            )
    return problems


def overlay_css(overlay: Overlay) -> str:
    """The stylesheet that sets the overlay's colours over the theme's."""
    colours = {name: c.value for name, c in overlay.colours.items() if name in COLOURS}
    if "accent" in colours:
        colours.setdefault("accent_hover", colours["accent"])
    both = [n for n in colours if n not in ("link", "link_dark")]
    lines = [f"/* {overlay.name}: colours from {overlay.source}, written by the build. */"]
    if both:
        lines.append(":root {")
        lines += [f"  {COLOURS[n][0]}: {colours[n]}; /* {COLOURS[n][1]} */" for n in both]
        lines.append("}")
    for name, scheme in (("link", "light"), ("link_dark", "dark")):
        if name in colours:
            rule = f":root {{ --link: {colours[name]}; }}"
            lines.append(f"@media (prefers-color-scheme: {scheme}) {{ {rule} }}")
    return "\n".join(lines) + "\n"
