"""The DORA 2021 and 2023 bands, graded at the edges of every row."""

from __future__ import annotations

from fractions import Fraction

import pytest

from quarterdeck.domain.delivery_bands import (
    BAND_TABLES,
    Band,
    BandsEdition,
    Metric,
    grade,
)
from quarterdeck.domain.errors import InvalidInput

E, H, M, L = Band.ELITE, Band.HIGH, Band.MEDIUM, Band.LOW
V2021, V2023 = BandsEdition.DORA_2021, BandsEdition.DORA_2023
TINY = Fraction(1, 10**9)

EDGES = [
    # 2023, deployments per day: more than daily, daily to weekly, weekly to monthly
    (V2023, Metric.DEPLOYMENT_FREQUENCY, 1 + TINY, E),
    (V2023, Metric.DEPLOYMENT_FREQUENCY, Fraction(1), H),
    (V2023, Metric.DEPLOYMENT_FREQUENCY, Fraction(1, 7), H),
    (V2023, Metric.DEPLOYMENT_FREQUENCY, Fraction(1, 7) - TINY, M),
    (V2023, Metric.DEPLOYMENT_FREQUENCY, Fraction(1, 30), M),
    (V2023, Metric.DEPLOYMENT_FREQUENCY, Fraction(1, 30) - TINY, L),
    (V2023, Metric.DEPLOYMENT_FREQUENCY, Fraction(0), L),
    # 2023, lead time in hours: < 1 day, 1 day - 1 week, 1 week - 1 month, > 1 month
    (V2023, Metric.LEAD_TIME, 24 - TINY, E),
    (V2023, Metric.LEAD_TIME, 24.0, H),
    (V2023, Metric.LEAD_TIME, Fraction(168), H),
    (V2023, Metric.LEAD_TIME, 168 + TINY, M),
    (V2023, Metric.LEAD_TIME, Fraction(720), M),
    (V2023, Metric.LEAD_TIME, 720 + TINY, L),
    # 2023, change failure rate: <= 5%, <= 10%, <= 15%, > 15%
    (V2023, Metric.CHANGE_FAILURE_RATE, Fraction(0), E),
    (V2023, Metric.CHANGE_FAILURE_RATE, Fraction(1, 20), E),
    (V2023, Metric.CHANGE_FAILURE_RATE, Fraction(1, 20) + TINY, H),
    (V2023, Metric.CHANGE_FAILURE_RATE, Fraction(1, 10), H),
    (V2023, Metric.CHANGE_FAILURE_RATE, Fraction(3, 20), M),
    (V2023, Metric.CHANGE_FAILURE_RATE, Fraction(3, 20) + TINY, L),
    # 2023, time to restore in hours: < 1 hour, < 1 day, 1 day - 1 week, > 1 week
    (V2023, Metric.TIME_TO_RESTORE, 1 - TINY, E),
    (V2023, Metric.TIME_TO_RESTORE, Fraction(1), H),
    (V2023, Metric.TIME_TO_RESTORE, 24 - TINY, H),
    (V2023, Metric.TIME_TO_RESTORE, Fraction(24), M),
    (V2023, Metric.TIME_TO_RESTORE, Fraction(168), M),
    (V2023, Metric.TIME_TO_RESTORE, 168 + TINY, L),
    # 2021, deployments per day: on demand, weekly to monthly (and the gap up to daily), ...
    (V2021, Metric.DEPLOYMENT_FREQUENCY, 1 + TINY, E),
    (V2021, Metric.DEPLOYMENT_FREQUENCY, Fraction(1), H),
    (V2021, Metric.DEPLOYMENT_FREQUENCY, Fraction(1, 7), H),
    (V2021, Metric.DEPLOYMENT_FREQUENCY, Fraction(1, 30), H),
    (V2021, Metric.DEPLOYMENT_FREQUENCY, Fraction(1, 30) - TINY, M),
    (V2021, Metric.DEPLOYMENT_FREQUENCY, Fraction(1, 180), M),
    (V2021, Metric.DEPLOYMENT_FREQUENCY, Fraction(1, 180) - TINY, L),
    # 2021, lead time: < 1 hour, (gap) 1 day - 1 week, (gap) 1 - 6 months, > 6 months
    (V2021, Metric.LEAD_TIME, 1 - TINY, E),
    (V2021, Metric.LEAD_TIME, Fraction(1), H),
    (V2021, Metric.LEAD_TIME, Fraction(12), H),
    (V2021, Metric.LEAD_TIME, Fraction(168), H),
    (V2021, Metric.LEAD_TIME, 168 + TINY, M),
    (V2021, Metric.LEAD_TIME, Fraction(4320), M),
    (V2021, Metric.LEAD_TIME, 4320 + TINY, L),
    # 2021, time to restore: < 1 hour, < 1 day, 1 day - 1 week, (gap) > 6 months
    (V2021, Metric.TIME_TO_RESTORE, 1 - TINY, E),
    (V2021, Metric.TIME_TO_RESTORE, Fraction(1), H),
    (V2021, Metric.TIME_TO_RESTORE, Fraction(24), M),
    (V2021, Metric.TIME_TO_RESTORE, Fraction(168), M),
    (V2021, Metric.TIME_TO_RESTORE, 168 + TINY, L),
    # 2021, change failure rate: 0-15% is elite; beyond 30% is worse than every row
    (V2021, Metric.CHANGE_FAILURE_RATE, Fraction(15, 100), E),
    (V2021, Metric.CHANGE_FAILURE_RATE, Fraction(30, 100) + TINY, L),
    (V2021, Metric.CHANGE_FAILURE_RATE, Fraction(1), L),
]


