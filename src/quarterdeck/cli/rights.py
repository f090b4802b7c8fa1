"""rights show|set|apply-template|assign: the rights matrix and who holds which role; the
rule, area and role subcommands are in rights_parts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from quarterdeck.cli import rights_parts
from quarterdeck.cli.routing import condition, rights_view, role_label
from quarterdeck.cli.session import JsonFlag, WorkspaceArg, cli_state, emit_json, fail, say, table

if TYPE_CHECKING:
    from quarterdeck.domain.rights import Involvement
    from quarterdeck.services.rights import RightsView

__all__ = ["register"]

rights_app = typer.Typer(
    help="Decision rights: who decides what, and what escalates to whom.", no_args_is_help=True
)

AreaArg = Annotated[
    str, typer.Argument(help="Decision area key, e.g. architecture.", metavar="AREA")
]
YesFlag = Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")]

rights_parts.register(rights_app)


def register(app: typer.Typer) -> None:
    app.add_typer(rights_app, name="rights")


# -- reading -------------------------------------------------------------------------------


@rights_app.command("show")
def show(ctx: typer.Context, workspace: WorkspaceArg, as_json: JsonFlag = False) -> None:
    """The rights matrix, the guardrails, and who holds which leadership role."""
    state = cli_state(ctx)
    view = state.run(lambda uow: rights_view(uow, state, workspace), write=False)
    if as_json:
        emit_json(_rights_json(view))
        return
    rights = view.rights
    taking_part = [role for role in view.roles if role.key in rights.matrix.roles]
    edited = "not edited yet" if rights.version == 0 else f"version {rights.version}"
    table(
        f"Decision rights of {workspace} ({rights.template.label} template, {edited})",
        ["Area", *(role.name for role in taking_part)],
        [
            (area.name, *(_cell(rights.matrix.involvement(area.key, r.key)) for r in taking_part))
            for area in view.areas
        ],
    )
    table(
        "Guardrails (checked in order; the first that fires picks the approver)",
        ["#", "Name", "When", "Goes to"],
        [
            (index, rule.name, condition(view, rule), role_label(view, rule.route_to))
            for index, rule in enumerate(rights.rules, start=1)
        ],
    )
    seats = {*rights.matrix.roles, *(rule.route_to for rule in rights.rules)}
    table(
        "Who holds which role",
        ["Role", "Held by"],
        [
            (role.name, ", ".join(m.email for m in view.holders(role.key)) or None)
            for role in view.roles
            if role.key in seats or view.holders(role.key)
        ],
    )
    if view.unheld_owner_roles:
        names = ", ".join(view.role_name(key) for key in view.unheld_owner_roles)
        say(
            f"Roles that decide but nobody holds: {names}. Until someone does, any editor "
            "may decide what waits for them."
        )


def _cell(involvement: Involvement | None) -> str:
    return "" if involvement is None else involvement.value


def _rights_json(view: RightsView) -> dict[str, Any]:
    from quarterdeck.services.rights import document_of

    rights = view.rights
    document = document_of(rights)
    custom_areas = {area.key for area in rights.custom_areas}
    custom_roles = {role.key for role in rights.custom_roles}
    return {
        "workspace": view.workspace.slug,
        "template": rights.template.value,
        "version": rights.version,
        "updated_by": rights.updated_by,
        "areas": [
            {
                "key": a.key,
                "name": a.name,
                "description": a.description,
                "custom": a.key in custom_areas,
            }
            for a in view.areas
        ],
        "roles": [
            {
                "key": r.key,
                "name": r.name,
                "description": r.description,
                "custom": r.key in custom_roles,
                "holders": [m.email for m in view.holders(r.key)],
            }
            for r in view.roles
        ],
        "matrix": document["matrix"],
        "rules": document["rules"],
        "unheld_owner_roles": list(view.unheld_owner_roles),
    }


# -- changing ------------------------------------------------------------------------------


@rights_app.command("set")
def set_cells(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    area: AreaArg,
    cells: Annotated[
        list[str],
        typer.Argument(
            help="How a role takes part: owns, co-owns, influences, consulted, informed, or "
            "none to take it out. Give several to move ownership in one step.",
            metavar="ROLE=INVOLVEMENT",
        ),
    ],
) -> None:
    """Set how roles take part in one area's decisions, all in one valid step."""
    from quarterdeck.services import rights

    state = cli_state(ctx)
    wanted = _parse_cells(cells)

    def work(uow: Any) -> RightsView:
        rights.set_cells(uow, actor=state.operator, workspace=workspace, area=area, cells=wanted)
        return rights_view(uow, state, workspace)

    view = state.run(work, write=True)
    row = view.rights.matrix.as_mapping().get(area, {})
    parts = ", ".join(f"{view.role_name(role)} {inv.value}" for role, inv in row.items())
    say(f"{view.area_name(area)} in {workspace}: {parts} (rights version {view.rights.version}).")


