from __future__ import annotations

from dataclasses import FrozenInstanceError, replace
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.scorecard import (
    BandThresholds,
    Cadence,
    Category,
    Direction,
    KpiDefinition,
    Level,
    Source,
    Status,
    Thresholds,
    TrendDirection,
    Unit,
    check_thresholds,
    format_value,
    stale,
    status,
    trend,
)

D = Decimal
HIGHER, LOWER, BAND = Direction.HIGHER, Direction.LOWER, Direction.TARGET_BAND
MTTR_LINES = Thresholds(target=D(12), warning=D(24), critical=D(48))
SLO_LINES = Thresholds(target=D("99.5"), warning=D(99), critical=D(97))
PLAN_BAND = BandThresholds(low=D(85), high=D(110), critical_low=D(70), critical_high=D(130))
MONDAY = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def make_kpi(**overrides: Any) -> KpiDefinition:
    fields: dict[str, Any] = {
        "key": "mttr",
        "name": "Time to restore",
        "category": Category.RELIABILITY,
        "unit": Unit.HOURS,
        "direction": LOWER,
        "source": Source.COMPUTED,
        "computed_by": "delivery.time-to-restore",
        "meaning": "How fast service comes back.",
        "reading": "Hours from start to resolution.",
        "trap": "One long outage dominates.",
        "review": Cadence.WEEKLY,
    }
    fields.update(overrides)
    return KpiDefinition(**fields)


def series(*values: int | str) -> list[tuple[date, Decimal]]:
    start = date(2026, 1, 4)
    return [(start + timedelta(weeks=n), D(value)) for n, value in enumerate(values)]


# --- definitions ------------------------------------------------------------------------


def test_a_definition_is_frozen() -> None:
    kpi = make_kpi()
    with pytest.raises(FrozenInstanceError):
        kpi.name = "other"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"computed_by": None}, "'mttr' is computed but names no computation"),
        ({"source": Source.MANUAL}, "'mttr' is entered by hand but names a computation"),
        ({"computed_by": "delivery.vibes"}, "unknown computation 'delivery.vibes'"),
    ],
)
def test_a_definition_names_a_known_computation_exactly_when_computed(
    overrides: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        make_kpi(**overrides)


def test_a_manual_definition_names_no_computation() -> None:
    kpi = make_kpi(source=Source.MANUAL, computed_by=None)
    assert kpi.computed_by is None


# --- cadences ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cadence", "days", "allowed"),
    [(Cadence.WEEKLY, 7, 8), (Cadence.BIWEEKLY, 14, 16), (Cadence.MONTHLY, 31, 34)],
)
def test_a_cadence_has_a_length_and_a_grace(cadence: Cadence, days: int, allowed: int) -> None:
    assert cadence.days == days
    assert cadence.allowed_age == timedelta(days=allowed)


# --- thresholds -------------------------------------------------------------------------


def test_thresholds_ordered_in_the_direction_are_accepted() -> None:
    check_thresholds(LOWER, MTTR_LINES)
    check_thresholds(HIGHER, SLO_LINES)
    check_thresholds(BAND, PLAN_BAND)
    check_thresholds(BAND, BandThresholds(low=D(0), high=D(0)))


@pytest.mark.parametrize(
    ("direction", "lines", "message"),
    [
        (LOWER, (24, 12, 48), r"the target \(24\) must be below the warning line \(12\)"),
        (LOWER, (12, 12, 48), r"the target \(12\) must be below the warning line \(12\)"),
        (LOWER, (12, 48, 24), r"the warning line \(48\) must be below the critical line \(24\)"),
        (LOWER, (12, 24, 24), r"the warning line \(24\) must be below the critical line \(24\)"),
        (HIGHER, (99, "99.5", 97), r"the target \(99\) must be above the warning line \(99.5\)"),
        (HIGHER, ("99.5", 95, 97), r"the warning line \(95\) must be above the critical line"),
        (HIGHER, (12, 24, 48), r"higher-is-better metric the target \(12\) must be above"),
    ],
)
def test_thresholds_out_of_order_for_the_direction_are_refused(
    direction: Direction, lines: tuple[int | str, int | str, int | str], message: str
) -> None:
    target, warning, critical = (D(line) for line in lines)
    thresholds = Thresholds(target=target, warning=warning, critical=critical)
    with pytest.raises(InvalidInput, match=message):
        check_thresholds(direction, thresholds)


