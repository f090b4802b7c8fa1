"""The leadership layer's records as a workspace (or, for assessments, a person) keeps
them: set-ups, cadence definitions, playbook runs, engagements and assessment sittings.
The rules on them live in `playbooks`, `engagements`, `assessments` and the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

__all__ = [
    "AssessmentTake",
    "Cadence",
    "EngagementRecord",
    "PlaybookRun",
    "SetupRecord",
]


@dataclass(frozen=True, slots=True)
class SetupRecord:
    id: int
    leadership_model: str
    installed: list[dict[str, Any]]  # what, key, why, outcome
    done_by: str
    done_at: datetime


@dataclass(frozen=True, slots=True)
class Cadence:
    key: str
    name: str
    frequency: str
    length: str
    purpose: str
    owner: str
    version: int


@dataclass(frozen=True, slots=True)
class PlaybookRun:
    number: int
    playbook: str
    starts_on: date
    status: str
    owners: dict[str, str]
    progress: dict[str, Any]
    history: list[dict[str, Any]]
    started_by: str
    version: int
    created_at: datetime
    updated_at: datetime

    @property
    def key(self) -> str:
        return f"PB-{self.number}"


@dataclass(frozen=True, slots=True)
class EngagementRecord:
    workspace_id: int
    leader_id: int
    model: str
    starts_on: date
    ends_on: date | None
    hours_per_week: Decimal
    pricing_basis: str
    amount: Decimal
    currency: str
    sponsor: str
    scope: dict[str, list[str]]
    decision_rights: list[str]
    red_flags: dict[str, bool]
    milestones: list[dict[str, str]]
    version: int
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class AssessmentTake:
    id: int
    user_id: int
    assessment: str
    aiming_for: str
    ratings: dict[str, int]
    shared_with: int | None
    taken_at: datetime
