"""decision new|list|show|edit|accept|reject|deprecate|supersede|amend|history|due|queue,
import-adr, export-adr."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from quarterdeck.cli import rights as rights_cli
from quarterdeck.cli.session import (
    Cli,
    JsonFlag,
    WorkspaceArg,
    cli_state,
    emit_json,
    fail,
    say,
    table,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import timedelta

    from quarterdeck.domain.decisions import Decision, DecisionContent
    from quarterdeck.services.rights import RightsView

decision_app = typer.Typer(
    help="The decision log: what was decided, why, and when to look again.", no_args_is_help=True
)
NumberArg = Annotated[
    str, typer.Argument(help="Decision number, e.g. D-12 or 12.", metavar="NUMBER")
]
ByOption = Annotated[str, typer.Option("--by", help="The other decision's number, e.g. D-14.")]
Many = Annotated[list[str] | None, typer.Option(help="Repeat for several.")]
T = TypeVar("T")


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
    if text is None:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        fail(f"--spend {text!r} must be a number")


def _as_dict(decision: Decision, view: RightsView) -> dict[str, Any]:
    """describe() plus where decision rights sent the decision (names from `view`)."""
    from quarterdeck.services.decisions import describe

    return {**describe(decision), "routing": rights_cli.routing_json(decision, view)}


def _with_rights(
    state: Cli, workspace: str, work: Callable[[Any], T], *, write: bool
) -> tuple[T, RightsView]:
    """Run `work` and read the rights (for role and area names) in the same transaction."""
    from quarterdeck.services import rights

    def both(uow: Any) -> tuple[T, RightsView]:
        result = work(uow)
        return result, rights.show(uow, actor=state.operator, workspace=workspace)

    return state.run(both, write=write)


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

    recorded, view = _with_rights(state, workspace, work, write=True)
    say(f"Recorded {recorded.key} ({recorded.status.value}): {recorded.content.title}")
    say(rights_cli.whereabouts(recorded, view))


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
    (found, total), view = _with_rights(
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
    from quarterdeck.services import decisions

    state = cli_state(ctx)
    found, view = _with_rights(
        state,
        workspace,
        lambda uow: decisions.get(
            uow, actor=state.operator, workspace=workspace, number=_number(number)
        ),
        write=False,
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
    rows += rights_cli.routing_rows(found, view)
    rows += [(link["label"], f"{link['key']} {link['title']}") for link in links]
    table(f"{found.key}: {found.content.title}", ["Field", "Value"], rows)


def _transition(ctx: typer.Context, workspace: str, number: str, target: str) -> None:
    from quarterdeck.domain.decisions import DecisionStatus
    from quarterdeck.services import decisions

    state = cli_state(ctx)

    def work(uow: Any) -> Decision:
        current = decisions.get(
            uow, actor=state.operator, workspace=workspace, number=_number(number)
        )
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
        current = decisions.get(
            uow, actor=state.operator, workspace=workspace, number=_number(number)
        )
        content: DecisionContent = replace(current.content, **changes)  # type: ignore[arg-type]
        return decisions.edit(
            uow,
            actor=state.operator,
            workspace=workspace,
            number=current.number,
            expected_version=current.version,
            content=content,
        )

    edited, view = _with_rights(state, workspace, work, write=True)
    say(f"Saved {edited.key} as version {edited.version}.")
    if edited.awaiting is not None:
        say(rights_cli.whereabouts(edited, view))


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

    found, view = _with_rights(state, workspace, work, write=False)
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


@decision_app.command("queue")
def queue(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    role: Annotated[str | None, typer.Option(help="Only those waiting for this role.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Decisions waiting for approval, oldest first, with decision latency and hints on
    what to delegate."""
    from quarterdeck.services import decisions

    state = cli_state(ctx)

    def work(uow: Any) -> tuple[list[decisions.QueueEntry], decisions.DecisionSignals]:
        waiting = decisions.queue(uow, actor=state.operator, workspace=workspace, role=role)
        return waiting, decisions.signals(uow, actor=state.operator, workspace=workspace)

    (waiting, signals), view = _with_rights(state, workspace, work, write=False)
    known = [r.key for r in view.roles]
    if role is not None and role not in known:
        fail(f"unknown role {role!r}; known: {', '.join(known)}")
    if as_json:
        emit_json(
            {
                "queue": [_queued(entry.decision, entry.waiting, view) for entry in waiting],
                "latency": {
                    "median_hours": None
                    if signals.latency.median_hours is None
                    else round(signals.latency.median_hours, 2),
                    "count": signals.latency.count,
                    "excluded": signals.latency.excluded,
                    "window_days": signals.window_days,
                },
                "hints": [rights_cli.hint_json(hint, view) for hint in signals.hints],
            }
        )
        return
    rows = [
        (
            entry.decision.key,
            entry.decision.content.title,
            view.area_name(entry.decision.content.area),
            view.role_name(entry.decision.awaiting or ""),
            rights_cli.reasons(entry.decision),
            rights_cli.age(entry.waiting),
        )
        for entry in waiting
    ]
    title = f"Waiting for approval in {workspace}" + ("" if role is None else f" ({role})")
    if rows:
        table(title, ["#", "Title", "Area", "Waiting for", "Reasons", "Age"], rows)
    else:
        whom = "approval" if role is None else f"the {view.role_name(role)}'s approval"
        say(f"Nothing is waiting for {whom} in {workspace}.")
    say(rights_cli.latency_line(signals.latency, signals.window_days))
    for hint in signals.hints:
        say(rights_cli.hint_message(hint, view))


