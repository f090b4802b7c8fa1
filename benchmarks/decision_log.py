"""Decision log: listing and searching 20,000 decisions in one workspace on SQLite, through
the service layer (`decisions.search`, what the log page and the API call) and end to end
through the web log page, against the raw stdlib sqlite3 query for the newest fifty rows on
the same file, same run.

The baseline is the floor any log page pays (one indexed query, no ORM, no JSON, no
authorization, no HTML); each ratio says what the layers and the filter cost on top. A page
a person waits for should stay under 100 ms. Run with `make bench`.
"""

from __future__ import annotations

import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from fastapi.testclient import TestClient

from quarterdeck.catalog.rights import rights_catalog
from quarterdeck.domain.access import Actor, ActorKind, Role
from quarterdeck.domain.decisions import DecisionContent, DecisionStatus, Option, Reversibility
from quarterdeck.services import accounts, decisions, members, workspaces
from quarterdeck.settings import Settings
from quarterdeck.storage import Database, make_engine, upgrade
from quarterdeck.web.app import create_app

DECISIONS = 20_000
PER_UNIT_OF_WORK = 5_000  # a few write transactions, like a large import would use
RUNS = 15
PAGE = 50  # the web log's page size (LOG_PAGE)
DEEP_OFFSET = 10_000
DUE_CAP = 500  # due_for_revisit returns at most this many
NOTICEABLE_MS = 100.0  # where a person starts to notice the wait
SEED = 20_000
SLUG = "bench"
EMAIL = "leader@bench.example"
PASSWORD = "correct horse battery staple"
TODAY = date(2026, 6, 1)
FIRST_RECORDED = datetime(2021, 1, 4, 9, 0, tzinfo=UTC)
WEB_QUERY = "status=accepted&area=architecture"
BASELINE_SQL = (
    "SELECT id, number, title FROM decisions WHERE workspace_id = ? ORDER BY number DESC LIMIT 50"
)

STATUS_WEIGHTS = {
    DecisionStatus.ACCEPTED: 55,
    DecisionStatus.PROPOSED: 15,
    DecisionStatus.SUPERSEDED: 12,
    DecisionStatus.REJECTED: 10,
    DecisionStatus.DEPRECATED: 8,
}
VERBS = (
    "Adopt", "Replace", "Retire", "Move", "Standardise on", "Split", "Buy", "Build",
    "Consolidate", "Pilot", "Sunset", "Outsource", "Harden", "Price", "Defer",
)  # fmt: skip
SUBJECTS = (
    "PostgreSQL", "Kafka", "the billing service", "feature flags", "the mobile app",
    "single sign-on", "the data warehouse", "the on-call rota", "Kubernetes", "the CDN",
    "the search index", "the public API", "usage-based pricing", "the design system",
    "the fraud model", "the vendor contract", "GraphQL", "the monolith", "Terraform",
    "the support desk",
)  # fmt: skip
QUALIFIERS = (
    "for checkout", "in the EU region", "for the data platform", "before the Series C",
    "for enterprise customers", "across all squads", "for the 2027 roadmap", "in staging first",
    "for the partner portal", "to cut egress cost", "under the new SLOs", "for reporting",
)  # fmt: skip
TEXT_QUERY = "kafka"  # one subject of twenty: about 5% of titles
TAGS = (
    "cost", "reliability", "security", "hiring", "compliance", "latency", "migration",
    "customer-facing", "platform", "tech-debt", "gdpr", "q3", "experiment", "vendor-risk",
)  # fmt: skip
TAG_QUERY = "gdpr"
PEOPLE = (
    "Maya Okafor", "Daniel Reyes", "Priya Nair", "Tom Lindqvist", "Ana Costa", "Jonas Becker",
    "Mei Chen", "Olu Adeyemi", "Dana Whitfield", "Sofia Marin", "Kenji Watanabe", "Leah Katz",
    "Ravi Shah", "Ines Duarte", "Sam Gallagher", "Aiko Tanaka", "Kwame Mensah", "Elif Demir",
    "Lukas Novak", "Nora Haddad", "Pedro Alves", "Hannah Berg", "Yusuf Kaya", "Claire Dubois",
)  # fmt: skip
DECIDER_QUERY = "Kenji Watanabe"
CONTEXT = (
    "The {subject} question came up again in the {quarter} planning review. Two incidents "
    "last quarter traced back to it and on-call load keeps growing; finance asked for a cost "
    "estimate before anything ships, and {count} services would be touched."
)


