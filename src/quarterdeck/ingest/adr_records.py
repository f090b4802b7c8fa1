"""The values the ADR reader returns and the ADR writer takes.

Links on an `ImportedAdr` are always outgoing, by the target's ADR number: a file saying
"Superseded by 5" becomes a `supersedes` link on ADR 5, never a reverse link on this one.
That is the shape the decision log stores (one row per link, shown both ways), so the import
service can create links as they come, without deduplicating pairs itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from quarterdeck.domain.decisions import Decision, DecisionContent, DecisionStatus, LinkKind

__all__ = [
    "DEFAULT_AREAS",
    "AdrExportRecord",
    "AdrImport",
    "FileReport",
    "ImportedAdr",
    "Outcome",
]

# The shipped decision areas (catalog/decision_areas.yaml). The reader takes the workspace's
# areas as an argument; this default only serves callers that have no catalog at hand.
DEFAULT_AREAS: tuple[str, ...] = (
    "roadmap",
    "architecture",
    "reliability",
    "pricing-packaging",
    "data-ai",
    "security",
    "build-vs-buy",
    "vendor",
    "spend",
    "hiring-structure",
    "cross-team",
    "process",
)

Outcome = Literal["imported", "skipped", "failed"]
LinkRef = tuple[LinkKind, int, str]  # kind, the other ADR's number, its title


@dataclass(frozen=True, slots=True)
class ImportedAdr:
    """One ADR read from a file, ready to become a decision. Nothing has been stored."""

    source: str  # path relative to the imported directory, with forward slashes
    number: int  # unique within the import; see read_adr_directory for the rules
    status: DecisionStatus
    decided_on: date | None
    content: DecisionContent
    links: tuple[tuple[LinkKind, int], ...] = ()  # outgoing, by the other ADR's number
    notes: tuple[str, ...] = ()  # what was guessed, in words for people


@dataclass(frozen=True, slots=True)
class FileReport:
    """What happened to one file: what was taken from it and what could not be read."""

    source: str
    outcome: Outcome
    taken: tuple[str, ...] = ()  # names of the fields found in the file
    problems: tuple[str, ...] = ()  # what could not be read, or why the file was refused
    notes: tuple[str, ...] = ()  # what was guessed (the same notes as on the record)
    format: str = ""  # nygard, madr-2, madr-3, madr-4, madr-3/4, log4brains, markdown; "" unread


@dataclass(frozen=True, slots=True)
class AdrImport:
    """The records read from a directory (ordered by number) and a report per file."""

    records: tuple[ImportedAdr, ...]
    report: tuple[FileReport, ...]

    @property
    def failures(self) -> tuple[FileReport, ...]:
        """The files that could not be read; an import applies only when this is empty."""
        return tuple(entry for entry in self.report if entry.outcome == "failed")


@dataclass(frozen=True, slots=True)
class AdrExportRecord:
    """One decision as the writer needs it.

    `links` are the decision's outgoing links as (kind, number, title). `incoming` are links
    other decisions hold to this one; `write_adr_directory` adds those it can derive from the
    records it writes, so a caller writing a whole log may leave `incoming` empty.
    """

    number: int
    status: DecisionStatus
    decided_on: date | None
    content: DecisionContent
    links: tuple[LinkRef, ...] = ()
    incoming: tuple[LinkRef, ...] = ()

    @classmethod
    def from_decision(cls, decision: Decision) -> AdrExportRecord:
        """The export record of a stored decision; the date is `decided_at` taken in UTC."""
        outgoing = tuple(
            (link.kind, link.number, link.title) for link in decision.links if link.outgoing
        )
        incoming = tuple(
            (link.kind, link.number, link.title) for link in decision.links if not link.outgoing
        )
        decided_on = decision.decided_at.date() if decision.decided_at is not None else None
        return cls(
            number=decision.number,
            status=decision.status,
            decided_on=decided_on,
            content=decision.content,
            links=outgoing,
            incoming=incoming,
        )
