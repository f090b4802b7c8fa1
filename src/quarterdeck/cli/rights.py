"""rights show|set|apply-template|assign, rights rule add|remove, rights area add,
rights role add; and how a decision's routing reads, for the `decision` commands."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Annotated, Any

import typer

from quarterdeck.cli.session import JsonFlag, WorkspaceArg, cli_state, emit_json, fail, say, table

if TYPE_CHECKING:
    from quarterdeck.domain.bottlenecks import DelegationHint, LatencySummary
    from quarterdeck.domain.decisions import Decision, RoutingNote
    from quarterdeck.domain.rights import EscalationRule, Involvement
    from quarterdeck.services.rights import RightsView

__all__ = [
    "age",
    "hint_json",
    "hint_message",
    "latency_line",
    "reason",
    "reasons",
    "register",
    "role_label",
    "routing_json",
    "routing_rows",
    "whereabouts",
]

rights_app = typer.Typer(
    help="Decision rights: who decides what, and what escalates to whom.", no_args_is_help=True
)
rule_app = typer.Typer(
    help="Guardrails: when a decision leaves its proposer's hands, and who approves it.",
    no_args_is_help=True,
)
area_app = typer.Typer(help="The workspace's own decision areas.", no_args_is_help=True)
role_app = typer.Typer(help="The workspace's own leadership roles.", no_args_is_help=True)

AreaArg = Annotated[
    str, typer.Argument(help="Decision area key, e.g. architecture.", metavar="AREA")
]
KeyArg = Annotated[
    str, typer.Argument(help="Key: lower-case words joined by hyphens.", metavar="KEY")
]
NameArg = Annotated[str, typer.Argument(help="The name people read.", metavar="NAME")]
DescriptionOption = Annotated[str, typer.Option(help="One or two sentences.")]
YesFlag = Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")]


rights_app.add_typer(rule_app, name="rule")
rights_app.add_typer(area_app, name="area")
rights_app.add_typer(role_app, name="role")


def register(app: typer.Typer) -> None:
    app.add_typer(rights_app, name="rights")


def _view(uow: Any, ctx: typer.Context, workspace: str) -> RightsView:
    from quarterdeck.services import rights

    return rights.show(uow, actor=cli_state(ctx).operator, workspace=workspace)


# -- reading -------------------------------------------------------------------------------


@rights_app.command("show")
def show(ctx: typer.Context, workspace: WorkspaceArg, as_json: JsonFlag = False) -> None:
    """The rights matrix, the guardrails, and who holds which leadership role."""
    state = cli_state(ctx)
    view = state.run(lambda uow: _view(uow, ctx, workspace), write=False)
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
            (index, rule.name, _condition(view, rule), role_label(view, rule.route_to))
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


def _condition(view: RightsView, rule: EscalationRule) -> str:
    from quarterdeck.domain.rights import Condition

    if rule.condition is Condition.SPEND_ABOVE:
        return f"spend above {rule.parameter:,}"
    if rule.condition is Condition.AREA:
        return f"area is {view.area_name(str(rule.parameter))}"
    return rule.condition.value


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
        return _view(uow, ctx, workspace)

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
    before = state.run(lambda uow: _view(uow, ctx, workspace), write=False)
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


@rule_app.command("add")
def rule_add(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    name: Annotated[str, typer.Argument(help="What people call the rule.", metavar="NAME")],
    when: Annotated[
        str,
        typer.Option(
            help="cross-team, spend-above, security-exception, one-way-door or area.",
            show_default=False,
        ),
    ],
    route_to: Annotated[
        str,
        typer.Option(
            help="Role key that approves, or area-owner for the owner of the decision's area.",
            show_default=False,
        ),
    ],
    threshold: Annotated[
        str | None, typer.Option(help="For spend-above: the amount it must exceed.")
    ] = None,
    area: Annotated[str | None, typer.Option(help="For area: the area key.")] = None,
) -> None:
    """Add a guardrail; it is checked after the existing ones."""
    from quarterdeck.domain.errors import InvalidInput
    from quarterdeck.domain.rights import Condition
    from quarterdeck.services import rights

    state = cli_state(ctx)
    if when.strip().lower() == Condition.SPEND_ABOVE and threshold is None:
        fail("--when spend-above needs --threshold AMOUNT")
    if when.strip().lower() == Condition.AREA and area is None:
        fail("--when area needs --area AREA")
    item: dict[str, str] = {"name": name, "when": when.strip().lower(), "route_to": route_to}
    item |= {"threshold": threshold} if threshold is not None else {}
    item |= {"area": area} if area is not None else {}
    try:
        rule = rights.parse_rule(item)
    except InvalidInput as exc:
        fail(exc.message)
    spend, by_area = rule.condition is Condition.SPEND_ABOVE, rule.condition is Condition.AREA
    if threshold is not None and not spend:
        fail("--threshold goes with --when spend-above")
    if area is not None and not by_area:
        fail("--area goes with --when area")

    def work(uow: Any) -> RightsView:
        current = _view(uow, ctx, workspace).rights
        if any(r.name.lower() == rule.name.lower() for r in current.rules):
            raise InvalidInput(f"{workspace} already has a guardrail named {rule.name!r}")
        rights.set_rules(
            uow,
            actor=state.operator,
            workspace=workspace,
            rules=[*current.rules, rule],
            expected_version=current.version,
        )
        return _view(uow, ctx, workspace)

    view = state.run(work, write=True)
    say(
        f"Added guardrail {rule.name!r} to {workspace}: when {_condition(view, rule)}, "
        f"the decision goes to {role_label(view, rule.route_to)}."
    )


@rule_app.command("remove")
def rule_remove(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    name: Annotated[str, typer.Argument(help="The rule's name.", metavar="NAME")],
) -> None:
    """Remove a guardrail; decisions already waiting stay where they are."""
    from quarterdeck.domain.errors import NotFound
    from quarterdeck.services import rights

    state = cli_state(ctx)

    def work(uow: Any) -> str:
        current = _view(uow, ctx, workspace).rights
        kept = [r for r in current.rules if r.name.lower() != name.strip().lower()]
        removed = [r.name for r in current.rules if r not in kept]
        if not removed:
            known = ", ".join(repr(r.name) for r in current.rules) or "none"
            raise NotFound(f"{workspace} has no guardrail named {name!r}; guardrails: {known}")
        rights.set_rules(
            uow,
            actor=state.operator,
            workspace=workspace,
            rules=kept,
            expected_version=current.version,
        )
        return removed[0]

    removed = state.run(work, write=True)
    say(f"Removed guardrail {removed!r} from {workspace}.")


@area_app.command("add")
def area_add(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    key: KeyArg,
    name: NameArg,
    owner: Annotated[
        str, typer.Option(help="Role key that owns the area's decisions.", show_default=False)
    ],
    description: DescriptionOption = "",
) -> None:
    """Add a decision area of the workspace's own, with the role that owns it."""
    from quarterdeck.services import rights

    state = cli_state(ctx)

    def work(uow: Any) -> RightsView:
        rights.add_area(
            uow,
            actor=state.operator,
            workspace=workspace,
            key=key,
            name=name,
            owner=owner,
            description=description,
        )
        return _view(uow, ctx, workspace)

    view = state.run(work, write=True)
    owned_by = view.role_name(owner)
    say(f"Added area {key} ({view.area_name(key)}) to {workspace}, owned by {owned_by}.")


