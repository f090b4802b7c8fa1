"""decision new|list|show|edit|accept|reject|deprecate|supersede|amend|history|due: the
decision log and each decision's life; `queue` is in approvals, import-adr and export-adr in adr."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from quarterdeck.cli import adr, approvals
from quarterdeck.cli.routing import routing_json, routing_rows, whereabouts, with_rights
from quarterdeck.cli.session import JsonFlag, WorkspaceArg, cli_state, emit_json, fail, say, table

if TYPE_CHECKING:
    from decimal import Decimal

    from quarterdeck.cli.session import Cli
    from quarterdeck.domain.decisions import Decision, DecisionContent
    from quarterdeck.services.rights import RightsView

__all__ = ["register"]

decision_app = typer.Typer(
    help="The decision log: what was decided, why, and when to look again.", no_args_is_help=True
)
NumberArg = Annotated[
    str, typer.Argument(help="Decision number, e.g. D-12 or 12.", metavar="NUMBER")
]
ByOption = Annotated[str, typer.Option("--by", help="The other decision's number, e.g. D-14.")]
Many = Annotated[list[str] | None, typer.Option(help="Repeat for several.")]


def register(app: typer.Typer) -> None:
    app.add_typer(decision_app, name="decision")


def _number(text: str) -> int:
    from quarterdeck.domain.decisions import parse_number
    from quarterdeck.domain.errors import InvalidInput

    try:
        return parse_number(text)
    except InvalidInput as exc:
        fail(exc.message)


def _spend(text: str | None) -> Decimal | None:
    from decimal import Decimal, InvalidOperation

    if text is None:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        fail(f"--spend {text!r} must be a number")


def _get(uow: Any, state: Cli, workspace: str, number: str) -> Decision:
    """The decision numbered `number` (D-12 or 12) as it is now."""
    from quarterdeck.services import decisions

    return decisions.get(uow, actor=state.operator, workspace=workspace, number=_number(number))


def _as_dict(decision: Decision, view: RightsView) -> dict[str, Any]:
    """describe() plus where decision rights sent the decision (names from `view`)."""
    from quarterdeck.services.decisions import describe

    return {**describe(decision), "routing": routing_json(decision, view)}


@decision_app.command("new")
def new(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    title: Annotated[str, typer.Option(help="What is being decided, in one line.")],
    area: Annotated[str, typer.Option(help="Decision area, e.g. architecture, build-vs-buy.")],
    context: Annotated[str, typer.Option(help="Why a decision is needed (Markdown).")] = "",
    decision: Annotated[str, typer.Option(help="What was decided (Markdown).")] = "",
    rationale: Annotated[str, typer.Option(help="Why this option (Markdown).")] = "",
    consequences: Annotated[str, typer.Option(help="What follows from it (Markdown).")] = "",
    decider: Many = None,
    consulted: Many = None,
    informed: Many = None,
    tag: Many = None,
    one_way: Annotated[bool, typer.Option("--one-way", help="Hard or impossible to undo.")] = False,
    spend: Annotated[str | None, typer.Option(help="Estimated spend.")] = None,
    cross_team: Annotated[bool, typer.Option(help="Affects more than one team.")] = False,
    security_exception: Annotated[
        bool, typer.Option(help="Asks to depart from a security policy or control.")
    ] = False,
    revisit_on: Annotated[str | None, typer.Option(help="When to look again, YYYY-MM-DD.")] = None,
    revisit_condition: Annotated[str, typer.Option(help="What would make us look again.")] = "",
    taken_in: Annotated[str, typer.Option(help="Meeting or context where it was taken.")] = "",
    accept_now: Annotated[
        bool,
        typer.Option(
            "--accept",
            help="Accept it at once when it is inside the proposer's decision rights "
            "(the operator's always are).",
        ),
    ] = False,
) -> None:
    """Record a decision with the next number; decision rights say who may accept it."""
    from quarterdeck.domain.decisions import DecisionContent, Reversibility
    from quarterdeck.services import decisions

    state = cli_state(ctx)

    def work(uow: Any) -> Decision:
        content = DecisionContent(
            title=title,
            area=area,
            context=context,
            decision=decision,
            rationale=rationale,
            consequences=consequences,
            deciders=tuple(decider or ()),
            consulted=tuple(consulted or ()),
            informed=tuple(informed or ()),
            tags=tuple(tag or ()),
            reversibility=Reversibility.ONE_WAY if one_way else Reversibility.TWO_WAY,
            estimated_spend=_spend(spend),
            cross_team=cross_team,
            security_exception=security_exception,
            revisit_on=_date(revisit_on),
            revisit_condition=revisit_condition,
            taken_in=taken_in,
        )
        return decisions.record(
            uow, actor=state.operator, workspace=workspace, content=content, accept=accept_now
        )

    recorded, view = with_rights(state, workspace, work, write=True)
    say(f"Recorded {recorded.key} ({recorded.status.value}): {recorded.content.title}")
    say(whereabouts(recorded, view))


def _date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"{text!r} is not a date like 2027-03-31")


@decision_app.command("list")
def list_decisions(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    status: Annotated[str | None, typer.Option(help="proposed, accepted, rejected, ...")] = None,
    area: Annotated[str | None, typer.Option(help="Only this area.")] = None,
    tag: Annotated[str | None, typer.Option(help="Only with this tag.")] = None,
    search: Annotated[str | None, typer.Option(help="Words in the title.")] = None,
    limit: Annotated[int, typer.Option(help="How many, newest first.")] = 50,
    as_json: JsonFlag = False,
) -> None:
    """The decision log, newest first, filtered."""
    from quarterdeck.domain.decisions import DecisionStatus
    from quarterdeck.services import decisions

    state = cli_state(ctx)
    try:
        wanted = None if status is None else DecisionStatus(status)
    except ValueError:
        fail(f"--status must be one of {', '.join(s.value for s in DecisionStatus)}")
    where = decisions.DecisionFilter(status=wanted, area=area, tag=tag, text=search, limit=limit)
    (found, total), view = with_rights(
        state,
        workspace,
        lambda uow: decisions.search(uow, actor=state.operator, workspace=workspace, where=where),
        write=False,
    )
    if as_json:
        emit_json({"total": total, "items": [_as_dict(d, view) for d in found]})
        return
    rows = [
        (d.key, d.status.value, d.content.area, d.content.title, d.content.revisit_on)
        for d in found
    ]
    table(
        f"Decisions of {workspace} ({len(found)} of {total})",
        ["#", "Status", "Area", "Title", "Revisit"],
        rows,
    )


@decision_app.command("show")
def show(
    ctx: typer.Context, workspace: WorkspaceArg, number: NumberArg, as_json: JsonFlag = False
) -> None:
    """One decision with its links both ways, where decision rights sent it, and who decided."""
    state = cli_state(ctx)
    found, view = with_rights(
        state, workspace, lambda uow: _get(uow, state, workspace, number), write=False
    )
    described = _as_dict(found, view)
    if as_json:
        emit_json(described)
        return
    content = described.pop("content")
    links = described.pop("links")
    described.pop("routing")
    rows: list[tuple[str, object]] = [(k, v) for k, v in described.items()]
    rows += [(k, v) for k, v in content.items() if v not in ("", [], None, False)]
    rows += routing_rows(found, view)
    rows += [(link["label"], f"{link['key']} {link['title']}") for link in links]
    table(f"{found.key}: {found.content.title}", ["Field", "Value"], rows)


def _transition(ctx: typer.Context, workspace: str, number: str, target: str) -> None:
    from quarterdeck.domain.decisions import DecisionStatus
    from quarterdeck.services import decisions

    state = cli_state(ctx)

    def work(uow: Any) -> Decision:
        current = _get(uow, state, workspace, number)
        return decisions.decide(
            uow,
            actor=state.operator,
            workspace=workspace,
            number=current.number,
            expected_version=current.version,
            to=DecisionStatus(target),
        )

    decided = state.run(work, write=True)
    say(f"{decided.key} is now {decided.status.value}.")


@decision_app.command("accept")
def accept(ctx: typer.Context, workspace: WorkspaceArg, number: NumberArg) -> None:
    """Accept a proposed decision."""
    _transition(ctx, workspace, number, "accepted")


@decision_app.command("reject")
def reject(ctx: typer.Context, workspace: WorkspaceArg, number: NumberArg) -> None:
    """Reject a proposed decision."""
    _transition(ctx, workspace, number, "rejected")


@decision_app.command("deprecate")
def deprecate(ctx: typer.Context, workspace: WorkspaceArg, number: NumberArg) -> None:
    """Mark an accepted decision as no longer in force (without a replacement)."""
    _transition(ctx, workspace, number, "deprecated")


@decision_app.command("edit")
def edit(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    number: NumberArg,
    title: Annotated[str | None, typer.Option(help="New title.")] = None,
    context: Annotated[str | None, typer.Option(help="New context (Markdown).")] = None,
    decision: Annotated[str | None, typer.Option(help="New decision text (Markdown).")] = None,
    rationale: Annotated[str | None, typer.Option(help="New rationale (Markdown).")] = None,
    consequences: Annotated[str | None, typer.Option(help="New consequences (Markdown).")] = None,
    revisit_on: Annotated[str | None, typer.Option(help="New revisit date, YYYY-MM-DD.")] = None,
    security_exception: Annotated[
        bool | None,
        typer.Option(
            "--security-exception/--no-security-exception",
            help="Whether it asks to depart from a security policy or control.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Change a proposed decision; the earlier text is kept as a revision and decision
    rights route it again."""
    from quarterdeck.services import decisions

    state = cli_state(ctx)
    changes: dict[str, object] = {
        k: v
        for k, v in {
            "title": title,
            "context": context,
            "decision": decision,
            "rationale": rationale,
            "consequences": consequences,
        }.items()
        if v is not None
    }
    if revisit_on is not None:
        changes["revisit_on"] = _date(revisit_on)
    if security_exception is not None:
        changes["security_exception"] = security_exception

    def work(uow: Any) -> Decision:
        current = _get(uow, state, workspace, number)
        content: DecisionContent = replace(current.content, **changes)  # type: ignore[arg-type]
        return decisions.edit(
            uow,
            actor=state.operator,
            workspace=workspace,
            number=current.number,
            expected_version=current.version,
            content=content,
        )

    edited, view = with_rights(state, workspace, work, write=True)
    say(f"Saved {edited.key} as version {edited.version}.")
    if edited.awaiting is not None:
        say(whereabouts(edited, view))


