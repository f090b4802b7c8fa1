"""Engineering records of one workspace: git history, deployments, incidents, scans,
tickets and costs. Writes are idempotent: a record already stored is skipped (history,
deployment events, scan files) or updated in place (incidents, tickets, cost lines, which
later exports revise)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select

from quarterdeck.domain.engineering import (
    CostLine,
    Deployment,
    DeploymentSource,
    DeploymentStatus,
    Finding,
    Incident,
    ScanReport,
    Severity,
    Ticket,
)
from quarterdeck.storage.engineering_tables import (
    CommitRow,
    CostLineRow,
    DeploymentRow,
    FindingRow,
    IncidentRow,
    ScanRow,
    TicketRow,
)
from quarterdeck.storage.repositories.engineering_base import stored_instant
from quarterdeck.storage.repositories.git_history import GitHistory, GitRepository

__all__ = ["EngineeringRepository", "GitRepository", "StoredScan"]

_READ_DEPLOYMENTS = (
    'SELECT deployment_id, service, environment, "commit", finished_at, status, source '
    "FROM deployments WHERE workspace_id = {}"
)


@dataclass(frozen=True, slots=True)
class StoredScan:
    digest: str
    report: ScanReport
    scanned_at: datetime  # the file's own time, or the import time when it had none
    time_from_file: bool
    file_name: str


class EngineeringRepository(GitHistory):
    """Every engineering record of a workspace; the git history comes from `GitHistory`."""

    # -- deployments and incidents ---------------------------------------------------------

    def history_mark(self, workspace_id: int) -> tuple[int, ...]:
        """A value that changes whenever the workspace's commits or deployments change,
        cheap to compare: both are only ever added, so their count and highest id say.
        Pending writes of this unit of work are flushed first, so they count."""
        self._session.flush()
        marks: list[int] = []
        for model in (CommitRow, DeploymentRow):
            count, highest = self._session.execute(
                select(func.count(), func.max(model.id)).where(model.workspace_id == workspace_id)
            ).one()
            marks.extend((int(count), int(highest or 0)))
        return tuple(marks)

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
        """Every deployment event of the workspace, by finish time then arrival. Read
        through the driver's cursor: a workspace may hold tens of thousands of them."""
        sql = _READ_DEPLOYMENTS + " ORDER BY finished_at, id"
        return _deployments(self._driver_rows(sql, workspace_id))

    def deployments_between(self, workspace_id: int, after: int, upto: int) -> list[Deployment]:
        """The deployment events that arrived after row id `after` up to `upto` (the
        highest ids of two `history_mark`s), in arrival order."""
        sql = _READ_DEPLOYMENTS
        rows = self._driver_rows(
            sql + " AND id > {} AND id <= {} ORDER BY id", workspace_id, after, upto
        )
        return _deployments(rows)

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


def _deployments(rows: list[tuple[Any, ...]]) -> list[Deployment]:
    statuses = {s.value: s for s in DeploymentStatus}
    sources = {s.value: s for s in DeploymentSource}
    return [
        Deployment(
            ident,
            service,
            environment,
            sha,
            stored_instant(finished),
            statuses[status],
            sources[source],
        )
        for ident, service, environment, sha, finished, status, source in rows
    ]
