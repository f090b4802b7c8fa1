"""Decisions, their revisions and links. Every query is scoped to one workspace."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, func, insert, select, update
from sqlalchemy.orm import Session, aliased

from quarterdeck.domain.decision_history import Revision
from quarterdeck.domain.decisions import (
    Decision,
    DecisionContent,
    DecisionLink,
    DecisionStatus,
    LinkKind,
    RoutingNote,
)
from quarterdeck.domain.errors import Conflict
from quarterdeck.storage.repositories.decision_content import content_from_json, content_to_json
from quarterdeck.storage.tables import (
    DecisionLinkRow,
    DecisionRevisionRow,
    DecisionRow,
    DecisionTermRow,
)

__all__ = [
    "DecisionFilter",
    "DecisionRepository",
    "Revision",
    "Routed",
    "content_from_json",
    "content_to_json",
]


@dataclass(frozen=True, slots=True)
class DecidedFacts:
    area: str
    accepted: bool  # accepted (and perhaps later superseded or deprecated), not rejected
    created_at: datetime
    decided_at: datetime
    decided_by: str
    escalated: bool  # it had been sent to an approver


@dataclass(frozen=True, slots=True)
class Routed:
    """What decision rights said about a decision: the queue it waits in (None: none),
    why, and once decided, by whom and with what standing."""

    awaiting: str | None = None
    escalations: tuple[RoutingNote, ...] = ()
    decided_by: str | None = None
    decided_as: str | None = None

    def columns(self) -> dict[str, Any]:
        return {
            "awaiting": self.awaiting,
            "escalations": [
                {"rule": e.rule, "route_to": e.route_to, "reason": e.reason}
                for e in self.escalations
            ],
            "decided_by": self.decided_by,
            "decided_as": self.decided_as,
        }


@dataclass(frozen=True, slots=True)
class DecisionFilter:
    status: DecisionStatus | None = None
    area: str | None = None
    tag: str | None = None
    decider: str | None = None
    text: str | None = None
    due_on_or_before: date | None = None
    awaiting: str | None = None  # a role key: the decisions waiting in its approval queue
    in_a_queue: bool = False  # only decisions waiting in some approval queue
    sort: str = "-number"  # number, -number, title, -title, revisit_on
    limit: int = 100
    offset: int = 0


_SORTS: dict[str, ColumnElement[Any]] = {
    "number": DecisionRow.number.asc(),
    "-number": DecisionRow.number.desc(),
    "title": DecisionRow.title.asc(),
    "-title": DecisionRow.title.desc(),
    "revisit_on": DecisionRow.revisit_on.asc().nulls_last(),  # undated decisions last
    "created_at": DecisionRow.created_at.asc(),  # oldest first: the approval queue's order
}


class DecisionRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def next_number(self, workspace_id: int) -> int:
        highest = self._session.scalar(
            select(func.max(DecisionRow.number)).where(DecisionRow.workspace_id == workspace_id)
        )
        return int(highest or 0) + 1

    def add(
        self,
        workspace_id: int,
        *,
        number: int,
        status: DecisionStatus,
        content: DecisionContent,
        author: str,
        now: datetime,
        decided_at: datetime | None,
        routing: Routed | None = None,
    ) -> Decision:
        routed = routing or Routed()
        row = DecisionRow(
            workspace_id=workspace_id,
            number=number,
            status=status.value,
            title=content.title,
            area=content.area,
            revisit_on=content.revisit_on,
            content=content_to_json(content),
            version=1,
            created_at=now,
            updated_at=now,
            decided_at=decided_at,
            title_folded=content.title.casefold(),
            proposed_by=author,
            **routed.columns(),
        )
        self._session.add(row)
        self._session.flush()
        self._write_terms(row.id, workspace_id, content)
        self._add_revision(row, author=author, now=now)
        return self._to_decision(row)

    def add_imported(
        self,
        workspace_id: int,
        *,
        number: int,
        status: DecisionStatus,
        version: int,
        created_at: datetime,
        decided_at: datetime | None,
        revisions: list[Revision],
        routing: Routed | None = None,
    ) -> None:
        """Re-create a decision from an export with its whole history, times and authors."""
        latest = revisions[-1]
        row = DecisionRow(
            proposed_by=revisions[0].author,
            **(routing or Routed()).columns(),
            workspace_id=workspace_id,
            number=number,
            status=status.value,
            title=latest.content.title,
            area=latest.content.area,
            revisit_on=latest.content.revisit_on,
            content=content_to_json(latest.content),
            title_folded=latest.content.title.casefold(),
            version=version,
            created_at=created_at,
            updated_at=latest.created_at,
            decided_at=decided_at,
        )
        self._session.add(row)
        self._session.flush()
        self._write_terms(row.id, workspace_id, latest.content)
        for revision in revisions:
            self._session.add(
                DecisionRevisionRow(
                    decision_id=row.id,
                    revision=revision.revision,
                    status=revision.status.value,
                    content=content_to_json(revision.content),
                    author=revision.author,
                    created_at=revision.created_at,
                )
            )
        self._session.flush()

    def all_in(self, workspace_id: int) -> list[Decision]:
        """Every decision of the workspace in number order, with links (for exports)."""
        rows = self._session.scalars(
            select(DecisionRow)
            .where(DecisionRow.workspace_id == workspace_id)
            .order_by(DecisionRow.number)
        )
        return [self._to_decision(r) for r in rows]

    def get(self, workspace_id: int, number: int) -> Decision | None:
        row = self._row(workspace_id, number)
        return None if row is None else self._to_decision(row)

    def save(
        self,
        workspace_id: int,
        number: int,
        *,
        expected_version: int,
        status: DecisionStatus,
        content: DecisionContent,
        author: str,
        now: datetime,
        decided_at: datetime | None,
        routing: Routed | None = None,
    ) -> Decision:
        """Compare-and-set on `version`, then append a revision; stale: Conflict, no write.

        `routing` replaces the decision's queue, reasons and decider; None keeps them.
        """
        result = self._session.execute(
            update(DecisionRow)
            .where(
                DecisionRow.workspace_id == workspace_id,
                DecisionRow.number == number,
                DecisionRow.version == expected_version,
            )
            .values(
                version=DecisionRow.version + 1,
                status=status.value,
                title=content.title,
                title_folded=content.title.casefold(),
                area=content.area,
                revisit_on=content.revisit_on,
                content=content_to_json(content),
                updated_at=now,
                decided_at=decided_at,
                **({} if routing is None else routing.columns()),
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(
                f"D-{number} was changed by someone else since version {expected_version}; "
                "reload it and apply your change again"
            )
        self._session.expire_all()
        row = self._row(workspace_id, number)
        assert row is not None
        self._write_terms(row.id, workspace_id, content)
        self._add_revision(row, author=author, now=now)
        return self._to_decision(row)

    def revisions(self, workspace_id: int, number: int) -> list[Revision]:
        rows = self._session.scalars(
            select(DecisionRevisionRow)
            .join(DecisionRow, DecisionRow.id == DecisionRevisionRow.decision_id)
            .where(DecisionRow.workspace_id == workspace_id, DecisionRow.number == number)
            .order_by(DecisionRevisionRow.revision)
        )
        return [
            Revision(
                revision=r.revision,
                status=DecisionStatus(r.status),
                content=content_from_json(r.content),
                author=r.author,
                created_at=r.created_at,
            )
            for r in rows
        ]

    def search(self, workspace_id: int, where: DecisionFilter) -> tuple[list[Decision], int]:
        """One page of decisions matching `where`, and how many match in all."""
        query = self._filtered(select(DecisionRow), workspace_id, where)
        total = self._session.scalar(
            self._filtered(select(func.count()).select_from(DecisionRow), workspace_id, where)
        )
        rows = self._session.scalars(
            query.order_by(_SORTS.get(where.sort, _SORTS["-number"]), DecisionRow.number.desc())
            .limit(where.limit)
            .offset(where.offset)
        ).all()
        return [self._to_decision(r, with_links=False) for r in rows], int(total or 0)

    def decided_since(self, workspace_id: int, since: datetime) -> list[DecidedFacts]:
        """Decisions accepted or rejected at or after `since` (whatever became of them
        later), with what latency and approval signals need; no content is loaded."""
        rows = self._session.execute(
            select(
                DecisionRow.area,
                DecisionRow.status,
                DecisionRow.created_at,
                DecisionRow.decided_at,
                DecisionRow.decided_by,
                DecisionRow.escalations,
            ).where(
                DecisionRow.workspace_id == workspace_id,
                DecisionRow.decided_at.is_not(None),
                DecisionRow.decided_at >= since,
            )
        )
        return [
            DecidedFacts(
                area=area,
                accepted=status != DecisionStatus.REJECTED.value,
                created_at=created_at,
                decided_at=decided_at,
                decided_by=decided_by or "",
                escalated=bool(escalations),
            )
            for area, status, created_at, decided_at, decided_by, escalations in rows
        ]

    def link(
        self, workspace_id: int, source: int, target: int, kind: LinkKind, now: datetime
    ) -> None:
        source_row, target_row = self._row(workspace_id, source), self._row(workspace_id, target)
        assert source_row is not None
        assert target_row is not None
        exists = self._session.scalar(
            select(func.count())
            .select_from(DecisionLinkRow)
            .where(
                DecisionLinkRow.source_id == source_row.id,
                DecisionLinkRow.target_id == target_row.id,
                DecisionLinkRow.kind == kind.value,
            )
        )
        if not exists:
            self._session.add(
                DecisionLinkRow(
                    workspace_id=workspace_id,
                    source_id=source_row.id,
                    target_id=target_row.id,
                    kind=kind.value,
                    created_at=now,
                )
            )
            self._session.flush()

    def link_pairs(self, workspace_id: int, kind: LinkKind) -> list[tuple[int, int]]:
        """(source number, target number) of every link of `kind` in the workspace."""
        source, target = aliased(DecisionRow), aliased(DecisionRow)
        rows = self._session.execute(
            select(source.number, target.number)
            .join(DecisionLinkRow, DecisionLinkRow.source_id == source.id)
            .join(target, DecisionLinkRow.target_id == target.id)
            .where(DecisionLinkRow.workspace_id == workspace_id, DecisionLinkRow.kind == kind.value)
        )
        return [(int(a), int(b)) for a, b in rows]

    def _filtered(
        self, query: Select[Any], workspace_id: int, where: DecisionFilter
    ) -> Select[Any]:
        query = query.where(DecisionRow.workspace_id == workspace_id)
        if where.status is not None:
            query = query.where(DecisionRow.status == where.status.value)
        if where.area:
            query = query.where(DecisionRow.area == where.area)
        if where.awaiting:
            query = query.where(DecisionRow.awaiting == where.awaiting)
        elif where.in_a_queue:
            query = query.where(DecisionRow.awaiting.is_not(None))
        if where.due_on_or_before is not None:
            query = query.where(
                DecisionRow.revisit_on.is_not(None),
                DecisionRow.revisit_on <= where.due_on_or_before,
            )
        if where.text:
            pattern = f"%{_escape_like(where.text.casefold())}%"
            query = query.where(DecisionRow.title_folded.like(pattern, escape="\\"))
        if where.tag:
            query = query.where(
                DecisionRow.id.in_(
                    _terms(workspace_id, "tag").where(
                        DecisionTermRow.term == where.tag.strip().casefold()
                    )
                )
            )
        if where.decider:
            pattern = f"%{_escape_like(where.decider.strip().casefold())}%"
            query = query.where(
                DecisionRow.id.in_(
                    _terms(workspace_id, "decider").where(
                        DecisionTermRow.term.like(pattern, escape="\\")
                    )
                )
            )
        return query

    def _row(self, workspace_id: int, number: int) -> DecisionRow | None:
        return self._session.scalar(
            select(DecisionRow).where(
                DecisionRow.workspace_id == workspace_id, DecisionRow.number == number
            )
        )

    def _write_terms(self, decision_id: int, workspace_id: int, content: DecisionContent) -> None:
        """Replace the decision's searchable tags and deciders with those of `content`."""
        self._session.execute(
            delete(DecisionTermRow).where(DecisionTermRow.decision_id == decision_id)
        )
        found = {("tag", tag.strip().casefold()) for tag in content.tags if tag.strip()}
        found |= {("decider", who.strip().casefold()) for who in content.deciders if who.strip()}
        if found:
            self._session.execute(
                insert(DecisionTermRow),
                [
                    {"workspace_id": workspace_id, "decision_id": decision_id, "kind": k, "term": t}
                    for k, t in sorted(found)
                ],
            )

    def _add_revision(self, row: DecisionRow, *, author: str, now: datetime) -> None:
        latest = self._session.scalar(
            select(func.max(DecisionRevisionRow.revision)).where(
                DecisionRevisionRow.decision_id == row.id
            )
        )
        self._session.add(
            DecisionRevisionRow(
                decision_id=row.id,
                revision=int(latest or 0) + 1,
                status=row.status,
                content=row.content,
                author=author,
                created_at=now,
            )
        )
        self._session.flush()

    def _to_decision(self, row: DecisionRow, *, with_links: bool = True) -> Decision:
        return Decision(
            id=row.id,
            workspace_id=row.workspace_id,
            number=row.number,
            status=DecisionStatus(row.status),
            content=content_from_json(row.content),
            version=row.version,
            created_at=row.created_at,
            decided_at=row.decided_at,
            links=self._links(row) if with_links else (),
            updated_at=row.updated_at,
            awaiting=row.awaiting,
            escalations=tuple(
                RoutingNote(e.get("rule", ""), e["route_to"], e["reason"])
                for e in row.escalations or ()
            ),
            proposed_by=row.proposed_by,
            decided_by=row.decided_by,
            decided_as=row.decided_as,
        )

    def _links(self, row: DecisionRow) -> tuple[DecisionLink, ...]:
        other = aliased(DecisionRow)
        outgoing = self._session.execute(
            select(DecisionLinkRow.kind, other.number, other.title)
            .join(other, other.id == DecisionLinkRow.target_id)
            .where(DecisionLinkRow.source_id == row.id)
        )
        incoming = self._session.execute(
            select(DecisionLinkRow.kind, other.number, other.title)
            .join(other, other.id == DecisionLinkRow.source_id)
            .where(DecisionLinkRow.target_id == row.id)
        )
        links = [DecisionLink(LinkKind(k), n, t, outgoing=True) for k, n, t in outgoing]
        links += [DecisionLink(LinkKind(k), n, t, outgoing=False) for k, n, t in incoming]
        return tuple(sorted(links, key=lambda link: (not link.outgoing, link.number)))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _terms(workspace_id: int, kind: str) -> Select[Any]:
    return select(DecisionTermRow.decision_id).where(
        DecisionTermRow.workspace_id == workspace_id, DecisionTermRow.kind == kind
    )
