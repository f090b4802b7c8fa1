"""metric record|import: values measured for the metrics on a scorecard, typed in or from a
file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from quarterdeck.cli.ingest import read_input
from quarterdeck.cli.scorecard_options import KeyArg, day
from quarterdeck.cli.session import JsonFlag, WorkspaceArg, cli_state, emit_json, say

if TYPE_CHECKING:
    from quarterdeck.services.scorecard import Measurement, MetricCard

__all__ = ["register"]


def register(metric_app: typer.Typer) -> None:
    metric_app.command("record")(record)
    metric_app.command("import")(import_measurements)


def record(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    key: KeyArg,
    value: Annotated[
        str,
        typer.Argument(
            help="The value in the metric's unit (a percentage as 0-100). Put -- before a "
            "negative one: metric record acme nps -- -12.",
            metavar="VALUE",
        ),
    ],
    period_end: Annotated[
        str | None,
        typer.Option(
            help="Last day of the period the value is for, YYYY-MM-DD (default: today in "
            "the workspace's time zone).",
            show_default=False,
        ),
    ] = None,
    note: Annotated[str, typer.Option(help="Where the value comes from, or why.")] = "",
) -> None:
    """Record a metric's value for a period; a second value for the period replaces it."""
    from quarterdeck.cli.scorecard_cards import value_text
    from quarterdeck.services import decisions, scorecard

    state = cli_state(ctx)
    ending = None if period_end is None else day(period_end, "--period-end")

    def work(uow: Any) -> tuple[Measurement, MetricCard]:
        amount = scorecard.parse_amount(value, "the value")
        on = ending or decisions.today_in(uow, actor=state.operator, workspace=workspace)
        recorded = scorecard.record(
            uow,
            actor=state.operator,
            workspace=workspace,
            key=key,
            period_end=on,
            value=amount,
            note=note,
        )
        card = scorecard.detail(uow, actor=state.operator, workspace=workspace, key=key).card
        return recorded, card

    newest, card = state.run(work, write=True)
    unit = card.metric.definition.unit
    say(
        f"Recorded {key} = {value_text(newest.value, unit)} for the period ending "
        f"{newest.period_end.isoformat()} in {workspace}."
    )
    say(f"Status: {card.status.level.value}: {card.status.reason}.")


def import_measurements(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    source: Annotated[
        Path,
        typer.Argument(
            help="CSV or JSON with the columns metric, period_end, value and optional note.",
            metavar="FILE",
        ),
    ],
    as_json: JsonFlag = False,
) -> None:
    """Import measured values from a file, all or nothing; each problem names its line."""
    from quarterdeck.services import scorecard

    state = cli_state(ctx)
    data = read_input(state, source)
    done = state.run(
        lambda uow: scorecard.import_measurements(
            uow,
            actor=state.operator,
            workspace=workspace,
            data=data,
            source=source.name,
            max_bytes=state.settings.import_max_bytes,
        ),
        write=True,
    )
    if as_json:
        emit_json({"rows": done.rows, "added": done.added, "replaced": done.replaced})
        return
    say(
        f"Imported {done.rows} value(s) from {source.name} into {workspace}: "
        f"{done.added} added, {done.replaced} replaced."
    )
