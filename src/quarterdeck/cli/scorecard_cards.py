"""How scorecard metrics read on the command line: each card and definition as plain data
for --json, and as words and Rich tables (status in colour, value against target, trend
arrow, staleness)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from decimal import Decimal

    from rich.text import Text

    from quarterdeck.domain.scorecard import (
        BandThresholds,
        KpiDefinition,
        Status,
        Thresholds,
        Trend,
        Unit,
    )
    from quarterdeck.services.scorecard import (
        Measurement,
        MetricCard,
        MetricDetail,
        ScorecardView,
        TrackedMetric,
    )

__all__ = [
    "card_json",
    "definition_json",
    "print_detail",
    "print_scorecard",
    "status_words",
    "target_text",
    "thresholds_text",
    "value_text",
]

LEVEL_STYLES = {"green": "bold green", "amber": "bold dark_orange", "red": "bold red"}
TREND_STYLES = {"improving": "green", "worsening": "red"}


# -- plain data --------------------------------------------------------------------------------


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def thresholds_json(found: Thresholds | BandThresholds | None) -> dict[str, str | None] | None:
    from quarterdeck.domain.scorecard import BandThresholds

    if found is None:
        return None
    if isinstance(found, BandThresholds):
        return {
            "low": _amount(found.low),
            "high": _amount(found.high),
            "critical_low": _amount(found.critical_low),
            "critical_high": _amount(found.critical_high),
        }
    return {
        "target": _amount(found.target),
        "warning": _amount(found.warning),
        "critical": _amount(found.critical),
    }


def definition_json(definition: KpiDefinition) -> dict[str, Any]:
    return {
        "key": definition.key,
        "name": definition.name,
        "category": definition.category.value,
        "unit": definition.unit.value,
        "direction": definition.direction.value,
        "source": definition.source.value,
        "computed_by": definition.computed_by,
        "meaning": definition.meaning,
        "reading": definition.reading,
        "trap": definition.trap,
        "review": definition.review.value,
        "sets": sorted(s.value for s in definition.sets),
    }


def measurement_json(m: Measurement) -> dict[str, Any]:
    return {
        "period_end": m.period_end,
        "value": str(m.value),
        "source": m.source,
        "note": m.note,
        "recorded_by": m.recorded_by,
        "recorded_at": m.recorded_at,
    }


def metric_json(metric: TrackedMetric) -> dict[str, Any]:
    return {
        **definition_json(metric.definition),
        "custom": metric.custom,
        "owner": metric.owner,
        "cadence": metric.cadence.value,
        "thresholds": thresholds_json(metric.thresholds),
        "version": metric.version,
    }


def card_json(card: MetricCard) -> dict[str, Any]:
    """A card as plain data: the metric, its latest value, status, trend and series."""
    return {
        **metric_json(card.metric),
        "latest": None if card.latest is None else measurement_json(card.latest),
        "status": {
            "level": card.status.level.value,
            "reason": card.status.reason,
            "stale": card.status.stale,
        },
        "trend": {
            "direction": card.trend.direction.value,
            "change": _amount(card.trend.change),
            "latest": _amount(card.trend.latest),
            "baseline": _amount(card.trend.baseline),
        },
        "series": [{"period_end": d, "value": str(v)} for d, v in card.series],
    }


# -- words -------------------------------------------------------------------------------------


def value_text(value: Decimal | None, unit: Unit) -> str:
    from quarterdeck.domain.scorecard import format_value

    return "—" if value is None else format_value(value, unit)


def thresholds_text(found: Thresholds | BandThresholds | None, unit: Unit) -> str:
    """'target 12 h, warning 24 h, critical 48 h', 'band 85% to 110%, critical at 70% or
    below'."""
    from quarterdeck.domain.scorecard import BandThresholds

    if found is None:
        return "none set"
    if isinstance(found, BandThresholds):
        lines = [f"band {value_text(found.low, unit)} to {value_text(found.high, unit)}"]
        if found.critical_low is not None:
            lines.append(f"critical at {value_text(found.critical_low, unit)} or below")
        if found.critical_high is not None:
            lines.append(f"critical at {value_text(found.critical_high, unit)} or above")
        return ", ".join(lines)
    return (
        f"target {value_text(found.target, unit)}, warning {value_text(found.warning, unit)}, "
        f"critical {value_text(found.critical, unit)}"
    )


def target_text(found: Thresholds | BandThresholds | None, unit: Unit) -> str:
    from quarterdeck.domain.scorecard import BandThresholds

    if found is None:
        return "—"
    if isinstance(found, BandThresholds):
        return f"{value_text(found.low, unit)} to {value_text(found.high, unit)}"
    return value_text(found.target, unit)


