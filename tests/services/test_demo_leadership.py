"""The demo's leadership layer: Harbourline's set-up and the CTO's first-90-days playbook
under way, a fractional CTO with two client workspaces that Harbourline cannot see, and
assessment sittings that stay private unless shared."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from quarterdeck.domain.access import Actor, ActorKind, Role
from quarterdeck.domain.engagements import Verdict
from quarterdeck.domain.errors import NotFound
from quarterdeck.domain.workspaces import LeadershipModel
from quarterdeck.services import (
    accounts,
    assessments,
    engagements,
    leadership_setup,
    members,
    playbook_runs,
    rights,
    workspaces,
)
from quarterdeck.services.demo import DEMO_ACCOUNTS, DEMO_SLUG, DemoAccount, build
from quarterdeck.services.demo_clients import BRIGHTWATER, BRIGHTWATER_CPTO, KESTREL, KESTREL_CEO
from quarterdeck.services.demo_clients import LEADER as SAM
from quarterdeck.storage import Database, UnitOfWork, make_engine, upgrade

# Half past midnight on 1 April in London, still 31 March in UTC.
NOW = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
TODAY = date(2026, 4, 1)  # in London; Amsterdam is on the same day
OPERATOR = Actor.operator("operator:test")
CTO = "cto@harbourline.example"
PASSWORD = "a demo password"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Database:
    """The demo built once, without engineering records, with the clock stopped at NOW."""
    folder: Path = tmp_path_factory.mktemp("demo-leadership")
    engine = make_engine(f"sqlite:///{folder / 'quarterdeck.db'}")
    upgrade(engine)
    database = Database(engine, clock=lambda: NOW)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=1024))
        with database.unit_of_work(write=True) as uow:
            build(uow, actor=OPERATOR, password=PASSWORD)
    return database


def person(uow: UnitOfWork, email: str) -> Actor:
    user = uow.users.by_email(email)
    assert user is not None, email
    return Actor(kind=ActorKind.USER, label=user.email, user_id=user.id)


def test_the_ctos_first_90_days_are_under_way_with_three_steps_done_and_one_overdue(
    db: Database,
) -> None:
    with db.unit_of_work(write=False) as uow:
        (view,) = playbook_runs.runs(uow, actor=person(uow, CTO), workspace=DEMO_SLUG)
    assert view.run.playbook == "new-cto-90-days"
    assert view.run.status == playbook_runs.RunStatus.RUNNING
    assert view.run.starts_on == TODAY - timedelta(days=40)
    assert {step.owner for step in view.steps} == {CTO}
    done = {step.key: step.done for step in view.steps if step.done}
    assert set(done) == {"business-context", "peer-relationships", "organisation-assessment"}
    for mark in done.values():
        assert mark["by"] == CTO
        assert mark["note"]
        assert mark["link"].startswith("https://wiki.harbourline.example/")
    assert [step.key for step in view.overdue] == ["expectations"]
    assert view.done_count == 3


def test_harbourline_runs_its_cadences_and_kept_its_rights(db: Database) -> None:
    with db.unit_of_work(write=False) as uow:
        cto = person(uow, CTO)
        model, suggestions = leadership_setup.propose(uow, actor=cto, workspace=DEMO_SLUG)
        (record,) = leadership_setup.setups(uow, actor=cto, workspace=DEMO_SLUG)
        template = rights.show(uow, actor=cto, workspace=DEMO_SLUG).rights.template
    assert model is LeadershipModel.CTO_AND_CPO
    cadences = [s for s in suggestions if s.id.startswith("cadence:")]
    assert len(cadences) >= 5
    assert all(s.in_place for s in suggestions)
    outcomes = {entry["id"]: entry["outcome"] for entry in record.installed}
    assert outcomes["rights"] == "already in place"
    assert {outcomes[s.id] for s in cadences} == {"installed"}
    assert outcomes["scorecard:quick-starter"] == "installed"  # no engineering records here
    assert record.done_by == CTO
    assert template is LeadershipModel.CTO_AND_CPO


def test_sams_overview_lists_exactly_the_two_clients_with_24_hours_and_one_red_flag(
    db: Database,
) -> None:
    with db.unit_of_work(write=False) as uow:
        overview = engagements.overview(uow, actor=person(uow, SAM), today=TODAY)
    assert [line.workspace.slug for line in overview.clients] == [BRIGHTWATER, KESTREL]
    assert overview.hours_per_week == Decimal(24)
    assert overview.red_flags == 1
    brightwater, kestrel = (line.engagement for line in overview.clients)
    assert brightwater.check.verdict is Verdict.RESOLVE_FIRST
    assert [key for key, _ in brightwater.check.raised] == ["everything-urgent"]
    assert kestrel.check.verdict is Verdict.GO
    assert (brightwater.record.model, brightwater.record.ends_on) == (
        "assessment-sprint",
        TODAY + timedelta(weeks=3),
    )
    assert (brightwater.record.amount, brightwater.record.currency) == (Decimal(1100), "GBP")
    assert (kestrel.record.model, kestrel.record.pricing_basis) == (
        "operating-retainer",
        "retainer",
    )
    assert (kestrel.record.amount, kestrel.record.currency) == (Decimal(12000), "EUR")
    assert all(line.next_milestone is not None for line in overview.clients)


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda a: a.email)
def test_harbourline_people_cannot_see_the_client_workspaces(
    db: Database, account: DemoAccount
) -> None:
    with db.unit_of_work(write=False) as uow:
        actor = person(uow, account.email)
        visible = {ws.slug for ws, _ in workspaces.list_visible(uow, actor=actor)}
        for slug in (KESTREL, BRIGHTWATER):
            with pytest.raises(NotFound):
                workspaces.show(uow, actor=actor, workspace=slug)
            with pytest.raises(NotFound):
                engagements.engagements(uow, actor=actor, workspace=slug)
            with pytest.raises(NotFound):
                assessments.shared_in(uow, actor=actor, workspace=slug)
    assert visible == {DEMO_SLUG}


def test_each_client_has_only_its_own_people(db: Database) -> None:
    with db.unit_of_work(write=False) as uow:
        kestrel = members.list_members(uow, actor=OPERATOR, workspace=KESTREL)
        brightwater = members.list_members(uow, actor=OPERATOR, workspace=BRIGHTWATER)
    assert {(m.email, m.role, m.leadership_roles) for m in kestrel} == {
        (SAM, Role.EDITOR, ("fractional-cto",)),
        (KESTREL_CEO, Role.OWNER, ("ceo", "sponsor")),
    }
    assert {(m.email, m.role) for m in brightwater} == {
        (SAM, Role.EDITOR),
        (BRIGHTWATER_CPTO, Role.OWNER),
    }


def test_kestrel_is_set_up_for_a_fractional_cto_with_the_engagement_playbook_part_done(
    db: Database,
) -> None:
    with db.unit_of_work(write=False) as uow:
        sam = person(uow, SAM)
        model, suggestions = leadership_setup.propose(uow, actor=sam, workspace=KESTREL)
        (record,) = leadership_setup.setups(uow, actor=sam, workspace=KESTREL)
        (view,) = playbook_runs.runs(uow, actor=sam, workspace=KESTREL)
    assert model is LeadershipModel.FRACTIONAL_CTO
    in_place = {s.id for s in suggestions if s.in_place}
    assert {"rights", "cadence:sponsor-sync", "scorecard:quick-starter"} <= in_place
    outcomes = {entry["id"]: entry["outcome"] for entry in record.installed}
    assert outcomes["playbook:fractional-engagement"] == "installed"
    assert outcomes["playbook:handover-to-permanent-cto"] == "skipped"
    assert record.done_by == KESTREL_CEO
    assert view.run.playbook == "fractional-engagement"
    assert view.run.owners == {"fractional-cto": SAM, "sponsor": KESTREL_CEO}
    assert view.done_count == 4
    assert view.run.status == playbook_runs.RunStatus.RUNNING
    assert view.overdue == ()


def test_brightwater_is_set_up_for_a_cpto_with_rights_and_cadences_only(db: Database) -> None:
    with db.unit_of_work(write=False) as uow:
        cpto = person(uow, BRIGHTWATER_CPTO)
        (record,) = leadership_setup.setups(uow, actor=cpto, workspace=BRIGHTWATER)
        template = rights.show(uow, actor=cpto, workspace=BRIGHTWATER).rights.template
        runs = playbook_runs.runs(uow, actor=cpto, workspace=BRIGHTWATER)
    assert record.leadership_model == LeadershipModel.CPTO.value
    assert template is LeadershipModel.CPTO
    outcomes = {entry["id"]: entry["outcome"] for entry in record.installed}
    assert {k for k, v in outcomes.items() if v == "installed"} == {
        k for k in outcomes if k.startswith("cadence:")
    }
    assert outcomes["rights"] == "already in place"
    assert runs == []


def test_sams_later_sitting_is_shared_with_kestrel_and_the_earlier_one_is_not(
    db: Database,
) -> None:
    with db.unit_of_work(write=False) as uow:
        sam = person(uow, SAM)
        earlier, later = assessments.my_sittings(uow, actor=sam)
        in_kestrel = assessments.shared_in(uow, actor=person(uow, KESTREL_CEO), workspace=KESTREL)
        in_brightwater = assessments.shared_in(
            uow, actor=person(uow, BRIGHTWATER_CPTO), workspace=BRIGHTWATER
        )
    assert [s.take.assessment for s in (earlier, later)] == ["modern-cto-skills"] * 2
    assert {s.take.aiming_for for s in (earlier, later)} == {"fractional-cto"}
    assert later.take.taken_at - earlier.take.taken_at >= timedelta(days=90)
    assert (earlier.shared_with_slug, later.shared_with_slug) == (None, KESTREL)
    assert [(name, s.take.id) for name, s in in_kestrel] == [
        ("Sam Rivera (fractional CTO)", later.take.id)
    ]
    assert in_brightwater == []
    assert later.since_previous is not None
    changes = {change.area.key: change.change for change in later.since_previous}
    assert changes["ai-fluency"] > 0
    assert changes["governance"] > 0
    assert sum(1 for c in changes.values() if c > 0) >= 4


def test_the_ctos_readiness_sitting_is_private(db: Database) -> None:
    with db.unit_of_work(write=False) as uow:
        cto = person(uow, CTO)
        (mine,) = assessments.my_sittings(uow, actor=cto)
        shared = assessments.shared_in(
            uow, actor=person(uow, "cpo@harbourline.example"), workspace=DEMO_SLUG
        )
        for other in ("cpo@harbourline.example", "ceo@harbourline.example", SAM):
            with pytest.raises(NotFound):
                assessments.sitting(uow, actor=person(uow, other), take_id=mine.take.id)
    assert (mine.take.assessment, mine.take.aiming_for) == ("cto-readiness", "scaleup-cto")
    assert mine.shared_with_slug is None
    assert shared == []


def counts(uow: UnitOfWork) -> tuple[int, ...]:
    sam = person(uow, SAM)
    return (
        len(playbook_runs.runs(uow, actor=OPERATOR, workspace=DEMO_SLUG)),
        len(playbook_runs.runs(uow, actor=OPERATOR, workspace=KESTREL)),
        len(leadership_setup.setups(uow, actor=OPERATOR, workspace=KESTREL)),
        len(engagements.overview(uow, actor=sam, today=TODAY).clients),
        len(assessments.my_sittings(uow, actor=sam)),
        len(assessments.my_sittings(uow, actor=person(uow, CTO))),
    )


def test_building_again_only_resets_the_passwords(db: Database) -> None:
    with db.unit_of_work(write=False) as uow:
        before = counts(uow)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "PASSWORD_HASHER", PasswordHasher(time_cost=1, memory_cost=1024))
        with db.unit_of_work(write=True) as uow:
            again = build(uow, actor=OPERATOR, password=PASSWORD)
    with db.unit_of_work(write=False) as uow:
        assert counts(uow) == before == (1, 1, 1, 2, 2, 1)
    assert again.portfolio is None
    assert {a.email for a in again.accounts} >= {SAM, KESTREL_CEO, BRIGHTWATER_CPTO}


def test_an_earlier_demo_database_gains_the_clients_on_the_next_build(
    database_url: str,
) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    database = Database(engine)
    try:
        with database.unit_of_work(write=True) as uow:  # Harbourline as built before
            workspaces.create(uow, actor=OPERATOR, slug=DEMO_SLUG, name="Harbourline", demo=True)
        with database.unit_of_work(write=True) as uow:
            built = build(uow, actor=OPERATOR, password=PASSWORD)
        with database.unit_of_work(write=False) as uow:
            today = uow.now().date()
            sam = person(uow, SAM)
            overview = engagements.overview(uow, actor=sam, today=today)
            harbourline_runs = playbook_runs.runs(uow, actor=OPERATOR, workspace=DEMO_SLUG)
            shared = assessments.shared_in(uow, actor=sam, workspace=KESTREL)
    finally:
        database.dispose()
    assert built.portfolio is None  # Harbourline existed: left as it was
    assert harbourline_runs == []
    assert [line.workspace.slug for line in overview.clients] == [BRIGHTWATER, KESTREL]
    assert len(shared) == 1


def test_a_client_slug_taken_by_a_real_workspace_is_left_alone(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    database = Database(engine)
    try:
        with database.unit_of_work(write=True) as uow:
            workspaces.create(uow, actor=OPERATOR, slug=KESTREL, name="Our Kestrel")
        with database.unit_of_work(write=True) as uow:
            build(uow, actor=OPERATOR, password=PASSWORD)
        with database.unit_of_work(write=False) as uow:
            sam = person(uow, SAM)
            overview = engagements.overview(uow, actor=sam, today=uow.now().date())
            kestrel = members.list_members(uow, actor=OPERATOR, workspace=KESTREL)
            runs = playbook_runs.runs(uow, actor=OPERATOR, workspace=KESTREL)
            earlier, later = assessments.my_sittings(uow, actor=sam)
    finally:
        database.dispose()
    assert [line.workspace.slug for line in overview.clients] == [BRIGHTWATER]
    assert (kestrel, runs) == ([], [])
    assert (earlier.shared_with_slug, later.shared_with_slug) == (None, None)
