"""The computed measurements: every catalog computation is implemented, and the review
periods they are computed over are the complete weeks, fortnights and months."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

import pytest

from quarterdeck.domain.scorecard import COMPUTATIONS, Cadence
from quarterdeck.services.computed import COMPUTE, periods


def test_every_computation_the_catalog_names_is_implemented() -> None:
    assert set(COMPUTE) == set(COMPUTATIONS)


@pytest.mark.parametrize(
    ("cadence", "today", "first", "last"),
    [
        # Wednesday 18 March: the last complete week ended on Sunday the 15th.
        (Cadence.WEEKLY, date(2026, 3, 18), date(2026, 3, 9), date(2026, 3, 15)),
        # On a Sunday the week is still running: the previous one is the last complete.
        (Cadence.WEEKLY, date(2026, 3, 15), date(2026, 3, 2), date(2026, 3, 8)),
        # Fortnights count from Monday 2024-01-01: 23 Feb 2026 starts one (56 x 14 days on),
        # and the one starting 9 March is still running on the 18th.
        (Cadence.BIWEEKLY, date(2026, 3, 18), date(2026, 2, 23), date(2026, 3, 8)),
        (Cadence.MONTHLY, date(2026, 3, 1), date(2026, 2, 1), date(2026, 2, 28)),
        (Cadence.MONTHLY, date(2026, 3, 31), date(2026, 2, 1), date(2026, 2, 28)),
    ],
)
def test_the_latest_period_is_the_last_complete_one(
    cadence: Cadence, today: date, first: date, last: date
) -> None:
    found = periods(cadence, today, "UTC")
    assert len(found) == 12
    assert (found[-1].first, found[-1].last) == (first, last)
    assert all(a.last < b.first for a, b in itertools.pairwise(found))


def test_periods_follow_the_workspace_time_zone() -> None:
    [window] = periods(Cadence.MONTHLY, date(2026, 4, 10), "Europe/London", count=1)
    # March 2026 in London: GMT until the 29th, then BST (UTC+1) to the end of the month.
    assert window.start == datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
    assert window.end == datetime(2026, 3, 31, 23, 0, tzinfo=UTC)