def status_words(status: Status) -> str:
    return f"{status.level.value}, stale" if status.stale else status.level.value


def _change_text(change: Decimal, unit: Unit) -> str:
    from quarterdeck.domain.scorecard import Unit, format_value

    sign = "+" if change > 0 else "-" if change < 0 else "±"
    if unit is Unit.PERCENT:  # a change of a percentage is in points, not per cent
        return f"{sign}{format_value(abs(change), None)} pts"
    return f"{sign}{format_value(abs(change), unit)}"


def trend_words(trend: Trend, unit: Unit) -> str:
    """'↑ +12 h, worsening (against 26 h)' or 'not enough periods yet'."""
    if trend.change is None:
        return "not enough periods yet"
    arrow = "↑" if trend.change > 0 else "↓" if trend.change < 0 else "→"
    text = f"{arrow} {_change_text(trend.change, unit)}, {trend.direction.value}"
    return f"{text} (against {value_text(trend.baseline, unit)})"


# -- Rich --------------------------------------------------------------------------------------


def _status_cell(status: Status) -> Text:
    from rich.text import Text

    style = LEVEL_STYLES.get(status.level.value, "dim")
    cell = Text.assemble(("● ", style), (status.level.value, style))
    if status.stale:
        cell.append(" ⌛ stale", style="dim italic")
    return cell


def _trend_cell(trend: Trend, unit: Unit) -> Text:
    from rich.text import Text

    if trend.change is None:
        return Text("—", style="dim")
    style = TREND_STYLES.get(trend.direction.value, "dim")
    arrow = "→" if trend.direction.value == "flat" else "↑" if trend.change > 0 else "↓"
    return Text(f"{arrow} {_change_text(trend.change, unit)}", style=style)


def print_scorecard(view: ScorecardView) -> None:
    """One table per category: status in colour, value against target, trend, last period,
    staleness and the reason."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from quarterdeck.catalog.kpis import kpi_catalog

    console = Console()
    catalog = kpi_catalog()
    for category, owner, cards in view.categories:
        who = f"owner {owner}" if owner else "no owner"
        grid = Table(title=f"{catalog.category(category).name} ({who})", title_justify="left")
        for column in ("Metric", "Status", "Value", "Target", "Trend", "Updated", "Why"):
            grid.add_column(column)
        for card in cards:
            unit = card.metric.definition.unit
            latest = card.latest
            grid.add_row(
                Text(card.metric.definition.name),
                _status_cell(card.status),
                Text(value_text(None if latest is None else latest.value, unit)),
                Text(target_text(card.metric.thresholds, unit)),
                _trend_cell(card.trend, unit),
                Text("—" if latest is None else latest.period_end.isoformat()),
                Text(card.status.reason),
            )
        console.print(grid)


def print_detail(found: MetricDetail) -> None:
    """A metric's definition, the workspace's choices, status and trend, then its history."""
    from quarterdeck.cli.session import table

    card = found.card
    metric, definition = card.metric, card.metric.definition
    unit = definition.unit
    origin = "custom" if metric.custom else "catalog"
    source = (
        f"computed ({definition.computed_by})" if definition.computed_by else "entered by people"
    )
    rows: list[tuple[str, object]] = [
        ("key", definition.key),
        ("category", definition.category.value),
        ("unit", definition.unit.value),
        ("direction", definition.direction.value),
        ("source", f"{origin}, {source}"),
        ("meaning", definition.meaning),
        ("reading", definition.reading),
        ("trap", definition.trap),
        ("owner", metric.owner or None),
        ("cadence", metric.cadence.value),
        ("thresholds", thresholds_text(metric.thresholds, unit)),
        ("latest", None if card.latest is None else _latest_text(card.latest, unit)),
        ("status", status_words(card.status)),
        ("reason", card.status.reason),
        ("trend", trend_words(card.trend, unit)),
    ]
    table(f"{definition.name} ({definition.key})", ["Field", "Value"], [r for r in rows if r[1]])
    table(
        f"Measurements of {definition.key}, newest period first",
        ["Period end", "Value", "Source", "Note", "Recorded by", "Recorded (UTC)"],
        [
            (
                m.period_end.isoformat(),
                value_text(m.value, unit),
                m.source,
                m.note or None,
                m.recorded_by,
                m.recorded_at.strftime("%Y-%m-%d %H:%M"),
            )
            for m in found.measurements
        ],
    )


def _latest_text(m: Measurement, unit: Unit) -> str:
    return f"{value_text(m.value, unit)} for the period ending {m.period_end.isoformat()}"
