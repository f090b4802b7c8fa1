"""The decision log: record, edit, decide, supersede, amend, relate, find, and look back.

Who may decide, the approval queues and the bottleneck signals live in
`decision_approvals`; their names are importable from here too.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from quarterdeck.domain.access import Actor, Permission
from quarterdeck.domain.decision_history import FieldChange, Revision, diff_contents
from quarterdeck.domain.decisions import (
    Decision,
    DecisionContent,
    DecisionStatus,
    LinkKind,
    check_no_cycle,
    check_transition,
    display_number,
)
from quarterdeck.domain.errors import InvalidInput, NotFound
from quarterdeck.domain.rights import WorkspaceRights
from quarterdeck.domain.workspaces import Workspace
from quarterdeck.services import audit, rights
from quarterdeck.services.access import authorize
from quarterdeck.services.decision_approvals import (
    DecisionSignals,
    QueueEntry,
    queue,
    signals,
    standing,
)
from quarterdeck.storage import UnitOfWork
from quarterdeck.storage.repositories import DecisionFilter, Routed
from quarterdeck.storage.repositories.decisions import content_to_json

__all__ = [
    "DecisionFilter",
    "DecisionSignals",
    "QueueEntry",
    "amend",
    "decide",
    "describe",
    "diff",
    "due_for_revisit",
    "edit",
    "get",
    "history",
    "queue",
    "record",
    "relate",
    "search",
    "signals",
    "standing",
    "supersede",
    "today_in",
]

_DECIDED = frozenset({DecisionStatus.ACCEPTED, DecisionStatus.REJECTED})


def _check_area(workspace_rights: WorkspaceRights, area: str) -> None:
    known = [a.key for a in rights.all_areas(workspace_rights)]
    if area not in known:
        raise InvalidInput(f"unknown area {area!r}; choose one of {', '.join(known)}")


def _routed(
    uow: UnitOfWork, actor: Actor, ws: Workspace, content: DecisionContent
) -> tuple[WorkspaceRights, Routed]:
    """Check the area, then work out where the decision goes given the writer's rights."""
    in_force = rights.effective(uow, ws)
    _check_area(in_force, content.area)
    routing = rights.routing_for(in_force, content, rights.leadership_roles(uow, actor, ws))
    return in_force, Routed(awaiting=routing.route_to, escalations=rights.notes_of(routing))


def _audit(
    uow: UnitOfWork,
    actor: Actor,
    workspace_id: int,
    action: str,
    decision: Decision,
    before: Decision | None = None,
) -> None:
    def state(d: Decision) -> dict[str, Any]:
        return {
            "status": d.status.value,
            "version": d.version,
            "awaiting": d.awaiting,
            "reasons": [note.reason for note in d.escalations],
            "decided_by": d.decided_by,
            "decided_as": d.decided_as,
            **content_to_json(d.content),
        }

    audit.record(
        uow,
        actor=actor,
        workspace_id=workspace_id,
        action=action,
        entity_type="decision",
        entity_id=decision.key,
        before=None if before is None else state(before),
        after=state(decision),
    )


def _load(uow: UnitOfWork, workspace_id: int, number: int) -> Decision:
    decision = uow.decisions.get(workspace_id, number)
    if decision is None:
        raise NotFound(f"decision {display_number(number)} not found")
    return decision


def record(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    content: DecisionContent,
    accept: bool = False,
) -> Decision:
    """Add a proposed decision with the next number (D-1, D-2, ...) and its first revision.

    The proposer's decision rights are checked: when the decision is inside them it stays
    with the proposer (and `accept` accepts it at once); otherwise it waits in the
    approval queue of the role the first fired guardrail names (or the area's owner),
    with every reason kept, and `accept` is ignored.

    Raises InvalidInput for an unknown area, NotFound/Forbidden from authorization.
    """
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    _, routed = _routed(uow, actor, ws, content)
    decision = uow.decisions.add(
        ws.id,
        number=uow.decisions.next_number(ws.id),
        status=DecisionStatus.PROPOSED,
        content=content,
        author=actor.label,
        now=uow.now(),
        decided_at=None,
        routing=routed,
    )
    _audit(uow, actor, ws.id, "decision.recorded", decision)
    if accept and decision.awaiting is None:
        return decide(
            uow,
            actor=actor,
            workspace=workspace,
            number=decision.number,
            expected_version=decision.version,
            to=DecisionStatus.ACCEPTED,
        )
    return decision


