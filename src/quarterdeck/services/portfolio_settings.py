"""A workspace's planning settings: the quarters it plans, its strategic goals, the
prioritisation method and weights, the target capacity split per quarter and the unit its
values are stated in. Read with defaults filled in; saved whole, version-checked."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from quarterdeck.domain.access import Actor, Permission
from quarterdeck.domain.capacity import check_quarter, following_quarters, quarter_of
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.planning import SPLIT_KINDS, Kind, Share, Split
from quarterdeck.domain.prioritisation import Criterion, Direction, Method, WeightedModel
from quarterdeck.domain.prioritisation_five_criteria import FiveCriteriaModel, StrategicGoal
from quarterdeck.domain.workspaces import Workspace
from quarterdeck.services import audit
from quarterdeck.services.access import authorize
from quarterdeck.storage import UnitOfWork

__all__ = [
    "FIVE_CRITERIA_WEIGHTS",
    "PlanningSettings",
    "number",
    "planning_settings",
    "set_planning_settings",
    "settings_of",
]

FIVE_CRITERIA_WEIGHTS = ("strategic", "departmental", "resources", "viability", "risk")
DEFAULT_SPLIT = {Kind.PRODUCT_BET: 60, Kind.PLATFORM_INVESTMENT: 25, Kind.RISK_REDUCTION: 15}
HORIZON = 4


@dataclass(frozen=True, slots=True)
class PlanningSettings:
    quarters: tuple[str, ...]
    goals: tuple[StrategicGoal, ...]
    method: Method
    weights: Mapping[str, Decimal]  # five-criteria weights by criterion
    splits: Mapping[str, Split]  # quarter -> target split
    criteria: tuple[Criterion, ...]  # the custom weighted criteria
    value_unit: str
    time_limit: float
    version: int  # 0: defaults, never saved
    defaults: tuple[str, ...] = field(default=())  # which settings are still the defaults

    def five_criteria(self) -> FiveCriteriaModel:
        w = self.weights
        return FiveCriteriaModel(
            goals=self.goals,
            strategic_weight=w["strategic"],
            departmental_weight=w["departmental"],
            resources_weight=w["resources"],
            viability_weight=w["viability"],
            risk_weight=w["risk"],
        )


def number(value: object, where: str, *, low: Decimal | None = Decimal(0)) -> Decimal:
    """A finite decimal from a number or its text; InvalidInput naming `where` otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise InvalidInput(f"{where} must be a number, not {value!r}")
    try:
        result = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidInput(f"{where} must be a number, not {value!r}") from None
    if not result.is_finite():
        raise InvalidInput(f"{where} must be a finite number, not {value!r}")
    if low is not None and result < low:
        raise InvalidInput(f"{where} must not be below {low}, not {result}")
    return result


def _goals(raw: object) -> tuple[StrategicGoal, ...]:
    if not isinstance(raw, list):
        raise InvalidInput("strategic goals must be a list")
    goals = []
    for position, entry in enumerate(raw, start=1):
        if not isinstance(entry, Mapping):
            raise InvalidInput(f"strategic goal {position} must have a key, title and weight")
        key, title = str(entry.get("key", "")).strip(), str(entry.get("title", "")).strip()
        if not key or len(key) > 48 or not title or len(title) > 200:
            raise InvalidInput(
                f"strategic goal {position} needs a key (1-48 characters) and a title "
                "(1-200 characters)"
            )
        weight = number(entry.get("weight", 1), f"strategic goal {key!r}: weight")
        goals.append(StrategicGoal(key, title, weight))
    return tuple(goals)


