"""Turning an intake item's stored scores into the domain's candidates for a prioritisation
method, and the ranking function of each method under the workspace's settings. Shared by
the ranking and by the intake, which checks scores against their scales on entry."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.prioritisation import (
    Candidate,
    Method,
    Ranking,
    WeightedModel,
    rank_weighted,
)
from quarterdeck.domain.prioritisation_five_criteria import (
    DEPARTMENTS_GATE,
    FiveCriteriaCandidate,
    rank_five_criteria,
)
from quarterdeck.domain.prioritisation_ratios import (
    RiceCandidate,
    RiceModel,
    WsjfCandidate,
    WsjfModel,
    rank_rice,
    rank_wsjf,
)
from quarterdeck.services.portfolio_settings import PlanningSettings

__all__ = ["SCORE_FIELDS", "candidate_for", "ranker_for"]

# Inputs per prioritisation method; five-criteria `serves` maps goal keys to 0..5.
SCORE_FIELDS: dict[str, tuple[str, ...]] = {
    "five-criteria": ("departmental", "resources", "viability", "risk"),
    "rice": ("reach", "impact", "confidence", "effort"),
    "wsjf": ("business_value", "time_criticality", "risk_reduction", "job_size"),
}


def _d(value: Any) -> Decimal:
    return Decimal(str(value))


def candidate_for(method: Method, key: str, title: str, all_scores: Mapping[str, Any]) -> object:
    """The domain candidate of one item for `method`, from its stored scores."""
    scores = all_scores.get(method.value)
    if method is Method.WEIGHTED:
        return Candidate(key, title, {k: _d(v) for k, v in (scores or {}).items()})
    assert scores is not None
    if method is Method.FIVE_CRITERIA:
        return FiveCriteriaCandidate(
            key,
            title,
            {goal: _d(v) for goal, v in scores.get("serves", {}).items()},
            _d(scores["departmental"]),
            _d(scores["resources"]),
            _d(scores["viability"]),
            _d(scores["risk"]),
            {DEPARTMENTS_GATE.key: bool(scores.get("departments", True))},
        )
    if method is Method.RICE:
        reach, impact, confidence, effort = (_d(scores[f]) for f in SCORE_FIELDS["rice"])
        return RiceCandidate(key, title, reach, impact, confidence, effort)
    value, critical, risk, size = (_d(scores[f]) for f in SCORE_FIELDS["wsjf"])
    return WsjfCandidate(key, title, value, critical, risk, size)


def ranker_for(method: Method, settings: PlanningSettings) -> Callable[[Sequence[Any]], Ranking]:
    if method is Method.FIVE_CRITERIA:
        model = settings.five_criteria()
        return lambda items: rank_five_criteria(model, items)
    if method is Method.RICE:
        return lambda items: rank_rice(RiceModel(), items)
    if method is Method.WSJF:
        return lambda items: rank_wsjf(WsjfModel(), items)
    if not settings.criteria:
        raise InvalidInput(
            "the workspace has no custom criteria; add them in the planning settings"
        )
    weighted = WeightedModel(settings.criteria)
    return lambda items: rank_weighted(weighted, items)
