"""The planning pages in the browser: the accepted plan, working a plan out (the optimal plan
beside the handbook rule, what each defers and why), accepting the plan shown and refusing a
stale one, and an urgent insertion that shows what it displaces and, accepted, lands on the
decision it recorded. Refused forms say why and save nothing; viewers get no forms. The
settings form is tested in test_plan_settings_pages.py."""

from __future__ import annotations

import re
from typing import Any

import pytest

from quarterdeck.domain.planning import PlanInfeasible
from quarterdeck.services import capacity, intake, planning
from quarterdeck.storage import Database
from tests.api.routes import PERSON, PLAN_QUARTERS, TEAM
from tests.api.world import ALPHA, Browsers, World, as_person, workspace_state
from tests.conftest import sign_in
from tests.web.browser import read
from tests.web.test_scorecard import post_forms, signed_in, text_of

PLAN = f"/w/{ALPHA}/plan"
PROPOSAL = PLAN + "/proposal"
FIRST, SECOND = PLAN_QUARTERS
READY = dict.fromkeys(("dependencies", "risk", "security", "performance"), True)


def add_item(db: Database, world: World, title: str, **values: Any) -> str:
    """A ready item on alpha's intake with effort on core; returns its key."""
    with db.unit_of_work(write=True) as uow:
        item = intake.add_item(
            uow,
            actor=as_person(world.alpha.owner),
            workspace=ALPHA,
            values={"title": title, "ready": READY, "effort": {TEAM: 10}, **values},
        )
    return item.key


def run(db: Database, world: World) -> planning.PlanRun:
    with db.unit_of_work(write=False) as uow:
        return planning.run(uow, actor=as_person(world.alpha.owner), workspace=ALPHA)


def accept_the_plan(db: Database, world: World) -> None:
    shown = run(db, world)
    with db.unit_of_work(write=True) as uow:
        planning.accept(
            uow,
            actor=as_person(world.alpha.owner),
            workspace=ALPHA,
            based_on=shown.given.based_on,
            assignment=planning.assignment_of(shown.comparison.optimal),
        )


def latest_plan(db: Database) -> Any:
    with db.unit_of_work(write=False) as uow:
        workspace = uow.workspaces.by_slug(ALPHA)
        assert workspace is not None
        return uow.portfolio.latest_plan(workspace.id)


def decision_count(db: Database) -> int:
    return len(workspace_state(db, ALPHA)["decisions"])


# -- working a plan out and accepting it ---------------------------------------------------


def test_proposal_shows_the_optimal_plan_beside_the_rule_and_why_items_are_deferred(
    db: Database, browsers: Browsers, world: World
) -> None:
    # A big, risky bet: the rule takes it first (highest benefit), the optimum does not.
    add_item(db, world, "Enter a new market", value=20, success=0.2, effort={TEAM: 13})
    expected = run(db, world).comparison
    assert expected.value_difference == pytest.approx(1.0)
    client = signed_in(browsers, world.alpha.viewer.email)
    page = client.get(PROPOSAL)
    assert page.status_code == 200
    text = text_of(page.text)
    assert "Value 10 points 9 points" in text
    assert "The optimal plan holds 1 points more than the rule's." in text
    assert "Only in the optimal plan: IN-2 Patch the login flaw." in text
    assert "Only in the rule's plan: IN-3 Enter a new market." in text
    assert f"{FIRST} IN-1 Self-serve onboarding IN-3 Enter a new market" in text
    (deferred,) = expected.optimal.deferred
    assert deferred.id == "IN-3"
    assert deferred.text.startswith("lower value than what was chosen")
    # What binds in every quarter leads; each quarter's constraints follow, by quarter.
    assert "IN-3 Enter a new market (4 points): lower value than what was chosen" in text
    for reason in deferred.reasons:
        assert reason.text in text
        if reason.quarter is not None:
            assert f"{reason.quarter}: {reason.text}" in text
    assert post_forms(page.text) == []  # a viewer looks; only editors accept


def test_an_editor_accepts_the_plan_shown_and_every_item_gets_its_quarter(
    db: Database, browsers: Browsers, world: World
) -> None:
    client = signed_in(browsers, world.alpha.editor.email)
    form = read(client.get(PROPOSAL).text).form_with_button("Accept the optimal plan")
    assert form.fields["based_on"] == "0"
    assert {k: v for k, v in form.fields.items() if k.startswith("assign-")} == {
        "assign-IN-1": FIRST,
        "assign-IN-2": SECOND,
    }
    response = form.submit(client, note="Agreed in the quarterly planning")
    assert response.status_code == 303
    assert response.headers["location"].endswith(f"{PLAN}?done=accepted")
    page = text_of(client.get(response.headers["location"]).text)
    assert "The plan was accepted" in page
    assert "Plan 1, the optimal plan" in page
    assert f"{FIRST} IN-1 Self-serve onboarding product bets 5 points core 10 pw" in page
    stored = latest_plan(db)
    assert stored.assignment == {"IN-1": FIRST, "IN-2": SECOND}
    assert stored.note == "Agreed in the quarterly planning"


