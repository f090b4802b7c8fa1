"""Two organisations in one installation, a movable clock, and ways to look at what is stored.

Shared by the API and UI suites (tests/web/conftest.py imports from here).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from quarterdeck.catalog.assessments import assessment_catalog
from quarterdeck.domain.access import Actor, ActorKind, Role, TokenScope, User
from quarterdeck.domain.decisions import DecisionContent, DecisionStatus
from quarterdeck.services import (
    assessments,
    capacity,
    decisions,
    engagements,
    intake,
    playbook_runs,
    portfolio_settings,
    roadmap,
    scorecard,
    tokens,
)
from quarterdeck.services.tokens import IssuedToken
from quarterdeck.storage import Database, UnitOfWork
from quarterdeck.storage.tables import AuditRow
from tests.api.routes import (
    ACCEPTED_DECISION,
    OTHER_ACCEPTED_DECISION,
    OUTCOME,
    PERSON,
    PLAN_QUARTERS,
    TEAM,
    TRACKED_METRIC,
    Target,
)
from tests.conftest import Factory

ALPHA = "alpha-corp"
BRAVO = "bravo-corp"
GHOST = "ghost-corp"  # never created: what a missing workspace answers
LEADERSHIP_PLAYBOOK = "new-cto-90-days"  # PB-1 of every tenant (`build_leadership`)
PAUSED_PLAYBOOK = "becoming-cto"  # PB-2 of every tenant, paused (`build_leadership`)
SITTING_ASSESSMENT = "cto-readiness"  # taken once by every tenant's owner (`sit_assessment`)
# Tables that hold what a workspace is; sessions and login attempts change on every sign-in.
STATE_TABLES = (
    "workspaces",
    "users",
    "memberships",
    "api_tokens",
    "audit_entries",
    "decisions",
    "decision_revisions",
    "decision_links",
    "decision_rights",
    "deployments",
    "incidents",
    "tickets",
    "cost_lines",
    "scans",
    "scan_findings",
    "commits",
    "git_tags",
    "git_repositories",
    "scorecard_metrics",
    "scorecard_settings",
    "measurements",
    "portfolio_settings",
    "portfolio_teams",
    "portfolio_people",
    "roadmap_outcomes",
    "intake_items",
    "portfolio_plans",
    "workspace_setups",
    "cadences",
    "playbook_runs",
    "engagements",
    "assessment_takes",
)


class MovableClock:
    """The app's clock, stopped at the moment the test started; only the test moves it."""

    def __init__(self) -> None:
        self.start = datetime.now(UTC)
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return self.start + self.offset

    def advance(self, **delta: float) -> None:
        self.offset += timedelta(**delta)


def as_person(user: User) -> Actor:
    return Actor(kind=ActorKind.USER, label=user.email, user_id=user.id)


@dataclass(frozen=True)
class Tenant:
    """One organisation: a member of each role, a spare viewer to remove, and two tokens."""

    slug: str
    owner: User
    editor: User
    viewer: User
    spare: User
    read_token: IssuedToken
    write_token: IssuedToken

    def user(self, role: Role) -> User:
        return {Role.OWNER: self.owner, Role.EDITOR: self.editor, Role.VIEWER: self.viewer}[role]

    def token(self, scope: TokenScope) -> IssuedToken:
        return self.read_token if scope is TokenScope.READ else self.write_token


@dataclass(frozen=True)
class World:
    alpha: Tenant
    bravo: Tenant
    newcomer: User  # an account that belongs to no workspace yet


def issue_token(
    db: Database,
    *,
    by: User,
    slug: str,
    scope: TokenScope,
    name: str = "ci",
    expires_at: datetime | None = None,
) -> IssuedToken:
    with db.unit_of_work(write=True) as uow:
        return tokens.create(
            uow,
            actor=as_person(by),
            workspace=slug,
            name=name,
            scope=scope,
            expires_at=expires_at,
        )


def record_decisions(db: Database, *, by: User, slug: str) -> None:
    actor = as_person(by)
    titles = ("Adopt trunk-based development", "Move billing to PostgreSQL", "Buy an on-call tool")
    with db.unit_of_work(write=True) as uow:
        for title in titles:
            decisions.record(
                uow,
                actor=actor,
                workspace=slug,
                content=DecisionContent(title=title, area="process"),
            )
        for number in (ACCEPTED_DECISION, OTHER_ACCEPTED_DECISION):
            decisions.decide(
                uow,
                actor=actor,
                workspace=slug,
                number=number,
                expected_version=1,
                to=DecisionStatus.ACCEPTED,
            )


def track_metric(db: Database, *, by: User, slug: str) -> None:
    """TRACKED_METRIC on the scorecard, as starting from its set leaves it."""
    with db.unit_of_work(write=True) as uow:
        scorecard.add_metric(uow, actor=as_person(by), workspace=slug, key=TRACKED_METRIC)


