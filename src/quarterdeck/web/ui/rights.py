"""The decision-rights page: the matrix of areas and leadership roles, the guardrails, the
workspace's own areas and roles, and who holds which role. Members read it; owners edit it.

Every form carries the version of the rights it was drawn from, so a stale form is refused
(409) rather than undoing someone else's change; a refused form shows the page as it now is
with the reason, and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from quarterdeck.domain.errors import InvalidInput, QuarterdeckError
from quarterdeck.domain.rights import (
    AREA_OWNER,
    Condition,
    EscalationRule,
    Involvement,
    parse_involvement,
)
from quarterdeck.domain.workspaces import LeadershipModel
from quarterdeck.services import rights
from quarterdeck.web.policies import AdminDep, ReaderDep, WorkspaceContext
from quarterdeck.web.statuses import status_for
from quarterdeck.web.ui.forms import form_fields
from quarterdeck.web.ui.rendering import PageError, render, workspace_page

__all__ = ["router"]

router = APIRouter(prefix="/w/{workspace}/rights")
FieldsDep = Annotated[dict[str, str], Depends(form_fields)]
MAX_RULES = 20  # rows the guardrail form accepts (the filled ones plus blank ones to add)


def _page(ctx: WorkspaceContext, **extra: object) -> dict[str, object]:
    view = rights.show(ctx.uow, actor=ctx.actor, workspace=ctx.slug)
    rules = list(view.rights.rules)
    return workspace_page(
        ctx,
        view=view,
        matrix=view.rights.matrix.as_mapping(),
        involvements=[i.value for i in Involvement],
        conditions=[c.value for c in Condition],
        area_owner=AREA_OWNER,
        rule_rows=[*rules, *([None] * max(2, min(MAX_RULES, len(rules) + 2) - len(rules)))],
        models=list(LeadershipModel),
        unheld=[view.role_name(role) for role in view.unheld_owner_roles],
        **extra,
    )


def _version(fields: dict[str, str]) -> int:
    raw = fields.get("version", "")
    if not raw.isdigit() or len(raw) > 9:
        raise InvalidInput("the form has no valid version; reload the page and try again")
    return int(raw)


def _apply(
    request: Request, ctx: WorkspaceContext, change: Callable[[], object], done: str
) -> Response:
    try:
        change()
    except QuarterdeckError as exc:
        message = exc.message
        if status_for(exc) == 409:
            message += ". Nothing was changed; the page now shows the current rights."
        page = _page(ctx, error=message)
        raise PageError("rights.html", page, status_code=status_for(exc)) from exc
    target = request.url_for("rights", workspace=ctx.slug).include_query_params(done=done)
    return RedirectResponse(target, status_code=303)


@router.get("", response_class=HTMLResponse, name="rights")
def show(request: Request, ctx: ReaderDep, done: str = "") -> Response:
    notices = {
        "matrix": "The matrix was saved.",
        "rules": "The guardrails were saved.",
        "template": "The template was applied.",
        "area": "The area was added.",
        "role": "The role was added.",
        "member": "The member's leadership roles were saved.",
    }
    return render(request, "rights.html", _page(ctx, notice=notices.get(done, "")))


@router.post("", name="save_rights_matrix")
def save_matrix(request: Request, ctx: AdminDep, fields: FieldsDep) -> Response:
    """The whole matrix from the grid (`cell:AREA:ROLE` = involvement or none), validated as
    one piece, so ownership can move between roles in a single save."""

    def change() -> object:
        cells: dict[str, dict[str, Involvement | None]] = {}
        for name, value in fields.items():
            if name.startswith("cell:"):
                _, area, role = [*name.split(":", 2), "", ""][:3]
                cells.setdefault(area, {})[role] = parse_involvement(value)
        if not cells:
            raise InvalidInput("the form holds no matrix cells")
        return rights.replace_rights(
            ctx.uow,
            actor=ctx.actor,
            workspace=ctx.slug,
            matrix=cells,
            expected_version=_version(fields),
        )

    return _apply(request, ctx, change, "matrix")


def _rules_from(fields: dict[str, str]) -> list[EscalationRule]:
    rules = []
    for index in range(MAX_RULES):
        name = fields.get(f"rule_{index}_name", "").strip()
        if not name:
            continue  # a blank row adds nothing; clearing a name removes that rule
        item: dict[str, object] = {
            "name": name,
            "when": fields.get(f"rule_{index}_when", ""),
            "route_to": fields.get(f"rule_{index}_route_to", ""),
        }
        parameter = fields.get(f"rule_{index}_parameter", "").strip()
        if item["when"] == Condition.SPEND_ABOVE.value:
            item["threshold"] = parameter
        elif item["when"] == Condition.AREA.value:
            item["area"] = parameter
        elif parameter:
            raise InvalidInput(f"rule {name!r}: {item['when']} takes no threshold or area")
        rules.append(rights.parse_rule(item))
    return rules


@router.post("/rules", name="save_rights_rules")
def save_rules(request: Request, ctx: AdminDep, fields: FieldsDep) -> Response:
    def change() -> object:
        return rights.set_rules(
            ctx.uow,
            actor=ctx.actor,
            workspace=ctx.slug,
            rules=_rules_from(fields),
            expected_version=_version(fields),
        )

    return _apply(request, ctx, change, "rules")


@router.post("/template", name="apply_rights_template")
def apply_template(request: Request, ctx: AdminDep, fields: FieldsDep) -> Response:
    def change() -> object:
        return rights.apply_template(
            ctx.uow,
            actor=ctx.actor,
            workspace=ctx.slug,
            model=rights.parse_model(fields.get("model", "")),
            expected_version=_version(fields),
        )

    return _apply(request, ctx, change, "template")


@router.post("/areas", name="add_rights_area")
def add_area(request: Request, ctx: AdminDep, fields: FieldsDep) -> Response:
    def change() -> object:
        return rights.add_area(
            ctx.uow,
            actor=ctx.actor,
            workspace=ctx.slug,
            key=fields.get("key", "").strip(),
            name=fields.get("name", ""),
            owner=fields.get("owner", ""),
            description=fields.get("description", ""),
            expected_version=_version(fields),
        )

    return _apply(request, ctx, change, "area")


@router.post("/roles", name="add_rights_role")
def add_role(request: Request, ctx: AdminDep, fields: FieldsDep) -> Response:
    def change() -> object:
        return rights.add_role(
            ctx.uow,
            actor=ctx.actor,
            workspace=ctx.slug,
            key=fields.get("key", "").strip(),
            name=fields.get("name", ""),
            description=fields.get("description", ""),
            expected_version=_version(fields),
        )

    return _apply(request, ctx, change, "role")


@router.post("/members", name="assign_leadership_roles")
def assign(request: Request, ctx: AdminDep, fields: FieldsDep) -> Response:
    """Give one member exactly the roles ticked (`role:KEY` = yes)."""

    def change() -> object:
        email = fields.get("email", "")
        if not email:
            raise InvalidInput("choose a member")
        chosen = [
            name.removeprefix("role:")
            for name, v in fields.items()
            if name.startswith("role:") and v == "yes"
        ]
        return rights.assign(
            ctx.uow, actor=ctx.actor, workspace=ctx.slug, email=email, roles=chosen
        )

    return _apply(request, ctx, change, "member")
