"""The portfolio's records as the workspace keeps them: teams and the people in them, roadmap
outcomes, intake items and accepted plans. The rules on them live in the services and in
`planning`, `capacity`, `prioritisation` and `cost_benefit`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from quarterdeck.domain.errors import InvalidInput

__all__ = [
    "AcceptedPlan",
    "IntakeItem",
    "Outcome",
    "PersonRecord",
    "TeamRecord",
    "item_key",
    "item_number",
]


def item_key(number: int) -> str:
    """How people name an intake item: IN-12."""
    return f"IN-{number}"


def item_number(text: object) -> int:
    """The number of an intake item named as 12, "12" or "IN-12"."""
    raw = str(text).strip()
    digits = raw[3:] if raw.upper().startswith("IN-") else raw
    if isinstance(text, bool) or not digits.isdigit() or int(digits) < 1:
        raise InvalidInput(f"{text!r} does not name an intake item (like IN-12)")
    return int(digits)


@dataclass(frozen=True, slots=True)
class TeamRecord:
    key: str
    name: str
    reserve_percent: Decimal
    max_parallel: int | None
    version: int


@dataclass(frozen=True, slots=True)
class PersonRecord:
    name: str
    team: str  # team key
    fte: Decimal
    starts_on: date | None
    ends_on: date | None
    leave: dict[str, str]
    version: int


@dataclass(frozen=True, slots=True)
class Outcome:
    key: str
    theme: str
    title: str
    metric: str
    target: str
    quarter: str
    version: int


@dataclass(frozen=True, slots=True)
class IntakeItem:
    number: int
    title: str
    kind: str
    status: str
    requester: str
    department: str
    description: str
    hypothesis: str
    smallest_bet: str
    urgency: str
    urgency_reason: str
    ready: dict[str, bool]
    requires: list[int]
    alternative_group: str
    mandatory: bool
    pinned_quarter: str
    value: Decimal
    success: Decimal
    scores: dict[str, Any]
    effort: dict[str, str]
    outcome_key: str
    primary_metric: str
    guardrail_metric: str
    checkpoints: dict[str, Any]
    cost_benefit: dict[str, Any] | None
    planned_quarter: str
    created_by: str
    version: int
    created_at: datetime
    updated_at: datetime

    @property
    def key(self) -> str:
        return item_key(self.number)


@dataclass(frozen=True, slots=True)
class AcceptedPlan:
    number: int
    quarters: list[str]
    strategy: str
    assignment: dict[str, str]
    value: Decimal
    urgent: int | None
    displaced: list[int]
    decision_number: int | None
    note: str
    accepted_by: str
    accepted_at: datetime
