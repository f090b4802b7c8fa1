"""The roadmap timeline as inline SVG markup: the planning quarters as columns, the teams as
rows, and in each cell the initiatives an accepted plan puts there, each a bar with its key,
title and the person-weeks it takes of that team (an initiative several teams work on shows
in each of their rows). Above the bars, each cell says how much of the team's capacity for
initiatives the plan uses; an over-allocated cell says so.

A pure function: a plan in, `Markup` out. Every piece of text (titles, team names, keys) is
escaped, long titles are shortened (the bar's tooltip keeps the whole one), and the markup
holds no script, no event handler and no style attribute: the page's stylesheet colours it
through class names (one per kind of work), so it stays inside the Content-Security-Policy.
The chart has a title and a description listing every bar, for people who cannot see it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from quarterdeck.domain.planning import Plan, TeamLoad

__all__ = ["Bar", "bars_of", "timeline"]

LEFT = 150.0  # the team names
COLUMN = 240.0
TOP = 34.0  # the quarter names
PAD = 8.0
LOAD = 16.0  # the line giving a cell's load
BAR = 22.0
GAP = 5.0
EMPTY_ROW = 44.0
LABEL_CHARS = 27  # of "IN-12 Title" on one bar
NAME_CHARS = 18  # of a line of a team name, which takes at most two


@dataclass(frozen=True, slots=True)
class Bar:
    """One initiative in one team's row in one quarter."""

    key: str
    title: str
    kind: str
    quarter: str
    team: str
    weeks: float
    mandatory: bool


