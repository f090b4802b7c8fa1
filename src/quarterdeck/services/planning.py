"""Planning the next quarters: run the selection (the optimal plan beside the handbook
rule), insert an urgent item and see exactly what it displaces, and accept a plan. Accepting
an urgent insertion records a decision in the decision log naming the urgent item and every
item it pushes out, so deprioritisation is public.

Nothing is accepted blind: the page or command that shows a plan sends back the plan it
showed (item -> quarter) and the number of the accepted plan it was based on. Accepting
checks that no other plan was accepted since and that the plan shown still meets every
constraint of what is stored now (capacity, split, dependencies, alternatives, mandatory
items); otherwise it refuses with Conflict and changes nothing. The plan is not solved
again: a solve stopped by its time limit need not find the same plan twice."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from quarterdeck.domain.access import Actor, Permission
from quarterdeck.domain.decisions import Decision, DecisionContent
from quarterdeck.domain.errors import Conflict, InvalidInput, NotFound
from quarterdeck.domain.planning import (
    Comparison,
    Displacement,
    Plan,
    PlanInput,
    Status,
    Strategy,
    compare,
    displace,
    evaluate,
    select,
    with_urgent,
)
from quarterdeck.domain.planning_displacement import difference
from quarterdeck.domain.portfolio import AcceptedPlan, item_key, item_number
from quarterdeck.domain.workspaces import Workspace
from quarterdeck.services import audit, decisions
from quarterdeck.services.access import authorize
from quarterdeck.services.intake import item_json
from quarterdeck.services.planning_input import PlanningInput, accepted_as_plan, planning_input
from quarterdeck.storage import UnitOfWork

__all__ = [
    "PlanRun",
    "UrgentInsertion",
    "accept",
    "accept_insertion",
    "assignment_of",
    "current",
    "insert_urgent",
    "run",
]


@dataclass(frozen=True, slots=True)
class PlanRun:
    given: PlanningInput
    comparison: Comparison
    accepted: Plan | None  # the latest accepted plan as it stands today


@dataclass(frozen=True, slots=True)
class UrgentInsertion:
    given: PlanningInput
    displacement: Displacement
    against: str  # what "before" is: the accepted plan, or the optimal plan when none is


def assignment_of(plan: Plan) -> dict[str, str]:
    """Item key -> quarter: what a page sends back to accept the plan it showed."""
    return {item.id: item.quarter for item in plan.planned}


def _given(
    uow: UnitOfWork, actor: Actor, workspace: str, permission: Permission
) -> tuple[Workspace, PlanningInput]:
    ws = authorize(uow, actor, workspace, permission).workspace
    return ws, planning_input(uow, ws)


def current(uow: UnitOfWork, *, actor: Actor, workspace: str) -> tuple[PlanningInput, Plan | None]:
    """The planning input and the latest accepted plan measured against it."""
    _, given = _given(uow, actor, workspace, Permission.READ)
    return given, accepted_as_plan(given)


def run(uow: UnitOfWork, *, actor: Actor, workspace: str) -> PlanRun:
    """Work out the optimal plan and the handbook rule's plan for the planning quarters.
    Raises PlanInfeasible naming the conflicting constraints, NoPlanInTime."""
    _, given = _given(uow, actor, workspace, Permission.READ)
    comparison = compare(given.plan, time_limit=given.settings.time_limit)
    return PlanRun(given, comparison, accepted_as_plan(given))


def _urgent_key(given: PlanningInput, urgent: object) -> str:
    key = item_key(item_number(urgent))
    item = given.items.get(key)
    if item is None:
        raise NotFound(f"intake item {key} not found")
    if not given.plan.has(key):
        reason = next((s.reason for s in given.set_aside if s.key == key), f"it is {item.status}")
        raise InvalidInput(f"{key} cannot be planned: {reason}")
    return key


def _displacement(given: PlanningInput, key: str, quarter: str | None) -> tuple[Displacement, str]:
    if quarter is not None and quarter not in given.plan.quarters:
        raise InvalidInput(
            f"{quarter} is not one of the planning quarters ({', '.join(given.plan.quarters)})"
        )
    before = accepted_as_plan(given)
    against = f"accepted plan {given.based_on}" if before is not None else "the optimal plan"
    limit = given.settings.time_limit
    if before is None:
        before = select(given.plan, time_limit=limit)
    return displace(given.plan, key, quarter=quarter, before=before, time_limit=limit), against


def insert_urgent(
    uow: UnitOfWork, *, actor: Actor, workspace: str, item: object, quarter: str | None = None
) -> UrgentInsertion:
    """Re-plan with the item mandatory in `quarter` (default: the first planning quarter)
    and report what it displaces from the accepted plan (or, before any plan was accepted,
    from the optimal one). Changes nothing; `accept_insertion` does."""
    _, given = _given(uow, actor, workspace, Permission.READ)
    key = _urgent_key(given, item)
    displacement, against = _displacement(given, key, quarter)
    return UrgentInsertion(given, displacement, against)


def _still_fits(
    plan: PlanInput, shown: Mapping[str, str], strategy: Strategy = Strategy.OPTIMAL
) -> Plan:
    """The plan shown, measured against what is stored now; Conflict when it no longer
    meets every constraint."""
    status = Status.OPTIMAL if strategy is Strategy.OPTIMAL else Status.RULE
    try:
        return evaluate(plan, shown, strategy=strategy, status=status)
    except InvalidInput as problem:
        raise Conflict(
            f"the plan shown no longer fits what is stored ({problem.message}); the intake, "
            "capacity or settings changed since: work the plan out again"
        ) from None


def _check_base(given: PlanningInput, based_on: int) -> None:
    if based_on != given.based_on:
        raise Conflict(
            f"plan {given.based_on} was accepted since this plan was worked out; run the plan again"
        )


def _store(
    uow: UnitOfWork,
    actor: Actor,
    ws: Workspace,
    given: PlanningInput,
    plan: Plan,
    *,
    note: str,
    urgent: int | None = None,
    displaced: tuple[int, ...] = (),
    decision: int | None = None,
) -> AcceptedPlan:
    assignment = assignment_of(plan)
    stored = uow.portfolio.add_plan(
        ws.id,
        AcceptedPlan(
            number=given.based_on + 1,
            quarters=list(given.plan.quarters),
            strategy=plan.strategy.value,
            assignment=assignment,
            value=Decimal(str(round(plan.value, 6))),
            urgent=urgent,
            displaced=list(displaced),
            decision_number=decision,
            note=note,
            accepted_by=actor.label,
            accepted_at=uow.now(),
        ),
    )
    uow.portfolio.set_planned_quarters(
        ws.id, {item_number(key): quarter for key, quarter in assignment.items()}, uow.now()
    )
    audit.record(
        uow,
        actor=actor,
        workspace_id=ws.id,
        action="plan.accepted",
        entity_type="plan",
        entity_id=stored.number,
        after={
            "strategy": stored.strategy,
            "quarters": stored.quarters,
            "assignment": assignment,
            "value": str(stored.value),
            "urgent": None if urgent is None else item_key(urgent),
            "displaced": [item_key(n) for n in displaced],
            "decision": decision,
        },
    )
    return stored


def _note(note: str) -> str:
    note = note.strip()
    if len(note) > 2_000:
        raise InvalidInput("the note is limited to 2,000 characters")
    return note


def accept(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    based_on: int,
    assignment: Mapping[str, str],
    strategy: str = "optimal",
    note: str = "",
) -> AcceptedPlan:
    """Accept the plan that was shown (`assignment`, from `strategy`): it becomes the
    workspace's plan and every item gets its quarter."""
    ws, given = _given(uow, actor, workspace, Permission.WRITE)
    note = _note(note)
    _check_base(given, based_on)
    try:
        chosen = Strategy(strategy)
    except ValueError:
        raise InvalidInput(
            f"unknown strategy {strategy!r}; choose optimal or handbook-rule"
        ) from None
    plan = _still_fits(given.plan, assignment, chosen)
    return _store(uow, actor, ws, given, plan, note=note)