def build_portfolio(db: Database, *, by: User, slug: str) -> None:
    """Planning quarters 2027-Q1/Q2, team `core` with one person, outcome `activation`,
    IN-1 (ready, 10 person-weeks) and IN-2 (ready, urgent, 10 person-weeks): both fit."""
    actor = as_person(by)
    ready = dict.fromkeys(("dependencies", "risk", "security", "performance"), True)
    with db.unit_of_work(write=True) as uow:
        portfolio_settings.set_planning_settings(
            uow, actor=actor, workspace=slug, expected_version=0, quarters=PLAN_QUARTERS
        )
        capacity.add_team(uow, actor=actor, workspace=slug, key=TEAM, name="Core")
        capacity.put_person(uow, actor=actor, workspace=slug, name=PERSON, team=TEAM, fte=1)
        roadmap.put_outcome(
            uow,
            actor=actor,
            workspace=slug,
            key=OUTCOME,
            theme="Growth",
            title="More trials become paying customers",
            metric="trial-conversion",
            target="25 %",
            quarter=PLAN_QUARTERS[0],
        )
        for title, extra in (
            ("Self-serve onboarding", {}),
            ("Patch the login flaw", {"urgency": "urgent", "urgency_reason": "exploit seen"}),
        ):
            intake.add_item(
                uow,
                actor=actor,
                workspace=slug,
                values={
                    "title": title,
                    "ready": ready,
                    "value": 5,
                    "effort": {TEAM: 10},
                    "outcome_key": OUTCOME,
                    **extra,
                },
            )


def build_leadership(db: Database, *, by: User, slug: str, leader: User) -> None:
    """PB-1: the new CTO's first 90 days, started today (the tenants keep UTC) with its
    owners defaulted (nobody holds a leadership seat, so no step has an owner yet), running
    at version 1 with no step done; PB-2, becoming a CTO, started today and paused (version
    2). `leader` (the tenant's editor) engaged as a fractional leader on an operating
    retainer (version 1): sponsor and one decision right given, no red flag answered yes,
    so the check says go."""
    actor = as_person(by)
    with db.unit_of_work(write=True) as uow:
        today = uow.now().date()
        playbook_runs.start(
            uow, actor=actor, workspace=slug, playbook=LEADERSHIP_PLAYBOOK, starts_on=today
        )
        paused = playbook_runs.start(
            uow, actor=actor, workspace=slug, playbook=PAUSED_PLAYBOOK, starts_on=today
        )
        playbook_runs.pause(
            uow,
            actor=actor,
            workspace=slug,
            number=paused.number,
            expected_version=1,
            reason="Waiting for the CTO readiness sitting.",
        )
        engagements.put_engagement(
            uow,
            actor=actor,
            workspace=slug,
            leader=leader.email,
            model="operating-retainer",
            starts_on=today,
            ends_on=None,
            hours_per_week="16",
            pricing_basis="retainer",
            amount="12000",
            currency="EUR",
            sponsor="The CEO",
            owns=["Technology direction", "Architecture guardrails"],
            out_of_scope=["Unbounded IT administration"],
            decision_rights=["architecture"],
        )


def sit_assessment(db: Database, *, by: User) -> int:
    """A private sitting of SITTING_ASSESSMENT by `by`, every statement rated 3, aiming to
    be a scale-up CTO; its id. Each tenant's owner has one (alpha's is sitting 1)."""
    statements = assessment_catalog().assessment(SITTING_ASSESSMENT).statement_keys
    with db.unit_of_work(write=True) as uow:
        return assessments.take(
            uow,
            actor=as_person(by),
            assessment=SITTING_ASSESSMENT,
            ratings=dict.fromkeys(statements, 3),
            aiming_for="scaleup-cto",
        ).take.id


def build_tenant(db: Database, make: Factory, slug: str) -> Tenant:
    workspace = make.workspace(slug)
    owner = make.member(workspace, Role.OWNER, f"owner@{slug}.example")
    record_decisions(db, by=owner, slug=slug)
    track_metric(db, by=owner, slug=slug)
    build_portfolio(db, by=owner, slug=slug)
    editor = make.member(workspace, Role.EDITOR, f"editor@{slug}.example")
    build_leadership(db, by=owner, slug=slug, leader=editor)
    sit_assessment(db, by=owner)
    return Tenant(
        slug=slug,
        owner=owner,
        editor=editor,
        viewer=make.member(workspace, Role.VIEWER, f"viewer@{slug}.example"),
        spare=make.member(workspace, Role.VIEWER, f"spare@{slug}.example"),
        read_token=issue_token(
            db, by=owner, slug=slug, scope=TokenScope.READ, name="dashboard reader"
        ),
        write_token=issue_token(
            db, by=owner, slug=slug, scope=TokenScope.WRITE, name="deploy pipeline"
        ),
    )