def test_the_handbook_rules_plan_can_be_accepted_instead(
    db: Database, browsers: Browsers, world: World
) -> None:
    add_item(db, world, "Enter a new market", value=20, success=0.2, effort={TEAM: 13})
    client = signed_in(browsers, world.alpha.owner.email)
    form = read(client.get(PROPOSAL).text).form_with_button("Accept the handbook rule's plan")
    assert form.submit(client).status_code == 303
    stored = latest_plan(db)
    assert stored.strategy == "handbook-rule"
    assert stored.assignment == {"IN-3": FIRST, "IN-1": SECOND}


def test_a_plan_that_no_longer_fits_is_not_accepted(
    db: Database, browsers: Browsers, world: World
) -> None:
    client = signed_in(browsers, world.alpha.editor.email)
    form = read(client.get(PROPOSAL).text).form_with_button("Accept the optimal plan")
    with db.unit_of_work(write=True) as uow:  # meanwhile 7 of core's 13 weeks are left in Q1
        capacity.put_person(
            uow,
            actor=as_person(world.alpha.owner),
            workspace=ALPHA,
            name=PERSON,
            team=TEAM,
            fte=1,
            leave={FIRST: 6},
            expected_version=1,
        )
    before = workspace_state(db, ALPHA)
    response = form.submit(client)
    assert response.status_code == 409
    text = text_of(response.text)
    assert "Not accepted: the plan shown no longer fits what is stored" in text
    assert f"team core is full in {FIRST}" in text
    assert "Nothing was accepted; below is the plan as it stands now." in text
    assert f"{SECOND} IN-1 Self-serve onboarding" in text  # the new plan, to accept instead
    assert workspace_state(db, ALPHA) == before
    assert latest_plan(db) is None


def test_accepting_the_same_shown_plan_twice_is_refused_the_second_time(
    db: Database, browsers: Browsers, world: World
) -> None:
    client = signed_in(browsers, world.alpha.owner.email)
    form = read(client.get(PROPOSAL).text).form_with_button("Accept the optimal plan")
    assert form.submit(client).status_code == 303
    before = workspace_state(db, ALPHA)
    again = form.submit(client)
    assert again.status_code == 409
    assert "plan 1 was accepted since this plan was worked out" in again.text
    assert workspace_state(db, ALPHA) == before


def test_when_no_plan_exists_the_proposal_names_the_clashing_constraints(
    db: Database, browsers: Browsers, world: World
) -> None:
    add_item(db, world, "Rebuild billing", value=3, mandatory=True, effort={TEAM: 20})
    with pytest.raises(PlanInfeasible) as refused:
        run(db, world)
    client = signed_in(browsers, world.alpha.owner.email)
    page = client.get(PROPOSAL)
    assert page.status_code == 200
    assert "No plan can be made" in page.text
    for conflict in refused.value.conflicts:
        assert conflict.text in text_of(page.text)
    assert post_forms(page.text) == []


# -- urgent insertion ---------------------------------------------------------------------


def urgent_insertion(db: Database, world: World) -> str:
    """The accepted plan holds IN-1 in the first quarter and IN-2 in the second; IN-3 is
    urgent and has no room."""
    accept_the_plan(db, world)
    return add_item(
        db,
        world,
        "Send customs data",
        value=3,
        urgency="urgent",
        urgency_reason="the new customs rules apply from March",
    )


def test_the_insertion_shows_what_it_displaces_and_accepting_it_records_a_decision(
    db: Database, browsers: Browsers, world: World
) -> None:
    key = urgent_insertion(db, world)
    client = signed_in(browsers, world.alpha.owner.email)
    chooser = read(client.get(PLAN).text).form_with_button("Show what it displaces")
    assert chooser.method == "get"
    assert chooser.fields["item"] == "IN-2"  # urgent items come first, then by number
    assert f"{key} Send customs data (not planned, urgent)" in text_of(client.get(PLAN).text)
    preview = client.get(chooser.path, params={"item": key, "quarter": FIRST})
    assert preview.status_code == 200
    text = text_of(preview.text)
    assert f"Urgent: {key} Send customs data into {FIRST}" in text
    assert "Against accepted plan 1." in text
    with db.unit_of_work(write=False) as uow:
        expected = planning.insert_urgent(
            uow, actor=as_person(world.alpha.owner), workspace=ALPHA, item=key, quarter=FIRST
        ).displacement
    (displaced,) = expected.displaced
    assert displaced.id == "IN-1"
    assert "IN-1 Self-serve onboarding (5 points): " in text
    assert all(reason.text in text for reason in displaced.reasons)
    assert "Value deferred 5 points (risk-adjusted)" in text
    assert "Total planned value 10 → 8 points (-2)" in text
    assert f"Core {FIRST} 10 → 10 pw 10 pw 10 pw" in text  # to the urgent item, freed
    decisions_before = decision_count(db)

    form = read(preview.text).form_with_button("Accept and record the decision")
    assert form.fields["based_on"] == "1"
    response = form.submit(client, note="Customs rules cannot wait.")
    assert response.status_code == 303
    location = response.headers["location"]
    assert re.search(rf"/w/{ALPHA}/decisions/D-\d+$", location)
    decision = client.get(location)
    title = f"Urgent {key} Send customs data displaces IN-1"
    assert title in text_of(decision.text)
    assert decision_count(db) == decisions_before + 1
    assert title in text_of(client.get(f"/w/{ALPHA}/decisions").text)
    stored = latest_plan(db)
    assert stored.number == 2
    assert stored.assignment == {key: FIRST, "IN-2": SECOND}
    assert stored.displaced == [1]