@pytest.mark.parametrize(
    ("band", "message"),
    [
        (BandThresholds(low=D(110), high=D(85)), r"the band's low end \(110\) is above its high"),
        (
            BandThresholds(low=D(85), high=D(110), critical_low=D(85)),
            r"the low critical line \(85\) must be below the band \(85 to 110\)",
        ),
        (
            BandThresholds(low=D(85), high=D(110), critical_high=D(100)),
            r"the high critical line \(100\) must be above the band \(85 to 110\)",
        ),
    ],
)
def test_a_band_out_of_order_is_refused(band: BandThresholds, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        check_thresholds(BAND, band)


def test_band_and_line_thresholds_do_not_mix() -> None:
    with pytest.raises(InvalidInput, match="a target-band metric needs a band"):
        check_thresholds(BAND, MTTR_LINES)
    with pytest.raises(InvalidInput, match="a lower-is-better metric needs a target, warning"):
        check_thresholds(LOWER, PLAN_BAND)


def test_thresholds_must_be_finite() -> None:
    with pytest.raises(InvalidInput, match="thresholds must be finite numbers"):
        Thresholds(target=D("NaN"), warning=D(24), critical=D(48))
    with pytest.raises(InvalidInput, match="thresholds must be finite numbers"):
        BandThresholds(low=D(1), high=D(2), critical_high=D("Infinity"))


def test_status_refuses_thresholds_that_do_not_suit_the_metric() -> None:
    with pytest.raises(InvalidInput, match="must be above the warning line"):
        status(HIGHER, MTTR_LINES, D(10))
    with pytest.raises(InvalidInput, match="must be below the warning line"):
        status(make_kpi(), SLO_LINES, None)


# --- status -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "level", "reason"),
    [
        ("10", Level.GREEN, "10 h meets the target of 12 h"),
        ("12", Level.GREEN, "12 h meets the target of 12 h"),
        (
            "12.5",
            Level.GREEN,
            "12.5 h is short of the target of 12 h but below the warning line of 24 h",
        ),
        (
            "23.99",
            Level.GREEN,
            "23.99 h is short of the target of 12 h but below the warning line of 24 h",
        ),
        ("24", Level.AMBER, "24 h is at the warning line of 24 h (target 12 h)"),
        ("38", Level.AMBER, "38 h is above the warning line of 24 h (target 12 h)"),
        ("47.9", Level.AMBER, "47.9 h is above the warning line of 24 h (target 12 h)"),
        ("48", Level.RED, "48 h is at the critical line of 48 h (target 12 h)"),
        ("60", Level.RED, "60 h is above the critical line of 48 h (target 12 h)"),
    ],
)
def test_status_of_a_lower_is_better_metric(value: str, level: Level, reason: str) -> None:
    assert status(make_kpi(), MTTR_LINES, D(value)) == Status(level, reason)


@pytest.mark.parametrize(
    ("value", "level", "reason"),
    [
        ("99.7", Level.GREEN, "99.7% meets the target of 99.5%"),
        ("99.5", Level.GREEN, "99.5% meets the target of 99.5%"),
        (
            "99.2",
            Level.GREEN,
            "99.2% is short of the target of 99.5% but above the warning line of 99%",
        ),
        ("99", Level.AMBER, "99% is at the warning line of 99% (target 99.5%)"),
        ("98", Level.AMBER, "98% is below the warning line of 99% (target 99.5%)"),
        ("97", Level.RED, "97% is at the critical line of 97% (target 99.5%)"),
        ("90", Level.RED, "90% is below the critical line of 97% (target 99.5%)"),
    ],
)
def test_status_of_a_higher_is_better_metric(value: str, level: Level, reason: str) -> None:
    assert status(HIGHER, SLO_LINES, D(value), unit=Unit.PERCENT) == Status(level, reason)


