"""Reading the engineering events the scorecard is computed from (deployments, incidents,
service-desk tickets, monthly costs) out of exported CSV and JSON files.

Each reader takes the file's bytes and a name to report it by, and returns a ParseReport:
the records, or no records and every problem, as "FILE line N: column X: message". They
read only; the caller stores the records of a report that is `ok`, in one transaction.
"""

from __future__ import annotations

from quarterdeck.ingest.costs import COST_COLUMNS, parse_costs
from quarterdeck.ingest.deployments import DEPLOYMENT_COLUMNS, STATUS_WORDS, parse_deployments
from quarterdeck.ingest.incidents import INCIDENT_COLUMNS, parse_incidents
from quarterdeck.ingest.tabular import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    Column,
    Layout,
    ParseReport,
)
from quarterdeck.ingest.tickets import TICKET_COLUMNS, SlaTarget, parse_tickets

__all__ = [
    "COST_COLUMNS",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_ROWS",
    "DEPLOYMENT_COLUMNS",
    "INCIDENT_COLUMNS",
    "STATUS_WORDS",
    "TICKET_COLUMNS",
    "Column",
    "Layout",
    "ParseReport",
    "SlaTarget",
    "parse_costs",
    "parse_deployments",
    "parse_incidents",
    "parse_tickets",
]
