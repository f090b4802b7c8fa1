"""The JSON API under /api/v1."""

from fastapi import APIRouter

from quarterdeck.web.api import (
    access,
    advisor,
    assessments,
    decisions,
    docs,
    engagements,
    engineering,
    intake,
    leadership_catalog,
    planning,
    playbook_runs,
    portfolio,
    rights,
    scorecard,
    setups,
    workspaces,
)

router = APIRouter()
router.include_router(docs.router)
router.include_router(workspaces.router)
router.include_router(access.router)
router.include_router(decisions.router)
router.include_router(rights.router)
router.include_router(engineering.router)
router.include_router(scorecard.router)
router.include_router(portfolio.router)
router.include_router(intake.router)
router.include_router(planning.router)
router.include_router(leadership_catalog.router)
router.include_router(advisor.router)
router.include_router(setups.router)
router.include_router(playbook_runs.router)
router.include_router(engagements.router)
router.include_router(assessments.router)

__all__ = ["router"]
