"""Reading deployment events from a CSV or JSON export (a CI pipeline's log, a deploy
tool's history): one row per deployment that finished, successfully or not.

Rows may share a deployment id (a retried or re-reported deployment): all are kept, and
the metrics count them once at their latest finish time (DOMAIN.md section 8).
"""

from __future__ import annotations

import re

from quarterdeck.domain.engineering import Deployment, DeploymentSource, DeploymentStatus
from quarterdeck.ingest.cells import Row, clip
from quarterdeck.ingest.tabular import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    Column,
    Layout,
    ParseReport,
    parse_table,
)

__all__ = ["DEPLOYMENT_COLUMNS", "STATUS_WORDS", "commit_sha", "parse_deployments"]

DEPLOYMENT_COLUMNS = Layout(
    "deployments",
    (
        Column("deployment_id", ("id", "deploy_id"), required=True),
        Column("service", ("app", "application", "component"), required=True),
        Column("environment", ("env", "stage"), required=True),
        Column("commit", ("commit_sha", "sha", "revision", "git_sha"), required=False),
        Column(
            "finished_at",
            ("finished", "finish_time", "completed_at", "deployed_at"),
            required=True,
        ),
        Column("status", ("result", "outcome", "state"), required=True),
    ),
)

STATUS_WORDS = {
    **dict.fromkeys(
        ("success", "succeeded", "successful", "ok", "passed", "deployed"),
        DeploymentStatus.SUCCESS,
    ),
    **dict.fromkeys(("failure", "failed", "fail", "error", "errored"), DeploymentStatus.FAILURE),
}
_SHA = re.compile(r"[0-9a-f]{7,40}|[0-9a-f]{64}", re.IGNORECASE)


def parse_deployments(
    data: bytes,
    *,
    source: str,
    zone: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
) -> ParseReport[Deployment]:
    """The deployments in a CSV or JSON file (see DEPLOYMENT_COLUMNS), with source IMPORT.

    Guarantees: every problem in the file is in the report, which then holds no records;
    the status is success or failure (or a word in STATUS_WORDS; anything else, such as a
    cancelled or running deployment, is a problem); the commit, when given, is a sha in
    lower case; finish times are UTC. A time without a zone is read in `zone` when given
    (the report notes it), else it is a problem. Raises InvalidInput only for an unknown
    `zone`."""
    return parse_table(
        data,
        source=source,
        layout=DEPLOYMENT_COLUMNS,
        build=_deployment,
        zone=zone,
        max_bytes=max_bytes,
        max_rows=max_rows,
    )


def commit_sha(row: Row, column: str) -> str | None:
    """The commit sha in `column`: 7 to 40 hexadecimal digits (64 for SHA-256), lower case."""
    value = row.cell(column)
    if value is None:
        return None
    if isinstance(value, str) and _SHA.fullmatch(value):
        return value.lower()
    row.problem(column, f"{clip(value)} is not a commit sha (7 to 40 or 64 hex digits)")
    return None


def _deployment(row: Row) -> Deployment | None:
    deployment_id = row.text("deployment_id")
    service = row.text("service")
    environment = row.text("environment")
    commit = commit_sha(row, "commit")
    finished_at = row.time("finished_at")
    status = _status(row)
    if finished_at is None or status is None:
        return None
    return Deployment(
        deployment_id=deployment_id,
        service=service,
        environment=environment,
        commit=commit,
        finished_at=finished_at,
        status=status,
        source=DeploymentSource.IMPORT,
    )


def _status(row: Row) -> DeploymentStatus | None:
    value = row.cell("status")
    if value is None:
        return None
    status = STATUS_WORDS.get(value.lower()) if isinstance(value, str) else None
    if status is None:
        row.problem(
            "status",
            f"{clip(value)} is not the status of a finished deployment; "
            "write success or failure (or succeeded, ok, failed, error)",
        )
    return status
