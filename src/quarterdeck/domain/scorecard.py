"""The scorecard's rules: how a KPI's value is judged. What a KPI is (its category, unit,
direction, review cadence ...) is defined in `kpis`; those names are importable from here
too.

Values are Decimals in the metric's unit; a percentage runs from 0 to 100.

**Status of a higher- or lower-is-better metric.** Thresholds are a target (the goal), a
warning line and a critical line, strictly ordered in the metric's direction: lower-is-better
needs target < warning < critical, higher-is-better target > warning > critical. A line
counts as soon as the value reaches it:

- red: at the critical line or worse;
- amber: at the warning line or worse, but short of the critical line;
- green: better than the warning line; it "meets the target" at the target or better.

MTTR in hours with target 12, warning 24, critical 48: 10 and 12 are green and meet the
target, 18 is green but short of it, 24 and 38 are amber, 48 and 60 are red. SLO attainment
in % with target 99.5, warning 99, critical 97: 99.5 green, 99.2 green (short of target),
99 amber, 97 red.

**Status of a target-band metric** (planned vs delivered, spend variance): a band from `low`
to `high` and, on either side, an optional critical line beyond it. Green inside the band,
its edges included; amber outside it; red at or beyond a critical line. Band 85-110 %,
critical lines 70 and 130: 85, 100 and 110 green; 84 and 120 amber; 70 and 130 red. With no
critical line on a side, that side never turns red.

**Staleness.** A metric is stale when more time than its cadence's length plus a grace has
passed since it was last measured: weekly 7 + 1 days, biweekly 14 + 2, monthly 31 + 3 (31
so that a value recorded on the same date each month is never late). Exactly at the limit is
still fresh. A measurement dated by its period's end (a date) counts from the end of that
day, in UTC. A stale metric's status is unknown, whatever its last value said: an old green
proves nothing today, and an old red may already be fixed. The reason gives the last reading.

**Trend.** The latest period is compared with the baseline, the mean of up to three periods
before it. The change is latest minus baseline, in the metric's unit. It is flat when the
change is within 1 % of the baseline's size (within 0.05 percentage point for a percentage,
because 99.9 % against 99.5 % uptime is a large move); otherwise improving or worsening by
the metric's direction. For a target band, what counts is the distance to the band: getting
closer is improving, and two values inside the band are flat. Fewer than two periods, or a
band metric without its band, give an unknown direction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from itertools import pairwise

from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.kpis import (
    COMPUTATIONS,
    QUICK_STARTER_SIZE,
    Cadence,
    Category,
    CategoryInfo,
    Direction,
    KpiDefinition,
    KpiSet,
    KpiSetInfo,
    Source,
    Unit,
)

__all__ = [
    "COMPUTATIONS",
    "FLAT_PERCENT_POINTS",
    "FLAT_SHARE",
    "QUICK_STARTER_SIZE",
    "TREND_BASELINE_PERIODS",
    "BandThresholds",
    "Cadence",
    "Category",
    "CategoryInfo",
    "Direction",
    "KpiDefinition",
    "KpiSet",
    "KpiSetInfo",
    "Level",
    "Source",
    "Status",
    "Thresholds",
    "Trend",
    "TrendDirection",
    "Unit",
    "check_thresholds",
    "format_value",
    "stale",
    "status",
    "trend",
]

TREND_BASELINE_PERIODS = 3
FLAT_SHARE = Decimal("0.01")
FLAT_PERCENT_POINTS = Decimal("0.05")


class Level(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    UNKNOWN = "unknown"


class TrendDirection(StrEnum):
    IMPROVING = "improving"
    WORSENING = "worsening"
    FLAT = "flat"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Target, warning line and critical line of a higher- or lower-is-better metric."""

    target: Decimal
    warning: Decimal
    critical: Decimal

    def __post_init__(self) -> None:
        _require_finite("thresholds", self.target, self.warning, self.critical)


@dataclass(frozen=True, slots=True)
class BandThresholds:
    """The green band of a target-band metric and the optional critical line on each side."""

    low: Decimal
    high: Decimal
    critical_low: Decimal | None = None
    critical_high: Decimal | None = None

    def __post_init__(self) -> None:
        lines = (self.low, self.high, self.critical_low, self.critical_high)
        _require_finite("thresholds", *(line for line in lines if line is not None))


@dataclass(frozen=True, slots=True)
class Status:
    level: Level
    reason: str
    stale: bool = False


@dataclass(frozen=True, slots=True)
class Trend:
    direction: TrendDirection
    change: Decimal | None  # latest minus baseline, in the metric's unit
    latest: Decimal | None = None
    baseline: Decimal | None = None  # mean of up to TREND_BASELINE_PERIODS before the latest


