"""RICE and WSJF rankings of intake items: two scores of value per unit of effort, on the shared
core of `prioritisation` (exact numbers, terms, ties, gates). Every choice the numbers
depend on:

- RICE = reach x impact x confidence / effort: reach as given (people or events per period),
  impact one of the model's levels (default 0.25, 0.5, 1, 2, 3), confidence a percent 0..100,
  effort above zero. Terms: reach adds; impact, confidence/100 and 1/effort multiply.
- WSJF = (business value + time criticality + risk reduction/opportunity enablement) / job
  size, in points of the model's scale (default 1, 2, 3, 5, 8, 13, 20; None allows any value
  >= 0, job size > 0). Terms: the three cost-of-delay parts add; 1/job size multiplies.
- RICE and WSJF weigh nothing: their terms have weight 1.
- RICE and WSJF scores are unbounded, so their normalised score is the score divided by the
  best score among the ranked items (the top item reads 1; all 0 when the best is 0). Ratio
  to the best, not min-max: an item half as good as the top reads 0.5, the last is not 0.
- Gates: none by default; a workspace may add yes/no gates, which work as in the core.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.prioritisation import (
    ONE,
    Effect,
    Gate,
    Method,
    Number,
    Ranking,
    Term,
    exact,
    rank_by,
    show,
)

__all__ = [
    "FIBONACCI",
    "RiceCandidate",
    "RiceModel",
    "WsjfCandidate",
    "WsjfModel",
    "rank_rice",
    "rank_wsjf",
]


@dataclass(frozen=True, slots=True)
class RiceModel:
    impact_levels: tuple[Number, ...] = (Fraction(1, 4), Fraction(1, 2), 1, 2, 3)
    gates: tuple[Gate, ...] = ()


@dataclass(frozen=True, slots=True)
class RiceCandidate:
    key: str
    title: str
    reach: Number  # people or events per period
    impact: Number  # one of the model's impact levels
    confidence: Number  # percent, 0..100
    effort: Number  # person-months (any unit, the same for every item)
    gates: Mapping[str, bool] = field(default_factory=dict)


def rank_rice(model: RiceModel, candidates: Sequence[RiceCandidate]) -> Ranking:
    """Rank by RICE. Raises InvalidInput for negative reach, an impact not among the levels,
    confidence outside 0..100 %, effort <= 0, unknown gates and duplicate keys."""
    levels = {exact(level, "an impact level") for level in model.impact_levels}

    def score(item: RiceCandidate) -> tuple[tuple[Term, ...], list[str]]:
        where = f"intake item {item.key}"
        reach = exact(item.reach, f"{where}: reach")
        impact = exact(item.impact, f"{where}: impact")
        confidence = exact(item.confidence, f"{where}: confidence")
        effort = exact(item.effort, f"{where}: effort")
        if reach < 0:
            raise InvalidInput(f"{where}: reach must not be negative, got {show(reach)}")
        if impact not in levels:
            allowed = ", ".join(show(level) for level in sorted(levels))
            raise InvalidInput(f"{where}: impact is {show(impact)}; use one of {allowed}")
        if not 0 <= confidence <= 100:
            raise InvalidInput(f"{where}: confidence is {show(confidence)} %, outside 0..100 %")
        if effort <= 0:
            raise InvalidInput(f"{where}: effort must be above zero, got {show(effort)}")
        mul = Effect.MULTIPLY
        return (
            Term("reach", reach, reach, ONE, reach),
            Term("impact", impact, impact, ONE, impact, mul),
            Term("confidence", confidence, confidence / 100, ONE, confidence / 100, mul),
            Term("effort", effort, 1 / effort, ONE, 1 / effort, mul),
        ), []

    return rank_by(Method.RICE, model.gates, candidates, score)


FIBONACCI: tuple[Number, ...] = (1, 2, 3, 5, 8, 13, 20)


@dataclass(frozen=True, slots=True)
class WsjfModel:
    scale: tuple[Number, ...] | None = FIBONACCI  # allowed points; None: any value >= 0
    gates: tuple[Gate, ...] = ()


@dataclass(frozen=True, slots=True)
class WsjfCandidate:
    key: str
    title: str
    business_value: Number  # user or business value
    time_criticality: Number
    risk_reduction: Number  # risk reduction or opportunity enablement
    job_size: Number
    gates: Mapping[str, bool] = field(default_factory=dict)


def rank_wsjf(model: WsjfModel, candidates: Sequence[WsjfCandidate]) -> Ranking:
    """Rank by WSJF. Raises InvalidInput for points off the scale, negative points, a job
    size <= 0, unknown gates and duplicate keys."""
    scale = None if model.scale is None else {exact(p, "a scale point") for p in model.scale}

    def score(item: WsjfCandidate) -> tuple[tuple[Term, ...], list[str]]:
        where, terms = f"intake item {item.key}", []
        parts = ("business-value", "time-criticality", "risk-reduction", "job-size")
        values = (item.business_value, item.time_criticality, item.risk_reduction, item.job_size)
        for name, value in zip(parts, values, strict=True):
            points = exact(value, f"{where}: {name}")
            if scale is not None and points not in scale:
                allowed = ", ".join(show(p) for p in sorted(scale))
                raise InvalidInput(f"{where}: {name} is {show(points)}; use one of {allowed}")
            if points < 0 or (name == "job-size" and points <= 0):
                limit = "above zero" if name == "job-size" else "zero or more"
                raise InvalidInput(f"{where}: {name} must be {limit}, got {show(points)}")
            if name == "job-size":
                terms.append(Term(name, points, 1 / points, ONE, 1 / points, Effect.MULTIPLY))
            else:
                terms.append(Term(name, points, points, ONE, points))
        return tuple(terms), []

    return rank_by(Method.WSJF, model.gates, candidates, score)