def _split(quarter: str, raw: object) -> Split:
    if not isinstance(raw, list):
        raise InvalidInput(f"split for {quarter} must be a list of shares")
    shares = []
    for entry in raw:
        if not isinstance(entry, Mapping) or entry.get("kind") not in set(SPLIT_KINDS):
            kinds = ", ".join(SPLIT_KINDS)
            raise InvalidInput(f"split for {quarter}: each share names a kind, one of {kinds}")
        kind = Kind(entry["kind"])
        where = f"split for {quarter}, {kind.label}"
        target = number(entry.get("target"), f"{where}: target")
        shares.append(
            Share(
                kind,
                float(target),
                float(number(entry.get("minimum", 0), f"{where}: minimum")),
                float(number(entry.get("maximum", 100), f"{where}: maximum")),
            )
        )
    try:
        return Split(tuple(shares))
    except InvalidInput as problem:
        raise InvalidInput(f"{quarter}: {problem.message}") from None


def _criteria(raw: object) -> tuple[Criterion, ...]:
    if not isinstance(raw, list):
        raise InvalidInput("custom criteria must be a list")
    result = []
    for position, entry in enumerate(raw, start=1):
        if not isinstance(entry, Mapping) or not str(entry.get("key", "")).strip():
            raise InvalidInput(f"custom criterion {position} needs a key")
        key = str(entry["key"]).strip()
        where = f"custom criterion {key!r}"
        try:
            direction = Direction(entry.get("direction", Direction.HIGHER_BETTER.value))
        except ValueError:
            known = ", ".join(d.value for d in Direction)
            raise InvalidInput(f"{where}: direction is one of {known}") from None
        mark = entry.get("pass_mark")
        result.append(
            Criterion(
                key,
                str(entry.get("label", key)).strip() or key,
                number(entry.get("weight", 1), f"{where}: weight"),
                number(entry.get("low", 0), f"{where}: low", low=None),
                number(entry.get("high", 5), f"{where}: high", low=None),
                direction,
                None if mark in (None, "") else number(mark, f"{where}: pass mark", low=None),
            )
        )
    return tuple(result)


def _default_split() -> Split:
    return Split(tuple(Share(kind, float(target)) for kind, target in DEFAULT_SPLIT.items()))


def settings_of(uow: UnitOfWork, ws: Workspace) -> PlanningSettings:
    """The workspace's settings with defaults for what was never saved (no authorization:
    the caller has done it)."""
    stored, version = uow.portfolio.settings(ws.id)
    defaults = []
    if "quarters" in stored:
        quarters = tuple(stored["quarters"])
    else:
        quarters = following_quarters(quarter_of(ws.local(uow.now()).date()), HORIZON)
        defaults.append("quarters")
    if "goals" not in stored:
        defaults.append("goals")
    goals = _goals(stored.get("goals", [{"key": "growth", "title": "Grow revenue"}]))
    weights = {
        name: Decimal(stored.get("weights", {}).get(name, 1)) for name in FIVE_CRITERIA_WEIGHTS
    }
    splits_raw = stored.get("splits")
    if splits_raw is None:
        defaults.append("splits")
        splits = {quarter: _default_split() for quarter in quarters}
    else:
        splits = {quarter: _split(quarter, raw) for quarter, raw in splits_raw.items()}
    return PlanningSettings(
        quarters=quarters,
        goals=goals,
        method=Method(stored.get("method", Method.FIVE_CRITERIA.value)),
        weights=weights,
        splits=splits,
        criteria=_criteria(stored.get("criteria", [])),
        value_unit=str(stored.get("value_unit", "points")),
        time_limit=float(stored.get("time_limit", 5)),
        version=version,
        defaults=tuple(defaults),
    )


def planning_settings(uow: UnitOfWork, *, actor: Actor, workspace: str) -> PlanningSettings:
    ws = authorize(uow, actor, workspace, Permission.READ).workspace
    return settings_of(uow, ws)


def _to_json(settings: PlanningSettings) -> dict[str, Any]:
    return {
        "quarters": list(settings.quarters),
        "goals": [
            {"key": g.key, "title": g.title, "weight": str(g.weight)} for g in settings.goals
        ],
        "method": settings.method.value,
        "weights": {name: str(value) for name, value in settings.weights.items()},
        "splits": {
            quarter: [
                {
                    "kind": s.kind.value,
                    "target": s.target,
                    "minimum": s.minimum,
                    "maximum": s.maximum,
                }
                for s in split.shares
            ]
            for quarter, split in settings.splits.items()
        },
        "criteria": [
            {
                "key": c.key,
                "label": c.label,
                "weight": str(c.weight),
                "low": str(c.low),
                "high": str(c.high),
                "direction": c.direction.value,
                "pass_mark": None if c.pass_mark is None else str(c.pass_mark),
            }
            for c in settings.criteria
        ],
        "value_unit": settings.value_unit,
        "time_limit": settings.time_limit,
    }