def check_thresholds(direction: Direction, thresholds: Thresholds | BandThresholds) -> None:
    """Raise InvalidInput naming what is wrong when thresholds do not suit the direction
    or are not ordered in it (see the module docstring)."""
    if direction is Direction.TARGET_BAND:
        if not isinstance(thresholds, BandThresholds):
            raise InvalidInput(
                "a target-band metric needs a band (low, high and optional critical lines), "
                "not a target, warning and critical line"
            )
        low, high = _number(thresholds.low), _number(thresholds.high)
        if thresholds.low > thresholds.high:
            raise InvalidInput(f"the band's low end ({low}) is above its high end ({high})")
        if thresholds.critical_low is not None and thresholds.critical_low >= thresholds.low:
            raise InvalidInput(
                f"the low critical line ({_number(thresholds.critical_low)}) must be below "
                f"the band ({low} to {high})"
            )
        if thresholds.critical_high is not None and thresholds.critical_high <= thresholds.high:
            raise InvalidInput(
                f"the high critical line ({_number(thresholds.critical_high)}) must be above "
                f"the band ({low} to {high})"
            )
        return
    if not isinstance(thresholds, Thresholds):
        raise InvalidInput(
            f"a {direction.value} metric needs a target, warning and critical line, not a band"
        )
    side = "above" if direction is Direction.HIGHER else "below"
    target, warning, critical = (
        _number(thresholds.target),
        _number(thresholds.warning),
        _number(thresholds.critical),
    )
    if not _better(direction, thresholds.target, thresholds.warning):
        raise InvalidInput(
            f"for a {direction.value} metric the target ({target}) must be {side} "
            f"the warning line ({warning})"
        )
    if not _better(direction, thresholds.warning, thresholds.critical):
        raise InvalidInput(
            f"for a {direction.value} metric the warning line ({warning}) must be {side} "
            f"the critical line ({critical})"
        )


def status(
    kpi: KpiDefinition | Direction,
    thresholds: Thresholds | BandThresholds | None,
    value: Decimal | None,
    *,
    unit: Unit | None = None,
    measured_at: date | datetime | None = None,
    now: datetime | None = None,
    cadence: Cadence | None = None,
) -> Status:
    """Judge the latest value against the thresholds (rules in the module docstring).

    Staleness is judged when both `measured_at` and `now` are given, against `cadence`
    (by default the definition's review cadence); a stale metric is unknown. Raises
    InvalidInput for thresholds that do not suit the direction, a value that is not a
    finite number, a time without a zone, or staleness asked of a bare direction without
    a cadence.
    """
    direction, shown_unit = _direction_and_unit(kpi, unit)
    if thresholds is not None:
        check_thresholds(direction, thresholds)
    if value is None:
        return Status(Level.UNKNOWN, "no value recorded yet")
    _require_finite("the value", value)
    if thresholds is None:
        level, verdict = Level.UNKNOWN, f"{format_value(value, shown_unit)}, no thresholds set"
    elif isinstance(thresholds, BandThresholds):
        level, verdict = _judge_band(value, thresholds, shown_unit)
    else:
        level, verdict = _judge_line(direction, value, thresholds, shown_unit)
    if measured_at is not None and now is not None:
        if cadence is None:
            if not isinstance(kpi, KpiDefinition):
                raise InvalidInput("a cadence is needed to tell whether the value is stale")
            cadence = kpi.review
        if stale(measured_at, cadence, now):
            if isinstance(measured_at, datetime):
                day, age = measured_at.date(), (now - measured_at).days
            else:  # calendar days, so the 5th seen on the 15th is "10 days ago"
                day, age = measured_at, (now.astimezone(UTC).date() - measured_at).days
            return Status(
                Level.UNKNOWN,
                f"stale: last measured {age} days ago ({day.isoformat()}), and a "
                f"{cadence.value} metric goes stale after {cadence.allowed_age.days} days; "
                f"last reading: {verdict}",
                stale=True,
            )
    return Status(level, verdict)


def stale(last_measured_at: date | datetime, cadence: Cadence, now: datetime) -> bool:
    """Whether more than the cadence's length plus its grace has passed since the last
    measurement. A date means the end of that day in UTC. InvalidInput for a naive time."""
    return _moment(now, "the current time") - _moment(last_measured_at) > cadence.allowed_age


