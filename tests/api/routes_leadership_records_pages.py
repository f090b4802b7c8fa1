"""The routes of the playbook, handover, engagement and assessment pages, the policy each must have,
and a realistic request for each (see tests/api/routes.py)."""

from __future__ import annotations

from tests.api.routes import Route

ROUTES: tuple[Route, ...] = ()
