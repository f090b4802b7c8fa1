"""The demo organisation's portfolio: planning settings, five teams and their people, an
outcome roadmap, about sixty intake items, an accepted plan, and an urgent request that
displaced planned work, recorded in the decision log. One more urgent request waits in the
intake, unplanned (`URGENT_CANDIDATE`), for whoever tries the "what does it displace" flow.

Everything goes through the services people use, as the demo's leaders, so the checks and
the audit trail apply. Like the decision log, the portfolio is spread over the last weeks:
the unit of work's clock is set back to when each step happened, then restored. Quarters,
hiring and leaving dates and the deadlines in the urgent requests are relative to the
clock, in the workspace's time zone, so the demo plans the current quarter and the three
after it whenever it is built.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from quarterdeck.domain.access import Actor, Permission
from quarterdeck.domain.capacity import following_quarters, quarter_bounds, quarter_of
from quarterdeck.domain.decisions import DecisionStatus
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.services import decisions, intake, planning, roadmap
from quarterdeck.services.access import authorize
from quarterdeck.services.demo_portfolio_bets import GROWTH_BETS
from quarterdeck.services.demo_portfolio_items import (
    CHECKPOINTS,
    COST_BENEFIT,
    DemoItem,
    urgent_items,
)
from quarterdeck.services.demo_portfolio_platform import PLATFORM
from quarterdeck.services.demo_portfolio_risks import RISKS
from quarterdeck.services.demo_portfolio_service_bets import SERVICE_BETS
from quarterdeck.services.demo_portfolio_setup import GOALS, set_up
from quarterdeck.storage import UnitOfWork

__all__ = ["URGENT_CANDIDATE", "PortfolioDemo", "build_portfolio"]

URGENT_CANDIDATE = "Send customs data for the EU's ICS2 rules"
ITEMS = (*SERVICE_BETS, *GROWTH_BETS, *PLATFORM, *RISKS)

# Who holds each leadership role in the demo, for decisions waiting in a role's queue.
_HOLDER = {"cto": "cto", "cpo": "cpo", "vp-engineering": "vpe", "ceo": "ceo", "team-lead": "lead"}


@dataclass(frozen=True, slots=True)
class PortfolioDemo:
    """What the demo portfolio holds once built."""

    quarters: tuple[str, ...]
    items: int
    plans: int  # accepted plans
    urgent: str  # the item the second plan made room for
    displaced: tuple[str, ...]
    decision: int  # the decision recording the displacement
    candidate: str  # URGENT_CANDIDATE's key


def build_portfolio(uow: UnitOfWork, *, workspace: str, people: dict[str, Actor]) -> PortfolioDemo:
    """Build the portfolio through the same services people use. Raises what those services
    raise (the workspace must exist and the demo accounts hold their roles)."""
    real_clock = uow.clock
    start = real_clock()
    try:
        return _build(uow, workspace=workspace, people=people, now=start)
    finally:
        uow.clock = real_clock


def _stopped_at(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


def _build(
    uow: UnitOfWork, *, workspace: str, people: dict[str, Actor], now: datetime
) -> PortfolioDemo:
    ws = authorize(uow, people["cto"], workspace, Permission.READ).workspace
    quarters = following_quarters(quarter_of(ws.local(now).date()), 4)
    began = now - timedelta(days=20)
    uow.clock = _stopped_at(began)
    set_up(uow, workspace, people, quarters)
    numbers, versions = _add_items(uow, workspace, people, ITEMS, began + timedelta(days=1))
    uow.clock = _stopped_at(began + timedelta(days=5))
    _add_evidence(uow, workspace, people["cpo"], numbers, versions)

    uow.clock = _stopped_at(now - timedelta(days=14))
    cpo, cto = people["cpo"], people["cto"]
    run = planning.run(uow, actor=cpo, workspace=workspace)
    planning.accept(
        uow,
        actor=cpo,
        workspace=workspace,
        based_on=run.given.based_on,
        assignment=planning.assignment_of(run.comparison.optimal),
        note="Agreed at the quarterly planning day. What did not fit stays in the intake "
        "and comes back at the next planning.",
    )

    audit_due = ws.local(now).date() + timedelta(days=45)
    carriers_switch = quarter_bounds(quarters[1])[0] + timedelta(days=14)
    finding, customs = urgent_items(carriers_switch, audit_due)
    added, _ = _add_items(uow, workspace, people, (finding,), now - timedelta(days=4))
    uow.clock = _stopped_at(now - timedelta(days=3))
    urgent = added[finding.slug]
    shown = planning.insert_urgent(
        uow, actor=cto, workspace=workspace, item=urgent, quarter=quarters[0]
    )
    plan, decision = planning.accept_insertion(
        uow,
        actor=cto,
        workspace=workspace,
        item=urgent,
        quarter=quarters[0],
        based_on=shown.given.based_on,
        assignment=planning.assignment_of(shown.displacement.after),
        note="Calder Pharma's renewal depends on it; the security team reviews the fix.",
    )
    if decision.awaiting is not None:
        uow.clock = _stopped_at(now - timedelta(days=3) + timedelta(hours=5))
        decisions.decide(
            uow,
            actor=people[_HOLDER[decision.awaiting]],
            workspace=workspace,
            number=decision.number,
            expected_version=decision.version,
            to=DecisionStatus.ACCEPTED,
        )

    waiting, _ = _add_items(uow, workspace, people, (customs,), now - timedelta(days=1))
    return PortfolioDemo(
        quarters=quarters,
        items=len(ITEMS) + 2,
        plans=plan.number,
        urgent=f"IN-{urgent}",
        displaced=tuple(x.id for x in shown.displacement.displaced),
        decision=decision.number,
        candidate=f"IN-{waiting[customs.slug]}",
    )


def _add_items(
    uow: UnitOfWork,
    workspace: str,
    people: dict[str, Actor],
    items: tuple[DemoItem, ...],
    first: datetime,
) -> tuple[dict[str, int], dict[str, int]]:
    """Add `items`, each after the ones it requires, an hour apart from `first`; returns
    their numbers and versions by slug."""
    numbers: dict[str, int] = {}
    versions: dict[str, int] = {}
    waiting = list(items)
    while waiting:
        item = next((i for i in waiting if all(slug in numbers for slug in i.requires)), None)
        if item is None:
            raise InvalidInput(f"demo item {waiting[0].slug!r} requires an item not added first")
        waiting.remove(item)
        uow.clock = _stopped_at(first + timedelta(hours=len(numbers)))
        added = intake.add_item(
            uow, actor=people[item.by], workspace=workspace, values=_values(item, numbers)
        )
        numbers[item.slug], versions[item.slug] = added.number, added.version
    return numbers, versions


def _values(item: DemoItem, numbers: Mapping[str, int]) -> dict[str, Any]:
    goals = [goal["key"] for goal in GOALS]
    departmental, resources, viability, risk = item.five
    scores: dict[str, Any] = {
        "five-criteria": {
            "serves": {
                goal: strength for goal, strength in zip(goals, item.fit, strict=True) if strength
            },
            "departmental": departmental,
            "resources": resources,
            "viability": viability,
            "risk": risk,
            "departments": item.backed,
        }
    }
    if item.rice:
        scores["rice"] = dict(zip(intake.SCORE_FIELDS["rice"], map(str, item.rice), strict=True))
    if item.wsjf:
        scores["wsjf"] = dict(zip(intake.SCORE_FIELDS["wsjf"], item.wsjf, strict=True))
    return {
        "title": item.title,
        "kind": item.kind.value,
        "status": item.status,
        "requester": item.requester,
        "department": item.department,
        "description": item.description,
        "hypothesis": item.hypothesis,
        "smallest_bet": item.smallest_bet,
        "urgency": item.urgency,
        "urgency_reason": item.urgency_reason,
        "ready": {check: check not in item.missing for check in intake.READY_CHECKS},
        "requires": [numbers[slug] for slug in item.requires],
        "alternative_group": item.alternative,
        "mandatory": item.mandatory,
        "value": item.value,
        "success": str(item.success),
        "scores": scores,
        "effort": dict(item.effort),
        "outcome_key": item.outcome,
        "primary_metric": item.metrics[0],
        "guardrail_metric": item.metrics[1],
    }


def _add_evidence(
    uow: UnitOfWork,
    workspace: str,
    actor: Actor,
    numbers: Mapping[str, int],
    versions: dict[str, int],
) -> None:
    """Evidence checkpoints and cost-benefit figures on the items that have them."""
    for slug, marks in CHECKPOINTS.items():
        for checkpoint, done, note, link in marks:
            item = intake.record_checkpoint(
                uow,
                actor=actor,
                workspace=workspace,
                number=numbers[slug],
                expected_version=versions[slug],
                checkpoint=checkpoint,
                done=done,
                note=note,
                link=link,
            )
            versions[slug] = item.version
    for slug, (period, rate, costs, benefits) in COST_BENEFIT.items():
        item, _ = roadmap.set_cost_benefit(
            uow,
            actor=actor,
            workspace=workspace,
            number_=numbers[slug],
            expected_version=versions[slug],
            period=period,
            discount_rate=rate,
            costs=list(costs),
            benefits=list(benefits),
        )
        versions[slug] = item.version