@decision_app.command("supersede")
def supersede(ctx: typer.Context, workspace: WorkspaceArg, number: NumberArg, by: ByOption) -> None:
    """Mark an accepted decision as replaced by another accepted one."""
    from quarterdeck.services import decisions

    state = cli_state(ctx)
    old = state.run(
        lambda uow: decisions.supersede(
            uow, actor=state.operator, workspace=workspace, number=_number(number), by=_number(by)
        ),
        write=True,
    )
    say(f"{old.key} is superseded by D-{_number(by)}.")


@decision_app.command("amend")
def amend(ctx: typer.Context, workspace: WorkspaceArg, number: NumberArg, by: ByOption) -> None:
    """Record that another decision amends an accepted one."""
    from quarterdeck.services import decisions

    state = cli_state(ctx)
    state.run(
        lambda uow: decisions.amend(
            uow, actor=state.operator, workspace=workspace, number=_number(number), by=_number(by)
        ),
        write=True,
    )
    say(f"D-{_number(number)} is amended by D-{_number(by)}.")


@decision_app.command("history")
def history(
    ctx: typer.Context, workspace: WorkspaceArg, number: NumberArg, as_json: JsonFlag = False
) -> None:
    """Every saved revision, oldest first."""
    from quarterdeck.services import decisions

    state = cli_state(ctx)
    revisions = state.run(
        lambda uow: decisions.history(
            uow, actor=state.operator, workspace=workspace, number=_number(number)
        ),
        write=False,
    )
    rows = [
        (r.revision, r.status.value, r.author, r.created_at.isoformat(), r.content.title)
        for r in revisions
    ]
    if as_json:
        emit_json(
            [
                dict(zip(("revision", "status", "author", "saved_at", "title"), row, strict=True))
                for row in rows
            ]
        )
        return
    table(
        f"History of D-{_number(number)}",
        ["Revision", "Status", "Author", "Saved (UTC)", "Title"],
        rows,
    )


@decision_app.command("due")
def due(ctx: typer.Context, workspace: WorkspaceArg, as_json: JsonFlag = False) -> None:
    """Accepted decisions whose revisit date has come."""
    from quarterdeck.services import decisions

    state = cli_state(ctx)

    def work(uow: Any) -> list[Decision]:
        today = decisions.today_in(uow, actor=state.operator, workspace=workspace)
        return decisions.due_for_revisit(uow, actor=state.operator, workspace=workspace, on=today)

    found, view = with_rights(state, workspace, work, write=False)
    if as_json:
        emit_json([_as_dict(d, view) for d in found])
        return
    table(
        f"Due for revisit in {workspace}",
        ["#", "Title", "Revisit on", "Condition"],
        [
            (d.key, d.content.title, d.content.revisit_on, d.content.revisit_condition)
            for d in found
        ],
    )


# After the commands above, in this order: `decision --help` lists commands as registered.
approvals.register(decision_app)
adr.register(decision_app)