def _natural(key: str) -> tuple[object, ...]:
    """IN-2 before IN-10."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", key))


def bars_of(plan: Plan, titles: Mapping[str, str]) -> list[Bar]:
    """A bar for every team with effort on every planned initiative, in key order."""
    bars = [
        Bar(
            planned.id,
            titles.get(planned.id, ""),
            planned.kind.value,
            planned.quarter,
            team,
            weeks,
            planned.mandatory,
        )
        for planned in plan.planned
        for team, weeks in planned.effort.items()
        if weeks > 0
    ]
    return sorted(bars, key=lambda bar: _natural(bar.key))


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def _weeks(value: float) -> str:
    return f"{value:g}"


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _name_lines(name: str) -> list[str]:
    """A team name in at most two lines, broken between words; the rest shortened."""
    lines: list[str] = []
    for word in name.split():
        if lines and len(lines[-1]) + 1 + len(word) <= NAME_CHARS:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
    return [_short(line, NAME_CHARS) for line in lines] or [""]


def _text(x: float, y: float, css: str, text: str, anchor: str = "start") -> Markup:
    return Markup('<text class="{css}" x="{x}" y="{y}" text-anchor="{a}">{t}</text>').format(
        css=css, x=_n(x), y=_n(y), a=anchor, t=text
    )


def _bar(bar: Bar, x: float, y: float, href: str | None) -> Markup:
    label = _short(f"{bar.key} {bar.title}".strip(), LABEL_CHARS)
    tip = (
        f"{bar.key} {bar.title}: {_weeks(bar.weeks)} person-weeks of {bar.team} in "
        f"{bar.quarter}{', mandatory' if bar.mandatory else ''}"
    )
    width = COLUMN - 2 * PAD
    body = Markup(
        '<title>{tip}</title><rect x="{x}" y="{y}" width="{w}" height="{h}" rx="4"/>'
    ).format(tip=tip, x=_n(x), y=_n(y), w=_n(width), h=_n(BAR))
    body += _text(x + 6, y + 15, "bar-label", label)
    body += _text(x + width - 6, y + 15, "bar-weeks", f"{_weeks(bar.weeks)} pw", "end")
    kind = re.sub(r"[^a-z-]", "", bar.kind)
    group = Markup('<g class="bar kind-{kind}">{body}</g>').format(kind=kind, body=body)
    if href is None:
        return group
    return Markup('<a href="{href}">{group}</a>').format(href=href, group=group)


def _load(load: TeamLoad | None, x: float, y: float) -> Markup:
    if load is None:
        return Markup("")
    over = load.left < -1e-9
    text = f"{_weeks(round(load.used, 1))} of {_weeks(round(load.available, 1))} pw"
    return _text(x, y, "load over" if over else "load", text + (" (over)" if over else ""))


def _describe(label: str, bars: Sequence[Bar]) -> str:
    if not bars:
        return f"{label}: no initiatives planned."
    parts = [
        f"{b.key} {b.title} in {b.quarter}, {_weeks(b.weeks)} person-weeks of {b.team}"
        for b in bars
    ]
    return f"{label}: " + "; ".join(parts) + "."


def timeline(
    plan: Plan | None,
    *,
    quarters: Sequence[str],
    teams: Sequence[tuple[str, str]],
    titles: Mapping[str, str],
    label: str,
    links: Mapping[str, str] | None = None,
    empty: str = "No plan accepted yet",
) -> Markup:
    """The plan's initiatives by quarter (columns) and team (rows, `teams` as (key, name));
    `titles` names each initiative, `links` (optional) gives the address its bar opens.
    Without a plan, or with a plan holding nothing, the frame carries `empty` instead."""
    bars = bars_of(plan, titles) if plan is not None else []
    loads = {(load.team, load.quarter): load for load in (plan.loads if plan else ())}
    cells: dict[tuple[str, str], list[Bar]] = {}
    for bar in bars:
        cells.setdefault((bar.team, bar.quarter), []).append(bar)
    rows = list(teams) or [("", "No teams yet")]
    heights = []
    for key, _ in rows:
        most = max((len(cells.get((key, q), [])) for q in quarters), default=0)
        heights.append(EMPTY_ROW if not most else PAD + LOAD + most * (BAR + GAP) - GAP + PAD)
    width = LEFT + COLUMN * max(len(quarters), 1)
    height = TOP + sum(heights)
    description = _describe(label, bars)
    parts = [
        Markup(
            '<svg xmlns="http://www.w3.org/2000/svg" class="timeline" viewBox="0 0 {w} {h}" '
            'width="{w}" height="{h}" role="img" aria-labelledby="timeline-title timeline-desc">'
            '<title id="timeline-title">{label}</title><desc id="timeline-desc">{desc}</desc>'
        ).format(w=_n(width), h=_n(height), label=label, desc=description)
    ]
    for index, quarter in enumerate(quarters):
        x = LEFT + index * COLUMN
        parts.append(_text(x + COLUMN / 2, TOP - 12, "quarter", quarter, "middle"))
        parts.append(
            Markup('<line class="grid" x1="{x}" y1="{t}" x2="{x}" y2="{b}"/>').format(
                x=_n(x), t=_n(TOP - 4), b=_n(height)
            )
        )
    y = TOP
    for (key, name), row_height in zip(rows, heights, strict=True):
        parts.append(
            Markup('<line class="grid" x1="0" y1="{y}" x2="{w}" y2="{y}"/>').format(
                y=_n(y), w=_n(width)
            )
        )
        for n, line in enumerate(_name_lines(name)):
            parts.append(_text(PAD, y + 20 + n * 15, "team", line))
        for index, quarter in enumerate(quarters):
            x = LEFT + index * COLUMN
            here = cells.get((key, quarter), [])
            if here:
                parts.append(_load(loads.get((key, quarter)), x + PAD, y + PAD + 11))
            for n, bar in enumerate(here):
                top = y + PAD + LOAD + n * (BAR + GAP)
                parts.append(_bar(bar, x + PAD, top, (links or {}).get(bar.key)))
        y += row_height
    if not bars:
        middle = TOP + (height - TOP) / 2 + 4
        parts.append(_text(LEFT + (width - LEFT) / 2, middle, "empty", empty, "middle"))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