def _lines(d: Displacement, given: PlanningInput) -> list[str]:
    title = {key: item.title for key, item in given.items.items()}
    lines = [f"- {x.id} {title[x.id]}: {x.text}" for x in d.displaced]
    lines += [f"- {r.id} {title[r.id]} moves from {r.before} to {r.after}" for r in d.rescheduled]
    return lines


def _decision_content(
    given: PlanningInput, d: Displacement, against: str, note: str
) -> DecisionContent:
    urgent = given.items[d.urgent]
    out = [x.id for x in d.displaced]
    title = f"Urgent {urgent.key} {urgent.title} displaces {', '.join(out) or 'nothing'}"
    if len(title) > 200:
        title = title[:197] + "..."
    capacity = [
        f"- {m.team} in {m.quarter}: {m.before:g} -> {m.after:g} person-weeks "
        f"({m.to_urgent:g} to {urgent.key}, {m.from_displaced:g} freed from displaced work)"
        for m in d.capacity
    ]
    split = [
        f"- {c.kind.label} in {c.quarter}: {c.effort_before:g} -> {c.effort_after:g} person-weeks"
        for c in d.split
    ]
    unit = given.settings.value_unit
    teams = {m.team for m in d.capacity}
    return DecisionContent(
        title=title,
        area="roadmap",
        context="\n".join(
            [
                f"{urgent.key} {urgent.title} was raised as {urgent.urgency}: "
                f"{urgent.urgency_reason or 'no reason given'}.",
                "",
                (
                    f"It was planned in {d.urgent_was}; bringing it into {d.quarter} "
                    if d.urgent_was and d.urgent_was != d.quarter
                    else f"Planning it into {d.quarter} "
                )
                + f"against {against} changes the plan:",
                *(_lines(d, given) or ["- nothing is deferred or moved"]),
            ]
        ),
        decision=(
            f"Plan {urgent.key} in {d.quarter} and defer {', '.join(out) or 'nothing'}."
            + (f" {note}" if note else "")
        ),
        rationale=urgent.urgency_reason,
        consequences="\n".join(
            [
                f"Risk-adjusted value deferred: {d.value_lost:g} {unit}; "
                f"total planned value changes by {d.value_change:+g} {unit}.",
                "",
                "Capacity moved:",
                *(capacity or ["- none"]),
                "",
                "Capacity split:",
                *(split or ["- unchanged"]),
            ]
        ),
        cross_team=len(teams) > 1,
        tags=("displacement", urgent.key.lower(), *(key.lower() for key in out)),
        taken_in="planning",
    )