@role_app.command("add")
def role_add(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    key: KeyArg,
    name: NameArg,
    description: DescriptionOption = "",
) -> None:
    """Add a leadership role of the workspace's own (a seat in the matrix)."""
    from quarterdeck.services import rights

    state = cli_state(ctx)
    state.run(
        lambda uow: rights.add_role(
            uow,
            actor=state.operator,
            workspace=workspace,
            key=key,
            name=name,
            description=description,
        ),
        write=True,
    )
    say(f"Added role {key} to {workspace}; give it a part with `quarterdeck rights set`.")


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
        view = _view(uow, ctx, workspace)
        return ", ".join(view.role_name(role) for role in member.leadership_roles)

    held = state.run(work, write=True)
    say(f"{email} holds {held or 'no leadership role'} in {workspace}.")


# -- a decision's routing, as the `decision` commands show it ------------------------------


def role_label(view: RightsView, key: str) -> str:
    """A role's name; the owner of the decision's area for the area-owner placeholder."""
    from quarterdeck.domain.rights import AREA_OWNER

    return "the owner of the decision's area" if key == AREA_OWNER else view.role_name(key)


def routing_json(decision: Decision, view: RightsView) -> dict[str, Any]:
    """Where decision rights sent a decision and why, and who decided it, as plain data."""
    return {
        "proposed_by": decision.proposed_by,
        "awaiting": decision.awaiting,
        "awaiting_name": None if decision.awaiting is None else view.role_name(decision.awaiting),
        "escalations": [
            {
                "rule": note.rule or None,
                "route_to": note.route_to,
                "route_to_name": view.role_name(note.route_to),
                "reason": note.reason,
            }
            for note in decision.escalations
        ],
        "decided_by": decision.decided_by,
        "decided_as": decision.decided_as,
    }


