"""The application factory: one FastAPI app serving the UI and the JSON API."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.staticfiles import StaticFiles

from quarterdeck import __version__
from quarterdeck.settings import Settings
from quarterdeck.storage import Database, make_engine
from quarterdeck.web import api, ui
from quarterdeck.web.errors import CatchAllMiddleware, install_error_handlers
from quarterdeck.web.policies import POLICIES
from quarterdeck.web.security import SecurityHeadersMiddleware

__all__ = ["create_app", "routes_without_policy"]


def create_app(settings: Settings, *, database: Database | None = None) -> FastAPI:
    """Build the app for `settings`; the engine is created here, never at import time.

    Raises RuntimeError if any route lacks an explicit policy (deny by default).
    """
    app = FastAPI(
        title="Quarterdeck",
        version=__version__,
        summary="The operating system for technology leadership.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.database = database or Database(make_engine(settings.database_url))
    install_error_handlers(app)
    app.include_router(api.router, prefix="/api/v1")
    app.include_router(ui.router)
    app.mount(
        "/static", StaticFiles(directory=Path(__file__).parent / "ui" / "static"), name="static"
    )
    app.add_middleware(CatchAllMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    missing = routes_without_policy(app)
    if missing:
        raise RuntimeError(f"routes without an explicit policy: {', '.join(missing)}")
    return app


def routes_without_policy(app: FastAPI) -> list[str]:
    """Every API route whose dependency tree includes none of the declared policies."""
    missing = []
    # Included routers are resolved lazily; their route contexts carry the effective path and
    # the dependencies added by every enclosing router.
    for route in iter_route_contexts(app.routes):
        if not isinstance(route.original_route, APIRoute):
            continue
        calls = set()
        stack = [route.dependant]
        while stack:
            dependant = stack.pop()
            calls.add(dependant.call)
            stack.extend(dependant.dependencies)
        if not calls & POLICIES:
            missing.append(f"{','.join(sorted(route.methods or ()))} {route.path}")
    return missing
