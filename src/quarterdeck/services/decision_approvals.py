"""Who decides what waits: the standing with which someone accepts or rejects a decision,
the approval queues of the leadership roles, and the bottleneck signals (how long decisions
take, which areas one approver keeps approving).

The decision log's verbs live in `decisions`, which re-exports these names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from quarterdeck.domain.access import Actor, ActorKind, Permission
from quarterdeck.domain.bottlenecks import (
    DelegationHint,
    LatencySummary,
    delegation_hints,
    latency_summary,
)
from quarterdeck.domain.decisions import Decision, DecisionStatus
from quarterdeck.domain.errors import Forbidden, InvalidInput
from quarterdeck.domain.workspaces import Workspace
from quarterdeck.services import rights
from quarterdeck.services.access import authorize
from quarterdeck.storage import UnitOfWork
from quarterdeck.storage.repositories import DecisionFilter

__all__ = ["DecisionSignals", "QueueEntry", "queue", "signals", "standing"]


def standing(uow: UnitOfWork, actor: Actor, ws: Workspace, decision: Decision) -> str:
    """With what right the actor may accept or reject `decision`, in words; Forbidden when
    they have none.

    - A decision waiting in a role's approval queue is decided by a member holding that
      role. When no member holds it, any editor may stand in (the record says so), so a
      role nobody has been given yet cannot block the log.
    - A decision inside its proposer's rights is decided by anyone whose own rights cover
      it: the routing is worked out again for the actor.
    - The operator at the command line holds every right.
    """
    if actor.kind is ActorKind.OPERATOR:
        return "the operator, who holds every right"
    in_force = rights.effective(uow, ws)
    roles = rights.all_roles(in_force)
    held_here = uow.memberships.held_leadership_roles(ws.id)
    mine = rights.leadership_roles(uow, actor, ws)
    needed = decision.awaiting
    reasons = "; ".join(note.reason for note in decision.escalations)
    if needed is None:
        routing = rights.routing_for(in_force, decision.content, mine)
        if routing.proposer_decides:
            owners = in_force.matrix.owners(decision.content.area)
            held = [rights.name_of(roles, role) for role in owners if role in mine]
            return f"within their rights as {', '.join(held)}"
        needed = routing.route_to
        reasons = "; ".join(routing.reasons)
        assert needed is not None
    name = rights.name_of(roles, needed)
    if needed in mine:
        return f"approver as {name}"
    if needed not in held_here:
        return f"standing in: no member holds {name}"
    yours = ", ".join(rights.name_of(roles, role) for role in sorted(mine)) or "none"
    raise Forbidden(
        f"{decision.key} is for {name} to decide ({reasons}); your leadership roles: {yours}"
    )


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """A decision waiting for approval, and for how long (since it was proposed)."""

    decision: Decision
    waiting: timedelta


def queue(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    role: str | None = None,
    mine: bool = False,
) -> list[QueueEntry]:
    """Proposed decisions waiting for approval, oldest first: all of them, one role's
    (`role`), or those waiting for a role the actor holds (`mine`)."""
    ws = authorize(uow, actor, workspace, Permission.READ).workspace
    if role is not None:
        known = [r.key for r in rights.all_roles(rights.effective(uow, ws))]
        if role not in known:
            raise InvalidInput(f"unknown role {role!r}; known: {', '.join(known)}")
    found, _ = uow.decisions.search(
        ws.id,
        DecisionFilter(
            status=DecisionStatus.PROPOSED,
            awaiting=role,
            in_a_queue=True,
            sort="created_at",
            limit=500,
        ),
    )
    if mine:
        held = rights.leadership_roles(uow, actor, ws)
        found = [d for d in found if d.awaiting in held]
    now = uow.now()
    return [QueueEntry(d, max(now - d.created_at, timedelta(0))) for d in found]


@dataclass(frozen=True, slots=True)
class DecisionSignals:
    """The bottleneck signals over the last `window_days`: how long decisions take from
    proposed to decided, and which areas one approver keeps approving."""

    latency: LatencySummary
    hints: tuple[DelegationHint, ...]
    window_days: int


def signals(
    uow: UnitOfWork, *, actor: Actor, workspace: str, window_days: int = 90
) -> DecisionSignals:
    """Decision latency (interpolated median and count) and delegation hints.

    Latency counts every decision accepted or rejected in the window. A delegation hint
    counts approvals only: accepted decisions that had been sent to an approver.
    """
    ws = authorize(uow, actor, workspace, Permission.READ).workspace
    now = uow.now()
    decided = uow.decisions.decided_since(ws.id, now - timedelta(days=window_days))
    latency = latency_summary((d.created_at, d.decided_at) for d in decided)
    approvals = [
        (d.decided_by, d.area, d.decided_at)
        for d in decided
        if d.escalated and d.accepted and d.decided_by
    ]
    hints = delegation_hints(approvals, window_days=window_days, as_of=now)
    return DecisionSignals(latency, tuple(hints), window_days)
