"""Server-rendered pages; they work without JavaScript."""

from fastapi import APIRouter

from quarterdeck.web.ui import account, admin, auth, decisions, pages, rights

router = APIRouter(include_in_schema=False)
router.include_router(auth.router)
router.include_router(pages.router)
router.include_router(admin.router)
router.include_router(decisions.router)
router.include_router(account.router)
router.include_router(rights.router)

__all__ = ["router"]
