"""The assessment pages' forms: the ratings of a sitting (one radio group per statement,
named rate_<statement>) with every statement left unrated named at once; and a scored
sitting as the rows its result page shows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from quarterdeck.domain.assessments import RATING_MAX, RATING_MIN, AreaScore, Assessment
from quarterdeck.domain.errors import InvalidInput, NotFound
from quarterdeck.services.assessments import Sitting

__all__ = [
    "RATINGS",
    "AreaRow",
    "area_rows",
    "ratings_from",
    "sitting_id",
    "workspace_choice",
]

RATINGS = tuple(range(RATING_MIN, RATING_MAX + 1))
PREFIX = "rate_"
PRIVATE = ""  # the share form's choice that keeps a sitting to its taker


def ratings_from(fields: Mapping[str, str], assessment: Assessment) -> dict[str, int]:
    """A rating from 1 to 5 for every statement of `assessment`; InvalidInput naming every
    statement left unrated (or rated off the scale), by area, otherwise."""
    allowed = {str(value): value for value in RATINGS}
    ratings: dict[str, int] = {}
    missing: list[str] = []
    for area in assessment.areas:
        for statement in area.statements:
            raw = fields.get(PREFIX + statement.key, "").strip()
            if raw in allowed:
                ratings[statement.key] = allowed[raw]
            else:
                missing.append(f"{area.name}: “{statement.text}”")
    if missing:
        raise InvalidInput(
            f"rate every statement from {RATING_MIN} to {RATING_MAX}; "
            f"{len(missing)} not rated: " + "; ".join(missing)
        )
    return ratings


def sitting_id(text: str) -> int:
    """A sitting's number in an address; NotFound for anything else."""
    if not text.isdigit() or len(text) > 9 or int(text) < 1:
        raise NotFound(f"assessment sitting {text[:20]!r} not found")
    return int(text)


def workspace_choice(fields: Mapping[str, str]) -> str | None:
    """The workspace a sitting is to be shared with; None keeps it private."""
    chosen = fields.get("workspace", PRIVATE).strip()
    return None if chosen == PRIVATE else chosen


@dataclass(frozen=True, slots=True)
class AreaRow:
    scored: AreaScore
    change: Decimal | None  # since the previous sitting; None for a first sitting

    @property
    def standing(self) -> str:
        if self.scored.is_strength:
            return "strength"
        return "gap" if self.scored.is_gap else "steady"


def area_rows(sitting: Sitting) -> list[AreaRow]:
    changes = {c.area.key: c.change for c in sitting.since_previous or ()}
    return [AreaRow(scored, changes.get(scored.area.key)) for scored in sitting.result.areas]
