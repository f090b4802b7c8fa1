"""assess list|take|show|history|share: readiness assessments a person takes for the kind
of leader they aim to be. A sitting is that person's own: the operator acts for them with
--as EMAIL, and another person's sitting is not found."""

# Annotations here are objects, not strings (no `from __future__ import annotations`):
# Typer reads every command's signature at each start, and each string annotation costs
# a compile, about doubling that time. Names imported only for type checking are quoted.

from typing import TYPE_CHECKING, Annotated, Any

import typer

from quarterdeck.cli.leadership_options import AsOption, checked, person
from quarterdeck.cli.portfolio_options import pairs
from quarterdeck.cli.session import JsonFlag, cli_state, emit_json, fail, say, table

if TYPE_CHECKING:
    from quarterdeck.domain.assessments import Assessment
    from quarterdeck.services.assessments import Sitting

__all__ = ["register"]

assess_app = typer.Typer(
    help="Readiness assessments: rate concrete behaviours 1 to 5 and get strengths, gaps, "
    "development priorities and progress over time.",
    no_args_is_help=True,
)
SittingArg = Annotated[int, typer.Argument(help="The sitting's number.", metavar="ID", min=1)]


def register(app: typer.Typer) -> None:
    app.add_typer(assess_app, name="assess")


@assess_app.command("list")
def list_assessments(
    kind: Annotated[
        str | None,
        typer.Option(
            help="Only the assessments that serve this kind of leader, e.g. deputy-cto.",
            show_default=False,
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """The assessment catalog: each assessment's areas, statements and the kinds of leader
    it serves."""
    from quarterdeck.catalog.assessments import assessment_catalog
    from quarterdeck.catalog.roles import role_catalog

    catalog = assessment_catalog()
    if kind is not None:
        checked(lambda: role_catalog().kind(kind))
    found = catalog.assessments if kind is None else catalog.for_role(kind)
    if as_json:
        emit_json([_assessment_json(a) for a in found])
        return
    table(
        "Assessments" + ("" if kind is None else f" for {kind}"),
        ["Assessment", "Name", "Areas", "Statements", "For"],
        [
            (a.key, a.name, len(a.areas), len(a.statement_keys), ", ".join(a.role_kinds))
            for a in found
        ],
    )


def _assessment_json(assessment: "Assessment") -> dict[str, Any]:
    return {
        "key": assessment.key,
        "name": assessment.name,
        "summary": assessment.summary,
        "role_kinds": list(assessment.role_kinds),
        "areas": [
            {
                "key": area.key,
                "name": area.name,
                "statements": [{"key": s.key, "text": s.text} for s in area.statements],
                "development": list(area.development),
            }
            for area in assessment.areas
        ],
    }


def _ratings(texts: list[str]) -> dict[str, int]:
    found = {}
    for key, value in pairs(texts, "--rating", "STATEMENT=N, like set-direction=4").items():
        try:
            found[key] = int(value)
        except ValueError:
            fail(f"--rating for {key!r} must be a whole number from 1 to 5; got {value!r}")
    return found


def _rating(text: str) -> int:
    """A typed rating: a whole number from 1 to 5; anything else is asked for again."""
    value = text.strip()
    if value not in ("1", "2", "3", "4", "5"):
        raise typer.BadParameter(f"{value!r} is not a rating; answer 1, 2, 3, 4 or 5")
    return int(value)


def _ask(assessment: "Assessment") -> dict[str, int]:
    """Every statement's rating, asked for in order; 1 to 5 only."""
    total = len(assessment.statement_keys)
    typer.echo(
        f"{assessment.name}: rate each statement from 1 (rarely true of me) to 5 "
        "(consistently true of me).",
        err=True,  # the questions go to stderr, so --json output stays JSON
    )
    found: dict[str, int] = {}
    try:
        for area in assessment.areas:
            for statement in area.statements:
                found[statement.key] = typer.prompt(
                    f"[{len(found) + 1}/{total}] {area.name}: {statement.text}",
                    value_proc=_rating,
                    err=True,
                )
    except typer.Abort:
        fail(f"stopped after {len(found)} of {total} statements; nothing was saved")
    return found


@assess_app.command("take")
def take(
    ctx: typer.Context,
    assessment: Annotated[
        str,
        typer.Argument(help="Assessment key, e.g. cto-readiness.", metavar="ASSESSMENT"),
    ],
    as_: AsOption,
    aiming_for: Annotated[
        str,
        typer.Option(
            help="The kind of leader you aim to be, e.g. scaleup-cto.", show_default=False
        ),
    ] = "",
    rating: Annotated[
        list[str] | None,
        typer.Option(
            "--rating",
            metavar="STATEMENT=N",
            help="Rate one statement 1 to 5; give one for every statement (`assess list "
            "--json` names them). Without any, each statement is asked for in turn.",
            show_default=False,
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Take an assessment: strengths, gaps and development priorities with suggestions, and
    the change since your previous sitting. The sitting is private until shared."""
    from quarterdeck.catalog.assessments import assessment_catalog
    from quarterdeck.cli.assess_views import print_sitting, sitting_json
    from quarterdeck.services import assessments

    state = cli_state(ctx)
    chosen = checked(lambda: assessment_catalog().assessment(assessment))
    if aiming_for:
        from quarterdeck.catalog.roles import role_catalog

        checked(lambda: role_catalog().kind(aiming_for))
    if rating:
        ratings = _ratings(rating)
    else:
        state.run(lambda uow: person(uow, state, as_), write=False)  # before asking anything
        ratings = _ask(chosen)
    found = state.run(
        lambda uow: assessments.take(
            uow,
            actor=person(uow, state, as_),
            assessment=assessment,
            ratings=ratings,
            aiming_for=aiming_for,
        ),
        write=True,
    )
    if as_json:
        emit_json(sitting_json(found))
        return
    print_sitting(found)
    say(f"Saved as sitting {found.take.id}; share it with `quarterdeck assess share`.")


@assess_app.command("show")
def show(
    ctx: typer.Context,
    as_: AsOption,
    sitting: Annotated[
        int | None,
        typer.Argument(help="The sitting's number (default: the latest).", metavar="ID", min=1),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """One of your sittings (the latest when no number is given) with the change since the
    sitting before it."""
    from quarterdeck.cli.assess_views import print_sitting, sitting_json
    from quarterdeck.domain.errors import NotFound
    from quarterdeck.services import assessments

    state = cli_state(ctx)

    def work(uow: Any) -> "Sitting":
        actor = person(uow, state, as_)
        if sitting is not None:
            return assessments.sitting(uow, actor=actor, take_id=sitting)
        mine = assessments.my_sittings(uow, actor=actor)
        if not mine:
            raise NotFound(f"{as_} has taken no assessment yet")
        return max(mine, key=lambda s: (s.take.taken_at, s.take.id))

    found = state.run(work, write=False)
    if as_json:
        emit_json(sitting_json(found))
        return
    print_sitting(found)


@assess_app.command("history")
def history(
    ctx: typer.Context,
    as_: AsOption,
    assessment: Annotated[
        str | None,
        typer.Argument(help="Only this assessment, e.g. cto-readiness.", metavar="ASSESSMENT"),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Your sittings, oldest first, with strengths, gaps and the change since the sitting
    before each."""
    from quarterdeck.catalog.assessments import assessment_catalog
    from quarterdeck.cli.assess_views import sitting_json
    from quarterdeck.services import assessments

    if assessment is not None:
        checked(lambda: assessment_catalog().assessment(assessment))
    state = cli_state(ctx)
    found = state.run(
        lambda uow: assessments.my_sittings(
            uow, actor=person(uow, state, as_), assessment=assessment
        ),
        write=False,
    )
    if as_json:
        emit_json([sitting_json(s) for s in found])
        return

    def moved(s: "Sitting") -> str | None:
        if s.since_previous is None:
            return None
        up = sum(1 for c in s.since_previous if c.change > 0)
        down = sum(1 for c in s.since_previous if c.change < 0)
        return f"{up} up, {down} down"

    table(
        f"Sittings of {as_}",
        [
            "Id",
            "Assessment",
            "Taken (UTC)",
            "Aiming for",
            "Strengths",
            "Gaps",
            "Since previous",
            "Shared with",
        ],
        [
            (
                s.take.id,
                s.assessment.name,
                f"{s.take.taken_at:%Y-%m-%d %H:%M}",
                s.take.aiming_for or None,
                len(s.result.strengths),
                len(s.result.gaps),
                moved(s),
                s.shared_with_slug,
            )
            for s in found
        ],
    )


@assess_app.command("share")
def share(
    ctx: typer.Context,
    sitting: SittingArg,
    as_: AsOption,
    workspace: Annotated[
        str | None,
        typer.Option(
            help="Share it with this workspace (one you belong to); its members can read it.",
            metavar="WORKSPACE",
            show_default=False,
        ),
    ] = None,
    private: Annotated[
        bool, typer.Option("--private", help="Take the share back: only you can read it.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Share one of your sittings with a workspace you belong to, or make it private."""
    from quarterdeck.cli.assess_views import sitting_json
    from quarterdeck.services import assessments

    if (workspace is None) == (not private):
        fail("give --workspace WORKSPACE or --private, one of them")
    state = cli_state(ctx)
    found = state.run(
        lambda uow: assessments.share(
            uow, actor=person(uow, state, as_), take_id=sitting, workspace=workspace
        ),
        write=True,
    )
    if as_json:
        emit_json(sitting_json(found))
        return
    if found.shared_with_slug:
        say(f"Sitting {found.take.id} is shared with {found.shared_with_slug}.")
    else:
        say(f"Sitting {found.take.id} is private.")
