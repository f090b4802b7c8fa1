"""How decision rights read on the command line: reading them alongside other work, who a
guardrail sends a decision to and when, and where a decision went and why."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable

    from quarterdeck.cli.session import Cli
    from quarterdeck.domain.decisions import Decision, RoutingNote
    from quarterdeck.domain.rights import EscalationRule
    from quarterdeck.services.rights import RightsView

__all__ = [
    "condition",
    "reasons",
    "rights_view",
    "role_label",
    "routing_json",
    "routing_rows",
    "whereabouts",
    "with_rights",
]

T = TypeVar("T")


def rights_view(uow: Any, state: Cli, workspace: str) -> RightsView:
    """The workspace's decision rights with the names of its areas, roles and members."""
    from quarterdeck.services import rights

    return rights.show(uow, actor=state.operator, workspace=workspace)


def with_rights(
    state: Cli, workspace: str, work: Callable[[Any], T], *, write: bool
) -> tuple[T, RightsView]:
    """Run `work` and read the rights (for role and area names) in the same transaction."""

    def both(uow: Any) -> tuple[T, RightsView]:
        result = work(uow)
        return result, rights_view(uow, state, workspace)

    return state.run(both, write=write)


def role_label(view: RightsView, key: str) -> str:
    """A role's name; the owner of the decision's area for the area-owner placeholder."""
    from quarterdeck.domain.rights import AREA_OWNER

    return "the owner of the decision's area" if key == AREA_OWNER else view.role_name(key)


def condition(view: RightsView, rule: EscalationRule) -> str:
    """When a guardrail fires, in words: 'spend above 50,000', 'area is Architecture'."""
    from quarterdeck.domain.rights import Condition

    if rule.condition is Condition.SPEND_ABOVE:
        return f"spend above {rule.parameter:,}"
    if rule.condition is Condition.AREA:
        return f"area is {view.area_name(str(rule.parameter))}"
    return rule.condition.value


def routing_json(decision: Decision, view: RightsView) -> dict[str, Any]:
    """Where decision rights sent a decision and why, and who decided it, as plain data."""
    return {
        "proposed_by": decision.proposed_by,
        "awaiting": decision.awaiting,
        "awaiting_name": None if decision.awaiting is None else view.role_name(decision.awaiting),
        "escalations": [
            {
                "rule": note.rule or None,
                "route_to": note.route_to,
                "route_to_name": view.role_name(note.route_to),
                "reason": note.reason,
            }
            for note in decision.escalations
        ],
        "decided_by": decision.decided_by,
        "decided_as": decision.decided_as,
    }


def routing_rows(decision: Decision, view: RightsView) -> list[tuple[str, str]]:
    """(field, value) rows for `decision show`."""
    rows = [("proposed by", decision.proposed_by)] if decision.proposed_by else []
    if decision.awaiting is not None:
        rows.append(("waiting for", f"{view.role_name(decision.awaiting)} ({decision.awaiting})"))
    for note in decision.escalations:
        why = _reason(note) if not note.rule else f"{note.rule}: {_reason(note)}"
        rows.append(("escalated", f"{why} (to {view.role_name(note.route_to)})"))
    if decision.decided_by:
        rows.append(("decided by", f"{decision.decided_by} ({decision.decided_as})"))
    return rows


def whereabouts(decision: Decision, view: RightsView) -> str:
    """Where a decision went, in one sentence: decided, waiting, or with its proposer."""
    from quarterdeck.domain.decisions import DecisionStatus

    if decision.awaiting is not None:
        approver = view.role_name(decision.awaiting)
        return f"{decision.key} waits for the {approver}'s approval: {reasons(decision)}."
    if decision.status is not DecisionStatus.PROPOSED:
        return (
            f"{decision.key} was {decision.status.value} by {decision.decided_by} "
            f"({decision.decided_as})."
        )
    return (
        f"{decision.key} is inside the proposer's decision rights; accept it with "
        f"`quarterdeck decision accept {view.workspace.slug} {decision.key}`."
    )


def _reason(note: RoutingNote) -> str:
    """Why a decision went up, read by anyone (the domain words it for the proposer)."""
    from quarterdeck.domain.rights import OUTSIDE_RIGHTS

    return (
        "outside the proposer's decision rights" if note.reason == OUTSIDE_RIGHTS else note.reason
    )


def reasons(decision: Decision) -> str:
    return "; ".join(_reason(note) for note in decision.escalations)
