"""plan settings: the planning quarters, strategic goals, prioritisation method and weights,
custom criteria, the target capacity split per quarter, the value unit and the planner's
time limit; shown, and with options changed against the version read."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any

import typer

from quarterdeck.cli.portfolio_options import figure, listed, pair, pairs
from quarterdeck.cli.session import JsonFlag, WorkspaceArg, cli_state, emit_json, fail, say, table

if TYPE_CHECKING:
    from quarterdeck.domain.planning import Split
    from quarterdeck.services.portfolio_settings import PlanningSettings

__all__ = ["register"]

_NUMBER = r"-?\d+(?:\.\d+)?"
_SPLIT = re.compile(rf"^(?P<target>{_NUMBER})(?::(?P<low>{_NUMBER})-(?P<high>{_NUMBER}))?$")
_SCALE = re.compile(rf"^(?P<low>{_NUMBER})-(?P<high>{_NUMBER})$")
SPLIT_FORM = "QUARTER:KIND=TARGET[:MIN-MAX], like 2027-Q1:product-bet=60:50-70"
CRITERION_FORM = "KEY=WEIGHT[:LOW-HIGH][:lower-better][:pass=N], like cost=2:0-10:lower-better"


def register(app: typer.Typer) -> None:
    app.command("settings")(settings)


def _split_json(split: Split) -> list[dict[str, Any]]:
    return [
        {"kind": s.kind.value, "target": s.target, "minimum": s.minimum, "maximum": s.maximum}
        for s in split.shares
    ]


def _settings_json(found: PlanningSettings) -> dict[str, Any]:
    return {
        "quarters": list(found.quarters),
        "method": found.method.value,
        "goals": [{"key": g.key, "title": g.title, "weight": str(g.weight)} for g in found.goals],
        "weights": {name: str(value) for name, value in found.weights.items()},
        "splits": {quarter: _split_json(split) for quarter, split in found.splits.items()},
        "criteria": [
            {
                "key": c.key,
                "label": c.label,
                "weight": str(c.weight),
                "low": str(c.low),
                "high": str(c.high),
                "direction": c.direction.value,
                "pass_mark": None if c.pass_mark is None else str(c.pass_mark),
            }
            for c in found.criteria
        ],
        "value_unit": found.value_unit,
        "time_limit": found.time_limit,
        "version": found.version,
        "defaults": list(found.defaults),
    }


def _splits(texts: list[str], quarters: tuple[str, ...]) -> dict[str, list[dict[str, Any]]]:
    """The --split values by quarter ('all' standing for every planning quarter)."""
    found: dict[str, list[dict[str, Any]]] = {}
    for text in texts:
        quarter, colon, rest = text.partition(":")
        kind, equals, share = rest.partition("=")
        match = _SPLIT.match(share.strip())
        if not colon or not equals or not kind.strip() or match is None:
            fail(f"--split must read {SPLIT_FORM}; got {text!r}")
        entry: dict[str, Any] = {"kind": kind.strip(), "target": match["target"]}
        if match["low"] is not None:
            entry |= {"minimum": match["low"], "maximum": match["high"]}
        named = quarters if quarter.strip().lower() == "all" else (quarter.strip(),)
        for label in named:
            shares = found.setdefault(label, [])
            if any(s["kind"] == entry["kind"] for s in shares):
                fail(f"--split names {entry['kind']} twice for {label}")
            shares.append(entry)
    return found


def _goals(texts: list[str]) -> list[dict[str, str]]:
    """KEY=TITLE[:WEIGHT] as goals; a title may hold colons, the weight is the last part
    when it is a number."""
    goals = []
    for text in texts:
        key, rest = pair(text, "--goal", "KEY=TITLE[:WEIGHT], like growth=Grow revenue:2")
        title, colon, weight = rest.rpartition(":")
        if not colon or not re.fullmatch(_NUMBER, weight.strip()):
            title, weight = rest, "1"
        goals.append({"key": key, "title": title.strip(), "weight": weight.strip()})
    return goals


def _criteria(texts: list[str]) -> list[dict[str, Any]]:
    criteria = []
    for text in texts:
        key, rest = pair(text, "--criterion", CRITERION_FORM)
        weight, *parts = rest.split(":")
        entry: dict[str, Any] = {"key": key, "label": key, "weight": weight.strip()}
        for part in (p.strip() for p in parts):
            scale = _SCALE.match(part)
            if scale is not None:
                entry |= {"low": scale["low"], "high": scale["high"]}
            elif part in ("lower-better", "higher-better"):
                entry["direction"] = part
            elif part.startswith("pass="):
                entry["pass_mark"] = part.removeprefix("pass=")
            else:
                fail(f"--criterion must read {CRITERION_FORM}; got {text!r}")
        criteria.append(entry)
    return criteria


def settings(
    ctx: typer.Context,
    workspace: WorkspaceArg,
    quarters: Annotated[
        list[str] | None,
        typer.Option(
            help="The quarters to plan, in order, e.g. 2027-Q1,2027-Q2 (1 to 8).",
            show_default=False,
        ),
    ] = None,
    split: Annotated[
        list[str] | None,
        typer.Option(
            help="QUARTER:KIND=TARGET[:MIN-MAX]: a kind's target share of a quarter's capacity "
            "in percent, with optional bounds, e.g. 2027-Q1:product-bet=60:50-70 (QUARTER 'all' "
            "for every planning quarter); the shares given for a quarter replace its split and "
            "their targets must add up to 100. Kinds: product-bet, platform-investment, "
            "risk-reduction.",
            show_default=False,
        ),
    ] = None,
    goal: Annotated[
        list[str] | None,
        typer.Option(
            help="KEY=TITLE[:WEIGHT]: a strategic goal, e.g. 'growth=Grow revenue:2'; repeat "
            "for each. Replaces the goals.",
            show_default=False,
        ),
    ] = None,
    method: Annotated[
        str | None,
        typer.Option(
            help="Prioritisation method: five-criteria, rice, wsjf or weighted.",
            show_default=False,
        ),
    ] = None,
    weight: Annotated[
        list[str] | None,
        typer.Option(
            help="CRITERION=N: weight of a five-criteria criterion (strategic, departmental, "
            "resources, viability, risk); repeat for several.",
            show_default=False,
        ),
    ] = None,
    criterion: Annotated[
        list[str] | None,
        typer.Option(
            help="KEY=WEIGHT[:LOW-HIGH][:lower-better][:pass=N]: a custom criterion of the "
            "weighted method (scale 0-5 unless given); repeat for each. Replaces the criteria.",
            show_default=False,
        ),
    ] = None,
    value_unit: Annotated[
        str | None,
        typer.Option(help="What values are counted in, e.g. points or EUR.", show_default=False),
    ] = None,
    time_limit: Annotated[
        str | None,
        typer.Option(
            help="Seconds the planner may take (above 0, at most 120).", show_default=False
        ),
    ] = None,
    version: Annotated[
        int | None,
        typer.Option(
            "--version",
            min=0,
            help="The settings version you read; refused if someone changed them since. "
            "Default: the current one.",
            show_default=False,
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """The planning settings; with an option, change them (everything is checked before
    anything is saved)."""
    from quarterdeck.domain.errors import InvalidInput
    from quarterdeck.services import portfolio_settings

    state = cli_state(ctx)
    changes: dict[str, Any] = {
        "quarters": listed(quarters) or None,
        "goals": _goals(goal) if goal else None,
        "method": None if method is None else method.strip().lower(),
        "weights": pairs(weight, "--weight", "CRITERION=N, like risk=2") or None,
        "criteria": _criteria(criterion) if criterion else None,
        "value_unit": value_unit,
        "time_limit": time_limit,
    }
    changing = bool(split) or any(value is not None for value in changes.values())

    def work(uow: Any) -> PlanningSettings:
        current = portfolio_settings.planning_settings(
            uow, actor=state.operator, workspace=workspace
        )
        if not changing:
            return current
        planned = tuple(changes["quarters"] or current.quarters)
        splits = None
        if split:
            given = _splits(split, planned)
            outside = sorted(set(given) - set(planned))
            if outside:
                raise InvalidInput(
                    f"--split names {outside[0]}, which is not a planning quarter "
                    f"({', '.join(planned)})"
                )
            splits = given  # quarters not named keep their split
        return portfolio_settings.set_planning_settings(
            uow,
            actor=state.operator,
            workspace=workspace,
            expected_version=current.version if version is None else version,
            splits=splits,
            **changes,
        )

    found = state.run(work, write=changing)
    if as_json:
        emit_json(_settings_json(found))
        return
    if changing:
        say(f"Saved the planning settings of {workspace} (version {found.version}).")
    _print(workspace, found)


def _print(workspace: str, found: PlanningSettings) -> None:
    defaults = f"; defaults: {', '.join(found.defaults)}" if found.defaults else ""
    rows: list[tuple[str, object]] = [
        ("quarters", ", ".join(found.quarters)),
        ("method", found.method.value),
        (
            "strategic goals",
            "; ".join(f"{g.key}: {g.title} (weight {figure(g.weight)})" for g in found.goals),
        ),
        (
            "five-criteria weights",
            ", ".join(f"{name} {figure(value)}" for name, value in found.weights.items()),
        ),
        (
            "custom criteria",
            "; ".join(
                f"{c.key} weight {figure(c.weight)}, {figure(c.low)}-{figure(c.high)}, "
                f"{c.direction.value}"
                + ("" if c.pass_mark is None else f", pass mark {figure(c.pass_mark)}")
                for c in found.criteria
            )
            or None,
        ),
        ("value unit", found.value_unit),
        ("time limit", f"{figure(found.time_limit)} s"),
    ]
    table(
        f"Planning settings of {workspace} (version {found.version}{defaults})",
        ["Setting", "Value"],
        rows,
    )
    table(
        "Target capacity split (percent of each quarter's capacity after reserves)",
        ["Quarter", "Kind", "Target", "Minimum", "Maximum"],
        [
            (quarter, s.kind.label, figure(s.target), figure(s.minimum), figure(s.maximum))
            for quarter, split in found.splits.items()
            for s in split.shares
        ],
    )
