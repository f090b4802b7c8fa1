"""The outcome roadmap and the tech roadmap: themes, the outcomes under them (a measurable
target by a quarter) and the initiatives serving each; platform investments with the
outcomes they serve; and each initiative's cost-benefit figures."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from quarterdeck.domain.access import Actor, Permission
from quarterdeck.domain.capacity import check_quarter
from quarterdeck.domain.cost_benefit import (
    Appraisal,
    CostBenefitCase,
    Flows,
    Period,
    Spread,
    appraise,
)
from quarterdeck.domain.errors import InvalidInput, NotFound
from quarterdeck.domain.planning import Kind
from quarterdeck.domain.portfolio import IntakeItem, Outcome, item_key
from quarterdeck.services import audit
from quarterdeck.services.access import authorize
from quarterdeck.services.intake import OPEN, item_json
from quarterdeck.services.portfolio_settings import number
from quarterdeck.storage import UnitOfWork

__all__ = [
    "Roadmap",
    "Theme",
    "appraisal",
    "appraisal_of",
    "put_outcome",
    "roadmap",
    "set_cost_benefit",
]

_KEY = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class OutcomeLine:
    outcome: Outcome
    initiatives: tuple[IntakeItem, ...]


@dataclass(frozen=True, slots=True)
class Theme:
    name: str
    outcomes: tuple[OutcomeLine, ...]


@dataclass(frozen=True, slots=True)
class Roadmap:
    themes: tuple[Theme, ...]
    tech: tuple[IntakeItem, ...]  # platform investments, each with the outcome it serves
    unlinked: tuple[IntakeItem, ...]  # open items serving no outcome yet
    outcomes: dict[str, Outcome]


def put_outcome(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    key: str,
    theme: str,
    title: str,
    metric: str,
    target: str,
    quarter: str,
    expected_version: int = 0,
) -> Outcome:
    """Add an outcome (`expected_version` 0) or change one."""
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    if not _KEY.match(key) or len(key) > 48:
        raise InvalidInput(f"outcome key {key!r} must be lower-case words joined by hyphens")
    theme, title, target = theme.strip(), title.strip(), target.strip()
    if not theme or len(theme) > 120:
        raise InvalidInput("an outcome belongs to a theme of 1-120 characters")
    if not title or len(title) > 200:
        raise InvalidInput("an outcome needs a title of 1-200 characters")
    if not _KEY.match(metric) or len(metric) > 64:
        raise InvalidInput(
            f"the outcome's metric {metric!r} must be a metric key like 'activation-rate'"
        )
    if not target or len(target) > 120:
        raise InvalidInput(
            "an outcome needs a measurable target, like '35 % by the end of the quarter'"
        )
    before = next((o for o in uow.portfolio.outcomes(ws.id) if o.key == key), None)
    if expected_version and before is None:
        raise NotFound(f"outcome {key!r} not found")
    outcome = uow.portfolio.put_outcome(
        ws.id,
        Outcome(key, theme, title, metric, target, check_quarter(quarter), expected_version),
        expected_version=expected_version,
        now=uow.now(),
    )
    audit.record(
        uow,
        actor=actor,
        workspace_id=ws.id,
        action="outcome.changed" if before else "outcome.added",
        entity_type="outcome",
        entity_id=key,
        before=None if before is None else _outcome_json(before),
        after=_outcome_json(outcome),
    )
    return outcome


def _outcome_json(outcome: Outcome) -> dict[str, Any]:
    return {
        "theme": outcome.theme,
        "title": outcome.title,
        "metric": outcome.metric,
        "target": outcome.target,
        "quarter": outcome.quarter,
        "version": outcome.version,
    }


def roadmap(uow: UnitOfWork, *, actor: Actor, workspace: str) -> Roadmap:
    ws = authorize(uow, actor, workspace, Permission.READ).workspace
    outcomes = uow.portfolio.outcomes(ws.id)
    items = [i for i in uow.portfolio.items(ws.id) if i.status != "dropped"]
    themes: dict[str, list[OutcomeLine]] = {}
    for outcome in outcomes:
        serving = tuple(i for i in items if i.outcome_key == outcome.key)
        themes.setdefault(outcome.theme, []).append(OutcomeLine(outcome, serving))
    return Roadmap(
        themes=tuple(Theme(name, tuple(lines)) for name, lines in themes.items()),
        tech=tuple(i for i in items if i.kind == Kind.PLATFORM_INVESTMENT and i.status in OPEN),
        unlinked=tuple(i for i in items if not i.outcome_key and i.status in OPEN),
        outcomes={o.key: o for o in outcomes},
    )


# -- cost-benefit ----------------------------------------------------------------------------


def _series(raw: object, where: str) -> list[str]:
    if isinstance(raw, str):
        raw = [part for part in re.split(r"[,\s]+", raw) if part]
    if not isinstance(raw, Sequence) or isinstance(raw, str) or not raw:
        raise InvalidInput(f"{where} must list one amount per period")
    if len(raw) > 120:
        raise InvalidInput(f"{where}: at most 120 periods")
    return [str(number(value, f"{where}, period {i}")) for i, value in enumerate(raw, start=1)]


def _case(item: IntakeItem, data: dict[str, Any]) -> CostBenefitCase:
    def flows(costs: list[str], benefits: list[str]) -> Flows:
        return Flows(tuple(map(Decimal, costs)), tuple(map(Decimal, benefits)))

    def spread(entry: dict[str, str]) -> Spread:
        return Spread(Decimal(entry["benefits"]), Decimal(entry["costs"]))

    extra: dict[str, Any] = {}
    for scenario in ("pessimistic", "optimistic"):
        if scenario in data:
            extra[scenario] = spread(data[scenario])
    return CostBenefitCase(
        initiative=item.key,
        period=Period(data["period"]),
        discount_rate=Decimal(data["discount_rate"]),
        expected=flows(data["costs"], data["benefits"]),
        **extra,
    )


def appraisal_of(item: IntakeItem) -> Appraisal | None:
    return None if item.cost_benefit is None else appraise(_case(item, item.cost_benefit))


def set_cost_benefit(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    number_: int,
    expected_version: int,
    period: str,
    discount_rate: object,
    costs: object,
    benefits: object,
    pessimistic: tuple[object, object] | None = None,
    optimistic: tuple[object, object] | None = None,
) -> tuple[IntakeItem, Appraisal]:
    """Store an initiative's costs and benefits per period and its discount rate (a yearly
    percentage: 8 for 8 %); `pessimistic`/`optimistic` are (benefit factor, cost factor)
    when the defaults do not fit. Checked by appraising it before anything is saved."""
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    before = uow.portfolio.item(ws.id, number_)
    if before is None:
        raise NotFound(f"intake item {item_key(number_)} not found")
    try:
        chosen = Period(period)
    except ValueError:
        raise InvalidInput(f"period {period!r} is one of month, quarter, year") from None
    rate = number(discount_rate, "discount rate")
    if rate >= 100:
        raise InvalidInput(f"the discount rate is a yearly percentage below 100, not {rate}")
    data: dict[str, Any] = {
        "period": chosen.value,
        "discount_rate": str(rate / 100),
        "costs": _series(costs, "costs"),
        "benefits": _series(benefits, "benefits"),
    }
    if len(data["costs"]) != len(data["benefits"]):
        raise InvalidInput(
            f"costs list {len(data['costs'])} periods and benefits {len(data['benefits'])}; "
            "give one of each per period (0 where there is none)"
        )
    for scenario, factors in (("pessimistic", pessimistic), ("optimistic", optimistic)):
        if factors is not None:
            data[scenario] = {
                "benefits": str(number(factors[0], f"{scenario} benefit factor")),
                "costs": str(number(factors[1], f"{scenario} cost factor")),
            }
    result = appraise(_case(before, data))
    item = uow.portfolio.update_item(
        ws.id, number_, {"cost_benefit": data}, expected_version=expected_version, now=uow.now()
    )
    audit.record(
        uow,
        actor=actor,
        workspace_id=ws.id,
        action="intake.cost_benefit",
        entity_type="intake_item",
        entity_id=item.key,
        before=item_json(before),
        after=item_json(item),
    )
    return item, result


def appraisal(uow: UnitOfWork, *, actor: Actor, workspace: str, number_: int) -> Appraisal | None:
    ws = authorize(uow, actor, workspace, Permission.READ).workspace
    item = uow.portfolio.item(ws.id, number_)
    if item is None:
        raise NotFound(f"intake item {item_key(number_)} not found")
    return appraisal_of(item)
