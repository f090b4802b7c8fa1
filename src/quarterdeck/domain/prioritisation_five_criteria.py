"""The five-criteria model of prioritisation (DOMAIN.md section 5), per workspace, on the shared
core of `prioritisation` (exact numbers, scales, weighted criteria, terms, ties, gates). Every
choice the numbers depend on beyond the core's:

- Five criteria: strategic goals, departmental needs, resources (how well internal and
  external resources cover the item), viability (higher better) and risk (lower better), all
  on 0..high (default 0..5), equal weights unless the workspace sets others. They are scored
  as the core's weighted criteria: each mapped onto 0..1 by its scale, weighted by its share.
- The strategic value is the goal-weighted mean of how strongly the item serves each
  workspace goal (0 for a goal it does not serve). An item serving no goal is excluded unless
  switched off.
- Gates: by default one yes/no gate, do the department heads back it? A "no", an unanswered
  gate, a value worse than a pass mark or no strategic fit excludes the item with every
  reason. An item failing a yes/no gate or the strategic fit is set aside before scoring: its
  other scores are neither needed nor checked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction

from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.prioritisation import (
    ZERO,
    Candidate,
    Criterion,
    Direction,
    Gate,
    Method,
    Number,
    Ranking,
    Term,
    WeightedModel,
    check_unique,
    exact,
    rank_by,
    show,
    weighted_scorer,
)

__all__ = [
    "DEPARTMENTS_GATE",
    "FIVE_CRITERIA",
    "FiveCriteriaCandidate",
    "FiveCriteriaModel",
    "StrategicGoal",
    "rank_five_criteria",
]

DEPARTMENTS_GATE = Gate("departments", "Do the department heads back it?")

STRATEGIC, DEPARTMENTAL, RESOURCES, VIABILITY, RISK = FIVE_CRITERIA = (
    "strategic-goals",
    "departmental-needs",
    "resources",
    "viability",
    "risk",
)


@dataclass(frozen=True, slots=True)
class StrategicGoal:
    key: str
    title: str
    weight: Number = 1  # how much this goal counts among the workspace's goals


@dataclass(frozen=True, slots=True)
class FiveCriteriaModel:
    goals: tuple[StrategicGoal, ...]
    strategic_weight: Number = 1
    departmental_weight: Number = 1
    resources_weight: Number = 1
    viability_weight: Number = 1
    risk_weight: Number = 1
    high: Number = 5  # every criterion, and a goal's strength, is scored 0..high
    gates: tuple[Gate, ...] = (DEPARTMENTS_GATE,)
    require_strategic_fit: bool = True

    def __post_init__(self) -> None:
        if not self.goals:
            raise InvalidInput("the five-criteria model needs at least one strategic goal")
        check_unique((g.key for g in self.goals), "strategic goal")
        weights = [exact(g.weight, f"strategic goal {g.key!r}: weight") for g in self.goals]
        if any(w < 0 for w in weights) or sum(weights) == 0:
            raise InvalidInput("strategic goal weights must be >= 0 and not all zero")
        self.weighted()  # checks the criterion weights and the scale

    def weighted(self) -> WeightedModel:
        """The same model as plain weighted criteria (the strategic value derived first)."""
        w = (self.strategic_weight, self.departmental_weight, self.resources_weight)
        lower = Direction.LOWER_BETTER
        return WeightedModel(
            criteria=(
                Criterion(STRATEGIC, "Strategic goals", w[0], 0, self.high),
                Criterion(DEPARTMENTAL, "Departmental needs", w[1], 0, self.high),
                Criterion(RESOURCES, "Available resources", w[2], 0, self.high),
                Criterion(VIABILITY, "Viability", self.viability_weight, 0, self.high),
                Criterion(RISK, "Risk", self.risk_weight, 0, self.high, lower),
            ),
            gates=self.gates,
        )


@dataclass(frozen=True, slots=True)
class FiveCriteriaCandidate:
    key: str
    title: str
    serves: Mapping[str, Number]  # strategic goal key -> strength 0..high
    departmental_needs: Number
    resources: Number
    viability: Number
    risk: Number
    gates: Mapping[str, bool] = field(default_factory=dict)


def _strategic(model: FiveCriteriaModel, item: FiveCriteriaCandidate) -> tuple[Fraction, str]:
    goals = {g.key: Fraction(g.weight) for g in model.goals}
    unknown = sorted(set(item.serves) - set(goals))
    if unknown:
        raise InvalidInput(
            f"intake item {item.key}: serves unknown strategic goal {unknown[0]!r} "
            f"(known: {', '.join(goals)})"
        )
    total, value, parts = sum(goals.values(), ZERO), ZERO, []
    for key, strength in item.serves.items():
        raw = exact(strength, f"intake item {item.key}: strength for goal {key!r}")
        if not 0 <= raw <= Fraction(model.high):
            raise InvalidInput(
                f"intake item {item.key}: strength for goal {key!r} is {show(raw)}, "
                f"outside 0..{model.high}"
            )
        value += raw * goals[key] / total
        parts.append(f"{key} {show(raw)} x {show(goals[key] / total)}")
    note = "Goal-weighted strength: " + (" + ".join(parts) or "serves no goal") + "."
    return value, note


def rank_five_criteria(
    model: FiveCriteriaModel, candidates: Sequence[FiveCriteriaCandidate]
) -> Ranking:
    """Rank by the five criteria. An item serving no strategic goal (when the model requires
    fit) or failing a gate is excluded with the reason. Raises InvalidInput for unknown goals
    or gates, duplicate keys and values outside 0..high."""
    plain, notes, early = [], {}, {}
    for item in candidates:
        strategic, notes[item.key] = _strategic(model, item)
        if model.require_strategic_fit and strategic == 0:
            early[item.key] = ["serves none of the workspace's strategic goals"]
        scores = dict(zip(FIVE_CRITERIA, (strategic, *_five(item)), strict=True))
        plain.append(Candidate(item.key, item.title, scores, item.gates))
    weighted = model.weighted()
    ranking = rank_by(Method.FIVE_CRITERIA, weighted.gates, plain, weighted_scorer(weighted), early)
    ranked = tuple(
        replace(r, terms=tuple(_noted(t, notes[r.key]) for t in r.terms)) for r in ranking.ranked
    )
    return replace(ranking, ranked=ranked)


def _five(item: FiveCriteriaCandidate) -> tuple[Number, ...]:
    return (item.departmental_needs, item.resources, item.viability, item.risk)


def _noted(term: Term, note: str) -> Term:
    return replace(term, note=note) if term.criterion == STRATEGIC else term
