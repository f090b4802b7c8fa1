"""The demo organisation's scorecard: the quick-starter set plus the delivery, security,
service-desk and cost metrics Quarterdeck computes from the engineering records, each with
an owner and thresholds, and a few months of the hand-entered product and delivery values.

Set up through the same services a leader uses, so the cards show what the records say:
most are green or amber, and two are red for a reason the records hold (the change
failure rate has crept up; billing's criticals waited five weeks to be patched).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from quarterdeck.domain.access import Actor
from quarterdeck.domain.scorecard import BandThresholds, Cadence, Category, Thresholds
from quarterdeck.services import computed, scorecard
from quarterdeck.storage import UnitOfWork

__all__ = ["set_up_scorecard"]


def _lines(target: str, warning: str, critical: str) -> Thresholds:
    return Thresholds(Decimal(target), Decimal(warning), Decimal(critical))


def _band(low: str, high: str, critical_low: str, critical_high: str) -> BandThresholds:
    return BandThresholds(
        Decimal(low), Decimal(high), Decimal(critical_low), Decimal(critical_high)
    )


@dataclass(frozen=True, slots=True)
class _Choice:
    owner: str  # who answers for it: cto, cpo, vpe or lead
    thresholds: Thresholds | BandThresholds


# Every metric on the demo scorecard, with its owner and thresholds. The quick-starter set
# brings the first ten; the others are added.
_CHOICES = {
    "activation-rate": _Choice("cpo", _lines("45", "38", "30")),
    "retention-rate": _Choice("cpo", _lines("92", "88", "82")),
    "nps": _Choice("cpo", _lines("40", "30", "15")),
    "lead-time": _Choice("vpe", _lines("48", "96", "168")),
    "predictability": _Choice("vpe", _band("85", "110", "70", "130")),
    "escaped-defects": _Choice("lead", _lines("3", "6", "10")),
    "slo-attainment": _Choice("lead", _lines("99.9", "99.5", "99")),
    "mttr": _Choice("vpe", _lines("2", "8", "24")),
    "time-to-patch-critical": _Choice("cto", _lines("7", "14", "30")),
    "cost-per-customer": _Choice("cto", _lines("90", "110", "130")),
    "deployment-frequency": _Choice("vpe", _lines("10", "5", "2")),
    "change-failure-rate": _Choice("vpe", _lines("10", "15", "20")),
    "mtta": _Choice("vpe", _lines("5", "10", "30")),
    "open-critical-high": _Choice("cto", _lines("0", "2", "10")),
    "sla-compliance": _Choice("vpe", _lines("95", "90", "80")),
    "cloud-spend-variance": _Choice("cto", _band("-5", "5", "-12", "12")),
    "cost-per-transaction": _Choice("cto", _lines("0.22", "0.27", "0.32")),
}
_CATEGORY_OWNERS = {
    Category.PRODUCT: "cpo",
    Category.DELIVERY: "vpe",
    Category.RELIABILITY: "vpe",
    Category.SECURITY: "cto",
    Category.COST: "cto",
    Category.IT_SERVICE: "vpe",
}
# Hand-entered values of the latest six review periods, oldest first, with who enters
# them and where they come from.
_ENTERED = {
    "activation-rate": (
        "cpo",
        "Product analytics, new accounts",
        (41.2, 42.0, 41.5, 43.1, 43.8, 44.6),
    ),
    "retention-rate": (
        "cpo",
        "Product analytics, 90-day cohorts",
        (93.1, 92.8, 93.4, 93.0, 93.6, 93.9),
    ),
    "nps": ("cpo", "In-app survey", (31, 29, 33, 34, 36, 35)),
    "predictability": ("vpe", "Sprint reviews", (92, 88, 79, 84, 90, 87)),
    "escaped-defects": ("vpe", "Bugs reported by customers", (5, 4, 6, 3, 4, 4)),
    "slo-attainment": (
        "lead",
        "Tracking API availability",
        (99.95, 99.92, 99.71, 99.88, 99.93, 99.86),
    ),
}


def set_up_scorecard(
    uow: UnitOfWork,
    *,
    workspace: str,
    people: Mapping[str, Actor],
    owners: Mapping[str, str],
) -> int:
    """Put the demo's metrics on the scorecard with owners and thresholds, name who answers
    for each category, and enter the hand-kept values; returns how many metrics. `people`
    and `owners` hold the demo leaders (actors, and names as owners) by cto, cpo, vpe, lead."""
    cto = people["cto"]
    tracked = scorecard.start_from_set(uow, actor=cto, workspace=workspace, kpi_set="quick-starter")
    cadences = {}
    for metric in tracked:
        choice = _CHOICES[metric.key]
        cadences[metric.key] = metric.cadence
        scorecard.configure(
            uow,
            actor=cto,
            workspace=workspace,
            key=metric.key,
            expected_version=metric.version,
            owner=owners[choice.owner],
            thresholds=choice.thresholds,
        )
    present = {metric.key for metric in tracked}
    for key, choice in _CHOICES.items():
        if key not in present:
            scorecard.add_metric(
                uow,
                actor=cto,
                workspace=workspace,
                key=key,
                owner=owners[choice.owner],
                thresholds=choice.thresholds,
            )
    _, version = scorecard.category_owners(uow, actor=cto, workspace=workspace)
    for category, holder in _CATEGORY_OWNERS.items():
        _, version = scorecard.set_category_owner(
            uow,
            actor=cto,
            workspace=workspace,
            category=category,
            owner=owners[holder],
            expected_version=version,
        )
    _enter_values(uow, workspace=workspace, people=people, cadences=cadences)
    return len(_CHOICES)


def _enter_values(
    uow: UnitOfWork,
    *,
    workspace: str,
    people: Mapping[str, Actor],
    cadences: Mapping[str, Cadence],
) -> None:
    """Each value as if entered the morning after its period ended: the unit of work's
    clock is set back for it, then restored."""
    real_clock = uow.clock
    ws = uow.workspaces.by_slug(workspace)
    assert ws is not None
    today = ws.local(uow.now()).date()
    try:
        for key, (who, note, values) in _ENTERED.items():
            windows = computed.periods(cadences[key], today, ws.time_zone, count=len(values))
            for window, value in zip(windows, values, strict=True):
                entered = datetime.combine(window.last + timedelta(days=1), time(9, 10), UTC)
                uow.clock = _stopped_at(min(entered, real_clock()))
                scorecard.record(
                    uow,
                    actor=people[who],
                    workspace=workspace,
                    key=key,
                    period_end=window.last,
                    value=Decimal(str(value)),
                    note=f"{note} (demo)",
                )
    finally:
        uow.clock = real_clock


def _stopped_at(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment
