"""cba: an initiative's cost-benefit analysis. NPV, ROI, payback and discounted payback with
the pessimistic case beside the expected one (the optimistic one on request), the caution
when it pays only if things go as expected, and the rules behind the figures."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from quarterdeck.cli.portfolio_options import ItemArg, item_no, listed
from quarterdeck.cli.session import JsonFlag, WorkspaceArg, cli_state, emit_json, fail, say, table

if TYPE_CHECKING:
    from quarterdeck.domain.cost_benefit import Appraisal
    from quarterdeck.domain.portfolio import IntakeItem

__all__ = ["register"]

Pessimistic = Annotated[
    str | None,
    typer.Option(
        help="BENEFITS,COSTS: factors on the expected benefits and costs for the pessimistic "
        "case, e.g. 0.7,1.3 ('default': 0.75,1.25).",
        show_default=False,
    ),
]
Optimistic = Annotated[
    str | None,
    typer.Option(
        help="BENEFITS,COSTS: factors for the optimistic case, e.g. 1.2,0.9 ('default': "
        "1.10,0.95).",
        show_default=False,
    ),
]


def register(app: typer.Typer) -> None:
    app.command("cba")(cba)


def _factors(text: str | None, option: str, stored: Any) -> tuple[str, str] | None:
    """The factors given, else the stored ones; None for the defaults."""
    if text is None:
        return None if stored is None else (stored["benefits"], stored["costs"])
    if text.strip().lower() == "default":
        return None
    parts = listed([text])
    if len(parts) != 2:
        fail(f"{option} must read BENEFITS,COSTS, like 0.7,1.3; got {text!r}")
    return parts[0], parts[1]


def cba(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    item: ItemArg,
    period: Annotated[
        str | None,
        typer.Option(
            help="What one amount covers: year (default), quarter or month.", show_default=False
        ),
    ] = None,
    rate: Annotated[
        str | None,
        typer.Option(help="Yearly discount rate in percent, e.g. 8.", show_default=False),
    ] = None,
    costs: Annotated[
        str | None,
        typer.Option(
            help="Costs per period, first period (today) first, e.g. 100,20,20.",
            show_default=False,
        ),
    ] = None,
    benefits: Annotated[
        str | None,
        typer.Option(
            help="Benefits (gains and savings) per period, e.g. 0,80,90; one per cost.",
            show_default=False,
        ),
    ] = None,
    pessimistic: Pessimistic = None,
    optimistic: Optimistic = None,
    version: Annotated[
        int | None,
        typer.Option(
            "--version",
            min=1,
            help="With inputs: the item's version you read (`intake show` prints it).",
            show_default=False,
        ),
    ] = None,
    everything: Annotated[
        bool, typer.Option("--all", help="Show the optimistic case too.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """An initiative's cost-benefit analysis: NPV, ROI, payback and discounted payback, the
    pessimistic case next to the expected one, the caution and the notes. With inputs, they
    are saved first (those not given keep their stored values)."""
    from decimal import Decimal

    from quarterdeck.domain.errors import InvalidInput
    from quarterdeck.services import intake, roadmap

    state = cli_state(ctx)
    number = item_no(item)
    inputs = (period, rate, costs, benefits, pessimistic, optimistic)
    setting = any(value is not None for value in inputs)
    if setting and version is None:
        fail("give --version (the item's version; `intake show` prints it) to change its inputs")

    def work(uow: Any) -> tuple[IntakeItem, Appraisal | None]:
        found = intake.get_item(uow, actor=state.operator, workspace=workspace, number=number)
        if not setting:
            return found, roadmap.appraisal_of(found)
        stored = found.cost_benefit or {}
        if not stored and (costs is None or benefits is None or rate is None):
            raise InvalidInput("a first cost-benefit analysis needs --rate, --costs and --benefits")
        assert version is not None
        return roadmap.set_cost_benefit(
            uow,
            actor=state.operator,
            workspace=workspace,
            number_=number,
            expected_version=version,
            period=period or stored.get("period", "year"),
            discount_rate=rate if rate is not None else Decimal(stored["discount_rate"]) * 100,
            costs=costs if costs is not None else stored["costs"],
            benefits=benefits if benefits is not None else stored["benefits"],
            pessimistic=_factors(pessimistic, "--pessimistic", stored.get("pessimistic")),
            optimistic=_factors(optimistic, "--optimistic", stored.get("optimistic")),
        )

    found, appraisal = state.run(work, write=setting)
    if as_json:
        from quarterdeck.cli.intake_views import appraisal_json

        emit_json(
            {
                "key": found.key,
                "title": found.title,
                "version": found.version,
                "appraisal": None
                if appraisal is None
                else appraisal_json(appraisal, everything=everything),
            }
        )
        return
    if appraisal is None:
        say(
            f"{found.key} has no cost-benefit analysis yet; give one with "
            f"`quarterdeck cba {workspace} {found.key} --version {found.version} --rate 8 "
            "--costs 100,20,20 --benefits 0,80,90`."
        )
        return
    _print(found, appraisal, everything=everything, saved=setting)


def _print(found: IntakeItem, appraisal: Appraisal, *, everything: bool, saved: bool) -> None:
    from quarterdeck.cli.intake_views import appraisal_rows

    if saved:
        say(f"Saved the cost-benefit inputs of {found.key} (version {found.version}).")
    per = appraisal.period.value
    rate = format((appraisal.discount_rate * 100).normalize(), "f")
    columns, rows = appraisal_rows(appraisal, everything=everything)
    table(
        f"Cost-benefit of {found.key} {found.title}: per {per}, discounted at {rate} % a year",
        columns,
        rows,
    )
    expected = appraisal.expected
    table(
        f"Expected flows per {per}",
        ["Period", "Costs", "Benefits", "Net"],
        [
            (n, cost, benefit, benefit - cost)
            for n, (cost, benefit) in enumerate(
                zip(expected.costs, expected.benefits, strict=True), start=1
            )
        ],
    )
    caution = appraisal.caution()
    if caution:
        say(f"Caution: {caution}")
    for note in appraisal.notes():
        say(f"- {note}")
