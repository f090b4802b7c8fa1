"""The capacity model drawn: the heat map's cells (how loaded each team is in each quarter),
and two inline SVG charts, the planned capacity split per quarter against its target and
bounds, and each team's load per quarter against what it has available.

Pure functions: plan values in, `HeatCell` or `Markup` out. As in `charts`, every piece of
text is escaped and the markup holds no script, event handler or style attribute; the
stylesheet colours it through class names, inside the Content-Security-Policy.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from quarterdeck.domain.planning import SplitLine, TeamLoad

__all__ = ["HeatCell", "heat_cell", "load_chart", "person_weeks", "split_chart"]

_NOISE = 1e-6  # person-weeks or percent: sums of the same numbers added in another order
WIDTH = 780.0
LEFT = 150.0  # the row labels
RIGHT = 250.0  # the figures beside each bar
TOP = 26.0  # the scale
ROW = 20.0
BAR = 12.0
HEADING = 22.0  # a group's heading row
BOTTOM = 8.0
FIGURE_X = WIDTH - RIGHT + 8  # where the figures beside the bars start
Scale = Callable[[float], float]  # a value to its x on the chart


def person_weeks(value: float) -> str:
    """Person-weeks as people read them: to one decimal, without a trailing zero."""
    text = f"{round(value, 1):g}"
    return "0" if text == "-0" else text


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _percent(value: float) -> str:
    return f"{round(value):d} %"


@dataclass(frozen=True, slots=True)
class HeatCell:
    """One team in one quarter on the heat map: `level` is the CSS name of how loaded it is
    (idle, light, busy, full, over); `flags` say what is over-allocated, in words."""

    quarter: str
    level: str
    used: float
    available: float
    running: int
    max_parallel: int | None
    flags: tuple[str, ...]

    @property
    def over(self) -> bool:
        return bool(self.flags)

    @property
    def load_text(self) -> str:
        share = f" ({_percent(100 * self.used / self.available)})" if self.available > 0 else ""
        return f"{person_weeks(self.used)} of {person_weeks(self.available)} person-weeks{share}"

    @property
    def running_text(self) -> str:
        limit = "" if self.max_parallel is None else f" of {self.max_parallel} allowed"
        noun = "initiative" if self.running == 1 else "initiatives"
        return f"{self.running} {noun}{limit}"


def heat_cell(load: TeamLoad) -> HeatCell:
    """How loaded a team is in a quarter: over when the plan uses more person-weeks than it
    has after its reserve, or runs more initiatives at once than its limit allows."""
    flags = []
    if load.used > load.available + _NOISE:
        flags.append(f"over-allocated by {person_weeks(load.used - load.available)} person-weeks")
    if load.max_parallel is not None and load.running > load.max_parallel:
        flags.append(f"{load.running} initiatives at once, limit {load.max_parallel}")
    if flags:
        level = "over"
    elif load.used <= _NOISE:
        level = "idle"
    else:
        share = load.used / load.available if load.available > 0 else 1.0
        level = "light" if share < 0.5 else "busy" if share < 0.85 else "full"
    return HeatCell(
        load.quarter,
        level,
        load.used,
        load.available,
        load.running,
        load.max_parallel,
        tuple(flags),
    )


def _open(height: float, css: str, label: str) -> Markup:
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="{css}" viewBox="0 0 {w} {h}" '
        'width="{w}" height="{h}" role="img" aria-label="{label}"><title>{label}</title>'
    ).format(css=css, w=_n(WIDTH), h=_n(height), label=label)


def _empty(css: str, label: str, text: str) -> Markup:
    height = TOP + 2 * ROW + BOTTOM
    return Markup("").join(
        [
            _open(height, css, label),
            Markup('<text class="empty" x="{x}" y="{y}" text-anchor="middle">{t}</text>').format(
                x=_n(WIDTH / 2), y=_n(height / 2), t=text
            ),
            Markup("</svg>"),
        ]
    )


def _text(css: str, x: float, y: float, text: str, anchor: str = "start") -> Markup:
    return Markup('<text class="{c}" x="{x}" y="{y}" text-anchor="{a}">{t}</text>').format(
        c=css, x=_n(x), y=_n(y), a=anchor, t=text
    )


def _rect(css: str, x: float, y: float, width: float, height: float, tip: str = "") -> Markup:
    if tip:
        return Markup(
            '<rect class="{c}" x="{x}" y="{y}" width="{w}" height="{h}"><title>{t}</title></rect>'
        ).format(c=css, x=_n(x), y=_n(y), w=_n(max(width, 0.0)), h=_n(height), t=tip)
    return Markup('<rect class="{c}" x="{x}" y="{y}" width="{w}" height="{h}"/>').format(
        c=css, x=_n(x), y=_n(y), w=_n(max(width, 0.0)), h=_n(height)
    )


def _scale_marks(top: float, bottom: float, marks: Sequence[tuple[float, str]]) -> list[Markup]:
    """Vertical guide lines across the rows with their labels above, at (x, label)."""
    found = []
    for x, label in marks:
        found.append(
            Markup('<line class="grid" x1="{x}" y1="{a}" x2="{x}" y2="{b}"/>').format(
                x=_n(x), a=_n(top - 4), b=_n(bottom)
            )
        )
        found.append(_text("axis", x, top - 8, label, "middle"))
    return found


def _groups(keys: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(keys))


def split_chart(lines: Sequence[SplitLine]) -> Markup:
    """Per quarter, one bar per split kind: its planned effort as a percentage of the
    capacity the split divides (the base its target and bounds are stated in), the bounds
    as a shaded range and the target as a tick. A bar outside its bounds is marked. An
    empty sequence gives a frame that says there is nothing to show."""
    label = "Capacity split per quarter: planned against target"
    if not lines:
        return _empty("capacity-chart", label, "No quarters to show")
    quarters = _groups([line.quarter for line in lines])
    rows = len(lines)
    height = TOP + len(quarters) * HEADING + rows * ROW + BOTTOM
    span = WIDTH - LEFT - RIGHT

    def x(percent: float) -> float:
        return LEFT + span * min(max(percent, 0.0), 100.0) / 100.0

    parts = [_open(height, "capacity-chart split-chart", label)]
    parts += _scale_marks(TOP, height - BOTTOM, [(x(p), f"{p} %") for p in (0, 50, 100)])
    y = TOP
    for quarter in quarters:
        parts.append(_text("group", 8, y + HEADING - 7, quarter))
        y += HEADING
        for line in (item for item in lines if item.quarter == quarter):
            parts.append(_split_row(line, y, x))
            y += ROW
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def _split_row(line: SplitLine, y: float, x: Scale) -> Markup:
    middle = y + ROW / 2
    top = middle - BAR / 2
    kind = line.kind.label[:1].upper() + line.kind.label[1:]
    planned = line.of_base
    outside = ""
    if planned is not None and line.minimum is not None and line.maximum is not None:
        if planned < line.minimum - _NOISE:
            outside = "below its minimum"
        elif planned > line.maximum + _NOISE:
            outside = "above its maximum"
    shown = "no capacity" if planned is None else _percent(planned)
    target = "" if line.target is None else f" (target {_percent(line.target)})"
    figure = f"{shown}{target}" + (", outside bounds" if outside else "")
    tip = f"{line.quarter}, {line.kind.label}: {person_weeks(line.effort)} person-weeks, {shown}"
    tip += " of the capacity for split work"
    if line.share is not None:
        tip += f" ({_percent(line.share)} of the planned split work)"
    if line.target is not None:
        tip += (
            f"; target {_percent(line.target)}, bounds "
            f"{line.minimum or 0:g}-{100 if line.maximum is None else line.maximum:g} %"
        )
    if outside:
        tip += f"; {outside}"
    parts = [_text("label", LEFT - 8, middle + 4, kind, "end")]
    if line.minimum is not None and line.maximum is not None:
        parts.append(
            _rect("bounds", x(line.minimum), top - 2, x(line.maximum) - x(line.minimum), BAR + 4)
        )
    css = f"bar kind-{line.kind.value}" + (" outside" if outside else "")
    parts.append(_rect(css, x(0), top, x(planned or 0.0) - x(0), BAR, tip))
    if line.target is not None:
        tx = x(line.target)
        parts.append(
            Markup('<line class="target-tick" x1="{x}" y1="{a}" x2="{x}" y2="{b}"/>').format(
                x=_n(tx), a=_n(top - 3), b=_n(top + BAR + 3)
            )
        )
    parts.append(_text("figure" + (" flagged" if outside else ""), FIGURE_X, middle + 4, figure))
    return Markup("").join(parts)


def load_chart(loads: Sequence[TeamLoad], *, names: Mapping[str, str] | None = None) -> Markup:
    """Per team (by its name in `names`, else its key), one bar per quarter: what it has
    available after its reserve (the pale bar), what the plan uses of it, and the part
    beyond it when over-allocated; all on one scale. An empty sequence gives a frame that
    says there are no teams."""
    label = "Load per team and quarter: planned person-weeks against available"
    if not loads:
        return _empty("capacity-chart", label, "No teams to show")
    names = names or {}
    teams = _groups([load.team for load in loads])
    top_value = max(max(load.available, load.used, 0.0) for load in loads) or 1.0
    height = TOP + len(teams) * HEADING + len(loads) * ROW + BOTTOM
    span = WIDTH - LEFT - RIGHT

    def x(weeks: float) -> float:
        return LEFT + span * max(weeks, 0.0) / top_value

    parts = [_open(height, "capacity-chart load-chart", label)]
    marks = [(x(0), "0"), (x(top_value), f"{person_weeks(top_value)} pw")]
    parts += _scale_marks(TOP, height - BOTTOM, marks)
    y = TOP
    for team in teams:
        parts.append(_text("group", 8, y + HEADING - 7, names.get(team, team)))
        y += HEADING
        for load in (item for item in loads if item.team == team):
            parts.append(_load_row(load, names.get(team, team), y, x))
            y += ROW
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def _load_row(load: TeamLoad, name: str, y: float, x: Scale) -> Markup:
    cell = heat_cell(load)
    middle = y + ROW / 2
    top = middle - BAR / 2
    tip = f"{name}, {load.quarter}: {cell.load_text}, {cell.running_text}"
    if cell.flags:
        tip += "; " + "; ".join(cell.flags)
    parts = [
        _text("label", LEFT - 8, middle + 4, load.quarter, "end"),
        _rect("bar available", x(0), top, x(load.available) - x(0), BAR),
        _rect("bar used", x(0), top, x(min(load.used, load.available)) - x(0), BAR, tip),
    ]
    if load.used > load.available + _NOISE:
        start = max(load.available, 0.0)
        parts.append(_rect("bar over", x(start), top, x(load.used) - x(start), BAR, tip))
    figure = f"{person_weeks(load.used)} / {person_weeks(load.available)} pw"
    if cell.flags:
        figure += " · over"
    css = "figure flagged" if cell.flags else "figure"
    parts.append(_text(css, FIGURE_X, middle + 4, figure))
    return Markup("").join(parts)
