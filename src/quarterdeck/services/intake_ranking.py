"""Ranking the open intake by the workspace's prioritisation method (or another one asked
for), every rank with its breakdown. Items the method cannot score yet are listed apart
with what they lack, so one unscored item never hides the ranking of the rest."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from quarterdeck.domain.access import Actor, Permission
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.portfolio import IntakeItem
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
from quarterdeck.services.access import authorize
from quarterdeck.services.intake import OPEN, SCORE_FIELDS
from quarterdeck.services.portfolio_settings import PlanningSettings, settings_of
from quarterdeck.storage import UnitOfWork

__all__ = ["IntakeRanking", "Unscored", "rank", "rank_items"]


@dataclass(frozen=True, slots=True)
class Unscored:
    key: str
    title: str
    reason: str


@dataclass(frozen=True, slots=True)
class IntakeRanking:
    method: Method
    ranking: Ranking
    unscored: tuple[Unscored, ...]


def _d(value: Any) -> Decimal:
    return Decimal(str(value))


def _candidate(method: Method, item: IntakeItem) -> object:
    scores = item.scores.get(method.value)
    if method is Method.WEIGHTED:
        return Candidate(item.key, item.title, {k: _d(v) for k, v in (scores or {}).items()})
    assert scores is not None
    if method is Method.FIVE_CRITERIA:
        return FiveCriteriaCandidate(
            item.key,
            item.title,
            {goal: _d(v) for goal, v in scores.get("serves", {}).items()},
            _d(scores["departmental"]),
            _d(scores["resources"]),
            _d(scores["viability"]),
            _d(scores["risk"]),
            {DEPARTMENTS_GATE.key: bool(scores.get("departments", True))},
        )
    if method is Method.RICE:
        reach, impact, confidence, effort = (_d(scores[f]) for f in SCORE_FIELDS["rice"])
        return RiceCandidate(item.key, item.title, reach, impact, confidence, effort)
    value, critical, risk, size = (_d(scores[f]) for f in SCORE_FIELDS["wsjf"])
    return WsjfCandidate(item.key, item.title, value, critical, risk, size)


def _ranker(method: Method, settings: PlanningSettings) -> Callable[[Sequence[Any]], Ranking]:
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


def rank_items(
    items: Sequence[IntakeItem], settings: PlanningSettings, method: Method | None = None
) -> IntakeRanking:
    """Rank `items` (the open ones) by `method`, default the workspace's."""
    chosen = method or settings.method
    ranker = _ranker(chosen, settings)
    scorable, unscored = [], []
    for item in items:
        if item.status not in OPEN:
            continue
        if chosen.value not in item.scores and chosen is not Method.WEIGHTED:
            unscored.append(Unscored(item.key, item.title, f"not scored for {chosen.value}"))
            continue
        scorable.append((item, _candidate(chosen, item)))
    try:
        ranking = ranker([candidate for _, candidate in scorable])
    except InvalidInput:
        kept = []
        for item, candidate in scorable:
            try:
                ranker([candidate])
            except InvalidInput as problem:
                unscored.append(Unscored(item.key, item.title, problem.message))
            else:
                kept.append(candidate)
        ranking = ranker(kept)
    return IntakeRanking(chosen, ranking, tuple(sorted(unscored, key=lambda u: u.key)))


def rank(
    uow: UnitOfWork, *, actor: Actor, workspace: str, method: str | None = None
) -> IntakeRanking:
    ws = authorize(uow, actor, workspace, Permission.READ).workspace
    chosen = None
    if method:
        try:
            chosen = Method(method)
        except ValueError:
            known = ", ".join(m.value for m in Method)
            raise InvalidInput(
                f"unknown prioritisation method {method!r}; known: {known}"
            ) from None
    return rank_items(uow.portfolio.items(ws.id), settings_of(uow, ws), chosen)
