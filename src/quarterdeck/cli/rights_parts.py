"""rights rule add|remove, rights area add, rights role add: the guardrails, and the areas
and roles a workspace adds to the catalog's, one at a time."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from quarterdeck.cli.routing import condition, rights_view, role_label
from quarterdeck.cli.session import WorkspaceArg, cli_state, fail, say

if TYPE_CHECKING:
    from quarterdeck.services.rights import RightsView

__all__ = ["register"]

rule_app = typer.Typer(
    help="Guardrails: when a decision leaves its proposer's hands, and who approves it.",
    no_args_is_help=True,
)
area_app = typer.Typer(help="The workspace's own decision areas.", no_args_is_help=True)
role_app = typer.Typer(help="The workspace's own leadership roles.", no_args_is_help=True)

KeyArg = Annotated[
    str, typer.Argument(help="Key: lower-case words joined by hyphens.", metavar="KEY")
]
NameArg = Annotated[str, typer.Argument(help="The name people read.", metavar="NAME")]
DescriptionOption = Annotated[str, typer.Option(help="One or two sentences.")]


def register(rights_app: typer.Typer) -> None:
    rights_app.add_typer(rule_app, name="rule")
    rights_app.add_typer(area_app, name="area")
    rights_app.add_typer(role_app, name="role")


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
        current = rights_view(uow, state, workspace).rights
        if any(r.name.lower() == rule.name.lower() for r in current.rules):
            raise InvalidInput(f"{workspace} already has a guardrail named {rule.name!r}")
        rights.set_rules(
            uow,
            actor=state.operator,
            workspace=workspace,
            rules=[*current.rules, rule],
            expected_version=current.version,
        )
        return rights_view(uow, state, workspace)

    view = state.run(work, write=True)
    say(
        f"Added guardrail {rule.name!r} to {workspace}: when {condition(view, rule)}, "
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
        current = rights_view(uow, state, workspace).rights
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
        return rights_view(uow, state, workspace)

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
