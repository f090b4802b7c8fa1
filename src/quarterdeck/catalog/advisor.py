"""The role advisor's rules, loaded from YAML, validated and cross-checked against the role
catalog (kind keys, usual engagements) and the rights catalog (templates and seats)."""

from __future__ import annotations

import functools
from collections.abc import Collection
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from quarterdeck.catalog.loading import CatalogError, load_yaml, shipped, validate_document
from quarterdeck.catalog.rights import RightsCatalog, rights_catalog
from quarterdeck.catalog.roles import RoleCatalog, role_catalog
from quarterdeck.domain.advisor import (
    AdvisorRule,
    AdvisorRules,
    ContradictionRule,
    EngagementPlan,
    LeadershipSeat,
)
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.questionnaires import FIELDS, OPS, Condition, Op, Value, When
from quarterdeck.domain.role_kinds import EngagementMode
from quarterdeck.domain.workspaces import LeadershipModel

__all__ = ["ADVISOR_FILE", "advisor_rules", "load_advisor_rules"]

ADVISOR_FILE = "advisor.yaml"

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$", max_length=48)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
Phrase = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=160)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=400)]
Mode = Annotated[EngagementMode, Field(strict=False)]


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _Condition(_Schema):
    field: str
    op: str
    value: bool | int | str | list[int] | list[str] | None = None
    value_of: str | None = None


class _When(_Schema):
    all_of: list[_Condition] = []
    any_of: list[_Condition] = []


class _Recommends(_Schema):
    kind: Key | None = None
    engagement: Key | None = None


class _Contradiction(_Schema):
    key: Key
    title: Name
    when: _When
    reason: Text


class _Rule(_Schema):
    key: Key
    title: Name
    when: _When
    recommends: _Recommends
    weight: Annotated[int, Field(ge=-10, le=10)]
    rules_out: list[Key] = []
    reason: Text


class _Plan(_Schema):
    key: Key
    name: Name
    fits: Annotated[list[Mode], Field(min_length=1)]
    description: Text


class _Seat(_Schema):
    model: Annotated[LeadershipModel, Field(strict=False)]
    seat: Key | None


class _Seats(_Schema):
    default: _Seat
    kinds: dict[Key, _Seat] = {}


class _AdvisorFile(_Schema):
    version: Literal[1]
    plans: Annotated[list[_Plan], Field(min_length=1)]
    default_plans: dict[Mode, Key]
    seats: _Seats
    out_of_scope: dict[Key, Annotated[list[Phrase], Field(min_length=1)]] = {}
    contradictions: list[_Contradiction]
    rules: Annotated[list[_Rule], Field(min_length=1)]


def load_advisor_rules(
    source: Traversable | Path | None = None,
    *,
    roles: RoleCatalog | None = None,
    rights: RightsCatalog | None = None,
) -> AdvisorRules:
    """Load and cross-check the advisor's rules; `source` defaults to the shipped file,
    `roles` and `rights` to the shipped catalogs.

    Raises CatalogError naming the file and the path inside it when the file cannot be
    read or breaks its schema, repeats a key (rules and contradictions share one key
    space), names an unknown questionnaire field, op, kind of leader, plan, leadership
    seat, or a value that does not suit its field, or leaves an engagement mode without
    a default plan that suits it.
    """
    source = shipped(ADVISOR_FILE) if source is None else source
    roles = role_catalog() if roles is None else roles
    rights = rights_catalog() if rights is None else rights
    document = validate_document(_AdvisorFile, load_yaml(source), source)
    kinds = {kind.key: kind for kind in roles.kinds if not kind.neighbour}
    plans = _plans(document, source)
    plan_keys = frozenset(plan.key for plan in plans)
    seen: dict[str, str] = {}
    contradictions = []
    for index, raw in enumerate(document.contradictions):
        where = f"{source}: contradictions[{index}]"
        _claim(raw.key, seen, source, f"contradictions[{index}]")
        contradictions.append(
            ContradictionRule(raw.key, raw.title, _when(raw.when, where), raw.reason)
        )
    rules = []
    for index, rule in enumerate(document.rules):
        where = f"{source}: rules[{index}]"
        _claim(rule.key, seen, source, f"rules[{index}]")
        rules.append(_rule(rule, where, kinds=frozenset(kinds), plans=plan_keys))
    seats = {}
    for kind, seat in document.seats.kinds.items():
        _known(kind, kinds, f"{source}: seats.kinds.{kind}", "kind of leader")
        seats[kind] = _seat(seat, rights, f"{source}: seats.kinds.{kind}")
    for kind in document.out_of_scope:
        _known(kind, kinds, f"{source}: out_of_scope.{kind}", "kind of leader")
    return AdvisorRules(
        rules=tuple(rules),
        contradictions=tuple(contradictions),
        plans=plans,
        default_plans=_defaults(document, plans, source),
        kinds={key: kind.engagement for key, kind in kinds.items()},
        seats=seats,
        default_seat=_seat(document.seats.default, rights, f"{source}: seats.default"),
        out_of_scope={kind: tuple(items) for kind, items in document.out_of_scope.items()},
    )


