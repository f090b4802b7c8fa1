"""How the demo organisation's intake is written down (`DemoItem`), and what the demo adds to
items once they are in: the two urgent requests that come after the plan, evidence
checkpoints and cost-benefit figures. Fictional, and plainly demo data. The items are in
`demo_portfolio_bets`, `demo_portfolio_service_bets`, `demo_portfolio_platform` and
`demo_portfolio_risks`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from quarterdeck.domain.planning import Kind

__all__ = ["CHECKPOINTS", "COST_BENEFIT", "DemoItem", "urgent_items"]


@dataclass(frozen=True, slots=True)
class DemoItem:
    """One request as the demo enters it. `fit` is how strongly it serves the three goals
    (enterprise revenue, cost to serve, shippers' trust), `five` the other four criteria
    (departmental needs, resources, viability, risk), all 0-5."""

    slug: str  # how the demo refers to it before it has a number
    title: str
    requester: str
    department: str
    description: str
    effort: Mapping[str, int]  # team -> person-weeks
    value: int
    success: float
    fit: tuple[int, int, int]
    five: tuple[int, int, int, int]
    kind: Kind = Kind.PRODUCT_BET
    status: str = "proposed"
    hypothesis: str = ""
    smallest_bet: str = ""
    outcome: str = ""
    urgency: str = "normal"
    urgency_reason: str = ""
    missing: tuple[str, ...] = ()  # ready checks not confirmed yet
    requires: tuple[str, ...] = ()
    alternative: str = ""
    mandatory: bool = False
    backed: bool = True  # do the department heads back it
    rice: tuple[float, ...] = ()  # reach, impact, confidence, effort
    wsjf: tuple[int, ...] = ()  # business value, time criticality, risk reduction, job size
    metrics: tuple[str, str] = ("", "")  # primary outcome metric, guardrail metric
    by: str = "vpe"  # the demo account that enters it


def urgent_items(carriers_switch: date, audit_due: date) -> tuple[DemoItem, DemoItem]:
    """The security audit finding escalated after the plan was accepted, and the customs
    rules still waiting to be planned (`URGENT_CANDIDATE`)."""
    audit = DemoItem(
        "api-keys",
        "Expire shipper API keys and stop showing them in full",
        "Sofia Rossi, account manager for Calder Pharma",
        "Sales",
        "Calder Pharma's supplier security audit found that shipper API keys never expire, are "
        "shown in full in the portal and cannot be limited to the shipper's own addresses. "
        "Keys get an expiry date, are shown once, and can be limited to listed IP ranges.",
        {"tracking": 12, "portal": 8},
        30,
        0.9,
        (4, 0, 5),
        (5, 4, 5, 1),
        kind=Kind.RISK_REDUCTION,
        outcome="security-hygiene",
        urgency="urgent",
        urgency_reason="Calder Pharma (our largest pharma account) renews only with the audit "
        f"findings closed by {audit_due.day} {audit_due:%B %Y}",
        by="cto",
    )
    customs = DemoItem(
        "ics2",
        "Send customs data for the EU's ICS2 rules",
        "Matteo Bianchi, Head of Carrier Partnerships",
        "Partnerships",
        "Under the EU's Import Control System 2, road carriers must file entry summary data "
        "for each consignment before it reaches the border: six-digit commodity codes, seller "
        "and buyer, and the goods description. Our shippers' carriers need it from us with "
        "each booking.",
        {"tracking": 16},
        45,
        0.85,
        (4, 0, 5),
        (5, 4, 4, 2),
        kind=Kind.RISK_REDUCTION,
        outcome="enterprise-expansion",
        urgency="urgent",
        urgency_reason=f"from {carriers_switch.day} {carriers_switch:%B %Y} our two largest "
        "road carriers refuse EU-bound consignments booked without ICS2 data; four "
        "enterprise shippers send goods into the EU every day",
        by="cpo",
    )
    return audit, customs


CHECKPOINTS: Mapping[str, tuple[tuple[str, bool, str, str], ...]] = {
    # slug -> (checkpoint, done, note, link)
    "multi-site": (
        (
            "problem-validated",
            True,
            "Interviews with six enterprise trial accounts: five run three or more sites and "
            "two stalled in procurement over separate contracts per site.",
            "https://wiki.harbourline.example/discovery/multi-site-interviews",
        ),
        (
            "experiment-plan",
            True,
            "Brightwater Foods pilots a site switcher for six weeks; success is weekly use by "
            "their operations team and a signed group contract.",
            "https://wiki.harbourline.example/discovery/multi-site-pilot",
        ),
    ),
    "branded-page": (
        (
            "problem-validated",
            True,
            "41 % of 'where is my shipment?' tickets come from recipients who never found the "
            "carrier's page.",
            "https://wiki.harbourline.example/discovery/wismo-ticket-analysis",
        ),
        (
            "experiment-plan",
            True,
            "Two shippers get a branded page first; compare tickets per 1,000 shipments with "
            "the four weeks before.",
            "",
        ),
        (
            "post-launch",
            False,
            "Measure six weeks after the page is on for every shipper.",
            "",
        ),
    ),
    "eta-live": (
        (
            "problem-validated",
            True,
            "32 % of support tickets last quarter asked when a shipment would arrive; the "
            "carrier's promised date was wrong for 34 % of shipments.",
            "https://wiki.harbourline.example/discovery/eta-accuracy",
        ),
    ),
    "sso": (
        (
            "post-launch",
            True,
            "Nine enterprise shippers switched it on in the first month; security "
            "questionnaires no longer stall on single sign-on.",
            "https://wiki.harbourline.example/launches/sso-review",
        ),
    ),
}

# slug -> period, yearly discount rate (%), costs, benefits per period (pounds)
COST_BENEFIT: Mapping[str, tuple[str, int, tuple[int, ...], tuple[int, ...]]] = {
    "routing-build": (
        "quarter",
        10,
        (120_000, 95_000, 35_000, 30_000, 30_000, 30_000, 30_000, 30_000),
        (0, 0, 35_000, 65_000, 85_000, 90_000, 90_000, 90_000),
    ),
    "routing-buy": (
        "quarter",
        10,
        (60_000, 26_000, 26_000, 26_000, 26_000, 26_000, 26_000, 26_000),
        (0, 40_000, 60_000, 65_000, 70_000, 70_000, 70_000, 70_000),
    ),
    "usage-pricing": (
        "quarter",
        10,
        (85_000, 40_000, 12_000, 12_000, 12_000, 12_000),
        (0, 30_000, 60_000, 80_000, 95_000, 105_000),
    ),
    "autoscaling": (
        "quarter",
        10,
        (45_000, 8_000, 4_000, 4_000),
        (10_000, 38_000, 42_000, 44_000),
    ),
}