def edit(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    number: int,
    expected_version: int,
    content: DecisionContent,
) -> Decision:
    """Save new text for a proposed decision as a new revision; the earlier text is kept.

    Decided decisions change only by superseding or amending: editing one raises InvalidInput.
    A stale `expected_version` raises Conflict and writes nothing.
    """
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    _, routed = _routed(uow, actor, ws, content)
    current = _load(uow, ws.id, number)
    if current.status is not DecisionStatus.PROPOSED:
        raise InvalidInput(
            f"{current.key} is {current.status.value}; change it by superseding or amending it "
            "with a new decision"
        )
    if content == current.content:
        return current
    saved = uow.decisions.save(
        ws.id,
        number,
        expected_version=expected_version,
        status=current.status,
        content=content,
        author=actor.label,
        now=uow.now(),
        decided_at=None,
        routing=routed,
    )
    _audit(uow, actor, ws.id, "decision.edited", saved, before=current)
    return saved


def decide(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    number: int,
    expected_version: int,
    to: DecisionStatus,
) -> Decision:
    """Move a decision along its lifecycle (accept, reject, deprecate).

    Accepting or rejecting needs the right to decide (see `standing`), which is recorded
    with the decision. Superseding goes through `supersede`, which names the decision
    that replaces it. Raises InvalidInput for an illegal transition, Forbidden without
    the right to decide, Conflict for a stale version.
    """
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    current = _load(uow, ws.id, number)
    if to is DecisionStatus.SUPERSEDED:
        raise InvalidInput(f"to supersede {current.key}, name the decision that replaces it")
    check_transition(current.status, to)
    routed = None
    if to in _DECIDED:
        routed = Routed(
            awaiting=None,
            escalations=current.escalations,
            decided_by=actor.label,
            decided_as=standing(uow, actor, ws, current)[:200],  # fits its column
        )
    now = uow.now()
    saved = uow.decisions.save(
        ws.id,
        number,
        expected_version=expected_version,
        status=to,
        content=current.content,
        author=actor.label,
        now=now,
        decided_at=now if to in _DECIDED else current.decided_at,
        routing=routed,
    )
    _audit(uow, actor, ws.id, f"decision.{to.value}", saved, before=current)
    return saved


def supersede(uow: UnitOfWork, *, actor: Actor, workspace: str, number: int, by: int) -> Decision:
    """Record that decision `by` replaces the accepted decision `number`, which becomes
    superseded and can no longer be edited. Returns the superseded decision.

    Raises InvalidInput unless both are accepted, or for a
    self-reference or loop; NotFound when either is missing (or in another workspace).
    """
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    old, new = _load(uow, ws.id, number), _load(uow, ws.id, by)
    if new.status is not DecisionStatus.ACCEPTED:
        raise InvalidInput(
            f"{new.key} is {new.status.value}; accept it before it can replace {old.key}"
        )
    check_no_cycle(
        by, number, LinkKind.SUPERSEDES, uow.decisions.link_pairs(ws.id, LinkKind.SUPERSEDES)
    )
    check_transition(old.status, DecisionStatus.SUPERSEDED)
    now = uow.now()
    uow.decisions.link(ws.id, by, number, LinkKind.SUPERSEDES, now)
    saved = uow.decisions.save(
        ws.id,
        number,
        expected_version=old.version,
        status=DecisionStatus.SUPERSEDED,
        content=old.content,
        author=actor.label,
        now=now,
        decided_at=old.decided_at,
    )
    _audit(uow, actor, ws.id, "decision.superseded", saved, before=old)
    return saved


def amend(uow: UnitOfWork, *, actor: Actor, workspace: str, number: int, by: int) -> Decision:
    """Record that decision `by` amends the accepted decision `number` (which stays accepted).

    Raises InvalidInput when `number` is not accepted, or for a self-reference or loop.
    """
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    target = _load(uow, ws.id, number)
    _load(uow, ws.id, by)
    if target.status is not DecisionStatus.ACCEPTED:
        raise InvalidInput(
            f"only an accepted decision can be amended; {target.key} is {target.status.value}"
        )
    return _link(uow, actor, ws.id, by, number, LinkKind.AMENDS)


