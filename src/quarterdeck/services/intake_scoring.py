"""Turning an intake item's stored scores into the domain's candidates for a prioritisation
method, and the ranking function of each method under the workspace's settings. Shared by
the ranking and by the intake, which checks scores against their scales on entry."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
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
from quarterdeck.services.portfolio_settings import PlanningSettings, number

__all__ = ["SCORE_FIELDS", "candidate_for", "clean_scores", "ranker_for", "yes_no"]

# Inputs per prioritisation method; five-criteria `serves` maps goal keys to 0..5.
SCORE_FIELDS: dict[str, tuple[str, ...]] = {
    "five-criteria": ("departmental", "resources", "viability", "risk"),
    "rice": ("reach", "impact", "confidence", "effort"),
    "wsjf": ("business_value", "time_criticality", "risk_reduction", "job_size"),
}


def yes_no(value: object, name: str) -> bool:
    """A yes/no answer as forms, the API and the CLI give it."""
    if isinstance(value, bool):
        return value
    if value in ("true", "on", "yes", "1"):
        return True
    if value in ("false", "off", "no", "0", ""):
        return False
    raise InvalidInput(f"{name} must be yes or no, not {value!r}")


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


def _scores(raw: object, goals: Iterable[str]) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        raise InvalidInput("scores must map a prioritisation method to its inputs")
    known_goals = set(goals)
    result: dict[str, Any] = {}
    for method, inputs in raw.items():
        if method == "weighted":
            if not isinstance(inputs, Mapping):
                raise InvalidInput("weighted scores must map a criterion to a number")
            result[method] = {
                str(k): str(number(v, f"weighted score {k}", low=None)) for k, v in inputs.items()
            }
            continue
        if method not in SCORE_FIELDS:
            known = ", ".join([*SCORE_FIELDS, "weighted"])
            raise InvalidInput(f"scores for unknown method {method!r}; known: {known}")
        if not isinstance(inputs, Mapping):
            raise InvalidInput(f"{method} scores must map each input to a number")
        allowed = {
            *SCORE_FIELDS[method],
            *(("serves", "departments") if method == "five-criteria" else ()),
        }
        unknown = sorted(set(inputs) - allowed)
        if unknown:
            raise InvalidInput(
                f"{method} has no input {unknown[0]!r}; its inputs are {', '.join(sorted(allowed))}"
            )
        missing = [name for name in SCORE_FIELDS[method] if name not in inputs]
        if missing:
            raise InvalidInput(f"{method} scores lack {', '.join(missing)}")
        entry: dict[str, Any] = {
            name: str(number(inputs[name], f"{method} {name}")) for name in SCORE_FIELDS[method]
        }
        if method == "five-criteria":
            serves = inputs.get("serves", {})
            if not isinstance(serves, Mapping):
                raise InvalidInput("five-criteria serves must map a strategic goal to 0-5")
            for goal in serves:
                if goal not in known_goals:
                    raise InvalidInput(
                        f"unknown strategic goal {goal!r}; known: {', '.join(sorted(known_goals))}"
                    )
            entry["serves"] = {
                g: str(number(v, f"strength for goal {g}")) for g, v in serves.items()
            }
            entry["departments"] = yes_no(inputs.get("departments", True), "departments back it")
        result[method] = entry
    return result


def _on_scale(scores: Mapping[str, Any], title: str, settings: PlanningSettings) -> None:
    """Refuse scores the method's ranking would refuse (a five-criteria value above 5, a
    RICE impact that is not a level, WSJF points off the scale, a custom criterion outside
    its range), naming the method and the value."""
    for name in scores:
        method = Method(name)
        if method is Method.WEIGHTED and not settings.criteria:
            continue
        try:
            ranker_for(method, settings)([candidate_for(method, "this item", title, scores)])
        except InvalidInput as problem:
            raise InvalidInput(
                f"{name} scores: {problem.message.replace('intake item ', '')}"
            ) from None


def clean_scores(raw: object, title: str, settings: PlanningSettings) -> dict[str, Any]:
    """Scores as given for an item, checked (methods and their inputs known, numbers, goals
    the workspace has, every value on its method's scale) and kept as text."""
    scores = _scores(raw, [goal.key for goal in settings.goals])
    _on_scale(scores, title, settings)
    return scores