def accept_insertion(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    item: object,
    quarter: str | None,
    based_on: int,
    assignment: Mapping[str, str],
    note: str = "",
) -> tuple[AcceptedPlan, Decision]:
    """Accept an urgent insertion as shown: the item becomes mandatory in its quarter, the
    re-plan becomes the workspace's plan, and a decision recording the urgent item and what
    it displaced goes into the decision log (accepted at once when inside the accepter's
    decision rights, otherwise waiting in the approval queue)."""
    ws, given = _given(uow, actor, workspace, Permission.WRITE)
    note = _note(note)
    _check_base(given, based_on)
    key = _urgent_key(given, item)
    if quarter is not None and quarter not in given.plan.quarters:
        raise InvalidInput(f"{quarter} is not one of the planning quarters")
    revised = with_urgent(given.plan, key, quarter)
    before = accepted_as_plan(given)
    against = f"accepted plan {given.based_on}" if before is not None else "the optimal plan"
    if before is None:
        before = select(given.plan, time_limit=given.settings.time_limit)
    displacement = difference(before, _still_fits(revised, assignment), key)
    decision = decisions.record(
        uow,
        actor=actor,
        workspace=workspace,
        content=_decision_content(given, displacement, against, note),
        accept=True,
    )
    urgent = given.items[key]
    pinned = uow.portfolio.update_item(
        ws.id,
        urgent.number,
        {"mandatory": True, "pinned_quarter": displacement.quarter},
        expected_version=urgent.version,
        now=uow.now(),
    )
    audit.record(
        uow,
        actor=actor,
        workspace_id=ws.id,
        action="intake.changed",
        entity_type="intake_item",
        entity_id=urgent.key,
        before=item_json(urgent),
        after=item_json(pinned),
    )
    stored = _store(
        uow,
        actor,
        ws,
        given,
        displacement.after,
        note=note or decision.content.title,
        urgent=urgent.number,
        displaced=tuple(item_number(x.id) for x in displacement.displaced),
        decision=decision.number,
    )
    return stored, decision