def _parse_cells(pairs: list[str]) -> dict[str, Involvement | None]:
    from quarterdeck.domain.errors import InvalidInput
    from quarterdeck.domain.rights import parse_involvement

    cells: dict[str, Involvement | None] = {}
    for pair in pairs:
        role, sep, value = pair.partition("=")
        role = role.strip().lower()
        if not sep or not role:
            fail(f"{pair!r} must be ROLE=INVOLVEMENT, e.g. cto=owns or cpo=none")
        if role in cells:
            fail(f"role {role!r} is given twice")
        try:
            cells[role] = parse_involvement(value)
        except InvalidInput as exc:
            fail(f"{role}: {exc.message}")
    return cells


@rights_app.command("apply-template")
def apply_template(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    model: Annotated[
        str | None,
        typer.Argument(
            help="cto-cpo, cpto, fractional-cto, interim-cto or it-manager-cio; "
            "the workspace profile's leadership model when left out.",
            metavar="MODEL",
            show_default=False,
        ),
    ] = None,
    yes: YesFlag = False,
) -> None:
    """Reset the catalog areas and the guardrails from a leadership model's template;
    custom areas and roles are kept."""
    from quarterdeck.domain.errors import InvalidInput
    from quarterdeck.services import rights

    state = cli_state(ctx)
    try:
        chosen = None if model is None else rights.parse_model(model)
    except InvalidInput as exc:
        fail(exc.message)
    before = state.run(lambda uow: rights_view(uow, state, workspace), write=False)
    label = (chosen or before.workspace.profile.leadership_model).label
    if not yes and not typer.confirm(
        f"This resets the catalog areas and the guardrails of {workspace} to the {label} "
        "template. Continue?"
    ):
        say("Nothing was changed.")
        raise typer.Exit(1)
    after = state.run(
        lambda uow: rights.apply_template(
            uow,
            actor=state.operator,
            workspace=workspace,
            model=chosen,
            expected_version=before.rights.version,
        ),
        write=True,
    )
    say(
        f"Applied the {label} template to {workspace}: {len(after.matrix.areas)} areas, "
        f"{len(after.rules)} guardrails (rights version {after.version})."
    )


@rights_app.command("assign")
def assign(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    email: Annotated[str, typer.Argument(help="Email of a member.", metavar="EMAIL")],
    roles: Annotated[
        list[str] | None, typer.Argument(help="Role keys, e.g. cto team-lead.", metavar="ROLE")
    ] = None,
    none: Annotated[bool, typer.Option("--none", help="Take every leadership role away.")] = False,
) -> None:
    """Give a member exactly these leadership roles (replacing the ones they had)."""
    from quarterdeck.services import rights

    state = cli_state(ctx)
    if none and roles:
        fail("give roles or --none, not both")
    if not none and not roles:
        fail("name the roles to give, or --none to take them all away")

    def work(uow: Any) -> str:
        member = rights.assign(
            uow, actor=state.operator, workspace=workspace, email=email, roles=roles or []
        )
        view = rights_view(uow, state, workspace)
        return ", ".join(view.role_name(role) for role in member.leadership_roles)

    held = state.run(work, write=True)
    say(f"{email} holds {held or 'no leadership role'} in {workspace}.")
