"""Engineering records posted by tools: deployment events from a delivery pipeline."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Response, status
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from quarterdeck.domain.engineering import Deployment, DeploymentSource, DeploymentStatus
from quarterdeck.services import engineering
from quarterdeck.web.policies import WriterDep

router = APIRouter(prefix="/workspaces/{workspace}", tags=["engineering data"])

Name = Annotated[str, Field(min_length=1, max_length=120, pattern=r"^\S(.*\S)?$")]


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
