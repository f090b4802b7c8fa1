"""The demo organisation's portfolio: settings, teams, a roadmap, about sixty intake items, an
accepted plan that made room for an urgent request (recorded as a decision), and one more
urgent request waiting to be planned."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from quarterdeck.domain.access import Actor
from quarterdeck.domain.capacity import quarter_bounds
from quarterdeck.domain.decisions import DecisionStatus
from quarterdeck.domain.planning import Kind, Status
from quarterdeck.domain.portfolio import IntakeItem
from quarterdeck.services import (
    accounts,
    audit,
    capacity,
    decisions,
    demo,
    intake,
    intake_ranking,
    planning,
    portfolio_settings,
    roadmap,
)
from quarterdeck.services.demo_portfolio import URGENT_CANDIDATE
from quarterdeck.storage import Database, make_engine, upgrade
from quarterdeck.storage.repositories.decisions import DecisionFilter

# Half past midnight on 1 April in London, still 31 March in UTC: the demo plans from the
# workspace's own quarter, 2026-Q2.
NOW = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
QUARTERS = ("2026-Q2", "2026-Q3", "2026-Q4", "2027-Q1")
OPERATOR = Actor.operator("operator:test")
WS = demo.DEMO_SLUG


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Database, demo.DemoOrganisation]:
    """The demo built once, without engineering records, with the clock stopped at NOW."""
    folder: Path = tmp_path_factory.mktemp("demo-portfolio")
    engine = make_engine(f"sqlite:///{folder / 'quarterdeck.db'}")
    upgrade(engine)
    database = Database(engine, clock=lambda: NOW)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=1024))
        with database.unit_of_work(write=True) as uow:
            organisation = demo.build(uow, actor=OPERATOR, password="a demo password")
    return database, organisation


@pytest.fixture
def db(built: tuple[Database, demo.DemoOrganisation]) -> Database:
    return built[0]


def every_item(db: Database) -> list[IntakeItem]:
    with db.unit_of_work(write=False) as uow:
        where = intake.IntakeFilter(status="all")
        return intake.items(uow, actor=OPERATOR, workspace=WS, where=where)


def candidate(db: Database) -> IntakeItem:
    (found,) = [item for item in every_item(db) if item.title == URGENT_CANDIDATE]
    return found


def test_settings_plan_the_current_london_quarter_and_the_three_after_it(db: Database) -> None:
    with db.unit_of_work(write=False) as uow:
        settings = portfolio_settings.planning_settings(uow, actor=OPERATOR, workspace=WS)
    assert settings.quarters == QUARTERS
    assert settings.defaults == ()
    assert settings.method.value == "five-criteria"
    assert len(settings.goals) == 3
    assert settings.value_unit == "points"
    assert settings.time_limit == 10
    for quarter in QUARTERS:
        shares = {s.kind: (s.target, s.minimum, s.maximum) for s in settings.splits[quarter].shares}
        assert shares == {
            Kind.PRODUCT_BET: (60, 50, 70),
            Kind.PLATFORM_INVESTMENT: (25, 15, 35),
            Kind.RISK_REDUCTION: (15, 10, 25),
        }


def test_five_teams_with_people_a_hire_a_leaver_and_leave(db: Database) -> None:
    with db.unit_of_work(write=False) as uow:
        ws = uow.workspaces.by_slug(WS)
        assert ws is not None
        teams = capacity.capacities(uow, ws, QUARTERS)
    assert len(teams) == 5
    for team in teams:
        assert 4 <= len(team.people) <= 7, team.team.key
        assert 10 <= team.team.reserve_percent <= 25
        assert team.team.max_parallel is not None
        assert 2 <= team.team.max_parallel <= 4
        assert all(team.available(q) > 0 for q in QUARTERS)
    people = [person for team in teams for person in team.people]
    (hire,) = [p for p in people if p.starts_on]
    (leaver,) = [p for p in people if p.ends_on]
    first, last = quarter_bounds(QUARTERS[1])
    assert hire.starts_on is not None
    assert first < hire.starts_on <= last
    assert leaver.ends_on is not None
    assert first < leaver.ends_on <= last
    assert sum(1 for p in people if p.fte < 1) >= 2
    assert sum(1 for p in people if p.leave) >= 5


def test_the_intake_holds_about_sixty_items_of_all_four_kinds(db: Database) -> None:
    items = every_item(db)
    assert 55 <= len(items) <= 65
    kinds = Counter(item.kind for item in items)
    assert set(kinds) == set(Kind)
    assert kinds[Kind.PRODUCT_BET] > len(items) / 3
    statuses = Counter(item.status for item in items)
    assert 3 <= statuses["in-progress"] <= 4
    assert statuses["done"] >= 3
    assert 1 <= statuses["dropped"] <= 2
    open_items = [item for item in items if item.status in intake.OPEN]
    assert all("five-criteria" in item.scores for item in open_items)
    assert all(item.effort and item.requester and item.department for item in items)
    assert all(
        item.hypothesis and item.smallest_bet for item in items if item.kind == Kind.PRODUCT_BET
    )
    assert all(
        item.primary_metric and item.guardrail_metric
        for item in items
        if item.status == "in-progress"
    )
    assert all(item.urgency_reason for item in items if item.urgency != "normal")
    assert sum(1 for item in items if item.mandatory and item.urgency == "normal") == 2
    assert sum(len(item.requires) for item in items) >= 12
    assert len({item.alternative_group for item in items} - {""}) == 2
    assert 3 <= sum(1 for item in open_items if not intake.is_ready(item)) <= 8


def test_demand_is_about_twice_the_capacity_left_for_initiatives(db: Database) -> None:
    with db.unit_of_work(write=False) as uow:
        given, _ = planning.current(uow, actor=OPERATOR, workspace=WS)
    available = sum(team.available(q) for team in given.teams for q in QUARTERS)
    demand = sum(
        float(weeks)
        for item in given.items.values()
        if item.status in intake.OPEN
        for weeks in item.effort.values()
    )
    assert 1.9 <= demand / float(available) <= 3


def test_the_roadmap_has_three_themes_with_measurable_outcomes(db: Database) -> None:
    with db.unit_of_work(write=False) as uow:
        view = roadmap.roadmap(uow, actor=OPERATOR, workspace=WS)
    assert len(view.themes) == 3
    assert 6 <= len(view.outcomes) <= 8
    for outcome in view.outcomes.values():
        assert outcome.target
        assert outcome.quarter in QUARTERS
    assert {"change-failure-rate", "slo-attainment"} <= {o.metric for o in view.outcomes.values()}
    assert all(line.initiatives for theme in view.themes for line in theme.outcomes)
    assert all(item.outcome_key for item in view.tech)


def test_evidence_and_cost_benefit_figures_are_on_some_initiatives(db: Database) -> None:
    items = every_item(db)
    with_evidence = [item for item in items if item.checkpoints]
    assert len(with_evidence) >= 3
    assert any(
        mark["link"].startswith("https://wiki.harbourline.example/")
        for item in with_evidence
        for mark in item.checkpoints.values()
    )
    appraisals = {item.key: roadmap.appraisal_of(item) for item in items if item.cost_benefit}
    assert 3 <= len(appraisals) <= 4
    losing = [key for key, a in appraisals.items() if a and a.pessimistic.npv < 0]
    assert len(losing) == 1
    assert all(a and a.expected.npv > 0 for a in appraisals.values())


def test_the_second_accepted_plan_made_room_for_an_urgent_item(db: Database) -> None:
    with db.unit_of_work(write=False) as uow:
        given, _ = planning.current(uow, actor=OPERATOR, workspace=WS)
    latest = given.latest
    assert latest is not None
    assert latest.number == 2
    assert latest.quarters == list(QUARTERS)
    assert latest.urgent is not None
    assert latest.displaced
    assert latest.accepted_at < NOW
    urgent = given.items[f"IN-{latest.urgent}"]
    assert urgent.urgency == "urgent"
    assert urgent.mandatory
    assert urgent.planned_quarter == QUARTERS[0]
    for number in latest.displaced:
        assert f"IN-{number}" not in latest.assignment
        assert given.items[f"IN-{number}"].planned_quarter == ""


def test_the_decision_log_records_what_the_urgent_item_displaced(db: Database) -> None:
    with db.unit_of_work(write=False) as uow:
        given, _ = planning.current(uow, actor=OPERATOR, workspace=WS)
        latest = given.latest
        assert latest is not None
        assert latest.decision_number is not None
        decision = decisions.get(uow, actor=OPERATOR, workspace=WS, number=latest.decision_number)
        found, total = decisions.search(
            uow, actor=OPERATOR, workspace=WS, where=DecisionFilter(tag="displacement")
        )
    assert total == 1
    assert found[0].number == decision.number
    urgent = given.items[f"IN-{latest.urgent}"]
    assert decision.content.title.startswith(f"Urgent {urgent.key} {urgent.title} displaces ")
    assert decision.content.area == "roadmap"
    assert decision.status is DecisionStatus.ACCEPTED
    # The CTO accepted the insertion; the roadmap is the CPO's to decide, so the CPO approved.
    assert decision.proposed_by == "cto@harbourline.example"
    assert decision.decided_by == "cpo@harbourline.example"
    assert urgent.urgency_reason in decision.content.context
    for number in latest.displaced:
        displaced = given.items[f"IN-{number}"]
        assert displaced.key in decision.content.title
        assert f"{displaced.key} {displaced.title}" in decision.content.context


def test_the_accepted_plan_keeps_every_team_within_capacity(db: Database) -> None:
    with db.unit_of_work(write=False) as uow:
        given, plan = planning.current(uow, actor=OPERATOR, workspace=WS)
    assert plan is not None
    assert len(plan.planned) >= 25
    for load in plan.loads:
        assert load.left >= -1e-9, (load.team, load.quarter)
        assert load.max_parallel is None or load.running <= load.max_parallel
    assert {item.quarter for item in plan.planned} == set(QUARTERS)
    assert not {item.id for item in plan.planned} & {s.key for s in given.set_aside}


def test_the_customs_item_waits_ready_urgent_and_unplanned(db: Database) -> None:
    item = candidate(db)
    assert item.kind == Kind.RISK_REDUCTION
    assert item.status == "proposed"
    assert item.urgency == "urgent"
    assert item.urgency_reason
    assert intake.is_ready(item)
    assert item.planned_quarter == ""
    assert not item.mandatory
    with db.unit_of_work(write=False) as uow:
        given, _ = planning.current(uow, actor=OPERATOR, workspace=WS)
    assert given.latest is not None
    assert item.key not in given.latest.assignment
    assert given.latest.accepted_at < item.created_at < NOW


def test_inserting_the_customs_item_first_displaces_planned_work(db: Database) -> None:
    item = candidate(db)
    with db.unit_of_work(write=False) as uow:
        insertion = planning.insert_urgent(
            uow, actor=OPERATOR, workspace=WS, item=item.key, quarter=QUARTERS[0]
        )
    shown = insertion.displacement
    assert insertion.against == "accepted plan 2"
    assert shown.quarter == QUARTERS[0]
    assert shown.displaced
    assert shown.after.status is Status.OPTIMAL


def test_the_plan_is_proven_optimal_within_the_time_limit(db: Database) -> None:
    with db.unit_of_work(write=False) as uow:
        run = planning.run(uow, actor=OPERATOR, workspace=WS)
    assert run.comparison.optimal.status is Status.OPTIMAL
    assert run.comparison.rule is not None
    assert run.comparison.optimal.value >= run.comparison.rule.value


def test_the_ranking_ranks_most_open_items(db: Database) -> None:
    with db.unit_of_work(write=False) as uow:
        ranking = intake_ranking.rank(uow, actor=OPERATOR, workspace=WS)
    open_count = sum(1 for item in every_item(db) if item.status in intake.OPEN)
    assert not ranking.unscored
    assert len(ranking.ranking.ranked) >= 0.9 * open_count
    excluded = [out.reasons for out in ranking.ranking.excluded]
    assert 1 <= len(excluded) <= 2
    assert all("departments" in reasons[0] for reasons in excluded)


def test_the_portfolio_is_built_through_the_services_and_audited(db: Database) -> None:
    with db.unit_of_work(write=False) as uow:
        entries = audit.history(uow, actor=OPERATOR, workspace=WS, limit=1000)
    actions = Counter(entry.action for entry in entries)
    assert actions["portfolio.settings_changed"] == 1
    assert actions["team.added"] == 5
    assert actions["person.added"] >= 20
    assert actions["outcome.added"] >= 6
    assert actions["intake.added"] == len(every_item(db))
    assert actions["intake.checkpoint"] >= 3
    assert actions["intake.cost_benefit"] >= 3
    assert actions["plan.accepted"] == 2
    portfolio = [e for e in entries if e.entity_type in ("intake_item", "plan", "team")]
    assert all(NOW - timedelta(days=30) < e.at < NOW for e in portfolio)
    assert {e.actor for e in portfolio} > {"cto@harbourline.example", "cpo@harbourline.example"}


def test_the_demo_reports_what_its_portfolio_holds(
    built: tuple[Database, demo.DemoOrganisation],
) -> None:
    db, organisation = built
    summary = organisation.portfolio
    assert summary is not None
    assert summary.quarters == QUARTERS
    assert summary.items == len(every_item(db))
    assert summary.plans == 2
    assert summary.candidate == candidate(db).key
    with db.unit_of_work(write=False) as uow:
        given, _ = planning.current(uow, actor=OPERATOR, workspace=WS)
    assert given.latest is not None
    assert summary.urgent == f"IN-{given.latest.urgent}"
    assert summary.displaced == tuple(f"IN-{n}" for n in given.latest.displaced)
    assert summary.decision == given.latest.decision_number
