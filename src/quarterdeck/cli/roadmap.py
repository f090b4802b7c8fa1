"""roadmap show|outcome: the outcome roadmap (themes, the measurable outcomes under them and
the initiatives serving each), the tech roadmap (platform investments and the outcomes they
serve) and the open items serving no outcome yet."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from quarterdeck.cli.session import JsonFlag, WorkspaceArg, cli_state, emit_json, fail, say, table

if TYPE_CHECKING:
    from quarterdeck.domain.portfolio import IntakeItem, Outcome
    from quarterdeck.services.roadmap import Roadmap

__all__ = ["register"]

roadmap_app = typer.Typer(
    help="The outcome roadmap and the tech roadmap: themes, outcomes and the initiatives "
    "serving them.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(roadmap_app, name="roadmap")


def _initiative_json(item: IntakeItem) -> dict[str, Any]:
    from quarterdeck.services.intake import CHECKPOINTS

    return {
        "key": item.key,
        "title": item.title,
        "kind": item.kind,
        "status": item.status,
        "outcome": item.outcome_key or None,
        "planned_quarter": item.planned_quarter or None,
        "primary_metric": item.primary_metric or None,
        "guardrail_metric": item.guardrail_metric or None,
        "checkpoints": {
            key: bool(item.checkpoints.get(key, {}).get("done")) for key in CHECKPOINTS
        },
    }


def _outcome_json(outcome: Outcome) -> dict[str, Any]:
    return {
        "key": outcome.key,
        "theme": outcome.theme,
        "title": outcome.title,
        "metric": outcome.metric,
        "target": outcome.target,
        "quarter": outcome.quarter,
        "version": outcome.version,
    }


def _roadmap_json(found: Roadmap) -> dict[str, Any]:
    return {
        "themes": [
            {
                "name": theme.name,
                "outcomes": [
                    {
                        **_outcome_json(line.outcome),
                        "initiatives": [_initiative_json(i) for i in line.initiatives],
                    }
                    for line in theme.outcomes
                ],
            }
            for theme in found.themes
        ],
        "tech": [_initiative_json(i) for i in found.tech],
        "unlinked": [_initiative_json(i) for i in found.unlinked],
    }


def _metrics(item: IntakeItem) -> str | None:
    parts = []
    if item.primary_metric:
        parts.append(f"primary {item.primary_metric}")
    if item.guardrail_metric:
        parts.append(f"guardrail {item.guardrail_metric}")
    return ", ".join(parts) or None


def _initiative_cells(item: IntakeItem) -> list[object]:
    from quarterdeck.cli.intake_views import checkpoint_words

    return [
        f"{item.key} {item.title}",
        item.status,
        item.planned_quarter or None,
        _metrics(item),
        checkpoint_words(item),
    ]


@roadmap_app.command("show")
def show(ctx: typer.Context, workspace: WorkspaceArg, as_json: JsonFlag = False) -> None:
    """Themes, then their outcomes (metric, target, quarter), then the initiatives serving
    each with their metrics and evidence checkpoints; the tech roadmap; and the open items
    serving no outcome."""
    from quarterdeck.services import roadmap

    state = cli_state(ctx)
    found = state.run(
        lambda uow: roadmap.roadmap(uow, actor=state.operator, workspace=workspace), write=False
    )
    if as_json:
        emit_json(_roadmap_json(found))
        return
    if not found.themes:
        say(
            f"The roadmap of {workspace} has no outcomes yet: add one with "
            f"`quarterdeck roadmap outcome {workspace} KEY --theme ... --title ... --metric ... "
            "--target ... --quarter ...`."
        )
    columns = ["Outcome", "Target", "Initiative", "Status", "Planned", "Metrics", "Checkpoints"]
    for theme in found.themes:
        rows: list[list[object]] = []
        for line in theme.outcomes:
            o = line.outcome
            first = [f"{o.key}: {o.title}", f"{o.metric} {o.target} by {o.quarter}"]
            if not line.initiatives:
                rows.append([*first, "no initiative serves it yet", None, None, None, None])
            for n, item in enumerate(line.initiatives):
                rows.append([*(first if n == 0 else ["", ""]), *_initiative_cells(item)])
        table(f"Theme: {theme.name}", columns, rows)
    if found.tech:
        table(
            "Tech roadmap: platform investments",
            ["Initiative", "Serves", "Status", "Planned", "Metrics"],
            [
                (
                    f"{item.key} {item.title}",
                    _served(found, item),
                    item.status,
                    item.planned_quarter or None,
                    _metrics(item),
                )
                for item in found.tech
            ],
        )
    if found.unlinked:
        table(
            "Open items serving no outcome",
            ["Initiative", "Kind", "Status", "Planned"],
            [
                (f"{i.key} {i.title}", i.kind, i.status, i.planned_quarter or None)
                for i in found.unlinked
            ],
        )


def _served(found: Roadmap, item: IntakeItem) -> str:
    outcome = found.outcomes.get(item.outcome_key)
    if outcome is None:
        return "no outcome yet"
    return f"{outcome.key}: {outcome.title} ({outcome.theme})"


@roadmap_app.command("outcome")
def outcome(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    key: Annotated[str, typer.Argument(help="Outcome key, e.g. faster-checkout.", metavar="KEY")],
    theme: Annotated[
        str | None, typer.Option(help="The theme it belongs to.", show_default=False)
    ] = None,
    title: Annotated[
        str | None, typer.Option(help="The outcome, in one line.", show_default=False)
    ] = None,
    metric: Annotated[
        str | None,
        typer.Option(
            help="The metric key it is measured by, e.g. activation-rate.", show_default=False
        ),
    ] = None,
    target: Annotated[
        str | None,
        typer.Option(help="The measurable target, e.g. '35 %'.", show_default=False),
    ] = None,
    quarter: Annotated[
        str | None, typer.Option(help="The quarter it is due by, e.g. 2027-Q2.", show_default=False)
    ] = None,
    version: Annotated[
        int | None,
        typer.Option(
            "--version",
            min=1,
            help="Change the outcome at this version (`roadmap show --json` gives it); the "
            "options not given keep their values. Without it, a new outcome is added.",
            show_default=False,
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Add a roadmap outcome (a measurable target by a quarter, under a theme), or change
    one with --version."""
    from quarterdeck.domain.errors import NotFound
    from quarterdeck.services import roadmap

    state = cli_state(ctx)
    given = {"theme": theme, "title": title, "metric": metric, "target": target, "quarter": quarter}
    if version is None:
        missing = [f"--{name}" for name, value in given.items() if value is None]
        if missing:
            fail(f"a new outcome needs {', '.join(missing)}")

    def work(uow: Any) -> Outcome:
        values = dict(given)
        if version is not None:
            current = roadmap.roadmap(uow, actor=state.operator, workspace=workspace).outcomes
            if key not in current:
                raise NotFound(f"outcome {key!r} not found; leave out --version to add it")
            values = {
                name: getattr(current[key], name) if value is None else value
                for name, value in given.items()
            }
        return roadmap.put_outcome(
            uow,
            actor=state.operator,
            workspace=workspace,
            key=key,
            expected_version=version or 0,
            **{name: str(value) for name, value in values.items()},
        )

    saved = state.run(work, write=True)
    if as_json:
        emit_json(_outcome_json(saved))
        return
    say(
        f"{'Saved' if version else 'Added'} outcome {saved.key} (version {saved.version}): "
        f"{saved.title}: {saved.metric} {saved.target} by {saved.quarter} ({saved.theme})."
    )
