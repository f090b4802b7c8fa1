"""Jinja2 environment and the page renderer shared by every UI route."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from quarterdeck.web.policies import WorkspaceContext

__all__ = ["PageError", "render", "templates", "workspace_page"]

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def _local(moment: datetime | None, time_zone: str = "UTC") -> str:
    """A stored UTC time shown in the workspace's time zone."""
    if moment is None:
        return "—"
    return moment.astimezone(ZoneInfo(time_zone)).strftime("%Y-%m-%d %H:%M %Z")


def _age(elapsed: timedelta) -> str:
    """How long something has waited, to the hour: '3 d 4 h', '5 h', 'under an hour'."""
    hours = int(elapsed.total_seconds() // 3600)
    if hours < 1:
        return "under an hour"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if days else f"{hours} h"


templates.env.filters["local"] = _local
templates.env.filters["age"] = _age


def render(
    request: Request, template: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    return templates.TemplateResponse(request, template, context, status_code=status_code)


class PageError(Exception):
    """A form to show again with its error. Raised, so the request's transaction rolls back."""

    def __init__(self, template: str, context: dict[str, Any], *, status_code: int) -> None:
        super().__init__(template)
        self.template = template
        self.context = context
        self.status_code = status_code


def workspace_page(ctx: WorkspaceContext, **extra: object) -> dict[str, object]:
    """What every page inside a workspace needs: who, where, with which rights, the CSRF token."""
    return {
        "actor": ctx.actor,
        "csrf_token": ctx.csrf_token,
        "workspace": ctx.access.workspace,
        "access": ctx.access,
        **extra,
    }