def trend(
    kpi: KpiDefinition | Direction,
    series: Iterable[tuple[date, Decimal]],
    *,
    unit: Unit | None = None,
    thresholds: Thresholds | BandThresholds | None = None,
) -> Trend:
    """Compare the latest period with the mean of up to three before it, by direction (rules
    in the module docstring). A target-band metric needs its band in `thresholds`.
    InvalidInput for two values of one period or a value that is not a finite number."""
    direction, shown_unit = _direction_and_unit(kpi, unit)
    points = sorted(series, key=lambda point: point[0])
    for (first, _), (second, _) in pairwise(points):
        if first == second:
            raise InvalidInput(f"two values for the period ending {first.isoformat()}")
    _require_finite("the values", *(value for _, value in points))
    if len(points) < 2:
        latest = points[-1][1] if points else None
        return Trend(TrendDirection.UNKNOWN, None, latest=latest)
    latest = points[-1][1]
    earlier = [value for _, value in points[-1 - TREND_BASELINE_PERIODS : -1]]
    baseline = sum(earlier, Decimal(0)) / len(earlier)
    change = latest - baseline
    found = Trend(TrendDirection.UNKNOWN, change, latest=latest, baseline=baseline)
    if direction is Direction.TARGET_BAND:
        if thresholds is None:
            return found
        check_thresholds(direction, thresholds)
        assert isinstance(thresholds, BandThresholds)  # check_thresholds guarantees it
        gain = _distance(baseline, thresholds) - _distance(latest, thresholds)
    else:
        gain = change if direction is Direction.HIGHER else -change
    percent = shown_unit is Unit.PERCENT
    tolerance = FLAT_PERCENT_POINTS if percent else abs(baseline) * FLAT_SHARE
    if abs(gain) <= tolerance:
        moved = TrendDirection.FLAT
    else:
        moved = TrendDirection.IMPROVING if gain > 0 else TrendDirection.WORSENING
    return Trend(moved, change, latest=latest, baseline=baseline)


def format_value(value: Decimal, unit: Unit | None) -> str:
    """A value as people read it: `38 h`, `97.5%`, `1 day`, `12,500`, `4 per week`."""
    number = _number(value)
    if unit is Unit.PERCENT:
        return f"{number}%"
    if unit is Unit.DAYS:
        return f"{number} day" if value == 1 else f"{number} days"
    suffix = {
        Unit.MINUTES: " min",
        Unit.HOURS: " h",
        Unit.PER_WEEK: " per week",
        Unit.PER_MONTH: " per month",
    }
    return number + suffix.get(unit, "") if unit is not None else number


def _judge_line(
    direction: Direction, value: Decimal, lines: Thresholds, unit: Unit | None
) -> tuple[Level, str]:
    shown = format_value(value, unit)
    target = format_value(lines.target, unit)
    for level, name, line in (
        (Level.RED, "critical", lines.critical),
        (Level.AMBER, "warning", lines.warning),
    ):
        if not _better(direction, value, line):
            shown_line = format_value(line, unit)
            where = _where(value, line)
            return level, f"{shown} is {where} the {name} line of {shown_line} (target {target})"
    if not _better(direction, lines.target, value):
        return Level.GREEN, f"{shown} meets the target of {target}"
    warning = format_value(lines.warning, unit)
    return (
        Level.GREEN,
        f"{shown} is short of the target of {target} but {_where(value, lines.warning)} "
        f"the warning line of {warning}",
    )


def _judge_band(value: Decimal, band: BandThresholds, unit: Unit | None) -> tuple[Level, str]:
    shown = format_value(value, unit)
    span = f"{format_value(band.low, unit)} to {format_value(band.high, unit)}"
    if band.critical_low is not None and value <= band.critical_low:
        crossed: Decimal | None = band.critical_low
    elif band.critical_high is not None and value >= band.critical_high:
        crossed = band.critical_high
    else:
        crossed = None
    if crossed is not None:
        return (
            Level.RED,
            f"{shown} is {_where(value, crossed)} the critical line of "
            f"{format_value(crossed, unit)} (target band {span})",
        )
    if band.low <= value <= band.high:
        return Level.GREEN, f"{shown} is within the target band of {span}"
    side, line = ("below", band.critical_low) if value < band.low else ("above", band.critical_high)
    critical = f" (critical line {format_value(line, unit)})" if line is not None else ""
    return Level.AMBER, f"{shown} is {side} the target band of {span}{critical}"


def _distance(value: Decimal, band: BandThresholds) -> Decimal:
    if value < band.low:
        return band.low - value
    return value - band.high if value > band.high else Decimal(0)


def _better(direction: Direction, value: Decimal, than: Decimal) -> bool:
    return value > than if direction is Direction.HIGHER else value < than


def _where(value: Decimal, line: Decimal) -> str:
    if value == line:
        return "at"
    return "above" if value > line else "below"


def _direction_and_unit(
    kpi: KpiDefinition | Direction, unit: Unit | None
) -> tuple[Direction, Unit | None]:
    if isinstance(kpi, KpiDefinition):
        return kpi.direction, unit or kpi.unit
    return kpi, unit


def _moment(when: date | datetime, what: str = "the time of the last measurement") -> datetime:
    if isinstance(when, datetime):
        if when.utcoffset() is None:
            raise InvalidInput(f"{what} has no time zone")
        return when
    return datetime.combine(when + timedelta(days=1), time(), tzinfo=UTC)


def _require_finite(what: str, *values: Decimal) -> None:
    if not all(isinstance(value, Decimal) and value.is_finite() for value in values):
        raise InvalidInput(f"{what} must be finite numbers")


def _number(value: Decimal) -> str:
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -3:
        value = value.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
    text = f"{value:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
