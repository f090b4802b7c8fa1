"""metric catalog|list|show|add|set|remove: the metrics on a workspace's scorecard, their
owners, thresholds and cadence; `record` and `import` (values measured for them) are in
scorecard_measurements."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from quarterdeck.cli import scorecard_measurements
from quarterdeck.cli.scorecard_options import (
    CadenceOption,
    Critical,
    CriticalHigh,
    CriticalLow,
    High,
    KeyArg,
    Low,
    OwnerOption,
    Target,
    Warning_,
    choice,
    read_thresholds,
)
from quarterdeck.cli.session import JsonFlag, WorkspaceArg, cli_state, emit_json, fail, say, table

if TYPE_CHECKING:
    from quarterdeck.domain.scorecard import Category, Direction, Unit
    from quarterdeck.services.scorecard import MetricDetail, TrackedMetric

__all__ = ["register"]

metric_app = typer.Typer(
    help="Metrics on the scorecard: the catalog, owners, thresholds and measurements.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(metric_app, name="metric")


def _described(metric: TrackedMetric) -> str:
    from quarterdeck.cli.scorecard_cards import thresholds_text

    definition = metric.definition
    owner = f"owner {metric.owner}" if metric.owner else "no owner"
    return (
        f"{definition.name} ({definition.key}): {owner}, reviewed {metric.cadence.value}, "
        f"thresholds {thresholds_text(metric.thresholds, definition.unit)}"
    )


# -- reading -----------------------------------------------------------------------------------


@metric_app.command("catalog")
def catalog(
    kpi_set: Annotated[
        str | None,
        typer.Option("--set", help="Only this ready-made set: quick-starter or it-service."),
    ] = None,
    category: Annotated[
        str | None, typer.Option(help="Only this category, e.g. delivery or security.")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Every metric a scorecard can track, with what it means and how it is measured."""
    from quarterdeck.catalog.kpis import kpi_catalog
    from quarterdeck.cli.scorecard_cards import definition_json
    from quarterdeck.domain.errors import InvalidInput

    known = kpi_catalog()
    try:
        found = known.kpis if kpi_set is None else known.in_set(kpi_set.strip().lower())
        if category is not None:
            wanted = {k.key for k in known.in_category(category.strip().lower())}
            found = tuple(k for k in found if k.key in wanted)
    except InvalidInput as exc:
        fail(exc.message)
    if as_json:
        emit_json([definition_json(k) for k in found])
        return
    rows = [
        (
            k.key,
            k.name,
            k.category.value,
            k.unit.value,
            k.direction.value,
            "computed" if k.computed_by else "manual",
            ", ".join(sorted(s.value for s in k.sets)),
        )
        for k in found
    ]
    table(
        f"KPI catalog ({len(rows)} metrics)",
        ["Key", "Name", "Category", "Unit", "Direction", "Source", "Sets"],
        rows,
    )


@metric_app.command("list")
def list_metrics(ctx: typer.Context, workspace: WorkspaceArg, as_json: JsonFlag = False) -> None:
    """The metrics on a workspace's scorecard with their latest value and status."""
    from quarterdeck.cli.scorecard_cards import card_json, status_words, thresholds_text, value_text
    from quarterdeck.services import scorecard

    state = cli_state(ctx)
    view = state.run(
        lambda uow: scorecard.show(uow, actor=state.operator, workspace=workspace), write=False
    )
    if as_json:
        emit_json([card_json(card) for card in view.cards])
        return
    rows = []
    for card in view.cards:
        metric, unit = card.metric, card.metric.definition.unit
        latest = None if card.latest is None else value_text(card.latest.value, unit)
        rows.append(
            (
                metric.key,
                metric.definition.name,
                metric.definition.category.value,
                metric.owner or None,
                metric.cadence.value,
                thresholds_text(metric.thresholds, unit),
                latest,
                status_words(card.status),
            )
        )
    table(
        f"Metrics of {workspace} ({len(rows)})",
        ["Key", "Name", "Category", "Owner", "Cadence", "Thresholds", "Latest", "Status"],
        rows,
    )