def content_for(number: int, rng: random.Random, areas: tuple[str, ...]) -> DecisionContent:
    subject = rng.choice(SUBJECTS)
    title = f"{rng.choice(VERBS)} {subject} {rng.choice(QUALIFIERS)}"
    revisit = TODAY + timedelta(days=rng.randint(-540, 720)) if rng.random() < 0.3 else None
    spend = rng.choice((None, None, 5_000, 40_000, 250_000))
    return DecisionContent(
        title=title,
        area=areas[number % len(areas)],
        context=CONTEXT.format(subject=subject, quarter=f"Q{number % 4 + 1}", count=number % 40),
        options=(
            Option(title=f"Go with {subject}", pros=("fast to start",), cons=("lock-in",)),
            Option(title="Keep what we have", pros=("no migration",), cons=("the pain stays",)),
        ),
        decision=f"We go with {subject}, starting with one team.",
        rationale="It is the cheapest option that removes the recurring incidents.",
        consequences="One more thing to run; the old path is retired within two quarters.",
        deciders=tuple(rng.sample(PEOPLE, rng.randint(1, 3))),
        consulted=tuple(rng.sample(PEOPLE, 2)),
        informed=("Product leadership",),
        reversibility=rng.choice((Reversibility.TWO_WAY, Reversibility.ONE_WAY)),
        estimated_spend=None if spend is None else Decimal(spend),
        cross_team=rng.random() < 0.25,
        revisit_on=revisit,
        revisit_condition="" if revisit is None else "when the migration is half done",
        tags=tuple(rng.sample(TAGS, rng.randint(0, 3))),
        taken_in=f"Architecture forum {number % 52 + 1}",
    )


def build(db: Database) -> Actor:
    """The account, the workspace and its decisions; returns the owner as a signed-in actor."""
    operator = Actor.operator("operator:bench")
    with db.unit_of_work(write=True) as uow:
        user = accounts.add_user(
            uow, actor=operator, email=EMAIL, display_name="Bench Leader", password=PASSWORD
        )
        workspaces.create(uow, actor=operator, slug=SLUG, name="Decision log benchmark")
        members.add(uow, actor=operator, workspace=SLUG, email=EMAIL, role=Role.OWNER)
    rng = random.Random(SEED)
    areas = rights_catalog().area_keys
    statuses, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    for first in range(1, DECISIONS + 1, PER_UNIT_OF_WORK):
        with db.unit_of_work(write=True) as uow:
            workspace = uow.workspaces.by_slug(SLUG)
            assert workspace is not None
            for number in range(first, min(first + PER_UNIT_OF_WORK, DECISIONS + 1)):
                recorded = FIRST_RECORDED + timedelta(hours=2 * number)
                status = rng.choices(statuses, weights)[0]
                uow.decisions.add(
                    workspace.id,
                    number=number,
                    status=status,
                    content=content_for(number, rng, areas),
                    author=EMAIL,
                    now=recorded,
                    decided_at=None if status is DecisionStatus.PROPOSED else recorded,
                )
    return Actor(kind=ActorKind.USER, label=user.email, user_id=user.id)