def set_planning_settings(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    expected_version: int,
    quarters: Sequence[str] | None = None,
    goals: list[Any] | None = None,
    method: str | None = None,
    weights: Mapping[str, object] | None = None,
    splits: Mapping[str, object] | None = None,
    criteria: list[Any] | None = None,
    value_unit: str | None = None,
    time_limit: object = None,
) -> PlanningSettings:
    """Change any of the settings; the rest keep their values. Everything is checked before
    anything is saved; a stale `expected_version` raises Conflict."""
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    current = settings_of(uow, ws)
    new_quarters = current.quarters
    if quarters is not None:
        new_quarters = tuple(check_quarter(q, "planning quarter") for q in quarters)
        if not new_quarters or len(new_quarters) > 8:
            raise InvalidInput("plan 1 to 8 quarters")
        if list(new_quarters) != sorted(set(new_quarters)):
            raise InvalidInput("planning quarters must be in order, each once")
    chosen_method = current.method
    if method is not None:
        try:
            chosen_method = Method(method)
        except ValueError:
            known = ", ".join(m.value for m in Method)
            raise InvalidInput(
                f"unknown prioritisation method {method!r}; known: {known}"
            ) from None
    new_weights = dict(current.weights)
    for name, value in (weights or {}).items():
        if name not in FIVE_CRITERIA_WEIGHTS:
            raise InvalidInput(
                f"unknown criterion {name!r}; the five criteria are "
                + ", ".join(FIVE_CRITERIA_WEIGHTS)
            )
        new_weights[name] = number(value, f"weight of {name}")
    new_splits = dict(current.splits)
    if splits is not None:
        outside = sorted(q for q in splits if q not in new_quarters)
        if outside:
            raise InvalidInput(
                f"split for {outside[0]}: not one of the planning quarters "
                f"({', '.join(new_quarters)})"
            )
        new_splits = {
            **new_splits,
            **{check_quarter(q, "split quarter"): _split(q, raw) for q, raw in splits.items()},
        }
    for quarter in new_quarters:
        new_splits.setdefault(quarter, _default_split())
    new_splits = {q: s for q, s in new_splits.items() if q in new_quarters}
    unit = current.value_unit if value_unit is None else value_unit.strip()
    if not unit or len(unit) > 24:
        raise InvalidInput("the value unit must be 1-24 characters, like 'points' or 'EUR'")
    limit = current.time_limit
    if time_limit is not None:
        limit = float(number(time_limit, "time limit"))
        if not 0 < limit <= 120:
            raise InvalidInput("the planning time limit must be above 0 and at most 120 seconds")
    updated = PlanningSettings(
        quarters=new_quarters,
        goals=current.goals if goals is None else _goals(goals),
        method=chosen_method,
        weights=new_weights,
        splits=new_splits,
        criteria=current.criteria if criteria is None else _criteria(criteria),
        value_unit=unit,
        time_limit=limit,
        version=current.version,
    )
    updated.five_criteria()  # refuses duplicate goals, zero weights
    if updated.criteria:
        WeightedModel(updated.criteria)  # refuses duplicate keys, all weights zero
    elif updated.method is Method.WEIGHTED:
        raise InvalidInput("the weighted method needs at least one custom criterion")
    data = _to_json(updated)
    uow.portfolio.put_settings(ws.id, data, expected_version=expected_version, now=uow.now())
    audit.record(
        uow,
        actor=actor,
        workspace_id=ws.id,
        action="portfolio.settings_changed",
        entity_type="portfolio_settings",
        entity_id=ws.slug,
        before=_to_json(current),
        after=data,
    )
    return settings_of(uow, ws)
