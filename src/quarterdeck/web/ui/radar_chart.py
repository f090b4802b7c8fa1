"""A radar chart of an assessment sitting as inline SVG: one spoke per area, rings at
each rating from 1 to 5, the sitting's area means as a filled shape and, when given, an
earlier sitting as an outline beside it.

Pure function: scores in, `Markup` out. Every label is escaped; the markup holds no
script, no event handler and no style attribute, so it stays inside the page's
Content-Security-Policy and is coloured by class names in app.css. The title and a
description list every area's mean, so the chart reads the same without sight."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

from markupsafe import Markup

__all__ = ["radar"]

SIZE = 420.0
CENTRE = SIZE / 2
RADIUS = 130.0
LABEL_RADIUS = RADIUS + 18
LOW, HIGH = 1, 5


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _point(index: int, count: int, value: float) -> tuple[float, float]:
    """Where a rating lands on spoke `index`: 1 at the centre's first ring, 5 at the rim;
    the first spoke points straight up and the rest follow clockwise."""
    angle = -math.pi / 2 + 2 * math.pi * index / count
    share = (value - LOW + 1) / (HIGH - LOW + 1)
    return CENTRE + RADIUS * share * math.cos(angle), CENTRE + RADIUS * share * math.sin(angle)


def _shape(values: Sequence[Decimal], css: str) -> Markup:
    count = len(values)
    points = " ".join(
        f"{_n(x)},{_n(y)}" for x, y in (_point(i, count, float(v)) for i, v in enumerate(values))
    )
    return Markup('<polygon class="{css}" points="{points}"/>').format(css=css, points=points)


def radar(
    areas: Sequence[tuple[str, Decimal]],
    *,
    label: str,
    earlier: Sequence[Decimal] | None = None,
) -> Markup:
    """The chart of `areas` (name, mean 1-5) in order; `earlier` holds an earlier sitting's
    means for the same areas. Fewer than three areas make no polygon: the chart then says
    so in its title and draws nothing but the frame."""
    described = "; ".join(f"{name} {mean}" for name, mean in areas)
    title = f"{label}: {described}" if areas else f"{label}: no areas"
    parts = [
        Markup(
            '<svg xmlns="http://www.w3.org/2000/svg" class="radar-chart" viewBox="0 0 {s} {s}" '
            'width="{s}" height="{s}" role="img" aria-label="{title}"><title>{title}</title>'
        ).format(s=_n(SIZE), title=title)
    ]
    count = len(areas)
    if count >= 3:
        for ring in range(LOW, HIGH + 1):
            parts.append(_shape([Decimal(ring)] * count, "ring"))
        for index, (name, _mean) in enumerate(areas):
            x, y = _point(index, count, HIGH)
            parts.append(
                Markup('<line class="spoke" x1="{cx}" y1="{cy}" x2="{x}" y2="{y}"/>').format(
                    cx=_n(CENTRE), cy=_n(CENTRE), x=_n(x), y=_n(y)
                )
            )
            angle = -math.pi / 2 + 2 * math.pi * index / count
            lx, ly = (
                CENTRE + LABEL_RADIUS * math.cos(angle),
                CENTRE + LABEL_RADIUS * math.sin(angle),
            )
            anchor = (
                "middle"
                if abs(math.cos(angle)) < 0.3
                else ("start" if math.cos(angle) > 0 else "end")
            )
            parts.append(
                Markup(
                    '<text class="label" x="{x}" y="{y}" text-anchor="{a}">{name}</text>'
                ).format(x=_n(lx), y=_n(ly + 4), a=anchor, name=name)
            )
        if earlier is not None and len(earlier) == count:
            parts.append(_shape(earlier, "earlier"))
        parts.append(_shape([mean for _, mean in areas], "latest"))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
