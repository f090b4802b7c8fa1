"""intake add|list|show|edit|checkpoint: the single intake, where every request waits with
why it is asked for, its urgency, its definition of ready, its effort and the outcome it
serves; `score` and `rank` are in intake_scores."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from quarterdeck.cli import intake_scores
from quarterdeck.cli.intake_fields import (
    AlternativeGroup,
    Department,
    Description,
    Effort,
    Guardrail,
    Hypothesis,
    KindOption,
    Mandatory,
    OutcomeOption,
    Primary,
    Quarter,
    Ready,
    Reason,
    Requester,
    Requires,
    SmallestBet,
    Success,
    UrgencyOption,
    Value,
    changed_values,
    given_values,
)
from quarterdeck.cli.portfolio_options import ItemArg, ItemVersion, item_no
from quarterdeck.cli.session import JsonFlag, WorkspaceArg, cli_state, emit_json, fail, say, table

if TYPE_CHECKING:
    from quarterdeck.domain.cost_benefit import Appraisal
    from quarterdeck.domain.portfolio import IntakeItem
    from quarterdeck.services.intake_ranking import IntakeRanking

__all__ = ["register"]


intake_app = typer.Typer(
    help="The single intake: every request, why it is asked for, whether it is ready, and "
    "its rank.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(intake_app, name="intake")


def _saved(item: IntakeItem, verb: str, as_json: bool) -> None:
    from quarterdeck.services.intake import READY_CHECKS, is_ready, item_json

    if as_json:
        emit_json({**item_json(item), "is_ready": is_ready(item)})
        return
    say(f"{verb} {item.key} (version {item.version}): {item.title}")
    if not is_ready(item) and item.status == "proposed":
        missing = [key for key in READY_CHECKS if not item.ready.get(key)]
        say(f"Not ready yet, so not planned: unconfirmed {', '.join(missing)}.")


@intake_app.command("add")
def add(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    title: Annotated[str, typer.Argument(help="What is asked for, in one line.", metavar="TITLE")],
    kind: KindOption = None,
    requester: Requester = None,
    department: Department = None,
    description: Description = None,
    hypothesis: Hypothesis = None,
    smallest_bet: SmallestBet = None,
    urgency: UrgencyOption = None,
    reason: Reason = None,
    requires: Requires = None,
    alternative_group: AlternativeGroup = None,
    mandatory: Mandatory = None,
    quarter: Quarter = None,
    value: Value = None,
    success: Success = None,
    effort: Effort = None,
    outcome: OutcomeOption = None,
    primary_metric: Primary = None,
    guardrail_metric: Guardrail = None,
    ready: Ready = None,
    as_json: JsonFlag = False,
) -> None:
    """Add a request to the intake with the next number (IN-1, IN-2, ...)."""
    from quarterdeck.services import intake

    state = cli_state(ctx)
    values = given_values(
        title=title,
        kind=kind,
        requester=requester,
        department=department,
        description=description,
        hypothesis=hypothesis,
        smallest_bet=smallest_bet,
        urgency=urgency,
        reason=reason,
        requires=requires,
        alternative_group=alternative_group,
        mandatory=mandatory,
        quarter=quarter,
        value=value,
        success=success,
        effort=effort,
        outcome=outcome,
        primary_metric=primary_metric,
        guardrail_metric=guardrail_metric,
        ready=ready,
    )
    added = state.run(
        lambda uow: intake.add_item(uow, actor=state.operator, workspace=workspace, values=values),
        write=True,
    )
    _saved(added, "Added", as_json)


@intake_app.command("edit")
def edit(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    item: ItemArg,
    version: ItemVersion,
    title: Annotated[str | None, typer.Option(help="New title.", show_default=False)] = None,
    status: Annotated[
        str | None,
        typer.Option(
            help="proposed, in-progress (needs a primary and a guardrail metric), done or dropped.",
            show_default=False,
        ),
    ] = None,
    kind: KindOption = None,
    requester: Requester = None,
    department: Department = None,
    description: Description = None,
    hypothesis: Hypothesis = None,
    smallest_bet: SmallestBet = None,
    urgency: UrgencyOption = None,
    reason: Reason = None,
    requires: Requires = None,
    drop_requires: Annotated[
        list[str] | None,
        typer.Option(help="A dependency to take off, e.g. IN-3; repeat for several."),
    ] = None,
    alternative_group: AlternativeGroup = None,
    mandatory: Mandatory = None,
    quarter: Quarter = None,
    value: Value = None,
    success: Success = None,
    effort: Effort = None,
    outcome: OutcomeOption = None,
    primary_metric: Primary = None,
    guardrail_metric: Guardrail = None,
    ready: Ready = None,
    not_ready: Annotated[
        list[str] | None,
        typer.Option(help="A check of ready no longer met; repeat for several."),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Change some fields of an item; the others keep their values. --requires and --ready
    add to what is there, --effort changes the teams it names."""
    from quarterdeck.services import intake

    state = cli_state(ctx)
    number = item_no(item)
    given = given_values(
        title=title,
        status=status,
        kind=kind,
        requester=requester,
        department=department,
        description=description,
        hypothesis=hypothesis,
        smallest_bet=smallest_bet,
        urgency=urgency,
        reason=reason,
        requires=requires,
        alternative_group=alternative_group,
        mandatory=mandatory,
        quarter=quarter,
        value=value,
        success=success,
        effort=effort,
        outcome=outcome,
        primary_metric=primary_metric,
        guardrail_metric=guardrail_metric,
        ready=ready,
    )
    if not (given or not_ready or drop_requires):
        fail("nothing to change: give at least one field option (see --help)")

    def work(uow: Any) -> IntakeItem:
        current = intake.get_item(uow, actor=state.operator, workspace=workspace, number=number)
        changes = changed_values(current, given, not_ready=not_ready, drop_requires=drop_requires)
        return intake.edit_item(
            uow,
            actor=state.operator,
            workspace=workspace,
            number=number,
            expected_version=version,
            changes=changes,
        )

    _saved(state.run(work, write=True), "Saved", as_json)