def test_a_stale_insertion_is_not_accepted_and_shows_the_insertion_as_it_is_now(
    db: Database, browsers: Browsers, world: World
) -> None:
    key = urgent_insertion(db, world)
    client = signed_in(browsers, world.alpha.editor.email)
    preview = client.get(PLAN + "/insert", params={"item": key, "quarter": FIRST})
    form = read(preview.text).form_with_button("Accept and record the decision")
    accept_the_plan(db, world)  # plan 2, accepted by someone else meanwhile
    before = workspace_state(db, ALPHA)
    response = form.submit(client)
    assert response.status_code == 409
    text = text_of(response.text)
    assert "Not accepted: plan 2 was accepted since this plan was worked out" in text
    assert "Against accepted plan 2." in text
    assert workspace_state(db, ALPHA) == before


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ({"item": "IN-99", "quarter": FIRST}, 404, "intake item IN-99 not found"),
        (
            {"item": "IN-1", "quarter": "2031-Q1"},
            422,
            "2031-Q1 is not one of the planning quarters",
        ),
        ({"item": "", "quarter": FIRST}, 422, "choose the urgent item to insert"),
        ({"item": "twelve", "quarter": FIRST}, 422, "'twelve' does not name an intake item"),
    ],
)
def test_an_insertion_that_cannot_be_shown_says_why_on_the_plan_page(
    browsers: Browsers, world: World, query: dict[str, str], status: int, message: str
) -> None:
    client = signed_in(browsers, world.alpha.viewer.email)
    response = client.get(PLAN + "/insert", params=query)
    assert response.status_code == status
    assert message in text_of(response.text)
    assert "Insert an urgent item" in response.text


def test_an_item_that_is_not_ready_cannot_be_inserted(
    db: Database, browsers: Browsers, world: World
) -> None:
    key = add_item(db, world, "Half-baked idea", value=9, ready={"risk": True})
    client = signed_in(browsers, world.alpha.owner.email)
    response = client.get(PLAN + "/insert", params={"item": key, "quarter": FIRST})
    assert response.status_code == 422
    assert f"{key} cannot be planned: not ready" in text_of(response.text)


def test_an_urgent_item_too_big_for_the_quarter_shows_the_clash(
    db: Database, browsers: Browsers, world: World
) -> None:
    key = add_item(db, world, "Rewrite everything", value=9, effort={TEAM: 20})
    client = signed_in(browsers, world.alpha.owner.email)
    response = client.get(PLAN + "/insert", params={"item": key, "quarter": FIRST})
    assert response.status_code == 200
    assert "It cannot be planned there" in response.text
    assert re.search(r'<ul class="conflicts"><li>.+</li>', response.text)
    assert post_forms(response.text) == []


# -- who sees which forms -----------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["", "/proposal", "/settings", "/insert?item=IN-2&quarter=2027-Q1"]
)
def test_viewers_read_the_planning_pages_without_any_form_that_changes_something(
    browsers: Browsers, world: World, path: str
) -> None:
    client = signed_in(browsers, world.alpha.viewer.email)
    page = client.get(PLAN + path)
    assert page.status_code == 200
    assert post_forms(page.text) == []


@pytest.mark.parametrize(
    ("path", "writes"),
    [("", 0), ("/proposal", 2), ("/settings", 1), ("/insert?item=IN-2&quarter=2027-Q1", 1)],
)
def test_planning_pages_have_no_script_and_their_forms_carry_the_csrf_token(
    browsers: Browsers, world: World, path: str, writes: int
) -> None:
    client = browsers.open()
    csrf = sign_in(client, world.alpha.owner.email)
    page = client.get(PLAN + path).text
    seen = read(page)
    assert seen.script_tags == 0
    assert seen.inline_handlers == []
    assert " style=" not in page
    posting = [f for f in seen.forms if f.method == "post" and f.path != "/logout"]
    assert len(posting) == writes
    assert all(f.fields["csrf_token"] == csrf for f in posting)
    assert all("csrf_token" not in f.fields for f in seen.forms if f.method == "get")
