"""The handover pack: what a leader leaving the seat leaves behind (open decisions, the
decision log, playbooks under way, the scorecard, who is who), read in the browser and
downloaded as Markdown. Members read it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from quarterdeck.services.handover import handover_pack
from quarterdeck.services.handover_markdown import handover_html, handover_markdown
from quarterdeck.web.policies import ReaderDep
from quarterdeck.web.ui.rendering import render, workspace_page

__all__ = ["router"]

router = APIRouter(prefix="/w/{workspace}")


@router.get("/handover", response_class=HTMLResponse, name="handover")
def show(request: Request, ctx: ReaderDep) -> Response:
    pack = handover_pack(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    # Marked safe only after handover_html has rendered and sanitized it.
    body = Markup(handover_html(pack))  # noqa: S704
    return render(request, "handover.html", workspace_page(ctx, pack=pack, body=body))


@router.get("/handover.md", name="handover_markdown")
def download(ctx: ReaderDep) -> Response:
    """The same pack as a Markdown file named after the workspace and the day."""
    pack = handover_pack(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    name = f"handover-{pack.workspace.slug}-{pack.on.isoformat()}.md"
    return Response(
        handover_markdown(pack),
        media_type="text/markdown; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
