"""The handover pack: what a leader leaving the seat (an interim CTO handing over to the
permanent one, say) leaves behind, built from the workspace's own data: open decisions,
a summary of the decision log, the playbooks under way, the scorecard, and who is who."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from quarterdeck.domain.access import Actor, Membership, Permission
from quarterdeck.domain.decisions import Decision, DecisionStatus
from quarterdeck.domain.workspaces import Workspace
from quarterdeck.services import decisions, playbook_runs, scorecard
from quarterdeck.services.access import authorize
from quarterdeck.services.playbook_runs import RunView
from quarterdeck.services.scorecard import MetricCard
from quarterdeck.storage import UnitOfWork
from quarterdeck.storage.repositories import DecisionFilter

__all__ = ["HandoverPack", "handover_pack"]

RECENT = 10


@dataclass(frozen=True, slots=True)
class HandoverPack:
    workspace: Workspace
    on: date
    open_decisions: tuple[Decision, ...]  # proposed, oldest first
    recent_decisions: tuple[Decision, ...]  # the last accepted or rejected, newest first
    status_counts: dict[str, int]
    revisit_due: tuple[Decision, ...]
    playbooks: tuple[RunView, ...]
    cards: tuple[MetricCard, ...]
    members: tuple[Membership, ...]


def handover_pack(uow: UnitOfWork, *, actor: Actor, workspace: str) -> HandoverPack:
    ws = authorize(uow, actor, workspace, Permission.READ).workspace
    today = ws.local(uow.now()).date()
    every = uow.decisions.all_in(ws.id)
    decided = sorted(
        (d for d in every if d.status in (DecisionStatus.ACCEPTED, DecisionStatus.REJECTED)),
        key=lambda d: (d.decided_at or d.created_at, d.number),
        reverse=True,
    )
    proposed, _ = decisions.search(
        uow,
        actor=actor,
        workspace=workspace,
        where=DecisionFilter(status=DecisionStatus.PROPOSED, sort="number", limit=100),
    )
    return HandoverPack(
        workspace=ws,
        on=today,
        open_decisions=tuple(proposed),
        recent_decisions=tuple(decided[:RECENT]),
        status_counts=dict(Counter(d.status.value for d in every)),
        revisit_due=tuple(
            decisions.due_for_revisit(uow, actor=actor, workspace=workspace, on=today)
        ),
        playbooks=tuple(playbook_runs.runs(uow, actor=actor, workspace=workspace)),
        cards=scorecard.show(uow, actor=actor, workspace=workspace).cards,
        members=tuple(uow.memberships.in_workspace(ws.id)),
    )
