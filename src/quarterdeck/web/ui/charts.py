"""Charts of a metric's values as inline SVG markup: a sparkline for a scorecard card and a
full chart for a metric's page.

Pure functions: a series of (period end, value) in, `Markup` out. Every piece of text
(labels, tooltips, formatted values) is escaped, and the markup holds no script, no event
handler and no style attribute: the page's stylesheet colours it through class names, so
it stays inside the Content-Security-Policy (`style-src 'self'`, `script-src 'self'`).

Points are placed by date (a late period shows as a gap, not as an even step) and by
value on a scale that spans the values and every threshold line drawn, so the lines are
always in view. A series of one value, or of equal values with no line to give a range,
sits on the middle of the chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from markupsafe import Markup

from quarterdeck.domain.scorecard import BandThresholds, Thresholds, Unit, format_value

__all__ = ["ChartSize", "chart", "sparkline"]

Series = Sequence[tuple[date, Decimal]]
Lines = Thresholds | BandThresholds | None


@dataclass(frozen=True, slots=True)
class ChartSize:
    """The viewBox and the margins around the plotted area, in SVG user units."""

    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float

    @property
    def inner_left(self) -> float:
        return self.left

    @property
    def inner_right(self) -> float:
        return self.width - self.right

    @property
    def inner_top(self) -> float:
        return self.top

    @property
    def inner_bottom(self) -> float:
        return self.height - self.bottom


SPARKLINE = ChartSize(width=120, height=32, left=3, right=4, top=4, bottom=4)
FULL = ChartSize(width=660, height=240, left=84, right=116, top=16, bottom=34)


def _n(value: float) -> str:
    """A coordinate as SVG reads it: one decimal, no exponent, no negative zero."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


class _Scale:
    """Where a date and a value land inside `size`'s plotted area."""

    def __init__(self, size: ChartSize, days: Sequence[date], values: Sequence[Decimal]) -> None:
        self.size = size
        self.first: date | None = min(days) if days else None
        self.last: date | None = max(days) if days else None
        self.low: Decimal | None = min(values) if values else None
        self.high: Decimal | None = max(values) if values else None

    def x(self, day: date) -> float:
        s = self.size
        if self.first is None or self.last is None or self.first == self.last:
            return (s.inner_left + s.inner_right) / 2
        share = (day - self.first).days / (self.last - self.first).days
        return s.inner_left + share * (s.inner_right - s.inner_left)

    def y(self, value: Decimal) -> float:
        s = self.size
        if self.low is None or self.high is None or self.low == self.high:
            return (s.inner_top + s.inner_bottom) / 2
        share = float((value - self.low) / (self.high - self.low))
        return s.inner_bottom - share * (s.inner_bottom - s.inner_top)


def _line_values(lines: Lines) -> list[tuple[str, str, Decimal]]:
    """(css name, label, value) of every threshold line, in the order they are drawn."""
    if lines is None:
        return []
    if isinstance(lines, BandThresholds):
        found = [("band-edge", "band low", lines.low), ("band-edge", "band high", lines.high)]
        if lines.critical_low is not None:
            found.append(("critical", "critical low", lines.critical_low))
        if lines.critical_high is not None:
            found.append(("critical", "critical high", lines.critical_high))
        return found
    return [
        ("target", "target", lines.target),
        ("warning", "warning", lines.warning),
        ("critical", "critical", lines.critical),
    ]


def _open(size: ChartSize, css: str, label: str) -> Markup:
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="{css}" viewBox="0 0 {w} {h}" '
        'width="{w}" height="{h}" role="img" aria-label="{label}"><title>{label}</title>'
    ).format(css=css, w=_n(size.width), h=_n(size.height), label=label)


def _polyline(points: Sequence[tuple[float, float]], css: str) -> Markup:
    joined = " ".join(f"{_n(x)},{_n(y)}" for x, y in points)
    return Markup('<polyline class="{css}" points="{points}"/>').format(css=css, points=joined)


def _describe(label: str, series: Series, unit: Unit | None) -> str:
    if not series:
        return f"{label}: no values yet"
    first, last = series[0], series[-1]
    latest = format_value(last[1], unit)
    if len(series) == 1:
        return f"{label}: one value, {latest} for the period ending {last[0].isoformat()}"
    return (
        f"{label}: {len(series)} values from {first[0].isoformat()} to "
        f"{last[0].isoformat()}, latest {latest}"
    )


