"""Greedy filling: candidates taken one by one in a given order, each with whatever it
requires, into the earliest quarter where all of it fits, and skipped when it does not.
Mandatory candidates come first. Two orders use it: the handbook's rule (highest benefit,
then the safest, by turns) and value per person-week, which hands the solver a first plan
so that a time limit always leaves one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from quarterdeck.domain.planning_conflicts import needed
from quarterdeck.domain.planning_ledger import Ledger, Reason
from quarterdeck.domain.planning_model import Candidate, PlanInput

__all__ = ["Stuck", "by_density", "by_turns", "fill", "take"]

Order = Callable[[list[Candidate]], Iterator[Candidate]]


class Stuck(Exception):
    """A mandatory candidate did not fit where the greedy order left room."""

    def __init__(self, candidate: Candidate, blockers: list[Reason]) -> None:
        super().__init__(candidate.id)
        self.candidate = candidate
        self.blockers = blockers


def take(ledger: Ledger, candidate: Candidate) -> list[Reason]:
    """Plan `candidate` with whatever it requires that is not planned yet, each into the
    earliest quarter it fits; all or nothing. Returns why it could not, or nothing."""
    plan = ledger.plan
    added: list[Candidate] = []
    for candidate_id in needed(plan, [candidate.id]):
        if candidate_id in ledger.chosen:
            continue
        item = plan.candidate(candidate_id)
        quarters = plan.allowed_quarters(item)
        quarter = next((q for q in quarters if ledger.fits(item, q)), None)
        if quarter is None:
            for done in reversed(added):
                ledger.remove(done)
            return ledger.blockers(item, quarters[0])
        ledger.add(item, quarter)
        added.append(item)
    return []


def by_turns(candidates: list[Candidate]) -> Iterator[Candidate]:
    """Highest benefit (value before risk), then the safest (highest probability of
    success), then the next highest benefit, ... each candidate once."""
    queues = [
        sorted(candidates, key=lambda c: (-c.value, -c.success, c.id)),
        sorted(candidates, key=lambda c: (-c.success, -c.value, c.id)),
    ]
    given: set[str] = set()
    heads = [0, 0]
    turn = 0
    while len(given) < len(candidates):
        queue = queues[turn]
        while queue[heads[turn]].id in given:
            heads[turn] += 1
        candidate = queue[heads[turn]]
        given.add(candidate.id)
        yield candidate
        turn = 1 - turn


def by_density(candidates: list[Candidate]) -> Iterator[Candidate]:
    """Greatest risk-adjusted value per person-week first (work without effort leads)."""

    def density(candidate: Candidate) -> float:
        effort = candidate.total_effort
        return candidate.risk_adjusted_value / effort if effort > 0 else float("inf")

    yield from sorted(candidates, key=lambda c: (-density(c), c.id))


def fill(plan: PlanInput, order: Order) -> Ledger:
    """Mandatory candidates first (those pinned to a quarter before the others, each group
    in input order, so an unpinned one never takes the room a pinned one must have), then
    the rest in `order`. Raises Stuck when a mandatory candidate does not fit."""
    ledger = Ledger(plan)
    mandatory = sorted((c for c in plan.candidates if c.mandatory), key=lambda c: c.quarter is None)
    for candidate in mandatory:
        if candidate.id not in ledger.chosen:
            blockers = take(ledger, candidate)
            if blockers:
                raise Stuck(candidate, blockers)
    for candidate in order([c for c in plan.candidates if c.id not in ledger.chosen]):
        if candidate.id not in ledger.chosen:
            take(ledger, candidate)
    return ledger