def build_world(db: Database, make: Factory) -> World:
    return World(
        alpha=build_tenant(db, make, ALPHA),
        bravo=build_tenant(db, make, BRAVO),
        newcomer=make.user("newcomer@example.com", name="New Comer"),
    )


def workspace_state(db: Database, slug: str) -> dict[str, Any]:
    """Everything a workspace is, read in a fresh unit of work (None when it does not exist)."""
    with db.unit_of_work(write=False) as uow:
        workspace = uow.workspaces.by_slug(slug)
        if workspace is None:
            return {"workspace": None}
        stored_rights = uow.rights.get(workspace.id)
        audit_rows = uow.session.execute(
            text("SELECT count(*) FROM audit_entries WHERE workspace_id = :id"),
            {"id": workspace.id},
        ).scalar_one()
        return {
            "workspace": asdict(workspace),
            "members": [asdict(m) for m in uow.memberships.in_workspace(workspace.id)],
            "tokens": [asdict(t) for t in uow.tokens.in_workspace(workspace.id)],
            "decisions": [asdict(d) for d in uow.decisions.all_in(workspace.id)],
            "rights": None if stored_rights is None else asdict(stored_rights),
            "deployments": [asdict(d) for d in uow.engineering.deployments(workspace.id)],
            **engineering_records(uow, workspace.id),
            "scorecard_metrics": [asdict(m) for m in uow.scorecard.metrics(workspace.id)],
            "scorecard_settings": asdict(uow.scorecard.settings(workspace.id)),
            "measurements": [asdict(m) for m in uow.scorecard.measurements(workspace.id)],
            "portfolio_settings": uow.portfolio.settings(workspace.id),
            "teams": [asdict(t) for t in uow.portfolio.teams(workspace.id)],
            "people": [asdict(p) for p in uow.portfolio.people(workspace.id)],
            "outcomes": [asdict(o) for o in uow.portfolio.outcomes(workspace.id)],
            "intake_items": [asdict(i) for i in uow.portfolio.items(workspace.id)],
            "plans": [asdict(p) for p in uow.portfolio.plans(workspace.id)],
            "playbook_runs": [asdict(r) for r in uow.leadership.runs(workspace.id)],
            "engagements": [asdict(e) for e in uow.leadership.engagements(workspace.id)],
            "audit_rows": audit_rows,
        }


def engineering_records(uow: UnitOfWork, workspace_id: int) -> dict[str, Any]:
    """The records imported from tools, besides deployments."""
    engineering = uow.engineering
    commits = engineering.commits(workspace_id)
    return {
        "incidents": [asdict(i) for i in engineering.incidents(workspace_id)],
        "tickets": [asdict(t) for t in engineering.tickets(workspace_id)],
        "cost_lines": [asdict(c) for c in engineering.cost_lines(workspace_id)],
        "scans": [asdict(s) for s in engineering.scans(workspace_id)],
        "commits": [asdict(commits[sha]) for sha in sorted(commits)],
        "tags": [(name, asdict(tag)) for name, tag in engineering.tags(workspace_id)],
        "repositories": [asdict(r) for r in engineering.repositories(workspace_id)],
    }


def row_counts(db: Database) -> dict[str, int]:
    with db.unit_of_work(write=False) as uow:
        return {
            table: uow.session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()  # noqa: S608
            for table in STATE_TABLES
        }


def audit_rows_of_request(db: Database, request_id: str) -> list[dict[str, Any]]:
    """The audit rows written by one HTTP request, in the order they were appended."""
    columns = ("workspace_id", "actor", "action", "entity_type", "entity_id", "before", "after")
    with db.unit_of_work(write=False) as uow:
        query = select(AuditRow).where(AuditRow.request_id == request_id).order_by(AuditRow.id)
        return [{c: getattr(row, c) for c in columns} for row in uow.session.scalars(query)]


class Browsers:
    """Independent clients (own cookie jars) on one app, closed when the test ends."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self._stack = ExitStack()

    def open(self, **options: Any) -> TestClient:
        return self._stack.enter_context(
            TestClient(self.app, raise_server_exceptions=False, **options)
        )

    def close(self) -> None:
        self._stack.close()


def browsers_for(app: FastAPI) -> Iterator[Browsers]:
    opened = Browsers(app)
    try:
        yield opened
    finally:
        opened.close()


def target_in(db: Database, world: World, tenant: Tenant, *, slug: str | None = None) -> Target:
    """Sample-request parameters naming `tenant`'s objects, addressed to `slug` (default: own)."""
    with db.unit_of_work(write=False) as uow:
        workspace = uow.workspaces.by_slug(tenant.slug)
        assert workspace is not None
        version = workspace.version
    return Target(
        slug=slug or tenant.slug,
        version=version,
        member_email=tenant.spare.email,
        token_id=tenant.read_token.token.id,
        newcomer_email=world.newcomer.email,
    )
