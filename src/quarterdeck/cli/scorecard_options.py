"""Arguments and options the `metric` and `scorecard` commands share, and how their text
becomes domain values: a choice among an enum's members, a date, thresholds."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from quarterdeck.cli.session import fail

if TYPE_CHECKING:
    from quarterdeck.domain.scorecard import BandThresholds, Direction, Thresholds

__all__ = [
    "CadenceOption",
    "Critical",
    "CriticalHigh",
    "CriticalLow",
    "High",
    "KeyArg",
    "Low",
    "OwnerOption",
    "Target",
    "Warning_",
    "choice",
    "day",
    "read_thresholds",
]

E = TypeVar("E", bound=StrEnum)

KeyArg = Annotated[
    str, typer.Argument(help="Metric key, e.g. lead-time (see `metric list`).", metavar="KEY")
]
OwnerOption = Annotated[
    str | None, typer.Option(help="Who answers for the metric.", show_default=False)
]
CadenceOption = Annotated[
    str | None,
    typer.Option(
        help="How often it is reviewed and so expected to be updated: weekly, biweekly or "
        "monthly (default: its category's).",
        show_default=False,
    ),
]
Target = Annotated[
    str | None,
    typer.Option(
        help="Goal of a higher- or lower-is-better metric (with --warning and --critical).",
        show_default=False,
    ),
]
Warning_ = Annotated[
    str | None, typer.Option(help="Warning line: amber at it or worse.", show_default=False)
]
Critical = Annotated[
    str | None, typer.Option(help="Critical line: red at it or worse.", show_default=False)
]
Low = Annotated[
    str | None,
    typer.Option(
        help="Low end of a target-band metric's green band (with --high).", show_default=False
    ),
]
High = Annotated[
    str | None,
    typer.Option(help="High end of a target-band metric's green band.", show_default=False),
]
CriticalLow = Annotated[
    str | None,
    typer.Option(help="Optional: red at or below it (target-band).", show_default=False),
]
CriticalHigh = Annotated[
    str | None,
    typer.Option(help="Optional: red at or above it (target-band).", show_default=False),
]


def choice(kind: type[E], text: str, option: str) -> E:
    """`text` as a member of `kind`, or one red line naming `option` and the choices."""
    try:
        return kind(text.strip().lower())
    except ValueError:
        known = ", ".join(member.value for member in kind)
        fail(f"{option} must be one of {known}; got {text!r}")


def day(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        fail(f"{option} {text!r} is not a date like 2027-03-31")


def read_thresholds(
    direction: Direction, **given: str | None
) -> Thresholds | BandThresholds | None:
    """The threshold options given (target, warning, critical, low, high, critical_low,
    critical_high) read for a metric of `direction`; None when none is given. InvalidInput
    names what is missing, unknown for the direction, not a number or out of order."""
    from quarterdeck.services import scorecard

    return scorecard.parse_thresholds(direction, {k: v for k, v in given.items() if v is not None})
