"""Arguments and options the `metric` and `scorecard` commands share, and how their text
becomes domain values: a choice among an enum's members, a date, thresholds, a release
rule and a start point."""

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
    "SettingsVersion",
    "Target",
    "Warning_",
    "choice",
    "day",
    "read_thresholds",
    "release_rule",
    "start_point",
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

SettingsVersion = Annotated[
    int | None,
    typer.Option(
        "--version",
        min=0,
        help="The scorecard settings version you read (`scorecard choices` shows it); "
        "refused if someone changed the settings since. Default: the current one.",
        show_default=False,
    ),
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


def release_rule(text: str) -> tuple[str, str, str]:
    """REPO=PATTERN:SERVICE (or REPO=PATTERN, deploying the repository's name) as
    (repository, pattern, service); one red line naming --release otherwise. A tag name
    holds no colon, so the last one ends the pattern."""
    repository, equals, rest = text.partition("=")
    pattern, colon, service = rest.rpartition(":") if ":" in rest else (rest, "", "")
    if not equals or not repository.strip() or not pattern.strip() or (colon and not service):
        fail(f"--release must read REPO=PATTERN:SERVICE, like shop=v*:shop; got {text!r}")
    return repository.strip(), pattern.strip(), service.strip() or repository.strip()


def start_point(text: str) -> tuple[str, str]:
    """SERVICE=SHA as (service, sha); one red line naming --start-point otherwise."""
    service, equals, sha = text.partition("=")
    if not equals or not service.strip() or not sha.strip():
        fail(f"--start-point must read SERVICE=SHA, like shop=3f9c2ab; got {text!r}")
    return service.strip(), sha.strip()
