"""The capacity model (DOMAIN.md section 3): how many person-weeks a team has in a quarter
once leave and hiring dates are counted, and the quarters a plan is made for.

A quarter is labelled like "2027-Q1". A full quarter holds 13 working weeks; someone who
joins or leaves inside it counts for the share of its days they are there. Leave is given
in weeks per quarter and costs `weeks x FTE` person-weeks (half-time people lose half a
person-week for each week away). Capacity is never below zero.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from quarterdeck.domain.errors import InvalidInput

__all__ = [
    "WEEKS_PER_QUARTER",
    "Member",
    "check_quarter",
    "following_quarters",
    "member_weeks",
    "quarter_bounds",
    "quarter_of",
]

WEEKS_PER_QUARTER = Decimal(13)
_LABEL = re.compile(r"^(\d{4})-Q([1-4])$")


def check_quarter(label: str, where: str = "quarter") -> str:
    """`label` if it names a quarter like 2027-Q1; InvalidInput otherwise."""
    if not isinstance(label, str) or not _LABEL.match(label):
        raise InvalidInput(f"{where} {label!r} is not a quarter like 2027-Q1")
    return label


def quarter_bounds(label: str) -> tuple[date, date]:
    """First and last day of the quarter."""
    match = _LABEL.match(check_quarter(label))
    assert match is not None
    year, number = int(match[1]), int(match[2])
    first = date(year, 3 * number - 2, 1)
    after = date(year + 1, 1, 1) if number == 4 else date(year, 3 * number + 1, 1)
    return first, after - timedelta(days=1)


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def following_quarters(first: str, count: int) -> tuple[str, ...]:
    """`count` consecutive quarters starting with `first`."""
    match = _LABEL.match(check_quarter(first))
    assert match is not None
    year, number = int(match[1]), int(match[2]) - 1
    labels = []
    for step in range(count):
        y, n = divmod(number + step, 4)
        labels.append(f"{year + y}-Q{n + 1}")
    return tuple(labels)


@dataclass(frozen=True, slots=True)
class Member:
    """Someone in a team, as far as capacity goes."""

    name: str
    fte: Decimal
    starts_on: date | None = None
    ends_on: date | None = None
    leave: dict[str, Decimal] | None = None  # quarter -> weeks away

    def __post_init__(self) -> None:
        if not Decimal(0) < self.fte <= Decimal(1):
            raise InvalidInput(f"{self.name}: FTE must be above 0 and at most 1, not {self.fte}")
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise InvalidInput(
                f"{self.name}: leaves on {self.ends_on} before joining on {self.starts_on}"
            )
        for quarter, weeks in (self.leave or {}).items():
            check_quarter(quarter, f"{self.name}: leave in")
            if not Decimal(0) <= weeks <= WEEKS_PER_QUARTER:
                raise InvalidInput(
                    f"{self.name}: leave in {quarter} must be 0-13 weeks, not {weeks}"
                )


def member_weeks(member: Member, quarter: str) -> Decimal:
    """Person-weeks `member` gives in `quarter`, rounded to hundredths."""
    first, last = quarter_bounds(quarter)
    start = max(first, member.starts_on or first)
    end = min(last, member.ends_on or last)
    if end < start:
        return Decimal(0)
    present = Decimal((end - start).days + 1) / Decimal((last - first).days + 1)
    weeks = WEEKS_PER_QUARTER * present - (member.leave or {}).get(quarter, Decimal(0))
    return max(Decimal(0), weeks * member.fte).quantize(Decimal("0.01"))