def relate(uow: UnitOfWork, *, actor: Actor, workspace: str, number: int, to: int) -> Decision:
    """Note that two decisions relate to each other; both pages show the link."""
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    _load(uow, ws.id, number)
    _load(uow, ws.id, to)
    return _link(uow, actor, ws.id, number, to, LinkKind.RELATES_TO)


def _link(
    uow: UnitOfWork, actor: Actor, workspace_id: int, source: int, target: int, kind: LinkKind
) -> Decision:
    check_no_cycle(source, target, kind, uow.decisions.link_pairs(workspace_id, kind))
    uow.decisions.link(workspace_id, source, target, kind, uow.now())
    linked = _load(uow, workspace_id, source)
    audit.record(
        uow,
        actor=actor,
        workspace_id=workspace_id,
        action=f"decision.linked.{kind.value}",
        entity_type="decision",
        entity_id=linked.key,
        after={"kind": kind.value, "target": display_number(target)},
    )
    return linked


def get(uow: UnitOfWork, *, actor: Actor, workspace: str, number: int) -> Decision:
    """One decision with its links both ways; NotFound for another workspace's number."""
    ws = authorize(uow, actor, workspace, Permission.READ).workspace
    return _load(uow, ws.id, number)


def search(
    uow: UnitOfWork, *, actor: Actor, workspace: str, where: DecisionFilter
) -> tuple[list[Decision], int]:
    """A page of the log matching `where`, and the total count of matches."""
    ws = authorize(uow, actor, workspace, Permission.READ).workspace
    where = replace(where, limit=max(1, min(where.limit, 500)), offset=max(0, where.offset))
    return uow.decisions.search(ws.id, where)


def due_for_revisit(uow: UnitOfWork, *, actor: Actor, workspace: str, on: date) -> list[Decision]:
    """Accepted decisions whose revisit date is on or before `on`, soonest first."""
    found, _ = search(
        uow,
        actor=actor,
        workspace=workspace,
        where=DecisionFilter(
            status=DecisionStatus.ACCEPTED, due_on_or_before=on, sort="revisit_on", limit=500
        ),
    )
    return found


def history(uow: UnitOfWork, *, actor: Actor, workspace: str, number: int) -> list[Revision]:
    """Every saved revision, oldest first, with author and time."""
    ws = authorize(uow, actor, workspace, Permission.READ).workspace
    _load(uow, ws.id, number)
    return uow.decisions.revisions(ws.id, number)


def diff(
    uow: UnitOfWork, *, actor: Actor, workspace: str, number: int, old: int, new: int
) -> list[FieldChange]:
    """What changed between two revisions; NotFound for a revision that does not exist."""
    revisions = {
        r.revision: r for r in history(uow, actor=actor, workspace=workspace, number=number)
    }
    for wanted in (old, new):
        if wanted not in revisions:
            raise NotFound(f"{display_number(number)} has no revision {wanted}")
    return diff_contents(revisions[old].content, revisions[new].content)


def describe(decision: Decision) -> dict[str, Any]:
    """The decision as plain data (for JSON output): fields, content and links both ways."""
    return {
        "key": decision.key,
        "number": decision.number,
        "status": decision.status.value,
        "version": decision.version,
        "created_at": decision.created_at.isoformat(),
        "decided_at": None if decision.decided_at is None else decision.decided_at.isoformat(),
        "content": content_to_json(decision.content),
        "links": [
            {
                "kind": link.kind.value,
                "label": link.kind.value.replace("-", " ")
                if link.outgoing
                else link.kind.reverse_label,
                "key": display_number(link.number),
                "title": link.title,
            }
            for link in decision.links
        ],
    }


def today_in(uow: UnitOfWork, *, actor: Actor, workspace: str) -> date:
    """Today's date in the workspace's time zone (what "due" is measured against)."""
    ws = authorize(uow, actor, workspace, Permission.READ).workspace
    return ws.local(uow.now()).date()
