"""Engineering records sent by tools: deployment events from a delivery pipeline, and
exported files (deployments, incidents, tickets, costs, scanner reports) that scripts push.
Write tokens may use every route here.

A file is the request body itself (CSV or JSON), named by `?source=`; it is read before
the transaction opens and refused past the import size limit. A malformed file answers 422
naming the file and line, and nothing of it is stored; sending the same file again adds
nothing twice.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response, status
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from quarterdeck.domain.engineering import Deployment, DeploymentSource, DeploymentStatus
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.ingest.limits import too_large
from quarterdeck.ingest.scans import ScanKind
from quarterdeck.services import engineering
from quarterdeck.web.policies import WriterDep, get_settings

__all__ = [
    "FileBody",
    "FileIntakeOut",
    "ImportLimit",
    "SourceName",
    "file_request",
    "import_limit",
    "router",
    "upload_body",
]

router = APIRouter(prefix="/workspaces/{workspace}", tags=["engineering data"])

Name = Annotated[str, Field(min_length=1, max_length=120, pattern=r"^\S(.*\S)?$")]
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


class DeploymentIn(BaseModel):
    """One deployment as a pipeline reports it when it finishes."""

    model_config = ConfigDict(extra="forbid")

    deployment_id: Annotated[str, Field(min_length=1, max_length=200)]
    service: Name
    environment: Annotated[str, Field(min_length=1, max_length=64)] = "production"
    commit: Annotated[
        str | None,
        Field(pattern=r"^(?:[0-9a-f]{7,40}|[0-9a-f]{64})$", description="The deployed sha."),
    ] = None
    finished_at: Annotated[AwareDatetime, Field(description="With a UTC offset or Z.")]
    status: DeploymentStatus = DeploymentStatus.SUCCESS

    def to_deployment(self) -> Deployment:
        return Deployment(
            deployment_id=self.deployment_id,
            service=self.service,
            environment=self.environment,
            commit=self.commit,
            finished_at=self.finished_at,
            status=self.status,
            source=DeploymentSource.EVENT,
        )


class IntakeOut(BaseModel):
    added: int
    already_known: int


@router.post(
    "/deployments",
    name="api_record_deployment",
    status_code=status.HTTP_201_CREATED,
    responses={200: {"description": "The same event was already recorded; nothing changed."}},
)
def record_deployment(ctx: WriterDep, body: DeploymentIn, response: Response) -> IntakeOut:
    """Record a deployment event (use a write token from the pipeline). Posting the same
    event again is harmless: it is recorded once and the answer is 200."""
    intake = engineering.record_deployments(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        deployments=[body.to_deployment()],
        origin="api",
    )
    if not intake.added:
        response.status_code = status.HTTP_200_OK
    return IntakeOut(added=intake.added, already_known=intake.unchanged)


# -- files ---------------------------------------------------------------------------------


def import_limit(request: Request) -> int:
    """The import size limit the operator configured (QUARTERDECK_IMPORT_MAX_BYTES)."""
    return get_settings(request).import_max_bytes


ImportLimit = Annotated[int, Depends(import_limit)]


async def upload_body(request: Request, limit: ImportLimit) -> bytes:
    """The request body as an uploaded file, refused (422) beyond the import size limit
    without reading the rest, and refused when it was sent as a form."""
    if request.headers.get("content-type", "").lower().startswith(_FORMS):
        raise InvalidInput(
            "send the file itself as the request body (Content-Type text/csv or "
            "application/json), not as a form"
        )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise InvalidInput(too_large(_named(request), size=int(declared), max_bytes=limit))
    received = bytearray()
    async for chunk in request.stream():
        received += chunk
        if len(received) > limit:  # sent in chunks, or a length that understated it
            raise InvalidInput(too_large(_named(request), size=None, max_bytes=limit))
    return bytes(received)


def _named(request: Request) -> str:
    # `source` is not validated yet when the body is read: named only when it passes.
    source = request.query_params.get("source", "")
    return source if source.isprintable() and 0 < len(source) <= 200 else "the file"


# Declared first in a route, so that the body is read before the transaction opens.
FileBody = Annotated[bytes, Depends(upload_body)]
SourceName = Annotated[
    str,
    Query(
        min_length=1,
        max_length=200,
        pattern=r"^[^\x00-\x1f\x7f]+$",
        description="The file's name: messages and the audit log name it so.",
    ),
]
AssumeZone = Annotated[
    bool,
    Query(
        description="Read times without a zone in the workspace's time zone (the answer's "
        "notes say so); otherwise they are refused."
    ),
]


def file_request(columns: str) -> dict[str, Any]:
    """The OpenAPI request body of a route taking a file as its body."""
    return {
        "requestBody": {
            "required": True,
            "description": f"The file itself, CSV or JSON. {columns}",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/json": {"schema": {"type": "object"}},
            },
        }
    }


class FileIntakeOut(BaseModel):
    kind: str
    source: str
    rows: int = Field(description="Rows (findings, for a scan) read from the file.")
    added: int
    updated: int = Field(description="Records already known, changed to the file's state.")
    unchanged: int = Field(description="Records already known exactly so.")
    notes: list[str] = Field(description="Choices made on the file's behalf.")

    @classmethod
    def of(cls, intake: engineering.FileIntake) -> FileIntakeOut:
        return cls(
            kind=intake.kind,
            source=intake.source,
            rows=intake.rows,
            added=intake.intake.added,
            updated=intake.intake.updated,
            unchanged=intake.intake.unchanged,
            notes=list(intake.notes),
        )


@router.post(
    "/deployments/import",
    name="api_import_deployments",
    openapi_extra=file_request(
        "Columns: deployment_id, service, environment, commit, finished_at, status."
    ),
)
def import_deployments(
    data: FileBody,
    source: SourceName,
    ctx: WriterDep,
    limit: ImportLimit,
    assume_workspace_zone: AssumeZone = False,
) -> FileIntakeOut:
    """Import deployment events; events already recorded are skipped."""
    intake = engineering.import_deployments(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        data=data,
        source=source,
        assume_workspace_zone=assume_workspace_zone,
        max_bytes=limit,
    )
    return FileIntakeOut.of(intake)


@router.post(
    "/incidents/import",
    name="api_import_incidents",
    openapi_extra=file_request(
        "An incident export: id, service, started, acknowledged, resolved, "
        "and the causing deployment or commit when known."
    ),
)
def import_incidents(
    data: FileBody,
    source: SourceName,
    ctx: WriterDep,
    limit: ImportLimit,
    assume_workspace_zone: AssumeZone = False,
) -> FileIntakeOut:
    """Import an incident export; incidents already known are updated to the file's state."""
    intake = engineering.import_incidents(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        data=data,
        source=source,
        assume_workspace_zone=assume_workspace_zone,
        max_bytes=limit,
    )
    return FileIntakeOut.of(intake)


