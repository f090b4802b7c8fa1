"""role list|show|compare: the kinds of technology leader from the role catalog, what each
owns, how its success is measured, how it is engaged and paid, its red flags and its
playbooks, and two to four of them side by side."""

# Annotations here are objects, not strings (no `from __future__ import annotations`):
# Typer reads every command's signature at each start, and each string annotation costs
# a compile, about doubling that time. Names imported only for type checking are quoted.

from typing import TYPE_CHECKING, Annotated, Any

import typer

from quarterdeck.cli.leadership_options import checked
from quarterdeck.cli.session import JsonFlag, emit_json, say, table

if TYPE_CHECKING:
    from quarterdeck.domain.role_kinds import CompensationBenchmark, Engagement, RoleKind

__all__ = ["benchmark_text", "engagement_text", "kind_json", "register"]

role_app = typer.Typer(
    help="Kinds of technology leader: focus, ownership, success measures, engagement, pay "
    "benchmarks, red flags and playbooks.",
    no_args_is_help=True,
)
KindArg = Annotated[
    str,
    typer.Argument(
        help="Kind of leader, e.g. fractional-cto (`role list` names them).", metavar="KIND"
    ),
]


def register(app: typer.Typer) -> None:
    app.add_typer(role_app, name="role")


def engagement_text(engagement: "Engagement") -> str:
    """How a kind is engaged, in one line: mode, hours or months, and the note."""
    parts = [engagement.mode.value]
    if engagement.hours_per_week is not None:
        span = engagement.hours_per_week
        parts.append(f"{span.low}-{span.high} h a week")
    if engagement.months is not None:
        parts.append(f"{engagement.months.low}-{engagement.months.high} months")
    text = ", ".join(parts)
    return f"{text}. {engagement.note}" if engagement.note else text


def benchmark_text(benchmark: "CompensationBenchmark") -> str:
    """One pay benchmark with its figures, its date and its source."""
    money = f"{{:,}} {benchmark.currency}"
    figures = []
    if benchmark.low is not None or benchmark.high is not None:
        low = "?" if benchmark.low is None else money.format(benchmark.low)
        high = "?" if benchmark.high is None else money.format(benchmark.high)
        figures.append(f"{low} to {high}")
    if benchmark.average is not None:
        figures.append(f"average {money.format(benchmark.average)}")
    if benchmark.median is not None:
        figures.append(f"median {money.format(benchmark.median)}")
    dated = "undated" if benchmark.as_of is None else f"as of {benchmark.as_of:%Y-%m}"
    note = f"; {benchmark.note}" if benchmark.note else ""
    return (
        f"{benchmark.region}, {benchmark.basis.value}: {', '.join(figures)} "
        f"({dated}; source: {benchmark.source}{note})"
    )


def kind_json(kind: "RoleKind") -> dict[str, Any]:
    from quarterdeck.catalog.kpis import kpi_catalog
    from quarterdeck.catalog.playbooks import playbook_catalog

    kpis, playbooks = kpi_catalog(), playbook_catalog()
    engagement = kind.engagement

    def span(value: Any) -> dict[str, int] | None:
        return None if value is None else {"low": value.low, "high": value.high}

    return {
        "key": kind.key,
        "name": kind.name,
        "neighbour": kind.neighbour,
        "focus": kind.focus,
        "owns": list(kind.owns),
        "co_owns": list(kind.co_owns),
        "influences": list(kind.influences),
        "success_measures": [
            {"key": key, "name": kpis.kpi(key).name} for key in kind.success_measures
        ],
        "engagement": {
            "mode": engagement.mode.value,
            "hours_per_week": span(engagement.hours_per_week),
            "months": span(engagement.months),
            "note": engagement.note,
        },
        "compensation": [
            {
                "region": b.region,
                "basis": b.basis.value,
                "currency": b.currency,
                "low": b.low,
                "high": b.high,
                "average": b.average,
                "median": b.median,
                "as_of": None if b.as_of is None else f"{b.as_of:%Y-%m}",
                "source": b.source,
                "note": b.note,
            }
            for b in kind.compensation
        ],
        "red_flags": list(kind.red_flags),
        "playbooks": [{"key": key, "name": playbooks.playbook(key).name} for key in kind.playbooks],
    }


@role_app.command("list")
def list_kinds(
    neighbours: Annotated[
        bool,
        typer.Option(
            "--neighbours",
            help="Also list the neighbouring roles (CIO, VP of Engineering, Head of "
            "Engineering, CPO) they are compared with.",
        ),
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Every kind of technology leader, with its focus and usual engagement."""
    from quarterdeck.catalog.roles import role_catalog

    kinds = [k for k in role_catalog().kinds if neighbours or not k.neighbour]
    if as_json:
        emit_json([kind_json(k) for k in kinds])
        return
    table(
        "Kinds of technology leader" + (" and neighbouring roles" if neighbours else ""),
        ["Kind", "Name", "Engagement", "Focus"],
        [
            (
                k.key + (" (neighbour)" if k.neighbour else ""),
                k.name,
                engagement_text(k.engagement),
                k.focus,
            )
            for k in kinds
        ],
    )


@role_app.command("show")
def show(kind: KindArg, as_json: JsonFlag = False) -> None:
    """One kind: focus, what it owns, co-owns and influences, success measures, engagement,
    pay benchmarks with their date and source, red flags and playbooks."""
    from quarterdeck.catalog.roles import role_catalog

    found = checked(lambda: role_catalog().kind(kind))
    described = kind_json(found)
    if as_json:
        emit_json(described)
        return
    say(f"{found.name} ({found.key}){' — a neighbouring role' if found.neighbour else ''}")
    say(found.focus)
    table(found.name, ["Field", "Value"], _rows(found, described))


def _rows(kind: "RoleKind", described: dict[str, Any]) -> list[tuple[str, str]]:
    measures = [f"{m['name']} ({m['key']})" for m in described["success_measures"]]
    playbooks = [f"{p['name']} ({p['key']})" for p in described["playbooks"]]
    return [
        ("Owns", "\n".join(kind.owns)),
        ("Co-owns", "\n".join(kind.co_owns) or "—"),
        ("Influences", "\n".join(kind.influences) or "—"),
        ("Success measures", "\n".join(measures)),
        ("Engagement", engagement_text(kind.engagement)),
        (
            "Pay benchmarks",
            "\n".join(benchmark_text(b) for b in kind.compensation) or "none published",
        ),
        ("Red flags", "\n".join(kind.red_flags)),
        ("Playbooks", "\n".join(playbooks) or "—"),
    ]


@role_app.command("compare")
def compare(
    kinds: Annotated[
        list[str],
        typer.Argument(help="Two to four kinds, e.g. cpto scaleup-cto.", metavar="KIND..."),
    ],
    as_json: JsonFlag = False,
) -> None:
    """Two to four kinds side by side, in the order given."""
    from quarterdeck.catalog.roles import role_catalog

    found = checked(lambda: role_catalog().compare(kinds))
    if as_json:
        emit_json([kind_json(k) for k in found])
        return
    columns = [[value for _, value in _rows(k, kind_json(k))] for k in found]
    labels = [label for label, _ in _rows(found[0], kind_json(found[0]))]
    rows = [("Focus", *(k.focus for k in found))]
    rows += [(label, *(column[i] for column in columns)) for i, label in enumerate(labels)]
    table("Kinds side by side", ["", *(f"{k.name} ({k.key})" for k in found)], rows)
