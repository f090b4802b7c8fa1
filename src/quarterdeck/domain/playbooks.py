"""Playbooks: ordered step lists a leader instantiates with dates and owners (a new CTO's
first 90 days, an interim onboarding, a handover), and the rules that put them on a
calendar. Step windows are relative days from the day the playbook starts."""

from __future__ import annotations

import zoneinfo
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from quarterdeck.domain.errors import InvalidInput

__all__ = [
    "MAX_DAY",
    "Playbook",
    "PlaybookStep",
    "ScheduledStep",
    "overdue",
    "schedule",
]

MAX_DAY = 730  # two years: the longest window a playbook step may run to


@dataclass(frozen=True, slots=True)
class PlaybookStep:
    """One step: what to do, what "done" looks like, which leadership role owns it, the
    window (days from the playbook's start, both ends included) and what it leaves behind."""

    key: str
    title: str
    done_when: str
    owner: str
    start_day: int
    due_day: int
    artifact: str

    def __post_init__(self) -> None:
        for name in ("start_day", "due_day"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise InvalidInput(f"step {self.key!r}: {name} must be a whole number of days")
            if not 0 <= value <= MAX_DAY:
                raise InvalidInput(f"step {self.key!r}: {name} must be 0 to {MAX_DAY}")
        if self.due_day < self.start_day:
            raise InvalidInput(
                f"step {self.key!r}: due_day {self.due_day} is before start_day {self.start_day}"
            )


@dataclass(frozen=True, slots=True)
class Playbook:
    """A named list of steps and the test that says the whole playbook has done its job.
    Which kinds of technology leader it applies to is the role catalog's to say."""

    key: str
    name: str
    summary: str
    exit_criterion: str
    steps: tuple[PlaybookStep, ...]

    def __post_init__(self) -> None:
        if not self.steps:
            raise InvalidInput(f"playbook {self.key!r} has no steps")
        seen: set[str] = set()
        for step in self.steps:
            if step.key in seen:
                raise InvalidInput(f"playbook {self.key!r}: step key {step.key!r} is repeated")
            seen.add(step.key)

    @property
    def step_keys(self) -> tuple[str, ...]:
        return tuple(step.key for step in self.steps)

    @property
    def length_days(self) -> int:
        """The day the last step falls due."""
        return max(step.due_day for step in self.steps)

    def step(self, key: str) -> PlaybookStep:
        """The step with `key`; InvalidInput naming the known keys otherwise."""
        for step in self.steps:
            if step.key == key:
                return step
        raise InvalidInput(
            f"playbook {self.key!r} has no step {key!r}; known: {', '.join(self.step_keys)}"
        )


@dataclass(frozen=True, slots=True)
class ScheduledStep:
    """A step placed on the calendar: both dates are calendar days in the workspace zone,
    and the step is due at the end of `due_on`."""

    step: PlaybookStep
    starts_on: date
    due_on: date

    def is_overdue(self, today: date) -> bool:
        return today > self.due_on


def schedule(playbook: Playbook, start: date, zone: str) -> tuple[ScheduledStep, ...]:
    """Put every step of `playbook` on the calendar, in playbook order.

    `start` is the playbook's day 0: a calendar date taken as it is, or an aware datetime
    read as a date in `zone` (the workspace's IANA time zone). A step starts on
    start + start_day and is due on start + due_day; whole calendar days are added, so a
    daylight-saving change in between moves nothing. Raises InvalidInput for an unknown
    zone or a naive datetime.
    """
    day_zero = _local_date(start, zone)
    return tuple(
        ScheduledStep(
            step=step,
            starts_on=day_zero + timedelta(days=step.start_day),
            due_on=day_zero + timedelta(days=step.due_day),
        )
        for step in playbook.steps
    )


def overdue(
    steps: Iterable[ScheduledStep], today: date, *, done: Collection[str] = frozenset()
) -> tuple[ScheduledStep, ...]:
    """The steps whose due date has passed by `today` (a step due today is not yet late),
    leaving out those whose keys are in `done`, in the order given."""
    return tuple(s for s in steps if s.is_overdue(today) and s.step.key not in done)


def _local_date(start: date, zone: str) -> date:
    try:
        tz = zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"time zone {zone!r} is not a known IANA time zone") from None
    if isinstance(start, datetime):
        if start.tzinfo is None or start.utcoffset() is None:
            raise InvalidInput("a playbook start time must carry its time zone")
        return start.astimezone(tz).date()
    return start
