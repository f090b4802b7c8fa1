"""engagement show|set|overview: how fractional, part-time and interim leaders are engaged
with a client workspace, the red-flag check before engaging, and a leader's overview of
their own clients."""

# Annotations here are objects, not strings (no `from __future__ import annotations`):
# Typer reads every command's signature at each start, and each string annotation costs
# a compile, about doubling that time. Names imported only for type checking are quoted.

from typing import TYPE_CHECKING, Annotated, Any

import typer

from quarterdeck.cli.leadership_options import AsOption, day, person
from quarterdeck.cli.portfolio_options import figure, listed
from quarterdeck.cli.session import JsonFlag, WorkspaceArg, cli_state, emit_json, fail, say, table

if TYPE_CHECKING:
    from datetime import date

    from quarterdeck.services.engagements import EngagementView, Overview

__all__ = ["register"]

engagement_app = typer.Typer(
    help="Engagements of fractional, part-time and interim leaders: terms, red flags, "
    "milestones, and a leader's overview of their clients.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(engagement_app, name="engagement")


def engagement_json(view: "EngagementView", today: "date") -> dict[str, Any]:
    record = view.record
    return {
        "leader": view.leader_email,
        "leader_name": view.leader_name,
        "model": record.model,
        "starts_on": record.starts_on,
        "ends_on": record.ends_on,
        "hours_per_week": str(record.hours_per_week),
        "pricing_basis": record.pricing_basis,
        "amount": str(record.amount),
        "currency": record.currency,
        "sponsor": record.sponsor,
        "owns": record.scope.get("owns", []),
        "does_not_own": record.scope.get("does_not_own", []),
        "out_of_scope": record.scope.get("out_of_scope", []),
        "decision_rights": record.decision_rights,
        "red_flag_answers": record.red_flags,
        "milestones": record.milestones,
        "next_milestone": view.next_milestone(today),
        "check": {
            "verdict": view.check.verdict.value,
            "summary": view.check.summary,
            "raised": [{"flag": key, "why": why} for key, why in view.check.raised],
        },
        "version": record.version,
        "updated_at": record.updated_at,
    }


def _print(workspace: str, view: "EngagementView") -> None:
    record = view.record
    ends = "open-ended" if record.ends_on is None else record.ends_on.isoformat()
    rows: list[tuple[str, object]] = [
        ("Leader", f"{view.leader_name} ({view.leader_email})"),
        ("Model", record.model),
        ("Period", f"{record.starts_on.isoformat()} to {ends}"),
        ("Hours a week", figure(record.hours_per_week)),
        (
            "Price",
            f"{record.amount:,} {record.currency} ({record.pricing_basis})",
        ),
        ("Sponsor", record.sponsor or None),
        ("Owns", "\n".join(record.scope.get("owns", [])) or None),
        ("Does not own", "\n".join(record.scope.get("does_not_own", [])) or None),
        ("Out of scope", "\n".join(record.scope.get("out_of_scope", [])) or None),
        ("Decision rights", ", ".join(record.decision_rights) or None),
        (
            "Milestones",
            "\n".join(f"{m['due']} {m['title']}" for m in record.milestones) or None,
        ),
        ("Red-flag check", view.check.summary),
        *((f"  {key}", why) for key, why in view.check.raised),
        ("Version", record.version),
    ]
    table(f"Engagement in {workspace}", ["Field", "Value"], rows)


@engagement_app.command("show")
def show(ctx: typer.Context, workspace: WorkspaceArg, as_json: JsonFlag = False) -> None:
    """Every leader engaged with the workspace: terms, scope, decision rights, milestones
    and the red-flag verdict."""
    from datetime import date

    from quarterdeck.services import engagements

    state = cli_state(ctx)
    found = state.run(
        lambda uow: engagements.engagements(uow, actor=state.operator, workspace=workspace),
        write=False,
    )
    today = date.today()
    if as_json:
        emit_json([engagement_json(v, today) for v in found])
        return
    if not found:
        say(f"No leader is engaged with {workspace}; record one with `quarterdeck engagement set`.")
    for view in found:
        _print(workspace, view)


def _milestones(texts: list[str] | None) -> list[dict[str, str]]:
    found = []
    for text in texts or ():
        title, equals, due = text.rpartition("=")
        if not equals or not title.strip() or not due.strip():
            fail(f"--milestone must read TITLE=DATE, like 'Action plan=2027-02-01'; got {text!r}")
        found.append({"title": title.strip(), "due": due.strip()})
    return found


@engagement_app.command("set")
def set_engagement(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    leader: Annotated[str, typer.Option(help="Email of the leader, a member of the workspace.")],
    model: Annotated[
        str,
        typer.Option(
            help="assessment-sprint, operating-retainer, time-boxed-execution, interim or "
            "part-time."
        ),
    ],
    start: Annotated[str, typer.Option(help="First day, YYYY-MM-DD.")],
    hours: Annotated[str, typer.Option(help="Hours a week, above 0 and at most 60.")],
    pricing: Annotated[str, typer.Option(help="hourly, day-rate or retainer (per month).")],
    amount: Annotated[str, typer.Option(help="The price per hour, day or month.")],
    currency: Annotated[str, typer.Option(help="Three-letter code, e.g. EUR.")],
    end: Annotated[
        str | None,
        typer.Option(
            help="Planned last day, YYYY-MM-DD (needed for a sprint, time-boxed or interim).",
            show_default=False,
        ),
    ] = None,
    sponsor: Annotated[
        str, typer.Option(help="Who owns the engagement on the client's side.")
    ] = "",
    owns: Annotated[
        list[str] | None,
        typer.Option(
            metavar="LINE", help="What the leader owns; repeat for several.", show_default=False
        ),
    ] = None,
    not_own: Annotated[
        list[str] | None,
        typer.Option(
            "--not-own",
            metavar="LINE",
            help="What the leader does not own; repeat.",
            show_default=False,
        ),
    ] = None,
    out_of_scope: Annotated[
        list[str] | None,
        typer.Option(
            metavar="LINE", help="What is explicitly out of scope; repeat.", show_default=False
        ),
    ] = None,
    right: Annotated[
        list[str] | None,
        typer.Option(
            "--right",
            metavar="AREA",
            help="A decision area the leader has rights in (`rights show` lists them).",
            show_default=False,
        ),
    ] = None,
    flag: Annotated[
        list[str] | None,
        typer.Option(
            "--flag",
            metavar="FLAG",
            help="A red flag answered yes: no-sponsor, fix-everything, no-decision-rights, "
            "everything-urgent or hero-wanted.",
            show_default=False,
        ),
    ] = None,
    milestone: Annotated[
        list[str] | None,
        typer.Option(
            metavar="TITLE=DATE",
            help="A milestone and its due date, e.g. 'Action plan=2027-02-01'.",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        int,
        typer.Option(
            min=0,
            help="The engagement's version you read (`engagement show`); 0 records a new one.",
        ),
    ] = 0,
    as_json: JsonFlag = False,
) -> None:
    """Record or change how a leader is engaged; the terms given replace the earlier ones.
    Prints the red-flag verdict: go, resolve first, or do not engage as scoped."""
    from datetime import date

    from quarterdeck.services import engagements

    state = cli_state(ctx)
    starts_on = day(start, "--start")
    ends_on = None if end is None else day(end, "--end")
    milestones = _milestones(milestone)
    view = state.run(
        lambda uow: engagements.put_engagement(
            uow,
            actor=state.operator,
            workspace=workspace,
            leader=leader,
            model=model,
            starts_on=starts_on,
            ends_on=ends_on,
            hours_per_week=hours,
            pricing_basis=pricing,
            amount=amount,
            currency=currency,
            sponsor=sponsor,
            owns=owns or [],
            does_not_own=not_own or [],
            out_of_scope=out_of_scope or [],
            decision_rights=listed(right),
            red_flags=dict.fromkeys(listed(flag), True),
            milestones=milestones,
            expected_version=version,
        ),
        write=True,
    )
    if as_json:
        emit_json(engagement_json(view, date.today()))
        return
    say(
        f"Saved the engagement of {view.leader_email} with {workspace} "
        f"(version {view.record.version})."
    )
    say(f"Red-flag check: {view.check.summary}")
    for key, why in view.check.raised:
        say(f"  {key}: {why}")


def _overview_json(found: "Overview", today: "date") -> dict[str, Any]:
    return {
        "hours_per_week": str(found.hours_per_week),
        "red_flags": found.red_flags,
        "clients": [
            {
                "workspace": line.workspace.slug,
                "name": line.workspace.name,
                "next_milestone": line.next_milestone,
                "engagement": engagement_json(line.engagement, today),
            }
            for line in found.clients
        ],
    }


@engagement_app.command("overview")
def overview(ctx: typer.Context, as_: AsOption, as_json: JsonFlag = False) -> None:
    """A leader's own clients: the workspaces they are engaged with and still a member of,
    hours committed a week, next milestones and red flags."""
    from datetime import date

    from quarterdeck.services import engagements

    state = cli_state(ctx)
    today = date.today()
    found = state.run(
        lambda uow: engagements.overview(uow, actor=person(uow, state, as_), today=today),
        write=False,
    )
    if as_json:
        emit_json(_overview_json(found, today))
        return
    table(
        f"Clients of {as_}",
        ["Workspace", "Model", "Hours a week", "Next milestone", "Red-flag check"],
        [
            (
                f"{line.workspace.name} ({line.workspace.slug})",
                line.engagement.record.model,
                figure(line.engagement.record.hours_per_week),
                None
                if line.next_milestone is None
                else f"{line.next_milestone['due']} {line.next_milestone['title']}",
                line.engagement.check.verdict.value,
            )
            for line in found.clients
        ],
    )
    say(
        f"{len(found.clients)} client(s), {figure(found.hours_per_week)} hours a week, "
        f"{found.red_flags} red flag(s) raised."
    )
