"""Architecture Decision Records in and out of the decision log (import-adr, export-adr)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Literal

from quarterdeck.catalog.rights import rights_catalog
from quarterdeck.domain.access import Actor, Permission
from quarterdeck.domain.decision_history import Revision
from quarterdeck.domain.decisions import DecisionStatus, check_no_cycle, display_number
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.ingest.adr import (
    AdrExportRecord,
    FileReport,
    read_adr_directory,
    write_adr_directory,
)
from quarterdeck.services import audit
from quarterdeck.services.access import authorize
from quarterdeck.storage import UnitOfWork

__all__ = ["AdrImportResult", "export_adrs", "import_adrs"]

_DECIDED = frozenset(
    {
        DecisionStatus.ACCEPTED,
        DecisionStatus.REJECTED,
        DecisionStatus.DEPRECATED,
        DecisionStatus.SUPERSEDED,
    }
)


@dataclass(frozen=True, slots=True)
class AdrImportResult:
    report: tuple[FileReport, ...]
    numbers: dict[int, int]  # ADR number -> decision number given in the log (empty in a dry run)
    dry_run: bool


def import_adrs(
    uow: UnitOfWork, *, actor: Actor, workspace: str, directory: Path, dry_run: bool = False
) -> AdrImportResult:
    """Read every ADR under `directory` and add them to the log, all or nothing.

    Each ADR becomes a decision with the next free number (its ADR number is kept in the
    returned mapping and in the audit row), its status as written, and its links translated
    to the new numbers. With `dry_run`, nothing is written and the report says what would be.
    Raises InvalidInput naming every file that cannot be read (nothing is written then).
    """
    ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
    if not directory.is_dir():
        raise InvalidInput(f"{directory} is not a directory")
    read = read_adr_directory(directory, areas=rights_catalog().area_keys)
    if read.failures:
        lines = [f"{f.source}: {'; '.join(f.problems)}" for f in read.failures]
        raise InvalidInput(
            f"{len(lines)} file(s) cannot be imported, so nothing was: " + " | ".join(lines)
        )
    if dry_run:
        return AdrImportResult(report=read.report, numbers={}, dry_run=True)
    now = uow.now()
    numbers: dict[int, int] = {}
    for record in read.records:
        number = uow.decisions.next_number(ws.id)
        numbers[record.number] = number
        decided_at = (
            datetime.combine(record.decided_on, time(12), tzinfo=UTC)
            if record.decided_on is not None and record.status in _DECIDED
            else None
        )
        uow.decisions.add_imported(
            ws.id,
            number=number,
            status=record.status,
            version=1,
            created_at=decided_at or now,
            decided_at=decided_at,
            revisions=[Revision(1, record.status, record.content, actor.label, now)],
        )
    for record in read.records:
        for kind, target in record.links:
            source, other = numbers[record.number], numbers[target]
            check_no_cycle(source, other, kind, uow.decisions.link_pairs(ws.id, kind))
            uow.decisions.link(ws.id, source, other, kind, now)
    audit.record(
        uow,
        actor=actor,
        workspace_id=ws.id,
        action="decision.imported",
        entity_type="decision",
        entity_id=f"{len(numbers)} ADRs",
        after={
            "directory": directory.name,
            "decisions": {str(adr): display_number(n) for adr, n in numbers.items()},
        },
    )
    return AdrImportResult(report=read.report, numbers=numbers, dry_run=False)


def export_adrs(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    directory: Path,
    fmt: Literal["madr", "nygard"],
    overwrite: bool = False,
) -> list[Path]:
    """Write every decision as one ADR file (MADR 4 or Nygard) into `directory`.

    MADR keeps every field (a round trip gives back the same decisions); Nygard keeps the
    number, title, status, date, context, decision, consequences and links.
    Raises InvalidInput for a non-empty directory without `overwrite`.
    """
    ws = authorize(uow, actor, workspace, Permission.READ).workspace
    records = [AdrExportRecord.from_decision(d) for d in uow.decisions.all_in(ws.id)]
    return write_adr_directory(records, directory, fmt=fmt, overwrite=overwrite)
