"""intake score|rank: an item's inputs to a prioritisation method, and the open intake ranked
by one, every rank with its breakdown."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from quarterdeck.cli.portfolio_options import ItemArg, ItemVersion, figure, item_no, pairs
from quarterdeck.cli.session import JsonFlag, WorkspaceArg, cli_state, emit_json, fail, say, table

if TYPE_CHECKING:
    from quarterdeck.domain.portfolio import IntakeItem
    from quarterdeck.domain.prioritisation import Ranked, Term
    from quarterdeck.services.intake_ranking import IntakeRanking

__all__ = ["register"]

MethodOption = Annotated[
    str | None,
    typer.Option(
        help="five-criteria, rice, wsjf or weighted (default: the workspace's method).",
        show_default=False,
    ),
]


def register(app: typer.Typer) -> None:
    app.command("score")(score)
    app.command("rank")(rank)


def _inputs(
    method: str,
    given: dict[str, str],
    five: dict[str, str | None],
    serves: list[str] | None,
    departments: bool | None,
) -> dict[str, Any]:
    """The inputs of `method` from the options; options of another method are refused."""
    from quarterdeck.services.intake import SCORE_FIELDS

    named = [f"--{name}" for name, value in five.items() if value is not None]
    if serves:
        named.append("--serves")
    if departments is not None:
        named.append("--departments/--no-departments")
    if method != "five-criteria":
        if named:
            fail(f"{named[0]} is an input of the five-criteria method, not of {method}")
        if method == "weighted":
            return dict(given)
        return {name.replace("-", "_"): value for name, value in given.items()}
    inputs: dict[str, Any] = {name.replace("-", "_"): value for name, value in given.items()}
    inputs |= {name: value for name, value in five.items() if value is not None}
    inputs["serves"] = pairs(serves, "--serves", "GOAL=STRENGTH, like growth=4")
    inputs["departments"] = True if departments is None else departments
    unknown = sorted(set(inputs) - {*SCORE_FIELDS["five-criteria"], "serves", "departments"})
    if unknown:
        fail(f"--input {unknown[0]}: the five-criteria inputs have their own options (see --help)")
    return inputs


def score(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    item: ItemArg,
    version: ItemVersion,
    method: MethodOption = None,
    serves: Annotated[
        list[str] | None,
        typer.Option(
            help="Five-criteria: GOAL=STRENGTH, how strongly it serves a strategic goal, 0-5; "
            "repeat for each goal it serves (see `plan settings`).",
            show_default=False,
        ),
    ] = None,
    departmental: Annotated[
        str | None,
        typer.Option(help="Five-criteria: departmental needs, 0-5.", show_default=False),
    ] = None,
    resources: Annotated[
        str | None,
        typer.Option(
            help="Five-criteria: how well internal and external resources cover it, 0-5.",
            show_default=False,
        ),
    ] = None,
    viability: Annotated[
        str | None, typer.Option(help="Five-criteria: viability, 0-5.", show_default=False)
    ] = None,
    risk: Annotated[
        str | None,
        typer.Option(help="Five-criteria: risk, 0-5 (lower is better).", show_default=False),
    ] = None,
    departments: Annotated[
        bool | None,
        typer.Option(
            "--departments/--no-departments",
            help="Five-criteria: whether the department heads back it (default: they do).",
            show_default=False,
        ),
    ] = None,
    inputs: Annotated[
        list[str] | None,
        typer.Option(
            "--input",
            help="NAME=VALUE for rice (reach, impact, confidence, effort), wsjf "
            "(business-value, time-criticality, risk-reduction, job-size) or weighted (the "
            "workspace's criteria); repeat for each.",
            show_default=False,
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Score an item for a prioritisation method (replacing its earlier inputs for that
    method) and show where it now ranks. Inputs the ranking cannot use are refused."""
    from quarterdeck.cli.intake_views import explanation, ranked_json
    from quarterdeck.domain.errors import InvalidInput
    from quarterdeck.services import intake, intake_ranking, portfolio_settings

    state = cli_state(ctx)
    number = item_no(item)
    given = pairs(inputs, "--input", "NAME=VALUE, like reach=500")
    five = {
        "departmental": departmental,
        "resources": resources,
        "viability": viability,
        "risk": risk,
    }

    def work(uow: Any) -> tuple[IntakeItem, IntakeRanking]:
        chosen = method
        if chosen is None:
            chosen = portfolio_settings.planning_settings(
                uow, actor=state.operator, workspace=workspace
            ).method.value
        chosen = chosen.strip().lower()
        current = intake.get_item(uow, actor=state.operator, workspace=workspace, number=number)
        entry = _inputs(chosen, given, five, serves, departments)
        saved = intake.edit_item(
            uow,
            actor=state.operator,
            workspace=workspace,
            number=number,
            expected_version=version,
            changes={"scores": {**current.scores, chosen: entry}},
        )
        ranking = intake_ranking.rank(uow, actor=state.operator, workspace=workspace, method=chosen)
        unusable = next((u for u in ranking.unscored if u.key == saved.key), None)
        if unusable is not None:  # rolls the change back
            raise InvalidInput(f"{chosen} scores of {saved.key}: {unusable.reason}")
        return saved, ranking

    saved, ranking = state.run(work, write=True)
    lines = explanation(ranking, saved)
    if as_json:
        ranked = next((r for r in ranking.ranking.ranked if r.key == saved.key), None)
        emit_json(
            {
                **intake.item_json(saved),
                "ranking": {
                    "method": ranking.method.value,
                    "place": None if ranked is None else ranked_json(ranked),
                    "explanation": list(lines),
                },
            }
        )
        return
    say(f"Scored {saved.key} for {ranking.method.value} (version {saved.version}).")
    for line in lines:
        say(f"  {line}")


