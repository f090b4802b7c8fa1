"""The DORA performance bands of DOMAIN.md section 8, both editions, as data.

The tables speak in words ("daily to weekly", "1 day - 1 week"); grading needs numbers.
Every row below keeps the table's words next to the number it is read as, and one rule
turns the words into numbers everywhere:

- Units: deployment frequency in deployments per day (higher is better); lead time and
  time to restore in hours; change failure rate as a fraction (0.05 is 5%).
- A day is 24 hours, a week 7 days, a month 30 days, six months 180 days.
- "On demand (several a day)" means more than one deployment a day: exactly one a day is
  "daily", which the next row holds.
- A value on the edge between two rows belongs to the better row: weekly (1/7 a day) is
  "daily to weekly" (high) in 2023, one week of lead time is "1 day - 1 week" (high).
  Strict signs in the table are kept: "< 1 day" is below 24 hours, "<= 5%" includes 5%.
- Where the table leaves a gap between two rows, the gap falls to the worse row: a band
  is earned only by meeting its stated edge. In 2021, a 6-hour lead time (neither
  "< 1 hour" nor "1 day - 1 week") is high; three deployments a week (between "on
  demand" and "weekly to monthly") is high; a two-week time to restore (between "1 day -
  1 week" and "> 6 months") is low. Values beyond the worst row are that row's band.
- The 2021 table gives 16-30% for high, medium and low change failure rates alike, so
  above 15% it cannot tell those three apart: the grade then names all three and no
  single band (`BandRating.band` is None). Above 30% is worse than every row: low.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from quarterdeck.domain.errors import InvalidInput

__all__ = [
    "BAND_TABLES",
    "Band",
    "BandRating",
    "BandRow",
    "BandsEdition",
    "Metric",
    "grade",
]


class BandsEdition(StrEnum):
    DORA_2021 = "2021"
    DORA_2023 = "2023"


class Band(StrEnum):
    ELITE = "elite"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Metric(StrEnum):
    DEPLOYMENT_FREQUENCY = "deployment-frequency"  # deployments per day
    LEAD_TIME = "lead-time"  # hours
    CHANGE_FAILURE_RATE = "change-failure-rate"  # fraction of deployments
    TIME_TO_RESTORE = "time-to-restore"  # hours


HIGHER_IS_BETTER = frozenset({Metric.DEPLOYMENT_FREQUENCY})

DAY, WEEK, MONTH, SIX_MONTHS = Fraction(24), Fraction(168), Fraction(720), Fraction(4320)
PER_DAY, PER_WEEK, PER_MONTH, PER_SIX_MONTHS = (
    Fraction(1),
    Fraction(1, 7),
    Fraction(1, 30),
    Fraction(1, 180),
)


@dataclass(frozen=True, slots=True)
class BandRow:
    """One row of a table for one metric. A value meets the row when it is beyond `limit`
    in the good direction (at least / more than it for deployment frequency, at most /
    less than it otherwise); `strict` makes the edge itself fail. A row without a limit
    takes every value the rows above it left. Usually one band; the 2021 change failure
    row "16-30%" holds three."""

    bands: tuple[Band, ...]
    stated: str  # the table's words
    limit: Fraction | None
    strict: bool = False
    widened: str = ""  # the table's gap this row also takes, in words

    def holds(self, value: Fraction, higher_is_better: bool) -> bool:
        if self.limit is None:
            return True
        if higher_is_better:
            return value > self.limit if self.strict else value >= self.limit
        return value < self.limit if self.strict else value <= self.limit


E, H, M, L = Band.ELITE, Band.HIGH, Band.MEDIUM, Band.LOW

BAND_TABLES: dict[BandsEdition, dict[Metric, tuple[BandRow, ...]]] = {
    BandsEdition.DORA_2023: {
        Metric.DEPLOYMENT_FREQUENCY: (
            BandRow((E,), "on demand (several a day)", PER_DAY, strict=True),
            BandRow((H,), "daily to weekly", PER_WEEK),
            BandRow((M,), "weekly to monthly", PER_MONTH),
            BandRow((L,), "less than monthly", None),
        ),
        Metric.LEAD_TIME: (
            BandRow((E,), "< 1 day", DAY, strict=True),
            BandRow((H,), "1 day - 1 week", WEEK),
            BandRow((M,), "1 week - 1 month", MONTH),
            BandRow((L,), "> 1 month", None),
        ),
        Metric.CHANGE_FAILURE_RATE: (
            BandRow((E,), "<= 5%", Fraction(5, 100)),
            BandRow((H,), "<= 10%", Fraction(10, 100)),
            BandRow((M,), "<= 15%", Fraction(15, 100)),
            BandRow((L,), "> 15%", None),
        ),
        Metric.TIME_TO_RESTORE: (
            BandRow((E,), "< 1 hour", Fraction(1), strict=True),
            BandRow((H,), "< 1 day", DAY, strict=True),
            BandRow((M,), "1 day - 1 week", WEEK),
            BandRow((L,), "> 1 week", None),
        ),
    },
    BandsEdition.DORA_2021: {
        Metric.DEPLOYMENT_FREQUENCY: (
            BandRow((E,), "on demand", PER_DAY, strict=True),
            BandRow((H,), "weekly to monthly", PER_MONTH, widened="more than weekly up to daily"),
            BandRow((M,), "monthly to every 6 months", PER_SIX_MONTHS),
            BandRow((L,), "less than every 6 months", None),
        ),
        Metric.LEAD_TIME: (
            BandRow((E,), "< 1 hour", Fraction(1), strict=True),
            BandRow((H,), "1 day - 1 week", WEEK, widened="1 hour - 1 day"),
            BandRow((M,), "1 - 6 months", SIX_MONTHS, widened="1 week - 1 month"),
            BandRow((L,), "> 6 months", None),
        ),
        Metric.CHANGE_FAILURE_RATE: (
            BandRow((E,), "0-15%", Fraction(15, 100)),
            BandRow((H, M, L), "16-30%", Fraction(30, 100), widened="above 15% and below 16%"),
            BandRow((L,), "16-30%", None, widened="above 30% (worse than every row)"),
        ),
        Metric.TIME_TO_RESTORE: (
            BandRow((E,), "< 1 hour", Fraction(1), strict=True),
            BandRow((H,), "< 1 day", DAY, strict=True),
            BandRow((M,), "1 day - 1 week", WEEK),
            BandRow((L,), "> 6 months", None, widened="1 week - 6 months"),
        ),
    },
}


@dataclass(frozen=True, slots=True)
class BandRating:
    """The band a figure earns in one edition, with the table row that gave it."""

    metric: Metric
    edition: BandsEdition
    bands: tuple[Band, ...]  # empty when there is no figure; three for 2021 CFR above 15%
    stated: str  # the row's words, "" when there is no figure
    widened: str = ""  # the table's gap the row also takes (see the module docstring)

    @property
    def band(self) -> Band | None:
        """The one band, or None when there is no figure or the table cannot tell."""
        return self.bands[0] if len(self.bands) == 1 else None

    def note(self) -> str:
        """The grade in words, naming the edition."""
        if not self.bands:
            return f"No DORA {self.edition} band: no figure in the window."
        names = " / ".join(band.value for band in self.bands)
        text = f"DORA {self.edition} band: {names} ({self.stated})."
        if self.widened:
            text += f" The row also takes {self.widened}, which the table leaves out."
        if len(self.bands) > 1:
            text += f" The {self.edition} table gives these bands the same range."
        return text


def grade(metric: Metric, value: float | Fraction | None, *, edition: BandsEdition) -> BandRating:
    """The band of `value` (in the units `Metric` states) in the chosen edition's table.

    None (no figure) earns no band. Raises InvalidInput for NaN or a negative value.
    """
    if value is None:
        return BandRating(metric, edition, (), "")
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        raise InvalidInput(f"a {metric} of {value} cannot be graded")
    exact = Fraction(value)
    if exact < 0:
        raise InvalidInput(f"a {metric} cannot be negative")
    higher_is_better = metric in HIGHER_IS_BETTER
    for row in BAND_TABLES[edition][metric]:
        if row.holds(exact, higher_is_better):
            return BandRating(metric, edition, row.bands, row.stated, row.widened)
    raise AssertionError("the last row of every table takes every value")  # pragma: no cover