@pytest.mark.parametrize(("edition", "metric", "value", "band"), EDGES)
def test_a_value_on_an_edge_earns_the_band_the_table_states(
    edition: BandsEdition, metric: Metric, value: float | Fraction, band: Band
) -> None:
    rating = grade(metric, value, edition=edition)
    assert rating.band is band
    assert rating.bands == (band,)
    assert (rating.metric, rating.edition) == (metric, edition)


@pytest.mark.parametrize("value", [Fraction(15, 100) + TINY, Fraction(16, 100), Fraction(30, 100)])
def test_the_2021_table_cannot_tell_high_medium_and_low_failure_rates_apart(
    value: Fraction,
) -> None:
    rating = grade(Metric.CHANGE_FAILURE_RATE, value, edition=V2021)
    assert rating.band is None
    assert rating.bands == (H, M, L)
    assert rating.stated == "16-30%"
    assert rating.note() == (
        "DORA 2021 band: high / medium / low (16-30%). The row also takes above 15% and "
        "below 16%, which the table leaves out. The 2021 table gives these bands the same range."
    )


def test_a_band_says_its_edition_and_row_and_any_gap_it_takes() -> None:
    assert grade(Metric.LEAD_TIME, 24.0, edition=V2023).note() == (
        "DORA 2023 band: high (1 day - 1 week)."
    )
    assert grade(Metric.LEAD_TIME, 6.0, edition=V2021).note() == (
        "DORA 2021 band: high (1 day - 1 week). The row also takes 1 hour - 1 day, which the "
        "table leaves out."
    )


def test_no_figure_earns_no_band() -> None:
    rating = grade(Metric.TIME_TO_RESTORE, None, edition=V2023)
    assert (rating.bands, rating.band, rating.stated) == ((), None, "")
    assert rating.note() == "No DORA 2023 band: no figure in the window."


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -1.0])
def test_a_value_that_cannot_be_graded_is_refused(value: float) -> None:
    with pytest.raises(InvalidInput):
        grade(Metric.LEAD_TIME, value, edition=V2023)


def test_both_editions_rate_every_metric_down_to_a_catch_all_row() -> None:
    assert set(BAND_TABLES) == {V2021, V2023}
    for table in BAND_TABLES.values():
        assert set(table) == set(Metric)
        for rows in table.values():
            assert rows[0].bands == (E,)
            assert (rows[-1].bands, rows[-1].limit) == ((L,), None)
            assert len(rows) == (3 if rows[1].bands == (H, M, L) else 4)