@functools.cache
def advisor_rules() -> AdvisorRules:
    """The shipped advisor rules, loaded once per process."""
    return load_advisor_rules()


def _claim(key: str, seen: dict[str, str], source: Traversable | Path, path: str) -> None:
    """Record that `path` (inside the file) uses `key`; rules and contradictions share keys."""
    if key in seen:
        raise CatalogError(f"{source}: {path}.key: {key!r} is already used by {seen[key]}")
    seen[key] = path


def _known(key: str, known: Collection[str], where: str, what: str) -> None:
    if key not in known:
        raise CatalogError(f"{where}: unknown {what} {key!r}; known: {', '.join(sorted(known))}")


def _rule(raw: _Rule, where: str, *, kinds: frozenset[str], plans: frozenset[str]) -> AdvisorRule:
    if raw.recommends.kind is not None:
        _known(raw.recommends.kind, kinds, f"{where}.recommends.kind", "kind of leader")
    if raw.recommends.engagement is not None:
        _known(raw.recommends.engagement, plans, f"{where}.recommends.engagement", "plan")
    for index, kind in enumerate(raw.rules_out):
        _known(kind, kinds, f"{where}.rules_out[{index}]", "kind of leader")
    when = _when(raw.when, where)
    try:
        return AdvisorRule(
            key=raw.key,
            title=raw.title,
            when=when,
            reason=raw.reason,
            weight=raw.weight,
            kind=raw.recommends.kind,
            engagement=raw.recommends.engagement,
            rules_out=tuple(raw.rules_out),
        )
    except InvalidInput as error:
        raise CatalogError(f"{where}: {error.message}") from None


def _when(raw: _When, where: str) -> When:
    all_of = tuple(_condition(c, f"{where}.when.all_of[{i}]") for i, c in enumerate(raw.all_of))
    any_of = tuple(_condition(c, f"{where}.when.any_of[{i}]") for i, c in enumerate(raw.any_of))
    try:
        return When(all_of, any_of)
    except InvalidInput as error:
        raise CatalogError(f"{where}.when: {error.message}") from None


def _condition(raw: _Condition, where: str) -> Condition:
    if raw.field not in FIELDS:
        known = ", ".join(FIELDS)
        raise CatalogError(
            f"{where}.field: unknown questionnaire field {raw.field!r}; known: {known}"
        )
    if raw.op not in {op.value for op in Op}:
        known = ", ".join(op.value for op in Op)
        raise CatalogError(f"{where}.op: unknown op {raw.op!r}; known: {known}")
    kind = FIELDS[raw.field].kind
    if Op(raw.op) not in OPS[kind]:
        allowed = ", ".join(op.value for op in Op if op in OPS[kind])
        raise CatalogError(f"{where}.op: {raw.field} takes {allowed}, not {raw.op!r}")
    value = cast(Value, tuple(raw.value)) if isinstance(raw.value, list) else raw.value
    try:
        return Condition(raw.field, Op(raw.op), value, raw.value_of)
    except InvalidInput as error:
        part = "value_of" if raw.value_of is not None and raw.value is None else "value"
        raise CatalogError(f"{where}.{part}: {error.message}") from None


def _plans(document: _AdvisorFile, source: Traversable | Path) -> tuple[EngagementPlan, ...]:
    seen: dict[str, int] = {}
    plans = []
    for index, raw in enumerate(document.plans):
        if raw.key in seen:
            where = f"{source}: plans[{index}].key"
            raise CatalogError(f"{where}: {raw.key!r} is already used by plans[{seen[raw.key]}]")
        seen[raw.key] = index
        plans.append(EngagementPlan(raw.key, raw.name, raw.description, tuple(raw.fits)))
    return tuple(plans)


def _defaults(
    document: _AdvisorFile, plans: tuple[EngagementPlan, ...], source: Traversable | Path
) -> dict[EngagementMode, str]:
    by_key = {plan.key: plan for plan in plans}
    for mode in EngagementMode:
        where = f"{source}: default_plans.{mode.value}"
        key = document.default_plans.get(mode)
        if key is None:
            raise CatalogError(f"{where}: no default plan for this engagement mode")
        _known(key, by_key, where, "plan")
        if mode not in by_key[key].fits:
            raise CatalogError(f"{where}: plan {key!r} does not fit {mode.value} engagements")
    return dict(document.default_plans)


def _seat(raw: _Seat, rights: RightsCatalog, where: str) -> LeadershipSeat:
    if raw.seat is not None:
        template = rights.template(raw.model)
        if raw.seat not in template.matrix.roles:
            raise CatalogError(
                f"{where}.seat: {raw.seat!r} holds no seat in the {raw.model.value} template; "
                f"seats: {', '.join(template.matrix.roles)}"
            )
    return LeadershipSeat(raw.model, raw.seat)
