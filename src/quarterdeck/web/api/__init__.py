"""The JSON API under /api/v1."""

from fastapi import APIRouter

from quarterdeck.web.api import (
    access,
    decisions,
    docs,
    engineering,
    intake,
    planning,
    portfolio,
    rights,
    scorecard,
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

__all__ = ["router"]