@pytest.mark.parametrize(
    ("value", "level", "reason"),
    [
        ("85", Level.GREEN, "85% is within the target band of 85% to 110%"),
        ("100", Level.GREEN, "100% is within the target band of 85% to 110%"),
        ("110", Level.GREEN, "110% is within the target band of 85% to 110%"),
        ("84.9", Level.AMBER, "84.9% is below the target band of 85% to 110% (critical line 70%)"),
        ("120", Level.AMBER, "120% is above the target band of 85% to 110% (critical line 130%)"),
        ("70", Level.RED, "70% is at the critical line of 70% (target band 85% to 110%)"),
        ("60", Level.RED, "60% is below the critical line of 70% (target band 85% to 110%)"),
        ("130", Level.RED, "130% is at the critical line of 130% (target band 85% to 110%)"),
        ("140", Level.RED, "140% is above the critical line of 130% (target band 85% to 110%)"),
    ],
)
def test_status_of_a_target_band_metric(value: str, level: Level, reason: str) -> None:
    assert status(BAND, PLAN_BAND, D(value), unit=Unit.PERCENT) == Status(level, reason)


def test_a_band_side_without_a_critical_line_never_turns_red() -> None:
    band = BandThresholds(low=D(-5), high=D(5), critical_high=D(15))
    assert status(BAND, band, D(-80)) == Status(
        Level.AMBER, "-80 is below the target band of -5 to 5"
    )
    assert status(BAND, band, D(15)).level is Level.RED


def test_status_is_unknown_without_a_value_or_without_thresholds() -> None:
    assert status(make_kpi(), MTTR_LINES, None) == Status(Level.UNKNOWN, "no value recorded yet")
    assert status(make_kpi(), None, D(38)) == Status(Level.UNKNOWN, "38 h, no thresholds set")


def test_status_refuses_a_value_that_is_not_a_number() -> None:
    with pytest.raises(InvalidInput, match="the value must be finite"):
        status(make_kpi(), MTTR_LINES, D("NaN"))


def test_a_given_unit_overrides_the_definitions_unit() -> None:
    result = status(make_kpi(), MTTR_LINES, D(38), unit=Unit.DAYS)
    assert result.reason == "38 days is above the warning line of 24 days (target 12 days)"


# --- staleness --------------------------------------------------------------------------


@pytest.mark.parametrize("cadence", list(Cadence))
def test_a_metric_is_stale_only_after_its_cadence_and_grace(cadence: Cadence) -> None:
    limit = MONDAY + cadence.allowed_age
    assert not stale(MONDAY, cadence, MONDAY)
    assert not stale(MONDAY, cadence, limit)
    assert stale(MONDAY, cadence, limit + timedelta(seconds=1))


def test_a_weekly_metric_is_fresh_for_eight_days() -> None:
    assert not stale(MONDAY, Cadence.WEEKLY, datetime(2026, 1, 13, 9, 0, tzinfo=UTC))
    assert stale(MONDAY, Cadence.WEEKLY, datetime(2026, 1, 13, 9, 1, tzinfo=UTC))


def test_a_measurement_dated_by_its_period_counts_from_the_end_of_that_day() -> None:
    day = date(2026, 1, 5)
    assert not stale(day, Cadence.WEEKLY, datetime(2026, 1, 14, 0, 0, tzinfo=UTC))
    assert stale(day, Cadence.WEEKLY, datetime(2026, 1, 14, 0, 0, 1, tzinfo=UTC))


def test_staleness_compares_instants_across_time_zones() -> None:
    paris = timezone(timedelta(hours=1))
    measured = datetime(2026, 1, 5, 10, 0, tzinfo=paris)  # 09:00 UTC
    assert not stale(measured, Cadence.WEEKLY, datetime(2026, 1, 13, 9, 0, tzinfo=UTC))
    assert stale(measured, Cadence.WEEKLY, datetime(2026, 1, 13, 9, 0, 1, tzinfo=UTC))


def test_a_measurement_in_the_future_is_not_stale() -> None:
    assert not stale(MONDAY + timedelta(days=3), Cadence.WEEKLY, MONDAY)


def test_staleness_needs_times_with_a_zone() -> None:
    naive = datetime(2026, 1, 5, 9, 0)
    with pytest.raises(InvalidInput, match="last measurement has no time zone"):
        stale(naive, Cadence.WEEKLY, MONDAY)
    with pytest.raises(InvalidInput, match="current time has no time zone"):
        stale(MONDAY, Cadence.WEEKLY, naive)