@metric_app.command("show")
def show(
    ctx: typer.Context, workspace: WorkspaceArg, key: KeyArg, as_json: JsonFlag = False
) -> None:
    """One metric: what it means, its thresholds, why it has its status, its trend, and
    every value measured for it."""
    from quarterdeck.cli.scorecard_cards import card_json, measurement_json, print_detail
    from quarterdeck.services import scorecard

    state = cli_state(ctx)
    found = state.run(
        lambda uow: scorecard.detail(uow, actor=state.operator, workspace=workspace, key=key),
        write=False,
    )
    if as_json:
        emit_json(
            {
                **card_json(found.card),
                "measurements": [measurement_json(m) for m in found.measurements],
            }
        )
        return
    print_detail(found)


# -- choosing ----------------------------------------------------------------------------------


def _custom_facts(
    name: str | None, category: str | None, unit: str | None, direction: str | None
) -> tuple[Category, Unit, Direction]:
    """What a custom metric is about, in what unit, and which way is better; one red line
    naming what is missing or not one of the choices."""
    from quarterdeck.domain.scorecard import Category, Direction, Unit

    given = {"--name": name, "--category": category, "--unit": unit, "--direction": direction}
    if missing := [option for option, value in given.items() if value is None]:
        fail(f"a custom metric needs {', '.join(missing)}")
    assert category is not None
    assert unit is not None
    assert direction is not None
    return (
        choice(Category, category, "--category"),
        choice(Unit, unit, "--unit"),
        choice(Direction, direction, "--direction"),
    )


@metric_app.command("add")
def add(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    key: Annotated[
        str | None,
        typer.Argument(help="Catalog key, e.g. lead-time.", metavar="KEY", show_default=False),
    ] = None,
    custom: Annotated[
        str | None,
        typer.Option(
            "--custom",
            help="Add the workspace's own metric under this key instead (with --name, "
            "--category, --unit and --direction).",
            metavar="KEY",
            show_default=False,
        ),
    ] = None,
    name: Annotated[str | None, typer.Option(help="Custom: its name.")] = None,
    category: Annotated[str | None, typer.Option(help="Custom: its category key.")] = None,
    unit: Annotated[
        str | None,
        typer.Option(
            help="Custom: percent, minutes, hours, days, count, per-week, per-month, "
            "currency or score."
        ),
    ] = None,
    direction: Annotated[
        str | None,
        typer.Option(help="Custom: higher-is-better, lower-is-better or target-band."),
    ] = None,
    meaning: Annotated[str, typer.Option(help="Custom: what it tells a leader.")] = "",
    owner: OwnerOption = None,
    cadence: CadenceOption = None,
    target: Target = None,
    warning: Warning_ = None,
    critical: Critical = None,
    low: Low = None,
    high: High = None,
    critical_low: CriticalLow = None,
    critical_high: CriticalHigh = None,
) -> None:
    """Put a catalog metric, or with --custom the workspace's own, on the scorecard."""
    from quarterdeck.catalog.kpis import kpi_catalog
    from quarterdeck.domain.scorecard import Cadence
    from quarterdeck.services import scorecard

    state = cli_state(ctx)
    if (key is None) == (custom is None):
        fail("give a catalog KEY, or --custom KEY for the workspace's own metric")
    lines = {
        "target": target,
        "warning": warning,
        "critical": critical,
        "low": low,
        "high": high,
        "critical_low": critical_low,
        "critical_high": critical_high,
    }
    chosen_cadence = None if cadence is None else choice(Cadence, cadence, "--cadence")
    facts = None
    if custom is None:
        extras = {"--name": name, "--category": category, "--unit": unit, "--direction": direction}
        if given := [option for option, value in extras.items() if value is not None]:
            fail(f"{', '.join(given)} describe a custom metric; add it with --custom KEY")
    else:
        facts = _custom_facts(name, category, unit, direction)

    def work(uow: Any) -> TrackedMetric:
        if custom is not None and facts is not None:
            group, unit_, direction_ = facts
            return scorecard.add_custom_metric(
                uow,
                actor=state.operator,
                workspace=workspace,
                key=custom,
                name=name or "",
                category=group,
                unit=unit_,
                direction=direction_,
                meaning=meaning,
                owner=owner or "",
                cadence=chosen_cadence or kpi_catalog().category(group).review,
                thresholds=read_thresholds(direction_, **lines),
            )
        assert key is not None
        known = kpi_catalog()
        found = None
        if key in known.keys:  # an unknown key is refused by add_metric, with a hint
            found = read_thresholds(known.kpi(key).direction, **lines)
        return scorecard.add_metric(
            uow,
            actor=state.operator,
            workspace=workspace,
            key=key,
            owner=owner or "",
            cadence=chosen_cadence,
            thresholds=found,
        )

    added = state.run(work, write=True)
    say(f"Added to the scorecard of {workspace}: {_described(added)}.")
    if added.definition.computed_by:
        say("Its values are computed from the workspace's engineering records.")
    if added.thresholds is None:
        say(
            f"Its status stays unknown until it has thresholds: "
            f"quarterdeck metric set {workspace} {added.key} --target ..."
        )