@router.post(
    "/tickets/import",
    name="api_import_tickets",
    openapi_extra=file_request(
        "A service-desk export: ticket id, priority, opened, first "
        "response, resolved, and optionally targets, reopened, satisfaction, contacts."
    ),
)
def import_tickets(
    data: FileBody,
    source: SourceName,
    ctx: WriterDep,
    limit: ImportLimit,
    assume_workspace_zone: AssumeZone = False,
) -> FileIntakeOut:
    """Import a service-desk export; tickets already known are updated to the file's state."""
    intake = engineering.import_tickets(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        data=data,
        source=source,
        assume_workspace_zone=assume_workspace_zone,
        max_bytes=limit,
    )
    return FileIntakeOut.of(intake)


@router.post(
    "/costs/import",
    name="api_import_costs",
    openapi_extra=file_request(
        "One row per month and category: month, category, cost, and "
        "optionally forecast, customers, transactions, currency."
    ),
)
def import_costs(
    data: FileBody, source: SourceName, ctx: WriterDep, limit: ImportLimit
) -> FileIntakeOut:
    """Import cost lines; a month and category already known is updated."""
    intake = engineering.import_costs(
        ctx.uow, actor=ctx.actor, workspace=ctx.slug, data=data, source=source, max_bytes=limit
    )
    return FileIntakeOut.of(intake)


@router.post(
    "/scans",
    name="api_import_scan",
    openapi_extra=file_request("SARIF 2.1.0, or the JSON report of Trivy, Grype or pip-audit."),
)
def import_scan(
    data: FileBody,
    source: SourceName,
    ctx: WriterDep,
    limit: ImportLimit,
    kind: Annotated[ScanKind | None, Query(description="Default: detected.")] = None,
    target: Annotated[
        str | None,
        Query(
            min_length=1,
            max_length=500,
            description="What was scanned (repository, image, project); needed when the "
            "file does not say.",
        ),
    ] = None,
) -> FileIntakeOut:
    """Import one scanner report; the findings of its target are tracked from scan to scan.
    The same file twice is recognised and adds nothing."""
    intake = engineering.import_scan(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        data=data,
        source=source,
        kind=None if kind is None else kind.value,
        target=target,
        max_bytes=limit,
    )
    return FileIntakeOut.of(intake)
