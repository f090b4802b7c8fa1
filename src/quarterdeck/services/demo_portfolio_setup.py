"""The demo organisation's planning settings, teams and people, and outcome roadmap.
Fictional, and plainly demo data. Hiring and leaving dates are days after the next quarter
starts and leave is given per quarter counted from the current one, so the capacity model
looks the same whenever the demo is built."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from quarterdeck.domain.access import Actor
from quarterdeck.domain.capacity import quarter_bounds
from quarterdeck.services import capacity, portfolio_settings, roadmap
from quarterdeck.storage import UnitOfWork

__all__ = ["GOALS", "OUTCOMES", "TEAMS", "set_up"]

GOALS = (
    {"key": "enterprise-revenue", "title": "Grow revenue from enterprise shippers", "weight": 3},
    {"key": "cost-to-serve", "title": "Cut the cost to serve each shipment", "weight": 2},
    {
        "key": "shipper-trust",
        "title": "Keep shippers' trust: tracking that is on time, correct and secure",
        "weight": 3,
    },
)
WEIGHTS = {"strategic": 3, "departmental": 1, "resources": 1, "viability": 2, "risk": "1.5"}
SPLIT = (
    {"kind": "product-bet", "target": 60, "minimum": 50, "maximum": 70},
    {"kind": "platform-investment", "target": 25, "minimum": 15, "maximum": 35},
    {"kind": "risk-reduction", "target": 15, "minimum": 10, "maximum": 25},
)

# key, theme, title, metric, target, quarter (0: the current one)
OUTCOMES = (
    (
        "enterprise-conversion",
        "Win and grow enterprise shippers",
        "More enterprise trials become contracts",
        "conversion-rate",
        "30 % of enterprise trials sign within 60 days (from 18 %)",
        1,
    ),
    (
        "enterprise-expansion",
        "Win and grow enterprise shippers",
        "Enterprise shippers send more through us",
        "net-revenue-retention",
        "115 % net revenue retention over four quarters (from 104 %)",
        3,
    ),
    (
        "faster-onboarding",
        "Win and grow enterprise shippers",
        "A new shipper tracks live shipments in days, not weeks",
        "time-to-value",
        "Median 10 days from contract to first live shipment (from 34)",
        2,
    ),
    (
        "fewer-wismo",
        "Cheaper to serve every shipment",
        "Fewer 'where is my shipment?' contacts",
        "support-ticket-volume",
        "30 % fewer shipment-status tickets per 1,000 shipments",
        2,
    ),
    (
        "cost-per-shipment",
        "Cheaper to serve every shipment",
        "Lower infrastructure cost per tracked shipment",
        "cost-per-transaction",
        "GBP 0.018 per tracked shipment (from GBP 0.026)",
        3,
    ),
    (
        "tracking-freshness",
        "Tracking shippers can trust",
        "Carrier events show up fast, every time",
        "slo-attainment",
        "99.9 % of carrier events visible within 2 minutes",
        1,
    ),
    (
        "safer-releases",
        "Tracking shippers can trust",
        "Releases that do not break shippers' integrations",
        "change-failure-rate",
        "Below 10 % of production changes cause a failure (from 19 %)",
        2,
    ),
    (
        "security-hygiene",
        "Tracking shippers can trust",
        "Security problems are fixed fast",
        "time-to-patch-critical",
        "Critical vulnerabilities patched within 7 days",
        1,
    ),
)


@dataclass(frozen=True, slots=True)
class _Member:
    name: str
    fte: str = "1"
    leave: Mapping[int, int] = field(default_factory=dict)  # quarter (0: current) -> weeks
    joins: int | None = None  # days after the next quarter starts
    leaves: int | None = None  # days after the next quarter starts


# key, name, keep-the-lights-on reserve (%), parallel initiatives, people
TEAMS = (
    (
        "tracking",
        "Tracking",
        20,
        4,
        (
            _Member("Lena Fischer", leave={1: 2}),
            _Member("Tomasz Wójcik", leave={2: 3}),
            _Member("Aoife Byrne", leave={0: 1, 2: 2}),
            _Member("Rui Carvalho", "0.8"),
            _Member("Sipho Ndlovu", leave={3: 2}),
        ),
    ),
    (
        "billing",
        "Billing and payments",
        15,
        3,
        (
            _Member("Marek Nowak"),
            _Member("Chloé Martin", leave={1: 2}),
            _Member("Arjun Mehta", leave={3: 3}),
            _Member("Fatima Bennani", leaves=45),
            _Member("Oliver Hughes", "0.5"),
        ),
    ),
    (
        "portal",
        "Shipper portal and mobile",
        15,
        4,
        (
            _Member("Emily Tremblay"),
            _Member("Diego Hernández", leave={0: 2}),
            _Member("Grace Kim"),
            _Member("Kwame Mensah", leave={2: 2}),
            _Member("Beatriz Lima", "0.8"),
            _Member("Hana Sato", joins=14),
        ),
    ),
    (
        "platform",
        "Platform",
        25,
        3,
        (
            _Member("Jonas Berg"),
            _Member("Mei Chen", leave={1: 2}),
            _Member("Liam O'Connor", leave={3: 2}),
            _Member("Nadia Petrova", "0.8"),
        ),
    ),
    (
        "data",
        "Data and routing",
        10,
        2,
        (
            _Member("Ingrid Solberg"),
            _Member("Yusuf Demir", leave={2: 2}),
            _Member("Carmen Ortega", "0.5"),
            _Member("Tariq Aziz"),
        ),
    ),
)


def set_up(
    uow: UnitOfWork, workspace: str, people: dict[str, Actor], quarters: tuple[str, ...]
) -> None:
    """Planning settings and outcomes (by the CPO), teams and their people (by the VP
    Engineering), for `quarters` (the current quarter first)."""
    portfolio_settings.set_planning_settings(
        uow,
        actor=people["cpo"],
        workspace=workspace,
        expected_version=0,
        quarters=quarters,
        goals=list(GOALS),
        method="five-criteria",
        weights=WEIGHTS,
        splits={quarter: list(SPLIT) for quarter in quarters},
        value_unit="points",
        time_limit=10,
    )
    next_starts = quarter_bounds(quarters[1])[0]
    vpe = people["vpe"]
    for key, name, reserve, parallel, members in TEAMS:
        capacity.add_team(
            uow,
            actor=vpe,
            workspace=workspace,
            key=key,
            name=name,
            reserve_percent=reserve,
            max_parallel=parallel,
        )
        for member in members:
            capacity.put_person(
                uow,
                actor=vpe,
                workspace=workspace,
                name=member.name,
                team=key,
                fte=member.fte,
                starts_on=_day(next_starts, member.joins),
                ends_on=_day(next_starts, member.leaves),
                leave={quarters[q]: weeks for q, weeks in member.leave.items()},
            )
    for key, theme, title, metric, target, quarter in OUTCOMES:
        roadmap.put_outcome(
            uow,
            actor=people["cpo"],
            workspace=workspace,
            key=key,
            theme=theme,
            title=title,
            metric=metric,
            target=target,
            quarter=quarters[quarter],
        )


def _day(start: date, days: int | None) -> date | None:
    return None if days is None else start + timedelta(days=days)