def routing_rows(decision: Decision, view: RightsView) -> list[tuple[str, str]]:
    """(field, value) rows for `decision show`."""
    rows = [("proposed by", decision.proposed_by)] if decision.proposed_by else []
    if decision.awaiting is not None:
        rows.append(("waiting for", f"{view.role_name(decision.awaiting)} ({decision.awaiting})"))
    for note in decision.escalations:
        why = reason(note) if not note.rule else f"{note.rule}: {reason(note)}"
        rows.append(("escalated", f"{why} (to {view.role_name(note.route_to)})"))
    if decision.decided_by:
        rows.append(("decided by", f"{decision.decided_by} ({decision.decided_as})"))
    return rows


def whereabouts(decision: Decision, view: RightsView) -> str:
    """Where a decision went, in one sentence: decided, waiting, or with its proposer."""
    from quarterdeck.domain.decisions import DecisionStatus

    if decision.awaiting is not None:
        approver = view.role_name(decision.awaiting)
        return f"{decision.key} waits for the {approver}'s approval: {reasons(decision)}."
    if decision.status is not DecisionStatus.PROPOSED:
        return (
            f"{decision.key} was {decision.status.value} by {decision.decided_by} "
            f"({decision.decided_as})."
        )
    return (
        f"{decision.key} is inside the proposer's decision rights; accept it with "
        f"`quarterdeck decision accept {view.workspace.slug} {decision.key}`."
    )


def reason(note: RoutingNote) -> str:
    """Why a decision went up, read by anyone (the domain words it for the proposer)."""
    from quarterdeck.domain.rights import OUTSIDE_RIGHTS

    return (
        "outside the proposer's decision rights" if note.reason == OUTSIDE_RIGHTS else note.reason
    )


def reasons(decision: Decision) -> str:
    return "; ".join(reason(note) for note in decision.escalations)


def age(waited: timedelta) -> str:
    """How long something has waited, coarsely: '3 d 4 h', '5 h 12 min', '7 min'."""
    minutes = int(waited.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"


def latency_line(latency: LatencySummary, window_days: int) -> str:
    """'Decision latency, last 90 days: median 26.5 h over 14 decisions'."""
    head = f"Decision latency, last {window_days} days"
    if latency.median_hours is None:
        line = f"{head}: no decision was accepted or rejected"
    else:
        plural = "" if latency.count == 1 else "s"
        line = f"{head}: median {latency.median_hours:.1f} h over {latency.count} decision{plural}"
    if latency.excluded:
        line += f" ({latency.excluded} left out: decided before they were proposed)"
    return line


def hint_json(hint: DelegationHint, view: RightsView) -> dict[str, Any]:
    labels = _hint_labels(hint, view)
    return {
        "approver": hint.approver,
        "area": hint.area,
        "area_name": view.area_name(hint.area),
        "count": hint.count,
        "total": hint.total,
        "share": round(hint.share, 3),
        "window_days": hint.window_days,
        "message": hint.message(**labels),
    }


def hint_message(hint: DelegationHint, view: RightsView) -> str:
    return hint.message(**_hint_labels(hint, view))


def _hint_labels(hint: DelegationHint, view: RightsView) -> dict[str, str]:
    names = {m.email: f"{m.display_name} ({m.email})" for m in view.members if m.display_name}
    return {
        "approver_label": names.get(hint.approver, hint.approver),
        "area_label": view.area_name(hint.area),
    }