def test_a_stale_metric_is_unknown_and_the_reason_gives_the_last_reading() -> None:
    now = MONDAY + timedelta(days=9)
    result = status(make_kpi(), MTTR_LINES, D(38), measured_at=MONDAY, now=now)
    assert result == Status(
        Level.UNKNOWN,
        "stale: last measured 9 days ago (2026-01-05), and a weekly metric goes stale after "
        "8 days; last reading: 38 h is above the warning line of 24 h (target 12 h)",
        stale=True,
    )


def test_a_stale_green_is_not_shown_as_green() -> None:
    result = status(
        make_kpi(), MTTR_LINES, D(6), measured_at=MONDAY, now=MONDAY + timedelta(days=20)
    )
    assert result.level is Level.UNKNOWN
    assert result.stale
    assert result.reason.endswith("last reading: 6 h meets the target of 12 h")


def test_a_metric_at_the_staleness_limit_keeps_its_level() -> None:
    now = MONDAY + timedelta(days=8)
    result = status(make_kpi(), MTTR_LINES, D(38), measured_at=MONDAY, now=now)
    assert result == Status(Level.AMBER, "38 h is above the warning line of 24 h (target 12 h)")


def test_the_staleness_of_a_status_counts_calendar_days_for_a_period_date() -> None:
    now = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)
    result = status(make_kpi(), None, D(38), measured_at=date(2026, 1, 5), now=now)
    assert result.reason == (
        "stale: last measured 10 days ago (2026-01-05), and a weekly metric goes stale after "
        "8 days; last reading: 38 h, no thresholds set"
    )


def test_a_given_cadence_overrides_the_definitions_review_cadence() -> None:
    now = MONDAY + timedelta(days=9)
    result = status(
        make_kpi(), MTTR_LINES, D(38), measured_at=MONDAY, now=now, cadence=Cadence.MONTHLY
    )
    assert result.level is Level.AMBER
    assert not result.stale


def test_staleness_of_a_bare_direction_needs_a_cadence() -> None:
    with pytest.raises(InvalidInput, match="a cadence is needed"):
        status(LOWER, MTTR_LINES, D(38), measured_at=MONDAY, now=MONDAY)
    result = status(
        LOWER, MTTR_LINES, D(38), measured_at=MONDAY, now=MONDAY, cadence=Cadence.WEEKLY
    )
    assert result.level is Level.AMBER


# --- trend ------------------------------------------------------------------------------


def test_a_falling_lower_is_better_metric_is_improving() -> None:
    found = trend(LOWER, series(10, 12, 14, 9))
    assert found.direction is TrendDirection.IMPROVING
    assert (found.latest, found.baseline, found.change) == (D(9), D(12), D(-3))


def test_a_rising_lower_is_better_metric_is_worsening() -> None:
    found = trend(make_kpi(), series(10, 14))
    assert (found.direction, found.change) == (TrendDirection.WORSENING, D(4))


def test_a_higher_is_better_metric_moves_the_other_way() -> None:
    assert trend(HIGHER, series(50, 55)).direction is TrendDirection.IMPROVING
    assert trend(HIGHER, series(55, 50)).direction is TrendDirection.WORSENING


def test_the_baseline_is_the_mean_of_the_three_periods_before_the_latest() -> None:
    found = trend(LOWER, series(1000, 10, 11, 12, 11))
    assert (found.baseline, found.change, found.direction) == (D(11), D(0), TrendDirection.FLAT)


def test_the_series_is_read_in_period_order() -> None:
    points = series(10, 12, 14, 9)
    assert trend(LOWER, list(reversed(points))) == trend(LOWER, points)


@pytest.mark.parametrize(
    ("values", "moved"),
    [
        ((100, 101), TrendDirection.FLAT),  # exactly 1% of the baseline
        ((100, 99), TrendDirection.FLAT),
        ((100, "101.01"), TrendDirection.IMPROVING),
        ((100, "98.99"), TrendDirection.WORSENING),
        ((0, 0), TrendDirection.FLAT),
        ((0, "0.001"), TrendDirection.IMPROVING),  # no tolerance around a zero baseline
    ],
)
def test_flat_means_within_one_percent_of_the_baseline(
    values: tuple[int | str, ...], moved: TrendDirection
) -> None:
    assert trend(HIGHER, series(*values)).direction is moved


