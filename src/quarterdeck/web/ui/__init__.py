"""Server-rendered pages; they work without JavaScript."""

from fastapi import APIRouter

from quarterdeck.web.ui import (
    account,
    admin,
    advisor,
    assessments,
    auth,
    capacity,
    decisions,
    engagements,
    handover,
    intake,
    pages,
    planning,
    planning_settings,
    playbook_runs,
    rights,
    roadmap,
    roles,
    scorecard,
    scorecard_delivery,
    setup,
)

router = APIRouter(include_in_schema=False)
router.include_router(auth.router)
router.include_router(pages.router)
router.include_router(admin.router)
router.include_router(decisions.router)
router.include_router(account.router)
router.include_router(rights.router)
router.include_router(scorecard.router)
router.include_router(scorecard_delivery.router)
router.include_router(intake.router)
router.include_router(roadmap.router)
router.include_router(capacity.router)
router.include_router(planning_settings.router)
router.include_router(planning.router)
router.include_router(roles.router)
router.include_router(advisor.router)
router.include_router(setup.router)
router.include_router(playbook_runs.router)
router.include_router(handover.router)
router.include_router(engagements.router)
router.include_router(assessments.router)

__all__ = ["router"]