def sparkline(series: Series, *, label: str, unit: Unit | None = None) -> Markup:
    """A small line of the series (oldest first) with its last point marked; an empty
    series gives an empty frame that says so in its title."""
    ordered = sorted(series, key=lambda point: point[0])
    scale = _Scale(SPARKLINE, [d for d, _ in ordered], [v for _, v in ordered])
    parts = [_open(SPARKLINE, "sparkline", _describe(label, ordered, unit))]
    points = [(scale.x(day), scale.y(value)) for day, value in ordered]
    if len(points) > 1:
        parts.append(_polyline(points, "series"))
    if points:
        x, y = points[-1]
        parts.append(
            Markup('<circle class="last" cx="{x}" cy="{y}" r="2.5"/>').format(x=_n(x), y=_n(y))
        )
    else:
        mid = _n((SPARKLINE.inner_top + SPARKLINE.inner_bottom) / 2)
        parts.append(
            Markup('<line class="empty" x1="{a}" y1="{m}" x2="{b}" y2="{m}"/>').format(
                a=_n(SPARKLINE.inner_left), b=_n(SPARKLINE.inner_right), m=mid
            )
        )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def chart(
    series: Series, *, label: str, unit: Unit | None = None, thresholds: Lines = None
) -> Markup:
    """The whole series with a dot per period (its tooltip gives the date and value), the
    scale's lowest and highest value and the first and last date on the axes, and the
    threshold lines: target, warning and critical, or the target band as a shaded area
    with its critical lines."""
    ordered = sorted(series, key=lambda point: point[0])
    lines = _line_values(thresholds)
    values = [v for _, v in ordered] + [value for _, _, value in lines]
    scale = _Scale(FULL, [d for d, _ in ordered], values)
    s = FULL
    parts = [
        _open(FULL, "chart", _describe(label, ordered, unit)),
        Markup('<rect class="plot" x="{x}" y="{y}" width="{w}" height="{h}"/>').format(
            x=_n(s.inner_left),
            y=_n(s.inner_top),
            w=_n(s.inner_right - s.inner_left),
            h=_n(s.inner_bottom - s.inner_top),
        ),
    ]
    if isinstance(thresholds, BandThresholds):
        top, bottom = scale.y(thresholds.high), scale.y(thresholds.low)
        parts.append(
            Markup('<rect class="band" x="{x}" y="{y}" width="{w}" height="{h}"/>').format(
                x=_n(s.inner_left),
                y=_n(top),
                w=_n(s.inner_right - s.inner_left),
                h=_n(max(bottom - top, 1.0)),
            )
        )
    for css, name, value in lines:
        parts.append(_threshold(scale, css, f"{name} {format_value(value, unit)}", value))
    parts.extend(_axes(scale, ordered, unit))
    points = [(scale.x(day), scale.y(value)) for day, value in ordered]
    if len(points) > 1:
        parts.append(_polyline(points, "series"))
    for index, ((day, value), (x, y)) in enumerate(zip(ordered, points, strict=True)):
        css = "dot last" if index == len(points) - 1 else "dot"
        parts.append(
            Markup(
                '<circle class="{css}" cx="{x}" cy="{y}" r="4"><title>{tip}</title></circle>'
            ).format(
                css=css, x=_n(x), y=_n(y), tip=f"{day.isoformat()}: {format_value(value, unit)}"
            )
        )
    if not points:
        parts.append(
            Markup('<text class="empty" x="{x}" y="{y}" text-anchor="middle">{text}</text>').format(
                x=_n((s.inner_left + s.inner_right) / 2),
                y=_n((s.inner_top + s.inner_bottom) / 2),
                text="No values recorded yet",
            )
        )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def _threshold(scale: _Scale, css: str, text: str, value: Decimal) -> Markup:
    s, y = scale.size, scale.y(value)
    return Markup(
        '<g class="threshold {css}"><line x1="{a}" y1="{y}" x2="{b}" y2="{y}"/>'
        '<text x="{t}" y="{ty}">{text}</text></g>'
    ).format(
        css=css,
        a=_n(s.inner_left),
        b=_n(s.inner_right),
        y=_n(y),
        t=_n(s.inner_right + 6),
        ty=_n(y + 4),
        text=text,
    )


def _axes(scale: _Scale, ordered: Series, unit: Unit | None) -> list[Markup]:
    """The value labels (lowest and highest of the scale) and the date labels (first and
    last period); one label each when they coincide."""
    s = scale.size
    found: list[Markup] = []
    label_x = _n(s.inner_left - 8)
    ends = [] if scale.low is None or scale.high is None else [scale.high, scale.low]
    for value in dict.fromkeys(ends):
        found.append(
            Markup('<text class="axis value" x="{x}" y="{y}" text-anchor="end">{t}</text>').format(
                x=label_x, y=_n(scale.y(value) + 4), t=format_value(value, unit)
            )
        )
    days = [] if not ordered else [ordered[0][0], ordered[-1][0]]
    anchors = ["start", "end"] if len(set(days)) == 2 else ["middle"]
    for day, anchor in zip(dict.fromkeys(days), anchors, strict=False):
        found.append(
            Markup('<text class="axis date" x="{x}" y="{y}" text-anchor="{a}">{t}</text>').format(
                x=_n(scale.x(day)), y=_n(s.height - 10), a=anchor, t=day.isoformat()
            )
        )
    return found
