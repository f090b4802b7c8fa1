"""The role catalog pages: every kind of technology leader (neighbouring roles marked), one
kind in full (what it owns, how its success is measured, how it is engaged and paid, its red
flags, playbooks and assessments), and two to four kinds side by side. Reference data read
from the shipped catalogs; nothing here belongs to a workspace, so any signed-in person reads
it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from quarterdeck.catalog.assessments import assessment_catalog
from quarterdeck.catalog.kpis import kpi_catalog
from quarterdeck.catalog.roles import COMPARE_SIZE, role_catalog
from quarterdeck.domain.assessments import Assessment
from quarterdeck.domain.errors import NotFound, QuarterdeckError
from quarterdeck.domain.kpis import KpiDefinition
from quarterdeck.domain.playbooks import Playbook
from quarterdeck.domain.role_kinds import (
    CompensationBasis,
    CompensationBenchmark,
    Engagement,
    RoleKind,
)
from quarterdeck.web.policies import Signed, SignedInDep
from quarterdeck.web.statuses import status_for
from quarterdeck.web.ui.rendering import PageError, render

__all__ = ["KindView", "benchmark_text", "engagement_text", "kind_view", "router", "signed_page"]

router = APIRouter(prefix="/roles")
KEY_LIMIT = 48  # the catalog's longest key

_BASIS = {
    CompensationBasis.YEARLY: "a year",
    CompensationBasis.HOURLY: "an hour",
    CompensationBasis.DAILY: "a day",
    CompensationBasis.MONTHLY_RETAINER: "a month, as a retainer",
}


def engagement_text(engagement: Engagement) -> str:
    """How a kind is engaged, in one line: the mode, hours a week or months, and the note."""
    parts = [engagement.mode.value.capitalize()]
    if engagement.hours_per_week is not None:
        span = engagement.hours_per_week
        parts.append(f"{span.low}-{span.high} hours a week")
    if engagement.months is not None:
        parts.append(f"{engagement.months.low}-{engagement.months.high} months")
    text = ", ".join(parts)
    return f"{text}. {engagement.note}" if engagement.note else f"{text}."


def benchmark_text(benchmark: CompensationBenchmark) -> str:
    """One pay figure with its region and what it pays for (its date and source are shown
    beside it)."""
    money = "{:,} " + benchmark.currency
    figures = []
    if benchmark.low is not None and benchmark.high is not None:
        figures.append(f"{money.format(benchmark.low)} to {money.format(benchmark.high)}")
    elif benchmark.low is not None:
        figures.append(f"from {money.format(benchmark.low)}")
    elif benchmark.high is not None:
        figures.append(f"up to {money.format(benchmark.high)}")
    if benchmark.average is not None:
        figures.append(f"average {money.format(benchmark.average)}")
    if benchmark.median is not None:
        figures.append(f"median {money.format(benchmark.median)}")
    return f"{benchmark.region}: {', '.join(figures)} {_BASIS[benchmark.basis]}"


def benchmark_dated(benchmark: CompensationBenchmark) -> str:
    """Where a figure comes from and how fresh it is."""
    when = "undated" if benchmark.as_of is None else f"as of {benchmark.as_of:%B %Y}"
    note = f"; {benchmark.note}" if benchmark.note else ""
    return f"{when}; source: {benchmark.source}{note}"


@dataclass(frozen=True, slots=True)
class KindView:
    """A kind with the catalog entries its keys point to."""

    kind: RoleKind
    engagement: str
    measures: tuple[KpiDefinition, ...]
    playbooks: tuple[Playbook, ...]
    assessments: tuple[Assessment, ...]


def kind_view(kind: RoleKind) -> KindView:
    kpis = kpi_catalog()
    return KindView(
        kind=kind,
        engagement=engagement_text(kind.engagement),
        measures=tuple(kpis.kpi(key) for key in kind.success_measures),
        playbooks=role_catalog().playbooks_for(kind.key),
        assessments=assessment_catalog().for_role(kind.key),
    )


def signed_page(signed: Signed, **extra: object) -> dict[str, object]:
    """What every page outside a workspace needs: who is signed in and the CSRF token."""
    return {"actor": signed.actor, "csrf_token": signed.csrf_token, **extra}


def _picker(chosen: Sequence[str]) -> dict[str, object]:
    low, high = COMPARE_SIZE
    return {"kinds": role_catalog().kinds, "chosen": list(chosen), "low": low, "high": high}


@router.get("", response_class=HTMLResponse, name="roles")
def catalog(request: Request, signed: SignedInDep) -> Response:
    """Every kind of technology leader, then the neighbouring roles, each with its focus."""
    kinds = role_catalog().kinds
    page = signed_page(
        signed,
        leaders=[k for k in kinds if not k.neighbour],
        neighbours=[k for k in kinds if k.neighbour],
        engagement=engagement_text,
        **_picker(()),
    )
    return render(request, "roles.html", page)


@router.get("/compare", response_class=HTMLResponse, name="roles_compare")
def compare(request: Request, signed: SignedInDep) -> Response:
    """Two to four kinds side by side (`kinds`, repeated); with none chosen, the picker
    alone. A wrong choice (too few, too many, repeated or unknown) is named above the
    picker."""
    kinds = [key[: KEY_LIMIT + 1] for key in request.query_params.getlist("kinds")]
    if not kinds:
        return render(request, "roles_compare.html", signed_page(signed, views=[], **_picker(())))
    try:
        views = [kind_view(kind) for kind in role_catalog().compare(kinds)]
    except QuarterdeckError as exc:
        page = signed_page(signed, views=[], error=exc.message, **_picker(kinds))
        raise PageError("roles_compare.html", page, status_code=status_for(exc)) from exc
    page = signed_page(
        signed, views=views, benchmark=benchmark_text, dated=benchmark_dated, **_picker(kinds)
    )
    return render(request, "roles_compare.html", page)


@router.get("/{kind}", response_class=HTMLResponse, name="role_kind")
def kind(request: Request, signed: SignedInDep, kind: str) -> Response:
    """Everything the catalog says about one kind of leader."""
    roles = role_catalog()
    if kind not in roles.keys:
        raise NotFound("there is no such kind of leader; the catalog lists every kind")
    page = signed_page(
        signed,
        view=kind_view(roles.kind(kind)),
        benchmark=benchmark_text,
        dated=benchmark_dated,
        **_picker([kind]),
    )
    return render(request, "role_kind.html", page)