def _queued(decision: Decision, waited: timedelta, view: RightsView) -> dict[str, Any]:
    return {
        "key": decision.key,
        "number": decision.number,
        "title": decision.content.title,
        "area": decision.content.area,
        "area_name": view.area_name(decision.content.area),
        "created_at": decision.created_at.isoformat(),
        "waiting_hours": round(waited.total_seconds() / 3600, 2),
        "age": rights_cli.age(waited),
        **rights_cli.routing_json(decision, view),
    }


@decision_app.command("import-adr")
def import_adr(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    directory: Annotated[
        Path, typer.Argument(help="Folder of ADR files (subfolders too).", metavar="DIR")
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report only; write nothing.")] = False,
) -> None:
    """Import Architecture Decision Records (Nygard, MADR 2-4, log4brains), all or nothing."""
    from quarterdeck.services import adr_exchange

    state = cli_state(ctx)
    result = state.run(
        lambda uow: adr_exchange.import_adrs(
            uow, actor=state.operator, workspace=workspace, directory=directory, dry_run=dry_run
        ),
        write=not dry_run,
    )
    rows = [
        (f.source, f.outcome, f.format, ", ".join(f.taken), "; ".join((*f.problems, *f.notes)))
        for f in result.report
    ]
    table("ADR import report", ["File", "Outcome", "Format", "Taken", "Problems and guesses"], rows)
    if result.dry_run:
        say("Dry run: nothing was written.")
    else:
        say(f"Imported {len(result.numbers)} decision(s) into {workspace}.")


@decision_app.command("export-adr")
def export_adr(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    directory: Annotated[
        Path, typer.Argument(help="Folder to write, one file per decision.", metavar="DIR")
    ],
    fmt: Annotated[str, typer.Option("--format", help="madr (every field) or nygard.")] = "madr",
    overwrite: Annotated[bool, typer.Option(help="Write into a folder that has files.")] = False,
) -> None:
    """Write the decision log as Architecture Decision Records."""
    from quarterdeck.services import adr_exchange

    if fmt not in ("madr", "nygard"):
        fail("--format must be madr or nygard")
    state = cli_state(ctx)
    written = state.run(
        lambda uow: adr_exchange.export_adrs(
            uow,
            actor=state.operator,
            workspace=workspace,
            directory=directory,
            fmt="madr" if fmt == "madr" else "nygard",
            overwrite=overwrite,
        ),
        write=False,
    )
    say(f"Wrote {len(written)} file(s) to {directory}.")
