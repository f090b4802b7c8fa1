from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from quarterdeck.domain.bottlenecks import (
    delegation_hints,
    interpolated_median,
    latency_summary,
)
from quarterdeck.domain.errors import InvalidInput

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def approvals(
    approver: str, area: str, count: int, *, days_ago: int = 1
) -> list[tuple[str, str, datetime]]:
    return [(approver, area, NOW - timedelta(days=days_ago, hours=i)) for i in range(count)]


# --- delegation hints -----------------------------------------------------------


def test_a_hint_fires_at_the_minimum_count_and_cites_it() -> None:
    (hint,) = delegation_hints(approvals("ana", "vendor", 5), as_of=NOW)
    assert (hint.approver, hint.area, hint.count, hint.total) == ("ana", "vendor", 5, 5)
    assert "5 of the 5 vendor decisions" in hint.message()
    assert "Vendor" in hint.message(area_label="Vendor")


def test_no_hint_below_the_minimum_count() -> None:
    assert delegation_hints(approvals("ana", "vendor", 4), as_of=NOW) == []


def test_no_hint_when_the_approver_holds_less_than_the_minimum_share() -> None:
    rows = approvals("ana", "vendor", 7) + approvals("bo", "vendor", 2)
    assert delegation_hints(rows, as_of=NOW) == []  # 7 of 9 is below 80%


def test_a_hint_fires_at_exactly_the_minimum_share() -> None:
    rows = approvals("ana", "vendor", 8) + approvals("bo", "vendor", 2)
    (hint,) = delegation_hints(rows, as_of=NOW)
    assert hint.share == pytest.approx(0.8)


def test_approvals_outside_the_window_do_not_count() -> None:
    rows = approvals("ana", "spend", 3, days_ago=5) + approvals("ana", "spend", 3, days_ago=95)
    assert delegation_hints(rows, as_of=NOW) == []
    assert len(delegation_hints(rows, as_of=NOW, window_days=120)) == 1


def test_the_window_ends_at_the_latest_approval_by_default() -> None:
    rows = approvals("ana", "spend", 5, days_ago=400)
    assert len(delegation_hints(rows)) == 1


def test_hints_come_most_approvals_first() -> None:
    rows = approvals("ana", "spend", 5) + approvals("bo", "vendor", 9)
    assert [hint.area for hint in delegation_hints(rows, as_of=NOW)] == ["vendor", "spend"]


@pytest.mark.parametrize(
    "settings", [{"window_days": 0}, {"min_count": 0}, {"min_share": 0.0}, {"min_share": 1.5}]
)
def test_settings_out_of_range_are_refused(settings: dict[str, float]) -> None:
    with pytest.raises(InvalidInput):
        delegation_hints([], **settings)  # type: ignore[arg-type]


# --- latency ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "median"),
    [
        ([5.0], 5.0),
        ([9.0, 1.0, 4.0], 4.0),
        ([4.0, 1.0, 10.0, 2.0], 3.0),  # halfway between the middle values 2 and 4
        ([1.0, 2.0], 1.5),
    ],
)
def test_median_takes_the_middle_or_halfway_between_the_two_middles(
    values: list[float], median: float
) -> None:
    assert interpolated_median(values) == median


def test_median_of_nothing_is_none() -> None:
    assert interpolated_median([]) is None


def test_median_refuses_nan() -> None:
    with pytest.raises(InvalidInput, match="NaN"):
        interpolated_median([1.0, float("nan")])


def test_latency_summary_gives_median_hours_and_count() -> None:
    pairs = [(NOW, NOW + timedelta(hours=h)) for h in (1, 3, 10, 48)]
    summary = latency_summary(pairs)
    assert (summary.median_hours, summary.count, summary.excluded) == (6.5, 4, 0)


def test_latency_leaves_out_decisions_dated_before_their_proposal() -> None:
    pairs = [(NOW, NOW + timedelta(hours=2)), (NOW, NOW - timedelta(hours=1)), (NOW, NOW)]
    summary = latency_summary(pairs)
    assert (summary.median_hours, summary.count, summary.excluded) == (1.0, 2, 1)


def test_latency_of_no_decisions_has_no_median() -> None:
    summary = latency_summary([])
    assert (summary.median_hours, summary.count) == (None, 0)
