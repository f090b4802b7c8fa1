"""Engineering records of one workspace: git history, deployments, incidents, scans,
tickets and costs. Writes are idempotent: a record already stored is skipped (history,
deployment events, scan files) or updated in place (incidents, tickets, cost lines, which
later exports revise)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from quarterdeck.domain.engineering import (
    Commit,
    CostLine,
    Deployment,
    DeploymentSource,
    DeploymentStatus,
    Finding,
    Incident,
    ScanReport,
    Severity,
    TagRef,
    Ticket,
)
from quarterdeck.storage.engineering_tables import (
    CommitRow,
    CostLineRow,
    DeploymentRow,
    FindingRow,
    GitRepositoryRow,
    IncidentRow,
    ScanRow,
    TagRow,
    TicketRow,
)

__all__ = ["EngineeringRepository", "GitRepository", "StoredScan"]

_CHUNK = 5_000  # rows per batch handed to the driver


@dataclass(frozen=True, slots=True)
class GitRepository:
    id: int
    name: str
    path: str
    tips: tuple[str, ...]
    commit_count: int
    last_read_at: datetime | None


@dataclass(frozen=True, slots=True)
class StoredScan:
    digest: str
    report: ScanReport
    scanned_at: datetime  # the file's own time, or the import time when it had none
    time_from_file: bool
    file_name: str


def _offset_minutes(moment: datetime) -> int:
    offset = moment.utcoffset()
    assert offset is not None
    return int(offset.total_seconds() // 60)


def _with_offset(moment: datetime, minutes: int) -> datetime:
    return moment.astimezone(timezone(timedelta(minutes=minutes)))


class EngineeringRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # -- shared ------------------------------------------------------------------------

    def _insert_new(self, table: Table, rows: Sequence[dict[str, Any]]) -> int:
        """Insert rows, skipping any that break a unique constraint; returns how many went in.

        One statement executed for many rows (the drivers batch it); the rows added are
        counted from the table, since drivers report batched row counts differently."""
        if not rows:
            return 0
        dialect = self._session.get_bind().dialect.name
        module: Any = postgresql if dialect == "postgresql" else sqlite
        scope = table.c.workspace_id == rows[0]["workspace_id"]
        before = self._session.scalar(select(func.count()).select_from(table).where(scope)) or 0
        for start in range(0, len(rows), _CHUNK):
            self._session.execute(
                module.insert(table).on_conflict_do_nothing(), list(rows[start : start + _CHUNK])
            )
        after = self._session.scalar(select(func.count()).select_from(table).where(scope)) or 0
        return int(after) - int(before)

    def _upsert(
        self,
        model: type[IncidentRow | TicketRow | CostLineRow],
        keys: tuple[str, ...],
        workspace_id: int,
        records: Iterable[dict[str, Any]],
        *,
        now: datetime,
    ) -> tuple[int, int]:
        """Add records not stored yet (by `keys`) and bring stored ones up to date, marking
        changed rows with `now`; returns (added, updated). An unchanged record is left alone."""
        existing: dict[tuple[Any, ...], Any] = {
            tuple(getattr(row, k) for k in keys): row
            for row in self._session.scalars(
                select(model).where(model.workspace_id == workspace_id)
            )
        }
        added = updated = 0
        for record in records:
            identity = tuple(record[k] for k in keys)
            row = existing.get(identity)
            if row is None:
                row = model(workspace_id=workspace_id, updated_at=now, **record)
                self._session.add(row)
                existing[identity] = row
                added += 1
            elif any(_normal(getattr(row, k)) != _normal(v) for k, v in record.items()):
                for name, value in record.items():
                    setattr(row, name, value)
                row.updated_at = now
                updated += 1
        self._session.flush()
        return added, updated

    # -- git -----------------------------------------------------------------------------

    def repository(self, workspace_id: int, name: str) -> GitRepository | None:
        row = self._session.scalar(
            select(GitRepositoryRow).where(
                GitRepositoryRow.workspace_id == workspace_id, GitRepositoryRow.name == name
            )
        )
        return None if row is None else _repository(row)

    def repositories(self, workspace_id: int) -> list[GitRepository]:
        rows = self._session.scalars(
            select(GitRepositoryRow)
            .where(GitRepositoryRow.workspace_id == workspace_id)
            .order_by(GitRepositoryRow.name)
        )
        return [_repository(row) for row in rows]

    def save_repository_read(
        self,
        workspace_id: int,
        *,
        name: str,
        path: str,
        tips: Sequence[str],
        tags: Sequence[TagRef],
        added_commits: int,
        now: datetime,
    ) -> GitRepository:
        """Record a read of a repository: its new tips and its tags as they are now."""
        row = self._session.scalar(
            select(GitRepositoryRow).where(
                GitRepositoryRow.workspace_id == workspace_id, GitRepositoryRow.name == name
            )
        )
        if row is None:
            row = GitRepositoryRow(
                workspace_id=workspace_id, name=name, path=path, tips=[], commit_count=0
            )
            self._session.add(row)
            self._session.flush()
        row.path = path
        row.tips = sorted(tips)
        row.commit_count += added_commits
        row.last_read_at = now
        self._session.execute(delete(TagRow).where(TagRow.repository_id == row.id))
        self._insert_new(
            TagRow.__table__,  # type: ignore[arg-type]
            [
                {
                    "workspace_id": workspace_id,
                    "repository_id": row.id,
                    "name": tag.name,
                    "commit": tag.commit,
                    "tagger_time": tag.tagger_time,
                    "tagger_offset": None
                    if tag.tagger_time is None
                    else _offset_minutes(tag.tagger_time),
                }
                for tag in tags
            ],
        )
        self._session.flush()
        return _repository(row)

    def add_commits(self, workspace_id: int, commits: Iterable[Commit]) -> int:
        rows = [
            {
                "workspace_id": workspace_id,
                "sha": c.sha,
                "parents": list(c.parents),
                "author_email": c.author_email,
                "author_time": c.author_time,
                "author_offset": _offset_minutes(c.author_time),
                "committer_time": c.committer_time,
                "committer_offset": _offset_minutes(c.committer_time),
            }
            for c in commits
        ]
        return self._insert_new(CommitRow.__table__, rows)  # type: ignore[arg-type]

    def commits(self, workspace_id: int) -> dict[str, Commit]:
        """Every commit of the workspace by sha, with the offsets its times were written in."""
        rows = self._session.execute(
            select(
                CommitRow.sha,
                CommitRow.parents,
                CommitRow.author_email,
                CommitRow.author_time,
                CommitRow.author_offset,
                CommitRow.committer_time,
                CommitRow.committer_offset,
            ).where(CommitRow.workspace_id == workspace_id)
        )
        return {
            sha: Commit(
                sha=sha,
                parents=tuple(parents),
                author_email=email,
                author_time=_with_offset(authored, author_offset),
                committer_time=_with_offset(committed, committer_offset),
            )
            for sha, parents, email, authored, author_offset, committed, committer_offset in rows
        }

    def commit_count(self, workspace_id: int) -> int:
        return int(
            self._session.scalar(
                select(func.count())
                .select_from(CommitRow)
                .where(CommitRow.workspace_id == workspace_id)
            )
            or 0
        )

    def tags(self, workspace_id: int) -> list[tuple[str, TagRef]]:
        """(repository name, tag) for every tag the workspace's repositories hold."""
        rows = self._session.execute(
            select(GitRepositoryRow.name, TagRow)
            .join(GitRepositoryRow, GitRepositoryRow.id == TagRow.repository_id)
            .where(TagRow.workspace_id == workspace_id)
            .order_by(GitRepositoryRow.name, TagRow.name)
        )
        return [
            (
                repository,
                TagRef(
                    name=tag.name,
                    commit=tag.commit,
                    tagger_time=None
                    if tag.tagger_time is None or tag.tagger_offset is None
                    else _with_offset(tag.tagger_time, tag.tagger_offset),
                ),
            )
            for repository, tag in rows
        ]

    # -- deployments and incidents ---------------------------------------------------------

    def add_deployments(
        self, workspace_id: int, deployments: Iterable[Deployment], *, now: datetime
    ) -> int:
        rows = [
            {
                "workspace_id": workspace_id,
                "deployment_id": d.deployment_id,
                "service": d.service,
                "environment": d.environment,
                "commit": d.commit,
                "finished_at": d.finished_at,
                "status": d.status.value,
                "source": d.source.value,
                "received_at": now,
            }
            for d in deployments
        ]
        return self._insert_new(DeploymentRow.__table__, rows)  # type: ignore[arg-type]

    def deployments(self, workspace_id: int) -> list[Deployment]:
        # Columns, not ORM objects: a workspace may hold tens of thousands of deployments.
        rows = self._session.execute(
            select(
                DeploymentRow.deployment_id,
                DeploymentRow.service,
                DeploymentRow.environment,
                DeploymentRow.commit,
                DeploymentRow.finished_at,
                DeploymentRow.status,
                DeploymentRow.source,
            )
            .where(DeploymentRow.workspace_id == workspace_id)
            .order_by(DeploymentRow.finished_at, DeploymentRow.id)
        )
        statuses = {s.value: s for s in DeploymentStatus}
        sources = {s.value: s for s in DeploymentSource}
        return [
            Deployment(
                deployment_id=ident,
                service=service,
                environment=environment,
                commit=sha,
                finished_at=finished,
                status=statuses[status],
                source=sources[source],
            )
            for ident, service, environment, sha, finished, status, source in rows
        ]

    def put_incidents(
        self, workspace_id: int, incidents: Iterable[Incident], *, now: datetime
    ) -> tuple[int, int]:
        """Add new incidents and update known ones; returns (added, updated)."""
        return self._upsert(
            IncidentRow, ("incident_id",), workspace_id, (asdict(i) for i in incidents), now=now
        )

    def incidents(self, workspace_id: int) -> list[Incident]:
        rows = self._session.execute(
            select(
                IncidentRow.incident_id,
                IncidentRow.service,
                IncidentRow.severity,
                IncidentRow.started_at,
                IncidentRow.acknowledged_at,
                IncidentRow.resolved_at,
                IncidentRow.cause_deployment,
                IncidentRow.cause_commit,
            )
            .where(IncidentRow.workspace_id == workspace_id)
            .order_by(IncidentRow.started_at, IncidentRow.id)
        )
        return [Incident(*row) for row in rows]

    # -- scans ---------------------------------------------------------------------------

    def add_scan(
        self,
        workspace_id: int,
        *,
        digest: str,
        report: ScanReport,
        file_name: str,
        now: datetime,
    ) -> bool:
        """Store a scan and its findings; False (and nothing written) when this file's
        digest was imported before."""
        known = self._session.scalar(
            select(ScanRow.id).where(ScanRow.workspace_id == workspace_id, ScanRow.digest == digest)
        )
        if known is not None:
            return False
        row = ScanRow(
            workspace_id=workspace_id,
            digest=digest,
            scanner=report.scanner,
            target=report.target,
            scanned_at=report.scanned_at or now,
            time_from_file=report.scanned_at is not None,
            file_name=file_name,
            imported_at=now,
        )
        self._session.add(row)
        self._session.flush()
        if report.findings:
            self._session.execute(
                insert(FindingRow),
                [
                    {
                        "scan_id": row.id,
                        "rule_id": f.rule_id,
                        "severity": f.severity.value,
                        "package": f.package,
                        "location": f.location,
                        "title": f.title,
                    }
                    for f in report.findings
                ],
            )
        return True

    def scans(self, workspace_id: int) -> list[StoredScan]:
        """Every scan with its findings, oldest first."""
        scans = list(
            self._session.scalars(
                select(ScanRow)
                .where(ScanRow.workspace_id == workspace_id)
                .order_by(ScanRow.scanned_at, ScanRow.id)
            )
        )
        findings: dict[int, list[Finding]] = {scan.id: [] for scan in scans}
        if scans:
            rows = self._session.scalars(
                select(FindingRow).where(FindingRow.scan_id.in_([s.id for s in scans]))
            )
            for f in rows:
                findings[f.scan_id].append(
                    Finding(f.rule_id, Severity(f.severity), f.package, f.location, f.title)
                )
        return [
            StoredScan(
                digest=s.digest,
                report=ScanReport(
                    scanner=s.scanner,
                    target=s.target,
                    scanned_at=s.scanned_at,
                    findings=tuple(findings[s.id]),
                ),
                scanned_at=s.scanned_at,
                time_from_file=s.time_from_file,
                file_name=s.file_name,
            )
            for s in scans
        ]

    # -- tickets and costs ---------------------------------------------------------------

    def put_tickets(
        self, workspace_id: int, tickets: Iterable[Ticket], *, now: datetime
    ) -> tuple[int, int]:
        """Add new tickets and update known ones; returns (added, updated)."""
        return self._upsert(
            TicketRow, ("ticket_id",), workspace_id, (asdict(t) for t in tickets), now=now
        )

    def tickets(self, workspace_id: int) -> list[Ticket]:
        rows = self._session.scalars(
            select(TicketRow)
            .where(TicketRow.workspace_id == workspace_id)
            .order_by(TicketRow.opened_at, TicketRow.id)
        )
        return [
            Ticket(
                ticket_id=r.ticket_id,
                priority=r.priority,
                opened_at=r.opened_at,
                first_response_at=r.first_response_at,
                resolved_at=r.resolved_at,
                response_target_hours=r.response_target_hours,
                resolution_target_hours=r.resolution_target_hours,
                reopened=r.reopened,
                csat=r.csat,
                contacts=r.contacts,
            )
            for r in rows
        ]

    def put_cost_lines(
        self, workspace_id: int, lines: Iterable[CostLine], *, now: datetime
    ) -> tuple[int, int]:
        """Add new cost lines and update known ones; returns (added, updated)."""
        return self._upsert(
            CostLineRow, ("period", "category"), workspace_id, (asdict(c) for c in lines), now=now
        )

    def cost_lines(self, workspace_id: int) -> list[CostLine]:
        rows = self._session.scalars(
            select(CostLineRow)
            .where(CostLineRow.workspace_id == workspace_id)
            .order_by(CostLineRow.period, CostLineRow.category)
        )
        return [
            CostLine(
                period=r.period,
                category=r.category,
                amount=r.amount,
                forecast=r.forecast,
                customers=r.customers,
                transactions=r.transactions,
            )
            for r in rows
        ]


def _repository(row: GitRepositoryRow) -> GitRepository:
    return GitRepository(
        id=row.id,
        name=row.name,
        path=row.path,
        tips=tuple(row.tips or ()),
        commit_count=row.commit_count,
        last_read_at=row.last_read_at,
    )


def _normal(value: object) -> object:
    """Stored times come back in UTC; compare instants, not how they are written."""
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return value