def _term_cell(term: Term) -> str:
    if term.effect.value == "multiply":
        return f"{figure(term.raw)} (x{figure(term.contribution)})"
    return f"{figure(term.raw)} (+{figure(term.contribution)})"


def rank(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    method: MethodOption = None,
    as_json: JsonFlag = False,
) -> None:
    """The open intake ranked by a prioritisation method: every score with its breakdown
    (raw value and what it adds or multiplies by), ties, items excluded and why, and items
    not yet scored."""
    from quarterdeck.cli.intake_views import ranking_json
    from quarterdeck.services import intake_ranking

    state = cli_state(ctx)
    result = state.run(
        lambda uow: intake_ranking.rank(
            uow,
            actor=state.operator,
            workspace=workspace,
            method=None if method is None else method.strip().lower(),
        ),
        write=False,
    )
    if as_json:
        emit_json(ranking_json(result))
        return
    ranking = result.ranking
    if ranking.ranked:
        criteria = [term.criterion for term in ranking.ranked[0].terms]
        table(
            f"Intake of {workspace} ranked by {result.method.value}",
            ["Rank", "#", "Title", "Score", "Normalised", *criteria, "Tied with"],
            [_ranked_row(r) for r in ranking.ranked],
        )
        say(ranking.normalisation)
        say(ranking.tie_break)
    else:
        say(f"No open item of {workspace} is ranked by {result.method.value} yet.")
    if ranking.excluded:
        table(
            "Excluded",
            ["#", "Title", "Why"],
            [(e.key, e.title, "; ".join(e.reasons)) for e in ranking.excluded],
        )
    if result.unscored:
        table(
            f"Not scored for {result.method.value}",
            ["#", "Title", "Why"],
            [(u.key, u.title, u.reason) for u in result.unscored],
        )


def _ranked_row(ranked: Ranked) -> list[object]:
    return [
        ranked.rank,
        ranked.key,
        ranked.title,
        figure(ranked.score),
        figure(ranked.normalised),
        *(_term_cell(term) for term in ranked.terms),
        ", ".join(ranked.tied_with) or None,
    ]
