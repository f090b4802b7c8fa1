"""Ranking the open intake by the workspace's prioritisation method (or another one asked
for), every rank with its breakdown. Items the method cannot score yet are listed apart
with what they lack, so one unscored item never hides the ranking of the rest."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from quarterdeck.domain.access import Actor, Permission
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.portfolio import IntakeItem
from quarterdeck.domain.prioritisation import (
    Method,
    Ranking,
)
from quarterdeck.services.access import authorize
from quarterdeck.services.intake import OPEN
from quarterdeck.services.intake_scoring import candidate_for, ranker_for
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


def rank_items(
    items: Sequence[IntakeItem], settings: PlanningSettings, method: Method | None = None
) -> IntakeRanking:
    """Rank `items` (the open ones) by `method`, default the workspace's."""
    chosen = method or settings.method
    ranker = ranker_for(chosen, settings)
    scorable, unscored = [], []
    for item in items:
        if item.status not in OPEN:
            continue
        if chosen.value not in item.scores and chosen is not Method.WEIGHTED:
            unscored.append(Unscored(item.key, item.title, f"not scored for {chosen.value}"))
            continue
        scorable.append((item, candidate_for(chosen, item.key, item.title, item.scores)))
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
