"""The routes of the role catalog, advisor and set-up pages, the policy each must have,
and a realistic request for each (see tests/api/routes.py)."""

from __future__ import annotations

from tests.api.routes import Route

ROUTES: tuple[Route, ...] = ()
