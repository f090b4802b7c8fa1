"""Taking in engineering records for the scorecard: deployment events, and (through the
connectors) git history, incidents, scans, tickets and costs. Each intake is idempotent
and leaves one audit row saying what it took."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from quarterdeck.domain.access import Actor, Permission
from quarterdeck.domain.engineering import Deployment
from quarterdeck.services import audit
from quarterdeck.services.access import authorize
from quarterdeck.storage import UnitOfWork

__all__ = ["Intake", "record_deployments"]


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
    return intake
