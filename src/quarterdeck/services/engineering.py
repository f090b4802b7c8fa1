"""Taking in engineering records for the scorecard: deployment events, and (through the
connectors) git history, incidents, scans, tickets and costs. Each intake is idempotent
and leaves one audit row saying what it took.

Every file import takes `max_bytes`, the import limit the operator configured (the faces
pass `Settings.import_max_bytes`; the default is that setting's default), and raises
InvalidInput naming the file, its size, the limit and the setting for a larger file."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from quarterdeck.domain.access import Actor, Permission
from quarterdeck.domain.engineering import Deployment, DeploymentSource
from quarterdeck.domain.workspaces import Workspace
from quarterdeck.ingest.events import parse_costs, parse_deployments, parse_incidents, parse_tickets
from quarterdeck.ingest.limits import DEFAULT_MAX_BYTES
from quarterdeck.ingest.scans import read_scan
from quarterdeck.ingest.tabular import ParseReport
from quarterdeck.services import audit, computed
from quarterdeck.services.access import authorize
from quarterdeck.services.delivery_choices import set_delivery_choices  # re-exported
from quarterdeck.services.git_ingest import GitIntake, ingest_git  # re-exported
from quarterdeck.storage import UnitOfWork

__all__ = [
    "FileIntake",
    "GitIntake",
    "Intake",
    "import_costs",
    "import_deployments",
    "import_incidents",
    "import_scan",
    "import_tickets",
    "ingest_git",
    "record_deployments",
    "set_delivery_choices",
]


@dataclass(frozen=True, slots=True)
class Intake:
    """What an intake did: records added, records updated, and those already known."""

    added: int
    updated: int = 0
    unchanged: int = 0


def record_deployments(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    deployments: Sequence[Deployment],
    origin: str,
) -> Intake:
    """Store deployment events; an identical event already stored is skipped (so a retried
    post or a re-imported file adds nothing). `origin` says where they came from, for the
    audit row ("api", or the imported file's name)."""
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    added = uow.engineering.add_deployments(ws.id, deployments, now=uow.now())
    intake = Intake(added=added, unchanged=len(deployments) - added)
    if added:
        audit.record(
            uow,
            actor=actor,
            workspace_id=ws.id,
            action="deployments.recorded",
            entity_type="deployments",
            entity_id=origin[:64],
            after={
                "added": added,
                "already_known": intake.unchanged,
                "deployment_ids": sorted({d.deployment_id for d in deployments})[:20],
            },
        )
        computed.recompute(uow, ws)
    return intake


# -- files and repositories ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FileIntake:
    """What importing one file did, and what the reader states it decided for the file."""

    kind: str
    source: str
    rows: int
    intake: Intake
    notes: tuple[str, ...] = ()


def _finish(
    uow: UnitOfWork,
    actor: Actor,
    ws: Workspace,
    *,
    kind: str,
    source: str,
    rows: int,
    intake: Intake,
    notes: Sequence[str] = (),
) -> FileIntake:
    if intake.added or intake.updated:
        audit.record(
            uow,
            actor=actor,
            workspace_id=ws.id,
            action=f"{kind}.imported",
            entity_type=kind,
            entity_id=source[:64],
            after={
                "rows": rows,
                "added": intake.added,
                "updated": intake.updated,
                "unchanged": intake.unchanged,
            },
        )
        computed.recompute(uow, ws)
    return FileIntake(kind, source, rows, intake, tuple(notes))


def _zone(ws: Workspace, assume_workspace_zone: bool) -> str | None:
    return ws.time_zone if assume_workspace_zone else None


def _import_table(
    uow: UnitOfWork,
    actor: Actor,
    workspace: str,
    *,
    kind: str,
    source: str,
    parse: Callable[[Workspace], ParseReport[Any]],
    store: Callable[[Workspace, Sequence[Any]], tuple[int, int]],
) -> FileIntake:
    """Read a file with `parse` (all or nothing), keep its records with `store` (which
    returns added and updated), then audit and recompute."""
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    report = parse(ws)
    records = report.records_or_raise()
    added, updated = store(ws, records)
    intake = Intake(added, updated, len(records) - added - updated)
    return _finish(
        uow,
        actor,
        ws,
        kind=kind,
        source=source,
        rows=report.rows,
        intake=intake,
        notes=report.notes,
    )


def import_deployments(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    data: bytes,
    source: str,
    assume_workspace_zone: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> FileIntake:
    """Import deployment events from CSV or JSON, all or nothing. Times without a zone are
    refused unless `assume_workspace_zone`, which reads them in the workspace's zone (the
    notes say so)."""

    def store(ws: Workspace, records: Sequence[Deployment]) -> tuple[int, int]:
        imported = [replace(d, source=DeploymentSource.IMPORT) for d in records]
        return uow.engineering.add_deployments(ws.id, imported, now=uow.now()), 0

    return _import_table(
        uow,
        actor,
        workspace,
        kind="deployments",
        source=source,
        parse=lambda ws: parse_deployments(
            data, source=source, zone=_zone(ws, assume_workspace_zone), max_bytes=max_bytes
        ),
        store=store,
    )


def import_incidents(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    data: bytes,
    source: str,
    assume_workspace_zone: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> FileIntake:
    """Import an incident export; known incidents are updated to the file's state."""
    return _import_table(
        uow,
        actor,
        workspace,
        kind="incidents",
        source=source,
        parse=lambda ws: parse_incidents(
            data, source=source, zone=_zone(ws, assume_workspace_zone), max_bytes=max_bytes
        ),
        store=lambda ws, records: uow.engineering.put_incidents(ws.id, records, now=uow.now()),
    )


def import_tickets(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    data: bytes,
    source: str,
    assume_workspace_zone: bool = False,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> FileIntake:
    """Import a service-desk export; known tickets are updated to the file's state."""
    return _import_table(
        uow,
        actor,
        workspace,
        kind="tickets",
        source=source,
        parse=lambda ws: parse_tickets(
            data, source=source, zone=_zone(ws, assume_workspace_zone), max_bytes=max_bytes
        ),
        store=lambda ws, records: uow.engineering.put_tickets(ws.id, records, now=uow.now()),
    )


def import_costs(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    data: bytes,
    source: str,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> FileIntake:
    """Import cost lines per month and category; known lines are updated."""
    return _import_table(
        uow,
        actor,
        workspace,
        kind="costs",
        source=source,
        parse=lambda ws: parse_costs(data, source=source, max_bytes=max_bytes),
        store=lambda ws, records: uow.engineering.put_cost_lines(ws.id, records, now=uow.now()),
    )


def import_scan(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    data: bytes,
    source: str,
    kind: str | None = None,
    target: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> FileIntake:
    """Import one scanner file (SARIF, Trivy, Grype, pip-audit); the same file twice is
    recognised by its digest and adds nothing."""
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    report = read_scan(data, name=source, kind=kind, target=target, max_bytes=max_bytes)
    digest = hashlib.sha256(data).hexdigest()
    added = uow.engineering.add_scan(
        ws.id, digest=digest, report=report, file_name=source[-255:], now=uow.now()
    )
    notes = () if report.scanned_at else ("the file gives no scan time; the import time stands in",)
    intake = Intake(added=1 if added else 0, unchanged=0 if added else 1)
    return _finish(
        uow,
        actor,
        ws,
        kind="scan",
        source=source,
        rows=len(report.findings),
        intake=intake,
        notes=notes,
    )
