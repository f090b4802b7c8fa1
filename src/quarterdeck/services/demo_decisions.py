"""The demo organisation's decision log: fictional, believable, and plainly demo data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from quarterdeck.domain.access import Actor
from quarterdeck.domain.decisions import DecisionContent, DecisionStatus, Reversibility
from quarterdeck.services import decisions
from quarterdeck.storage import UnitOfWork

__all__ = ["record_demo_decisions"]

A, P, R, D = "accepted", "proposed", "rejected", "deprecated"


@dataclass(frozen=True)
class _Demo:
    title: str
    area: str
    status: str
    by: str  # who records it: cto, cpo or vpe
    context: str
    decision: str = ""
    revisit_on: date | None = None
    revisit_condition: str = ""
    spend: int | None = None
    one_way: bool = False
    cross_team: bool = False
    tags: tuple[str, ...] = ()
    supersedes: tuple[int, ...] = field(default=())  # positions (1-based) in DEMO
    amends: tuple[int, ...] = field(default=())


DEMO = (
    _Demo(
        "Adopt trunk-based development behind feature flags",
        "process",
        A,
        "vpe",
        "Long-lived branches make releases slip by a week on average.",
        "Merge to main daily; unfinished work ships dark behind flags.",
        revisit_on=date(2026, 9, 1),
        tags=("delivery",),
    ),
    _Demo(
        "Run our own Kafka cluster for shipment events",
        "architecture",
        A,
        "cto",
        "Tracking events need ordering per shipment and replay for a week.",
        "Operate a three-broker Kafka cluster on our Kubernetes platform.",
        one_way=True,
        spend=40000,
        tags=("events",),
    ),
    _Demo(
        "Move shipment events to a managed event streaming service",
        "architecture",
        A,
        "cto",
        "Running Kafka took one platform engineer's time every week and caused two incidents.",
        "Migrate to the cloud provider's managed Kafka-compatible service.",
        spend=55000,
        cross_team=True,
        tags=("events", "platform"),
        supersedes=(2,),
    ),
    _Demo(
        "Buy an incident management tool rather than build one",
        "build-vs-buy",
        A,
        "vpe",
        "On-call paging and post-incident reviews live in three tools and a spreadsheet.",
        "Buy a hosted incident tool; integrate it with chat and the status page.",
        spend=18000,
        tags=("reliability",),
    ),
    _Demo(
        "Availability objective of 99.9% for the public tracking API",
        "reliability",
        A,
        "cto",
        "Carriers poll tracking every minute; outages reach their customers directly.",
        "Set a 99.9% monthly SLO with an error budget that pauses feature work when spent.",
        revisit_on=date(2027, 3, 31),
        tags=("slo",),
    ),
    _Demo(
        "Split a platform team out of the product teams",
        "hiring-structure",
        A,
        "vpe",
        "Six product teams each maintain their own deployment scripts.",
        "Form a platform team of five that owns CI, runtime and observability.",
        one_way=True,
        cross_team=True,
    ),
    _Demo(
        "Usage-based pricing tier for small carriers",
        "pricing-packaging",
        P,
        "cpo",
        "Small carriers churn at the seat-based price; usage is spiky and seasonal.",
        revisit_condition="Once three months of metering data exist.",
    ),
    _Demo(
        "Use a language model to read bills of lading",
        "data-ai",
        P,
        "cpo",
        "Operators type 4,000 documents a week by hand; errors delay customs clearance.",
        spend=60000,
        cross_team=True,
        tags=("ai",),
    ),
    _Demo(
        "Security exception: keep TLS 1.1 for one legacy carrier until June",
        "security",
        A,
        "cto",
        "One large carrier's gateway cannot negotiate TLS 1.2 before its own upgrade.",
        "Allow TLS 1.1 on a dedicated endpoint, IP-restricted, until the end of June.",
        revisit_on=date(2026, 6, 30),
        tags=("exception",),
    ),
    _Demo(
        "Consolidate observability on one vendor",
        "vendor",
        A,
        "vpe",
        "Logs, metrics and traces sit with three vendors costing more than the platform team.",
        "Move all telemetry to one vendor over two quarters.",
        spend=90000,
        cross_team=True,
    ),
    _Demo(
        "Freeze features for two sprints to pay down on-call debt",
        "roadmap",
        R,
        "vpe",
        "Pages per on-call week doubled this quarter.",
        "Rejected: targeted reliability work inside the error budget instead of a freeze.",
    ),
    _Demo(
        "Sequence route optimisation before the customs module",
        "roadmap",
        A,
        "cpo",
        "Both bets need the same two teams; route optimisation has signed design partners.",
        "Route optimisation first, customs module from next quarter.",
        revisit_on=date(2027, 1, 15),
    ),
    _Demo(
        "PostgreSQL 16 is the default database for new services",
        "architecture",
        A,
        "cto",
        "Teams picked four different databases for new services last year.",
        "New services use PostgreSQL 16 unless an architecture review agrees otherwise.",
        tags=("database",),
    ),
    _Demo(
        "Allow a wide-column store for the telematics ingest path",
        "architecture",
        A,
        "cto",
        "Truck telematics write 50,000 points a second, beyond what one PostgreSQL node takes.",
        "The telematics ingest path may use a managed wide-column store.",
        tags=("database",),
        amends=(13,),
    ),
    _Demo(
        "Hire a head of data",
        "hiring-structure",
        P,
        "cto",
        "Data work is spread over four teams with nobody owning quality or the platform.",
        one_way=True,
    ),
    _Demo(
        "Retire the SOAP carrier integration",
        "architecture",
        D,
        "cto",
        "Only two carriers still use the SOAP interface.",
        "Keep SOAP for existing carriers, no new ones (since replaced by the retirement plan).",
    ),
    _Demo(
        "Cap cloud spend at 45,000 a month",
        "spend",
        A,
        "cto",
        "Cloud costs grew 35% in six months while shipments grew 12%.",
        "Hold spend under 45,000 a month; teams see their share weekly.",
        revisit_condition="If shipment volume grows more than 30% in a quarter.",
    ),
    _Demo(
        "The web platform team owns the shared design system",
        "cross-team",
        A,
        "cpo",
        "Three front ends drifted apart; fixes are made three times.",
        "Web platform owns the design system; product teams contribute through review.",
        cross_team=True,
    ),
    _Demo(
        "One-way-door decisions go through the weekly architecture review",
        "process",
        A,
        "cto",
        "Two irreversible choices were made in team channels without wider input.",
        "Any one-way door is brought to the weekly architecture review before it is taken.",
    ),
    _Demo(
        "Self-host CI runners",
        "build-vs-buy",
        R,
        "vpe",
        "Hosted CI minutes cost 6,000 a month.",
        "Rejected: the saving does not cover the upkeep of runners.",
    ),
    _Demo(
        "Encrypt personal data at field level in the customer database",
        "security",
        P,
        "cto",
        "An enterprise customer's audit asks for field-level protection of contact data.",
        spend=25000,
        one_way=True,
    ),
    _Demo(
        "Customs module MVP covers the EU only",
        "roadmap",
        A,
        "cpo",
        "Customs rules differ by region; EU shippers are 70% of the pipeline.",
        "Build for EU customs first; the UK follows after the first five customers.",
        revisit_on=date(2026, 10, 15),
    ),
)


def record_demo_decisions(uow: UnitOfWork, *, workspace: str, people: dict[str, Actor]) -> int:
    """Record the demo log through the same services people use; returns how many."""
    numbers: list[int] = []
    for item in DEMO:
        actor = people[item.by]
        content = DecisionContent(
            title=item.title,
            area=item.area,
            context=item.context,
            decision=item.decision,
            deciders=(actor.label,),
            revisit_on=item.revisit_on,
            revisit_condition=item.revisit_condition,
            estimated_spend=None if item.spend is None else Decimal(item.spend),
            reversibility=Reversibility.ONE_WAY if item.one_way else Reversibility.TWO_WAY,
            cross_team=item.cross_team,
            tags=item.tags,
            taken_in="Weekly leadership sync (demo)",
        )
        recorded = decisions.record(uow, actor=actor, workspace=workspace, content=content)
        numbers.append(recorded.number)
        if item.status == P:
            continue
        first = DecisionStatus.REJECTED if item.status == R else DecisionStatus.ACCEPTED
        decided = decisions.decide(
            uow,
            actor=people["cto"],
            workspace=workspace,
            number=recorded.number,
            expected_version=recorded.version,
            to=first,
        )
        if item.status == D:
            decisions.decide(
                uow,
                actor=people["cto"],
                workspace=workspace,
                number=recorded.number,
                expected_version=decided.version,
                to=DecisionStatus.DEPRECATED,
            )
        for old in item.supersedes:
            decisions.supersede(
                uow, actor=actor, workspace=workspace, number=numbers[old - 1], by=recorded.number
            )
        for target in item.amends:
            decisions.amend(
                uow,
                actor=actor,
                workspace=workspace,
                number=numbers[target - 1],
                by=recorded.number,
            )
    return len(numbers)
