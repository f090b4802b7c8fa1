"""The engineering-record sections of a workspace export: repositories and their tags,
commits, deployments, incidents, scans with their findings, tickets and cost lines. Times
that were written with an offset (commits, tags) keep it. Added after the first exports,
so a document without them reads as if they were empty."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, Field, PlainValidator, TypeAdapter, field_validator

from quarterdeck.domain.access import Actor
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
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.workspaces import Workspace
from quarterdeck.services.document_sections import MAX_INT, Section, StrictItem, iso, text
from quarterdeck.services.json_input import UtcTime
from quarterdeck.services.scorecard_export import decimal_text
from quarterdeck.storage import UnitOfWork

__all__ = ["ENGINEERING_SECTIONS"]

_I = TypeVar("_I", bound=BaseModel)
_Sha = Annotated[str, Field(pattern=r"^[0-9a-f]{7,64}$")]
_Id = Annotated[str, text(200, min_length=1)]
_Name = Annotated[str, text(120, min_length=1)]


def _offset_time(value: object) -> datetime:
    """An ISO 8601 time with its offset, kept as written (commit and tag times)."""
    if not isinstance(value, str) or len(value) > 40:
        raise ValueError("must be an ISO 8601 time with its offset")
    moment = datetime.fromisoformat(value)
    if moment.utcoffset() is None:
        raise ValueError("has no offset")
    return moment


OffsetTime = Annotated[datetime, PlainValidator(_offset_time)]


def _decimal(value: str | None) -> str | None:
    return None if value is None else decimal_text(value)


def _unique(items: list[Any], name: str, key: Callable[[Any], object]) -> None:
    seen: dict[object, int] = {}
    for index, item in enumerate(items):
        identity = key(item)
        if identity in seen:
            raise InvalidInput(f"{name}[{index}]: the same as {name}[{seen[identity]}]")
        seen[identity] = index


# --- git -------------------------------------------------------------------------------------


class _TagItem(StrictItem):
    name: Annotated[str, text(255, min_length=1)]
    commit: _Sha
    tagger_time: OffsetTime | None


class _RepositoryItem(StrictItem):
    name: _Name
    path: Annotated[str, text(1000)]
    tips: list[_Sha]
    commit_count: Annotated[int, Field(ge=0, le=MAX_INT)]
    last_read_at: UtcTime | None
    tags: list[_TagItem]


def _export_repositories(uow: UnitOfWork, ws: Workspace) -> list[dict[str, Any]]:
    tags: dict[str, list[dict[str, Any]]] = {}
    for repository, tag in uow.engineering.tags(ws.id):
        tags.setdefault(repository, []).append(
            {
                "name": tag.name,
                "commit": tag.commit,
                "tagger_time": None if tag.tagger_time is None else tag.tagger_time.isoformat(),
            }
        )
    return [
        {
            "name": r.name,
            "path": r.path,
            "tips": list(r.tips),
            "commit_count": r.commit_count,
            "last_read_at": None if r.last_read_at is None else iso(r.last_read_at),
            "tags": tags.get(r.name, []),
        }
        for r in uow.engineering.repositories(ws.id)
    ]


def _restore_repositories(
    uow: UnitOfWork, actor: Actor, ws: Workspace, items: list[_RepositoryItem]
) -> None:
    for item in items:
        uow.engineering.save_repository_read(
            ws.id,
            name=item.name,
            path=item.path,
            tips=item.tips,
            tags=[TagRef(t.name, t.commit, t.tagger_time) for t in item.tags],
            added_commits=item.commit_count,
            now=item.last_read_at or uow.now(),
        )


class _CommitItem(StrictItem):
    sha: _Sha
    parents: list[_Sha]
    author_email: Annotated[str, text(254)]
    author_time: OffsetTime
    committer_time: OffsetTime


def _export_commits(uow: UnitOfWork, ws: Workspace) -> list[dict[str, Any]]:
    return [
        {
            "sha": c.sha,
            "parents": list(c.parents),
            "author_email": c.author_email,
            "author_time": c.author_time.isoformat(),
            "committer_time": c.committer_time.isoformat(),
        }
        for c in sorted(uow.engineering.commits(ws.id).values(), key=lambda c: c.sha)
    ]


def _restore_commits(
    uow: UnitOfWork, actor: Actor, ws: Workspace, items: list[_CommitItem]
) -> None:
    uow.engineering.add_commits(
        ws.id,
        [
            Commit(c.sha, tuple(c.parents), c.author_email, c.author_time, c.committer_time)
            for c in items
        ],
    )


# --- events ----------------------------------------------------------------------------------


class _DeploymentItem(StrictItem):
    deployment_id: _Id
    service: _Name
    environment: Annotated[str, text(64, min_length=1)]
    commit: _Sha | None
    finished_at: UtcTime
    status: Annotated[DeploymentStatus, Field(strict=False)]
    source: Annotated[DeploymentSource, Field(strict=False)]


def _export_deployments(uow: UnitOfWork, ws: Workspace) -> list[dict[str, Any]]:
    return [
        {
            "deployment_id": d.deployment_id,
            "service": d.service,
            "environment": d.environment,
            "commit": d.commit,
            "finished_at": iso(d.finished_at),
            "status": d.status.value,
            "source": d.source.value,
        }
        for d in uow.engineering.deployments(ws.id)
    ]


def _restore_deployments(
    uow: UnitOfWork, actor: Actor, ws: Workspace, items: list[_DeploymentItem]
) -> None:
    uow.engineering.add_deployments(
        ws.id,
        [
            Deployment(
                d.deployment_id,
                d.service,
                d.environment,
                d.commit,
                d.finished_at,
                d.status,
                d.source,
            )
            for d in items
        ],
        now=uow.now(),
    )


class _IncidentItem(StrictItem):
    incident_id: _Id
    service: _Name
    severity: Annotated[str, text(32, min_length=1)]
    started_at: UtcTime
    acknowledged_at: UtcTime | None
    resolved_at: UtcTime | None
    cause_deployment: Annotated[str, text(200)] | None
    cause_commit: _Sha | None


def _export_incidents(uow: UnitOfWork, ws: Workspace) -> list[dict[str, Any]]:
    return [
        {
            "incident_id": i.incident_id,
            "service": i.service,
            "severity": i.severity,
            "started_at": iso(i.started_at),
            "acknowledged_at": None if i.acknowledged_at is None else iso(i.acknowledged_at),
            "resolved_at": None if i.resolved_at is None else iso(i.resolved_at),
            "cause_deployment": i.cause_deployment,
            "cause_commit": i.cause_commit,
        }
        for i in uow.engineering.incidents(ws.id)
    ]


def _restore_incidents(
    uow: UnitOfWork, actor: Actor, ws: Workspace, items: list[_IncidentItem]
) -> None:
    uow.engineering.put_incidents(
        ws.id, [Incident(**item.model_dump()) for item in items], now=uow.now()
    )


# --- scans -----------------------------------------------------------------------------------


class _FindingItem(StrictItem):
    rule_id: Annotated[str, text(200, min_length=1)]
    severity: Annotated[Severity, Field(strict=False)]
    package: Annotated[str, text(300)]
    location: Annotated[str, text(500)]
    title: Annotated[str, text(500)]


class _ScanItem(StrictItem):
    digest: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    scanner: Annotated[str, text(120, min_length=1)]
    target: Annotated[str, text(500, min_length=1)]
    scanned_at: UtcTime
    time_from_file: bool
    file_name: Annotated[str, text(255)]
    findings: list[_FindingItem]


def _export_scans(uow: UnitOfWork, ws: Workspace) -> list[dict[str, Any]]:
    return [
        {
            "digest": s.digest,
            "scanner": s.report.scanner,
            "target": s.report.target,
            "scanned_at": iso(s.scanned_at),
            "time_from_file": s.time_from_file,
            "file_name": s.file_name,
            "findings": [
                {
                    "rule_id": f.rule_id,
                    "severity": f.severity.value,
                    "package": f.package,
                    "location": f.location,
                    "title": f.title,
                }
                for f in s.report.findings
            ],
        }
        for s in uow.engineering.scans(ws.id)
    ]


def _restore_scans(uow: UnitOfWork, actor: Actor, ws: Workspace, items: list[_ScanItem]) -> None:
    for item in items:
        report = ScanReport(
            scanner=item.scanner,
            target=item.target,
            scanned_at=item.scanned_at if item.time_from_file else None,
            findings=tuple(Finding(**f.model_dump()) for f in item.findings),
        )
        # Without a time in the file, the scan is dated by its import (which `now` restores).
        uow.engineering.add_scan(
            ws.id,
            digest=item.digest,
            report=report,
            file_name=item.file_name,
            now=item.scanned_at,
        )


# --- tickets and costs -------------------------------------------------------------------------


class _TicketItem(StrictItem):
    ticket_id: _Id
    priority: Annotated[str, text(32, min_length=1)]
    opened_at: UtcTime
    first_response_at: UtcTime | None
    resolved_at: UtcTime | None
    response_target_hours: Annotated[str, text(48)] | None
    resolution_target_hours: Annotated[str, text(48)] | None
    reopened: bool
    csat: Annotated[int, Field(ge=1, le=5)] | None
    contacts: Annotated[int, Field(ge=0, le=MAX_INT)] | None

    _targets = field_validator("response_target_hours", "resolution_target_hours")(_decimal)


def _hours(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _export_tickets(uow: UnitOfWork, ws: Workspace) -> list[dict[str, Any]]:
    return [
        {
            "ticket_id": t.ticket_id,
            "priority": t.priority,
            "opened_at": iso(t.opened_at),
            "first_response_at": None if t.first_response_at is None else iso(t.first_response_at),
            "resolved_at": None if t.resolved_at is None else iso(t.resolved_at),
            "response_target_hours": _hours(t.response_target_hours),
            "resolution_target_hours": _hours(t.resolution_target_hours),
            "reopened": t.reopened,
            "csat": t.csat,
            "contacts": t.contacts,
        }
        for t in uow.engineering.tickets(ws.id)
    ]


def _restore_tickets(
    uow: UnitOfWork, actor: Actor, ws: Workspace, items: list[_TicketItem]
) -> None:
    tickets = []
    for item in items:
        data = item.model_dump()
        for name in ("response_target_hours", "resolution_target_hours"):
            data[name] = None if data[name] is None else Decimal(data[name])
        tickets.append(Ticket(**data))
    uow.engineering.put_tickets(ws.id, tickets, now=uow.now())


class _CostItem(StrictItem):
    period: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-01$")]
    category: _Name
    amount: Annotated[str, text(48, min_length=1)]
    forecast: Annotated[str, text(48)] | None
    customers: Annotated[int, Field(ge=0, le=MAX_INT)] | None
    transactions: Annotated[int, Field(ge=0, le=MAX_INT)] | None

    _amounts = field_validator("amount", "forecast")(_decimal)


def _export_costs(uow: UnitOfWork, ws: Workspace) -> list[dict[str, Any]]:
    return [
        {
            "period": c.period.isoformat(),
            "category": c.category,
            "amount": str(c.amount),
            "forecast": _hours(c.forecast),
            "customers": c.customers,
            "transactions": c.transactions,
        }
        for c in uow.engineering.cost_lines(ws.id)
    ]


def _restore_costs(uow: UnitOfWork, actor: Actor, ws: Workspace, items: list[_CostItem]) -> None:
    uow.engineering.put_cost_lines(
        ws.id,
        [
            CostLine(
                period=date.fromisoformat(c.period),
                category=c.category,
                amount=Decimal(c.amount),
                forecast=None if c.forecast is None else Decimal(c.forecast),
                customers=c.customers,
                transactions=c.transactions,
            )
            for c in items
        ],
        now=uow.now(),
    )


def _section(
    name: str,
    model: type[_I],
    export: Callable[[UnitOfWork, Workspace], list[dict[str, Any]]],
    restore: Callable[[UnitOfWork, Actor, Workspace, list[_I]], None],
    identity: Callable[[_I], object],
) -> Section[_I]:
    return Section(
        name,
        TypeAdapter(list[model]),  # type: ignore[valid-type]
        export,
        lambda items: _unique(items, name, identity),
        restore,
        required=False,
    )


ENGINEERING_SECTIONS: tuple[Section[Any], ...] = (
    _section(
        "git_repositories",
        _RepositoryItem,
        _export_repositories,
        _restore_repositories,
        lambda r: r.name,
    ),
    _section("commits", _CommitItem, _export_commits, _restore_commits, lambda c: c.sha),
    _section(
        "deployments",
        _DeploymentItem,
        _export_deployments,
        _restore_deployments,
        lambda d: (d.deployment_id, d.service, d.environment, d.finished_at, d.status),
    ),
    _section(
        "incidents", _IncidentItem, _export_incidents, _restore_incidents, lambda i: i.incident_id
    ),
    _section("scans", _ScanItem, _export_scans, _restore_scans, lambda s: s.digest),
    _section("tickets", _TicketItem, _export_tickets, _restore_tickets, lambda t: t.ticket_id),
    _section(
        "cost_lines", _CostItem, _export_costs, _restore_costs, lambda c: (c.period, c.category)
    ),
)
