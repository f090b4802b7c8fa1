"""The playbook pages' forms: a run's name in an address, the version a form was loaded
with, calendar days typed as YYYY-MM-DD, and the owners chosen per leadership role; and
the stored run as the rows its checklist and history show."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from quarterdeck.domain.access import Membership
from quarterdeck.domain.errors import InvalidInput, NotFound
from quarterdeck.services.playbook_runs import RunStatus, RunView, StepView, run_number
from quarterdeck.web.policies import MAX_ROW_ID

__all__ = [
    "STATUS_CHANGES",
    "HistoryRow",
    "StepRow",
    "day_of",
    "history_rows",
    "owners_of",
    "path_number",
    "step_rows",
    "target_status",
    "version_of",
]

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
OWNER_PREFIX = "owner_"
# What each status form asks for: the status it moves the run to, and the button's words.
STATUS_CHANGES = {
    RunStatus.PAUSED: "Pause",
    RunStatus.RUNNING: "Resume",
    RunStatus.ABANDONED: "Abandon",
}


def path_number(text: str) -> int:
    """The run number in an address ("PB-3" or "3"); NotFound for anything else."""
    try:
        number = run_number(text[:20]) if len(text) <= 20 else 0
    except InvalidInput:
        number = 0
    if not 1 <= number <= MAX_ROW_ID:
        raise NotFound("there is no such playbook run; runs are named like PB-3")
    return number


def version_of(fields: Mapping[str, str]) -> int:
    """The version the form was loaded with; a missing or odd one can only be stale."""
    text = fields.get("version", "").strip()
    return int(text) if text.isdigit() and int(text) <= MAX_ROW_ID else -1


def day_of(fields: Mapping[str, str], name: str, label: str) -> date:
    """The calendar day typed in `name`; InvalidInput naming `label` otherwise."""
    text = fields.get(name, "").strip()
    if not text:
        raise InvalidInput(f"{label} is required, as a date like 2027-01-04")
    try:
        if not _DAY.match(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{label} {text[:40]!r} is not a date like 2027-01-04") from None


def owners_of(fields: Mapping[str, str]) -> dict[str, str]:
    """The owner chosen for each role (owner_<role> fields); an empty choice leaves the
    role to whoever holds its seat."""
    return {
        name.removeprefix(OWNER_PREFIX): value.strip()
        for name, value in fields.items()
        if name.startswith(OWNER_PREFIX) and value.strip()
    }


def target_status(fields: Mapping[str, str]) -> RunStatus:
    value = fields.get("to", "")
    for status in STATUS_CHANGES:
        if status.value == value:
            return status
    raise InvalidInput(
        f"status {value[:40]!r} must be one of {', '.join(s.value for s in STATUS_CHANGES)}"
    )


@dataclass(frozen=True, slots=True)
class StepRow:
    step: StepView
    owner_name: str  # the owner's name (or email), "" when the role has nobody
    done_at: datetime | None


@dataclass(frozen=True, slots=True)
class HistoryRow:
    at: datetime | None
    by: str
    action: str
    reason: str


def _moment(raw: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(raw))
    except ValueError:
        return None


def _name(email: str, people: Mapping[str, Membership]) -> str:
    member = people.get(email.lower())
    if member is None:
        return email
    return member.display_name or member.email


def step_rows(view: RunView, members: list[Membership]) -> list[StepRow]:
    people = {m.email.lower(): m for m in members}
    return [
        StepRow(
            step=step,
            owner_name=_name(step.owner, people) if step.owner else "",
            done_at=None if step.done is None else _moment(step.done.get("at")),
        )
        for step in view.steps
    ]


def history_rows(history: list[dict[str, Any]]) -> list[HistoryRow]:
    """The run's history, newest first."""
    return [
        HistoryRow(
            at=_moment(event.get("at")),
            by=str(event.get("by", "")),
            action=str(event.get("action", "")),
            reason=str(event.get("reason", "")),
        )
        for event in reversed(history)
    ]
