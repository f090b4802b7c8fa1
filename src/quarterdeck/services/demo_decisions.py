"""The demo organisation's decision log: fictional, believable, and plainly demo data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
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
    by: str  # who records it: cto, cpo, vpe, ceo or lead
    context: str
    decision: str = ""
    revisit_on: date | None = None
    revisit_condition: str = ""
    spend: int | None = None
    one_way: bool = False
    cross_team: bool = False
    security_exception: bool = False
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
    _Demo(
        "Require a second reviewer for database migrations",
        "process",
        A,
        "lead",
        "A migration locked the shipments table for nine minutes in peak hours.",
        "Every migration gets a platform reviewer and runs through the online-schema tool.",
        tags=("ways-of-working",),
    ),
    _Demo(
        "Blameless review within five working days of every serious incident",
        "process",
        A,
        "lead",
        "Reviews happen weeks late or not at all, and the same causes come back.",
        "Sev-1 and sev-2 incidents get a written, blameless review within five working days.",
        tags=("ways-of-working",),
    ),
    _Demo(
        "Keep pull requests under 400 changed lines",
        "process",
        A,
        "lead",
        "Large pull requests wait three days for review and hide defects.",
        "Split work so a pull request changes at most 400 lines, generated files excepted.",
        tags=("ways-of-working",),
    ),
    _Demo(
        "Asynchronous stand-ups for the tracking team",
        "process",
        A,
        "lead",
        "The team spans three time zones; the daily call lands at 7 am for one of them.",
        "Written updates in the team channel by 10 am local time; one live sync a week.",
        tags=("ways-of-working",),
    ),
    _Demo(
        "A rotating interrupt engineer on the tracking team",
        "process",
        A,
        "lead",
        "Support questions break everyone's focus several times a day.",
        "One engineer a week takes every interrupt; the others stay on planned work.",
        tags=("ways-of-working",),
    ),
    _Demo(
        "Buy a hosted feature-flag service instead of our home-grown toggles",
        "vendor",
        P,
        "vpe",
        "The toggle table has no audit trail and no gradual rollouts; two incidents last "
        "quarter came from a flag flipped in the wrong environment.",
        "Buy a hosted flag service with per-environment keys and an audit log.",
        spend=32000,
        tags=("delivery",),
    ),
    _Demo(
        "Give the data team read access to production replicas",
        "security",
        P,
        "lead",
        "Weekly exports to the analytics warehouse take two days of engineer time; the data "
        "team asks to query a read replica directly, which our access policy does not allow.",
        "Grant a read-only role on one replica, masked contact columns, reviewed quarterly.",
        security_exception=True,
        tags=("exception", "data"),
    ),
    _Demo(
        "Rate-limit the tracking API per customer tier",
        "architecture",
        P,
        "lead",
        "Two large shippers poll every few seconds and slow tracking for everyone else.",
        "Per-tier limits at the gateway; the CPO's tiers decide the numbers.",
        cross_team=True,
        tags=("api",),
    ),
    _Demo(
        "Replace the on-call paging tool with the one the support desk uses",
        "process",
        P,
        "lead",
        "Support and engineering page through two tools; hand-offs get lost between them.",
        "Move engineering paging to the support desk's tool when the contract renews.",
        revisit_condition="If paging latency rises in the first month.",
    ),
)


# Who holds each leadership role in the demo (demo.py gives them the roles).
_HOLDER = {"cto": "cto", "cpo": "cpo", "vp-engineering": "vpe", "ceo": "ceo", "team-lead": "lead"}
# Hours from proposed to decided, cycled over the decided items: a believable spread.
_LATENCY_HOURS = (3, 26, 50, 7, 96, 18, 30, 140, 5, 44, 20, 70)


def record_demo_decisions(uow: UnitOfWork, *, workspace: str, people: dict[str, Actor]) -> int:
    """Record the demo log through the same services people use; returns how many.

    The log is spread over the past months: the unit of work's clock is set back to when
    each decision was proposed and decided, then restored. Proposals that go beyond their
    proposer's decision rights land in the approval queue; decided ones are decided by
    whoever the rights say (the approver, or the proposer inside their rights).
    """
    real_clock = uow.clock
    start = real_clock()
    try:
        return _record_all(uow, workspace=workspace, people=people, now=start)
    finally:
        uow.clock = real_clock


def _stopped_at(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


def _record_all(uow: UnitOfWork, *, workspace: str, people: dict[str, Actor], now: datetime) -> int:
    numbers: list[int] = []
    decided_count = 0
    for index, item in enumerate(DEMO):
        actor = people[item.by]
        # Oldest first, about a week apart; the proposals still waiting are the newest.
        proposed_at = now - timedelta(days=7 * (len(DEMO) - index) - 3, hours=index % 5)
        uow.clock = _stopped_at(proposed_at)
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
            security_exception=item.security_exception,
            tags=item.tags,
            taken_in="Weekly leadership sync (demo)",
        )
        recorded = decisions.record(uow, actor=actor, workspace=workspace, content=content)
        numbers.append(recorded.number)
        if item.status == P:
            continue
        first = DecisionStatus.REJECTED if item.status == R else DecisionStatus.ACCEPTED
        decider = people[_HOLDER[recorded.awaiting]] if recorded.awaiting else actor
        decided_at = proposed_at + timedelta(
            hours=_LATENCY_HOURS[decided_count % len(_LATENCY_HOURS)]
        )
        decided_count += 1
        uow.clock = _stopped_at(decided_at)
        decided = decisions.decide(
            uow,
            actor=decider,
            workspace=workspace,
            number=recorded.number,
            expected_version=recorded.version,
            to=first,
        )
        if item.status == D:
            decisions.decide(
                uow,
                actor=decider,
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