def median_ms(action: Callable[[], object]) -> float:
    action()  # unmeasured: warms SQLite's page cache, the ORM's statement cache, the templates
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def sign_in(client: TestClient) -> None:
    """Through the login form, as a browser would."""
    page = client.get("/login")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, "login page has no CSRF field"
    response = client.post(
        "/login",
        data={"email": EMAIL, "password": PASSWORD, "csrf_token": found.group(1)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


@dataclass(frozen=True, slots=True)
class Measured:
    label: str
    ms: float
    note: str = ""


def measure_baseline(path: Path) -> float:
    raw = sqlite3.connect(path)
    try:
        (workspace_id,) = raw.execute(
            "SELECT id FROM workspaces WHERE slug = ?", (SLUG,)
        ).fetchone()
        return median_ms(lambda: raw.execute(BASELINE_SQL, (workspace_id,)).fetchall())
    finally:
        raw.close()


def measure_services(db: Database, actor: Actor) -> list[Measured]:
    """Each search as the log page and the API make it: one read unit of work, one call."""

    def search(where: decisions.DecisionFilter) -> Callable[[], str]:
        def run() -> str:
            with db.unit_of_work(write=False) as uow:
                found, total = decisions.search(uow, actor=actor, workspace=SLUG, where=where)
            return f"{len(found)} of {total:,}"

        return run

    def due() -> str:
        with db.unit_of_work(write=False) as uow:
            found = decisions.due_for_revisit(uow, actor=actor, workspace=SLUG, on=TODAY)
        return f"{len(found)}" + (" (the service's cap)" if len(found) == DUE_CAP else "")

    page = decisions.DecisionFilter(limit=PAGE)
    cases: list[tuple[str, Callable[[], str]]] = [
        ("first page, newest first", search(page)),
        (
            "status=accepted + area=architecture",
            search(replace(page, status=DecisionStatus.ACCEPTED, area="architecture")),
        ),
        (f"tag={TAG_QUERY}", search(replace(page, tag=TAG_QUERY))),
        (f"decider={DECIDER_QUERY}", search(replace(page, decider=DECIDER_QUERY))),
        (f"title contains {TEXT_QUERY!r}", search(replace(page, text=TEXT_QUERY))),
        (f"due_for_revisit on {TODAY}", due),
        (f"deep page, offset {DEEP_OFFSET:,}", search(replace(page, offset=DEEP_OFFSET))),
    ]
    return [Measured(f"search: {label}", median_ms(run), run()) for label, run in cases]


def measure_page(db: Database, settings: Settings) -> Measured:
    """The filtered log page end to end: routing, session check, search, template, HTML."""
    url = f"/w/{SLUG}/decisions"
    with TestClient(create_app(settings, database=db)) as client:
        sign_in(client)

        def get() -> int:
            response = client.get(f"{url}?{WEB_QUERY}")
            assert response.status_code == 200, response.status_code
            return len(response.content)

        size = get()
        return Measured(f"web: GET {url}?{WEB_QUERY}", median_ms(get), f"{size / 1024:,.0f} KiB")


def report(built: float, baseline: float, rows: list[Measured]) -> None:
    print(f"Decision log of {DECISIONS:,} decisions on SQLite, median of {RUNS} runs")
    print(f"  ({sys.executable})")
    print(
        f"  build: {DECISIONS:,} decisions through uow.decisions.add in {built:.1f} s"
        f" ({DECISIONS / built:,.0f}/s)"
    )
    print(f"  {'raw sqlite3, newest 50 (baseline)':<62} {baseline:7.3f} ms")
    for row in rows:
        ratio = row.ms / baseline
        print(f"  {row.label:<62} {row.ms:7.1f} ms ({ratio:.1f}\u00d7 baseline)  {row.note}")
    page = rows[-1].ms
    verdict = "stays under" if page < NOTICEABLE_MS else "is OVER"
    print(
        f"  the filtered log page ({WEB_QUERY}, end to end) {verdict} the "
        f"{NOTICEABLE_MS:g} ms a person notices: {page:.1f} ms"
    )


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "quarterdeck.db"
        settings = Settings(database_url=f"sqlite:///{path}")
        engine = make_engine(settings.database_url)
        upgrade(engine)
        db = Database(engine)
        try:
            start = time.perf_counter()
            actor = build(db)
            built = time.perf_counter() - start
            baseline = measure_baseline(path)
            rows = [*measure_services(db, actor), measure_page(db, settings)]
        finally:
            db.dispose()
    report(built, baseline, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
