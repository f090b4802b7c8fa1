"""Reading service-desk tickets from a CSV or JSON export (Zendesk, Freshdesk, Jira Service
Management, a spreadsheet): when each was opened, first answered and resolved, its SLA
targets, whether it was reopened, its CSAT score and how many contacts it took.

SLA targets are hours from opening, per priority. An export may carry them on every row
(response_target_hours, resolution_target_hours); when it does not, the caller passes
them per priority as `targets`. A value in the row wins over `targets`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from quarterdeck.domain.engineering import Ticket
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.ingest.cells import Row
from quarterdeck.ingest.tabular import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    Column,
    Layout,
    ParseReport,
    parse_table,
)

__all__ = ["TICKET_COLUMNS", "SlaTarget", "parse_tickets"]

TICKET_COLUMNS = Layout(
    "tickets",
    (
        Column("ticket_id", ("id", "ticket", "ticket_number", "key", "number"), required=True),
        Column("priority", ("prio",), required=True),
        Column("opened_at", ("opened", "created_at", "created", "submitted_at"), required=True),
        Column("first_response_at", ("first_response", "first_reply_at", "responded_at")),
        Column("resolved_at", ("resolved", "solved_at", "closed_at")),
        Column("response_target_hours", ("response_sla_hours", "first_response_target_hours")),
        Column("resolution_target_hours", ("resolution_sla_hours",)),
        Column("reopened", ("was_reopened",)),
        Column("csat", ("satisfaction", "csat_score", "rating")),
        Column("contacts", ("interactions", "contact_count")),
    ),
)


@dataclass(frozen=True, slots=True)
class SlaTarget:
    """The hours after opening by which a ticket of one priority should have its first
    response and be resolved (None: no target)."""

    response_hours: Decimal | None = None
    resolution_hours: Decimal | None = None

    def __post_init__(self) -> None:
        for hours in (self.response_hours, self.resolution_hours):
            if hours is not None and not (hours.is_finite() and hours > 0):
                raise InvalidInput(f"an SLA target must be a number of hours above zero: {hours}")


def parse_tickets(
    data: bytes,
    *,
    source: str,
    targets: Mapping[str, SlaTarget] | None = None,
    zone: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> ParseReport[Ticket]:
    """The tickets in a CSV or JSON file (see TICKET_COLUMNS).

    Guarantees: every problem in the file is in the report, which then holds no records;
    ticket ids are unique in the file; first response and resolution are not before the
    opening; CSAT is a whole number from 1 to 5; contacts a whole number from 0; target
    hours above zero; reopened is yes/no, true/false or 1/0 (empty: not reopened). A
    target cell left empty takes the value `targets` gives the ticket's priority (matched
    ignoring case); when `targets` is given, the report notes the priorities it lacks.
    A time without a zone is read in `zone` when given (the report notes it), else it is a
    problem. Raises InvalidInput only for an unknown `zone`."""
    by_priority = {name.strip().lower(): target for name, target in (targets or {}).items()}
    untargeted: dict[str, int] = {}

    def build(row: Row) -> Ticket | None:
        ticket = _ticket(row)
        if ticket is None:
            return None
        target = by_priority.get(ticket.priority.lower())
        if target is None:
            untargeted[ticket.priority] = untargeted.get(ticket.priority, 0) + 1
            return ticket
        response, resolution = ticket.response_target_hours, ticket.resolution_target_hours
        return replace(
            ticket,
            response_target_hours=target.response_hours if response is None else response,
            resolution_target_hours=target.resolution_hours if resolution is None else resolution,
        )

    report = parse_table(
        data,
        source=source,
        layout=TICKET_COLUMNS,
        build=build,
        zone=zone,
        max_bytes=max_bytes,
        max_rows=max_rows,
    )
    if targets is None or not untargeted or not report.ok:
        return report
    counts = ", ".join(f"{name} ({count})" for name, count in sorted(untargeted.items()))
    note = f"no SLA targets given for the priorities {counts}; only the rows' own are used"
    return replace(report, notes=(*report.notes, note))


def _ticket(row: Row) -> Ticket | None:
    ticket_id = row.text("ticket_id")
    if ticket_id and (earlier := row.first_seen("ticket_id", ticket_id)):
        row.problem("ticket_id", f"{ticket_id!r} is already on {earlier}; ids must be unique")
    priority = row.text("priority")
    opened_at = row.time("opened_at")
    first_response_at = row.time("first_response_at")
    resolved_at = row.time("resolved_at")
    row.not_before("first_response_at", first_response_at, "opened_at", opened_at)
    row.not_before("resolved_at", resolved_at, "opened_at", opened_at)
    response_target = row.number("response_target_hours", positive=True)
    resolution_target = row.number("resolution_target_hours", positive=True)
    reopened = row.flag("reopened")
    csat = row.whole("csat", low=1, high=5)
    contacts = row.whole("contacts", low=0)
    if opened_at is None:
        return None
    return Ticket(
        ticket_id=ticket_id,
        priority=priority,
        opened_at=opened_at,
        first_response_at=first_response_at,
        resolved_at=resolved_at,
        response_target_hours=response_target,
        resolution_target_hours=resolution_target,
        reopened=bool(reopened),
        csat=csat,
        contacts=contacts,
    )
