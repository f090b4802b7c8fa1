"""Reading incidents from a CSV or JSON export (PagerDuty, Opsgenie, a status page, a
spreadsheet): when each began, was acknowledged and resolved, and what caused it if known.
"""

from __future__ import annotations

from quarterdeck.domain.engineering import Incident
from quarterdeck.ingest.cells import Row
from quarterdeck.ingest.deployments import commit_sha
from quarterdeck.ingest.tabular import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    Column,
    Layout,
    ParseReport,
    parse_table,
)

__all__ = ["INCIDENT_COLUMNS", "parse_incidents"]

INCIDENT_COLUMNS = Layout(
    "incidents",
    (
        Column("incident_id", ("id", "incident", "incident_number", "number"), required=True),
        Column("service", ("service_name", "app", "application", "component"), required=True),
        Column("severity", ("sev", "priority", "urgency"), required=True),
        Column(
            "started_at",
            ("started", "created_at", "created_on", "triggered_at", "opened_at"),
            required=True,
        ),
        Column("acknowledged_at", ("acknowledged", "acked_at", "acknowledged_on")),
        Column("resolved_at", ("resolved", "resolved_on", "closed_at")),
        Column("cause_deployment", ("cause_deployment_id", "caused_by_deployment")),
        Column("cause_commit", ("cause_sha", "cause_commit_sha", "caused_by_commit")),
    ),
)


def parse_incidents(
    data: bytes,
    *,
    source: str,
    zone: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> ParseReport[Incident]:
    """The incidents in a CSV or JSON file (see INCIDENT_COLUMNS).

    Guarantees: every problem in the file is in the report, which then holds no records;
    incident ids are unique in the file; acknowledged and resolved times are not before
    the start; a cause commit is a sha in lower case; times are UTC. A time without a zone
    is read in `zone` when given (the report notes it), else it is a problem. Raises
    InvalidInput only for an unknown `zone`."""
    return parse_table(
        data,
        source=source,
        layout=INCIDENT_COLUMNS,
        build=_incident,
        zone=zone,
        max_bytes=max_bytes,
        max_rows=max_rows,
    )


def _incident(row: Row) -> Incident | None:
    incident_id = row.text("incident_id")
    if incident_id and (earlier := row.first_seen("incident_id", incident_id)):
        row.problem("incident_id", f"{incident_id!r} is already on {earlier}; ids must be unique")
    service = row.text("service")
    severity = row.text("severity")
    started_at = row.time("started_at")
    acknowledged_at = row.time("acknowledged_at")
    resolved_at = row.time("resolved_at")
    row.not_before("acknowledged_at", acknowledged_at, "started_at", started_at)
    row.not_before("resolved_at", resolved_at, "started_at", started_at)
    cause_deployment = row.text("cause_deployment") or None
    cause_commit = commit_sha(row, "cause_commit")
    if started_at is None:
        return None
    return Incident(
        incident_id=incident_id,
        service=service,
        severity=severity,
        started_at=started_at,
        acknowledged_at=acknowledged_at,
        resolved_at=resolved_at,
        cause_deployment=cause_deployment,
        cause_commit=cause_commit,
    )