@metric_app.command("set")
def set_metric(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    key: KeyArg,
    owner: OwnerOption = None,
    cadence: CadenceOption = None,
    target: Target = None,
    warning: Warning_ = None,
    critical: Critical = None,
    low: Low = None,
    high: High = None,
    critical_low: CriticalLow = None,
    critical_high: CriticalHigh = None,
    clear_thresholds: Annotated[
        bool, typer.Option("--clear-thresholds", help="Remove the thresholds.")
    ] = False,
) -> None:
    """Change a metric's owner, cadence or thresholds; what is not given stays."""
    from quarterdeck.domain.scorecard import Cadence
    from quarterdeck.services import scorecard

    state = cli_state(ctx)
    lines = {
        "target": target,
        "warning": warning,
        "critical": critical,
        "low": low,
        "high": high,
        "critical_low": critical_low,
        "critical_high": critical_high,
    }
    given_lines = any(value is not None for value in lines.values())
    if clear_thresholds and given_lines:
        fail("give thresholds or --clear-thresholds, not both")
    if owner is None and cadence is None and not given_lines and not clear_thresholds:
        fail("nothing to change: give --owner, --cadence, thresholds or --clear-thresholds")
    chosen_cadence = None if cadence is None else choice(Cadence, cadence, "--cadence")

    def work(uow: Any) -> TrackedMetric:
        current: MetricDetail = scorecard.detail(
            uow, actor=state.operator, workspace=workspace, key=key
        )
        metric = current.card.metric
        return scorecard.configure(
            uow,
            actor=state.operator,
            workspace=workspace,
            key=key,
            expected_version=metric.version,
            owner=owner,
            cadence=chosen_cadence,
            thresholds=read_thresholds(metric.definition.direction, **lines)
            if given_lines
            else None,
            clear_thresholds=clear_thresholds,
        )

    changed = state.run(work, write=True)
    say(f"Saved {_described(changed)}.")


def remove(ctx: typer.Context, workspace: WorkspaceArg, key: KeyArg) -> None:
    """Take a metric off the scorecard; its measurements are kept and come back with it."""
    from quarterdeck.services import scorecard

    state = cli_state(ctx)
    state.run(
        lambda uow: scorecard.remove_metric(
            uow, actor=state.operator, workspace=workspace, key=key
        ),
        write=True,
    )
    say(f"Removed {key} from the scorecard of {workspace}; its measurements are kept.")


# -- measuring ---------------------------------------------------------------------------------


# After the commands above, in this order: `metric --help` lists commands as registered.
scorecard_measurements.register(metric_app)
metric_app.command("remove")(remove)