@pytest.mark.parametrize(
    ("values", "moved"),
    [
        (("99.5", "99.55"), TrendDirection.FLAT),
        (("99.5", "99.45"), TrendDirection.FLAT),
        (("99.5", "99.56"), TrendDirection.IMPROVING),
        (("99.9", "99.5"), TrendDirection.WORSENING),  # under 1% of 99.9, yet a real fall
    ],
)
def test_a_percentage_is_flat_within_five_hundredths_of_a_point(
    values: tuple[str, ...], moved: TrendDirection
) -> None:
    assert trend(HIGHER, series(*values), unit=Unit.PERCENT).direction is moved
    kpi = make_kpi(unit=Unit.PERCENT, direction=HIGHER)
    assert trend(kpi, series(*values)).direction is moved


def test_a_band_metric_improves_by_getting_closer_to_its_band() -> None:
    assert trend(BAND, series(70, 80), thresholds=PLAN_BAND).direction is TrendDirection.IMPROVING
    assert trend(BAND, series(130, 90), thresholds=PLAN_BAND).direction is TrendDirection.IMPROVING
    assert trend(BAND, series(105, 120), thresholds=PLAN_BAND).direction is TrendDirection.WORSENING
    assert trend(BAND, series(100, 75), thresholds=PLAN_BAND).direction is TrendDirection.WORSENING
    inside = trend(BAND, series(90, 108), thresholds=PLAN_BAND)
    assert (inside.direction, inside.change) == (TrendDirection.FLAT, D(18))


def test_a_band_metric_without_its_band_has_a_change_but_no_direction() -> None:
    found = trend(BAND, series(90, 108))
    assert (found.direction, found.change) == (TrendDirection.UNKNOWN, D(18))
    with pytest.raises(InvalidInput, match="needs a band"):
        trend(BAND, series(90, 108), thresholds=MTTR_LINES)


def test_fewer_than_two_periods_give_an_unknown_trend() -> None:
    one = trend(LOWER, series(9))
    assert (one.direction, one.change, one.latest) == (TrendDirection.UNKNOWN, None, D(9))
    none = trend(LOWER, [])
    assert (none.direction, none.change, none.latest) == (TrendDirection.UNKNOWN, None, None)


def test_two_values_for_one_period_are_refused() -> None:
    points = [(date(2026, 1, 4), D(1)), (date(2026, 1, 4), D(2))]
    with pytest.raises(InvalidInput, match="two values for the period ending 2026-01-04"):
        trend(LOWER, points)


def test_trend_refuses_values_that_are_not_numbers() -> None:
    with pytest.raises(InvalidInput, match="the values must be finite numbers"):
        trend(LOWER, series(1, "NaN"))
    with pytest.raises(InvalidInput, match="two values for the period"):
        trend(LOWER, [(date(2026, 1, 4), D("NaN")), (date(2026, 1, 4), D(1))])


# --- showing values ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        ("38", Unit.HOURS, "38 h"),
        ("38.50", Unit.HOURS, "38.5 h"),
        ("97.5", Unit.PERCENT, "97.5%"),
        ("1E+2", Unit.PERCENT, "100%"),
        ("1", Unit.DAYS, "1 day"),
        ("2", Unit.DAYS, "2 days"),
        ("12", Unit.MINUTES, "12 min"),
        ("12500", Unit.CURRENCY, "12,500"),
        ("4", Unit.PER_WEEK, "4 per week"),
        ("3", Unit.PER_MONTH, "3 per month"),
        ("4.2", Unit.SCORE, "4.2"),
        ("11.33333", Unit.COUNT, "11.333"),
        ("-3", None, "-3"),
    ],
)
def test_values_are_shown_with_their_unit(value: str, unit: Unit | None, shown: str) -> None:
    assert format_value(D(value), unit) == shown


def test_a_status_is_a_value() -> None:
    assert replace(Status(Level.RED, "x"), stale=True) == Status(Level.RED, "x", stale=True)