@intake_app.command("list")
def list_items(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    kind: Annotated[str | None, typer.Option(help="Only this kind.", show_default=False)] = None,
    status: Annotated[
        str | None,
        typer.Option(
            help="proposed, in-progress, done, dropped, or all (default: the open ones, "
            "proposed and in progress).",
            show_default=False,
        ),
    ] = None,
    department: Annotated[
        str | None, typer.Option(help="Only from this department.", show_default=False)
    ] = None,
    urgency: Annotated[
        str | None, typer.Option(help="normal, high or urgent.", show_default=False)
    ] = None,
    ready: Annotated[
        bool | None,
        typer.Option(
            "--ready/--not-ready",
            help="Only items that meet (or do not yet meet) the definition of ready.",
            show_default=False,
        ),
    ] = None,
    search: Annotated[
        str | None,
        typer.Option(help="Words in the key, title, description or requester.", show_default=False),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """The intake, filtered, with each item's rank and score under the workspace's
    prioritisation method."""
    from quarterdeck.cli.intake_views import LISTED_COLUMNS, listed_json, listed_row
    from quarterdeck.cli.scorecard_options import choice
    from quarterdeck.domain.planning import Kind
    from quarterdeck.services import intake, intake_ranking

    state = cli_state(ctx)
    where = intake.IntakeFilter(
        kind="" if kind is None else choice(Kind, kind, "--kind").value,
        status=_status_filter(status),
        department=(department or "").strip(),
        urgency="" if urgency is None else choice(intake.Urgency, urgency, "--urgency").value,
        ready=ready,
        text=search or "",
    )

    def work(uow: Any) -> tuple[list[IntakeItem], IntakeRanking]:
        found = intake.items(uow, actor=state.operator, workspace=workspace, where=where)
        return found, intake_ranking.rank(uow, actor=state.operator, workspace=workspace)

    found, ranking = state.run(work, write=False)
    if as_json:
        emit_json(
            {
                "method": ranking.method.value,
                "items": [listed_json(item, ranking) for item in found],
            }
        )
        return
    table(
        f"Intake of {workspace} ({len(found)} item(s), ranked by {ranking.method.value})",
        LISTED_COLUMNS,
        [listed_row(item, ranking) for item in found],
    )


def _status_filter(status: str | None) -> str:
    from quarterdeck.cli.scorecard_options import choice
    from quarterdeck.services.intake import Status

    if status is None:
        return ""
    if status.strip().lower() == "all":
        return "all"
    return choice(Status, status, "--status").value


@intake_app.command("show")
def show(
    ctx: typer.Context, workspace: WorkspaceArg, item: ItemArg, as_json: JsonFlag = False
) -> None:
    """Every field of an item, why it holds its rank, its evidence checkpoints and its
    cost-benefit."""
    from quarterdeck.cli.intake_views import (
        appraisal_json,
        explanation,
        print_item,
        ranked_json,
    )
    from quarterdeck.services import intake, intake_ranking, roadmap

    state = cli_state(ctx)
    number = item_no(item)

    def work(uow: Any) -> tuple[IntakeItem, IntakeRanking, Appraisal | None]:
        found = intake.get_item(uow, actor=state.operator, workspace=workspace, number=number)
        ranking = intake_ranking.rank(uow, actor=state.operator, workspace=workspace)
        return found, ranking, roadmap.appraisal_of(found)

    found, ranking, appraisal = state.run(work, write=False)
    lines = explanation(ranking, found)
    if as_json:
        ranked = next((r for r in ranking.ranking.ranked if r.key == found.key), None)
        emit_json(
            {
                **intake.item_json(found),
                "is_ready": intake.is_ready(found),
                "ranking": {
                    "method": ranking.method.value,
                    "place": None if ranked is None else ranked_json(ranked),
                    "explanation": list(lines),
                },
                "appraisal": None if appraisal is None else appraisal_json(appraisal),
            }
        )
        return
    print_item(workspace, found, ranking.method.value, lines, appraisal)


@intake_app.command("checkpoint")
def checkpoint(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    item: ItemArg,
    name: Annotated[
        str,
        typer.Argument(
            help="problem-validated, experiment-plan or post-launch.", metavar="CHECKPOINT"
        ),
    ],
    version: ItemVersion,
    note: Annotated[str, typer.Option(help="What the evidence shows.")] = "",
    link: Annotated[str, typer.Option(help="An http(s) link to the evidence.")] = "",
    not_done: Annotated[
        bool, typer.Option("--not-done", help="Record it as not done (yet).")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Record an evidence checkpoint as done (with a note or a link) or not done."""
    from quarterdeck.services import intake

    state = cli_state(ctx)
    number = item_no(item)
    saved = state.run(
        lambda uow: intake.record_checkpoint(
            uow,
            actor=state.operator,
            workspace=workspace,
            number=number,
            expected_version=version,
            checkpoint=name.strip().lower(),
            done=not not_done,
            note=note,
            link=link,
        ),
        write=True,
    )
    if as_json:
        emit_json(intake.item_json(saved))
        return
    label = intake.CHECKPOINTS[name.strip().lower()]
    say(f"{saved.key}: {label} is {'not done' if not_done else 'done'} (version {saved.version}).")


# After the commands above: `intake --help` lists commands as registered.
intake_scores.register(intake_app)
