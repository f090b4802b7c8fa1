"""Taking in engineering records for the scorecard: deployment events, and (through the
connectors) git history, incidents, scans, tickets and costs. Each intake is idempotent
and leaves one audit row saying what it took."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from quarterdeck.domain.access import Actor, Permission
from quarterdeck.domain.delivery import CommitTime
from quarterdeck.domain.delivery_bands import BandsEdition
from quarterdeck.domain.engineering import Deployment, DeploymentSource
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.workspaces import Workspace
from quarterdeck.ingest.events import parse_costs, parse_deployments, parse_incidents, parse_tickets
from quarterdeck.ingest.git import read_repository
from quarterdeck.ingest.scans import read_scan
from quarterdeck.ingest.tabular import ParseReport
from quarterdeck.services import audit, computed, delivery
from quarterdeck.services.access import authorize
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
            data, source=source, zone=_zone(ws, assume_workspace_zone)
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
) -> FileIntake:
    """Import an incident export; known incidents are updated to the file's state."""
    return _import_table(
        uow,
        actor,
        workspace,
        kind="incidents",
        source=source,
        parse=lambda ws: parse_incidents(
            data, source=source, zone=_zone(ws, assume_workspace_zone)
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
) -> FileIntake:
    """Import a service-desk export; known tickets are updated to the file's state."""
    return _import_table(
        uow,
        actor,
        workspace,
        kind="tickets",
        source=source,
        parse=lambda ws: parse_tickets(data, source=source, zone=_zone(ws, assume_workspace_zone)),
        store=lambda ws, records: uow.engineering.put_tickets(ws.id, records, now=uow.now()),
    )


def import_costs(
    uow: UnitOfWork, *, actor: Actor, workspace: str, data: bytes, source: str
) -> FileIntake:
    """Import cost lines per month and category; known lines are updated."""
    return _import_table(
        uow,
        actor,
        workspace,
        kind="costs",
        source=source,
        parse=lambda ws: parse_costs(data, source=source),
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
) -> FileIntake:
    """Import one scanner file (SARIF, Trivy, Grype, pip-audit); the same file twice is
    recognised by its digest and adds nothing."""
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    report = read_scan(data, name=source, kind=kind, target=target)
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


@dataclass(frozen=True, slots=True)
class GitIntake:
    repository: str
    commits_added: int
    tags: int
    deployments_from_tags: int  # tags that the release pattern turns into deployments


def ingest_git(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    path: str,
    name: str | None = None,
    release_pattern: str | None = None,
    service: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> GitIntake:
    """Read a local git repository into the workspace: the commits not read before (the
    ref tips of the last read bound the walk) and all its tags. With `release_pattern`
    (e.g. "v*"), matching tags become deployments of `service` (the repository's name by
    default); the rule is kept for later reads."""
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    repository = name or Path(path).resolve().name or "repository"
    if len(repository) > 120:
        raise InvalidInput("a repository name is limited to 120 characters")
    known = uow.engineering.repository(ws.id, repository)
    read = read_repository(path, known_tips=() if known is None else known.tips, progress=progress)
    added = uow.engineering.add_commits(ws.id, read.commits)
    uow.engineering.save_repository_read(
        ws.id,
        name=repository,
        path=str(read.path),
        tips=read.tips,
        tags=read.tags,
        added_commits=added,
        now=uow.now(),
    )
    if release_pattern is not None:
        _keep_release_rule(uow, ws, repository, release_pattern, service or repository)
    rule = _release_rules(uow, ws).get(repository)
    releases = 0 if rule is None else sum(fnmatchcase(t.name, rule.pattern) for t in read.tags)
    audit.record(
        uow,
        actor=actor,
        workspace_id=ws.id,
        action="git.ingested",
        entity_type="repository",
        entity_id=repository[:64],
        after={"commits_added": added, "tags": len(read.tags), "release_tags": releases},
    )
    computed.recompute(uow, ws)
    return GitIntake(repository, added, len(read.tags), releases)


def _release_rules(uow: UnitOfWork, ws: Workspace) -> dict[str, delivery.ReleaseRule]:
    stored = uow.scorecard.settings(ws.id).choices.get("delivery", {})
    return dict(delivery.choices_from_json(stored).releases)


def _keep_release_rule(
    uow: UnitOfWork, ws: Workspace, repository: str, pattern: str, service: str
) -> None:
    if not pattern.strip() or len(pattern) > 120:
        raise InvalidInput("a release tag pattern needs 1-120 characters, like 'v*'")
    settings = uow.scorecard.settings(ws.id)
    choices = delivery.choices_from_json(settings.choices.get("delivery", {}))
    releases = {**choices.releases, repository: delivery.ReleaseRule(pattern, service)}
    stored = delivery.choices_to_json(replace(choices, releases=releases))
    uow.scorecard.put_settings(
        ws.id,
        expected_version=settings.version,
        category_owners=settings.category_owners,
        choices={**settings.choices, "delivery": stored},
        now=uow.now(),
    )


def set_delivery_choices(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    expected_version: int,
    production_environment: str | None = None,
    commit_time: CommitTime | None = None,
    bot_patterns: Sequence[str] | None = None,
    link_by_service_window: bool | None = None,
    max_link_gap_hours: float | None = None,
    bands_edition: BandsEdition | None = None,
) -> delivery.DeliveryChoices:
    """Change the choices behind the delivery figures (what is not given stays), then
    recompute the computed measurements with them. Stale version: Conflict."""
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    settings = uow.scorecard.settings(ws.id)
    before = delivery.choices_from_json(settings.choices.get("delivery", {}))
    patterns = before.settings.bot_patterns if bot_patterns is None else tuple(bot_patterns)
    if any(not p.strip() or len(p) > 200 for p in patterns) or len(patterns) > 50:
        raise InvalidInput("bot patterns are 1-200 characters each, at most 50 of them")
    gap = before.settings.max_link_gap
    if max_link_gap_hours is not None:
        if not 0 < max_link_gap_hours <= 24 * 30:
            raise InvalidInput("the linking gap must be above 0 and at most 720 hours")
        gap = timedelta(hours=max_link_gap_hours)
    environment = before.settings.production_environment
    if production_environment is not None:
        environment = production_environment.strip()
        if not environment or len(environment) > 64:
            raise InvalidInput("the production environment needs a name of 1-64 characters")
    after = replace(
        before,
        settings=replace(
            before.settings,
            production_environment=environment,
            commit_time=commit_time or before.settings.commit_time,
            bot_patterns=patterns,
            link_by_service_window=before.settings.link_by_service_window
            if link_by_service_window is None
            else link_by_service_window,
            max_link_gap=gap,
            bands_edition=bands_edition or before.settings.bands_edition,
        ),
    )
    uow.scorecard.put_settings(
        ws.id,
        expected_version=expected_version,
        category_owners=settings.category_owners,
        choices={**settings.choices, "delivery": delivery.choices_to_json(after)},
        now=uow.now(),
    )
    audit.record(
        uow,
        actor=actor,
        workspace_id=ws.id,
        action="delivery.choices_changed",
        entity_type="scorecard",
        entity_id="delivery",
        before=delivery.choices_to_json(before),
        after=delivery.choices_to_json(after),
    )
    computed.recompute(uow, ws)
    return after
