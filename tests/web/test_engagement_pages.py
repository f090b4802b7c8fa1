"""Engagements in the browser: each with its red-flag check and verdict, the owners' form
that records or changes one (refused input re-renders with every problem named and
nothing saved; a stale form answers 409), and the client overview a leader reads across
their client workspaces, holding nothing of a client they do not belong to."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from quarterdeck.domain.access import Actor, Role
from quarterdeck.services import engagements, members
from quarterdeck.storage import Database
from tests.api.world import ALPHA, BRAVO, Browsers, World, as_person, workspace_state
from tests.conftest import Factory, sign_in
from tests.web.browser import Form, read

PAGE = f"/w/{ALPHA}/engagements"
HOSTILE = '<script>alert("x")</script>'


def text_of(page: str) -> str:
    inline = re.sub(r"</?(?:strong|em|a|span)\b[^>]*>", "", page)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", inline)))


def signed_in(browsers: Browsers, email: str) -> TestClient:
    client = browsers.open()
    sign_in(client, email)
    return client


def the_form(client: TestClient, query: str = "") -> Form:
    return read(client.get(PAGE + query).text).form(PAGE)


def stored(db: Database, slug: str = ALPHA) -> list[dict[str, object]]:
    return workspace_state(db, slug)["engagements"]  # type: ignore[no-any-return]


def engage(
    db: Database, *, by: Actor, slug: str, leader: str, hours: str, **overrides: object
) -> None:
    today = date.today()
    values: dict[str, object] = {
        "model": "operating-retainer",
        "starts_on": today,
        "ends_on": None,
        "hours_per_week": hours,
        "pricing_basis": "retainer",
        "amount": "9000",
        "currency": "EUR",
        "sponsor": "The CEO",
        "decision_rights": ["architecture"],
        **overrides,
    }
    with db.unit_of_work(write=True) as uow:
        engagements.put_engagement(uow, actor=by, workspace=slug, leader=leader, **values)  # type: ignore[arg-type]


def test_every_member_reads_the_engagements_with_their_verdict(
    world: World, browsers: Browsers
) -> None:
    client = signed_in(browsers, world.alpha.viewer.email)
    page = client.get(PAGE).text
    words = text_of(page)
    assert world.alpha.editor.email in words
    assert "Go No red flag: the engagement can start." in words
    assert "Operating retainer" in words
    assert "16 hours a week" in words
    assert "12,000 EUR (monthly retainer)" in words
    assert "Architecture" in words
    assert "Record an engagement" not in page
    assert [f.path for f in read(page).forms if f.method == "post"] == ["/logout"]


def test_owner_records_an_engagement_and_reads_its_check(
    db: Database, world: World, browsers: Browsers
) -> None:
    client = signed_in(browsers, world.alpha.owner.email)
    today = date.today()
    response = the_form(client).submit(
        client,
        leader=world.alpha.spare.email,
        model="assessment-sprint",
        starts_on=today.isoformat(),
        ends_on=(today + timedelta(days=14)).isoformat(),
        hours_per_week="20",
        pricing_basis="day-rate",
        amount="1200",
        currency="gbp",
        sponsor="",
        owns="Delivery health\nArchitecture review",
        **{"flag_everything-urgent": "yes"},
        milestones=f"{(today + timedelta(days=3)).isoformat()} Kick-off\n"
        f"{(today + timedelta(days=14)).isoformat()} Action plan",
    )
    assert response.status_code == 303
    page = text_of(client.get(response.headers["location"]).text)
    assert "The engagement was saved" in page
    assert "3 red flags; do not engage as scoped" in page
    assert "No real sponsor who owns the engagement and clears the way: no sponsor is named" in page
    assert "no decision right is granted" in page
    assert "A culture that will not prioritise: everything is urgent: answered yes" in page
    assert f"Next milestone {(today + timedelta(days=3)).isoformat()}: Kick-off" in page
    spare = next(e for e in stored(db) if e["leader_id"] == world.alpha.spare.id)
    assert spare["currency"] == "GBP"
    assert spare["milestones"] == [
        {"title": "Kick-off", "due": (today + timedelta(days=3)).isoformat()},
        {"title": "Action plan", "due": (today + timedelta(days=14)).isoformat()},
    ]


def test_form_problems_are_all_named_and_nothing_is_saved(
    db: Database, world: World, browsers: Browsers
) -> None:
    client = signed_in(browsers, world.alpha.owner.email)
    before = workspace_state(db, ALPHA)
    response = the_form(client).submit(
        client,
        leader=world.alpha.spare.email,
        starts_on="2027-02-30",
        ends_on="soon",
        sponsor="Chief Operating Officer",
        milestones="2027-03-31 Review done\nnext Friday: kick-off",
    )
    assert response.status_code == 422
    words = text_of(response.text)
    assert "start date '2027-02-30' is not a date like 2027-01-04" in words
    assert "planned end 'soon' is not a date like 2027-01-04" in words
    assert "milestone line 2 ('next Friday: kick-off') must read like" in words
    # What was typed comes back.
    assert 'value="Chief Operating Officer"' in response.text
    assert "next Friday: kick-off</textarea>" in response.text
    assert workspace_state(db, ALPHA) == before


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"hours_per_week": "0"}, "hours per week must be above 0 and at most 60, not 0"),
        ({"currency": "euro"}, "currency 'euro' must be a three-letter code like EUR"),
        ({"model": "interim", "ends_on": ""}, "an interim engagement needs its planned end"),
        ({"leader": "stranger@example.com"}, "the leader stranger@example.com is not a member"),
    ],
)
def test_service_refusals_re_render_the_form_and_save_nothing(
    db: Database, world: World, browsers: Browsers, changes: dict[str, str], problem: str
) -> None:
    client = signed_in(browsers, world.alpha.owner.email)
    before = workspace_state(db, ALPHA)
    form = the_form(client)
    form.fields["leader"] = world.alpha.spare.email
    response = form.submit(client, **changes)
    assert response.status_code == 422
    assert problem in text_of(response.text)
    assert workspace_state(db, ALPHA) == before


def test_changing_an_engagement_keeps_the_version_and_a_stale_form_is_409(
    db: Database, world: World, browsers: Browsers
) -> None:
    first = signed_in(browsers, world.alpha.owner.email)
    second = signed_in(browsers, world.alpha.owner.email)
    query = f"?leader={world.alpha.editor.email}"
    loaded_by_both = the_form(first, query)
    stale = the_form(second, query)
    assert loaded_by_both.fields["version"] == "1"
    assert loaded_by_both.fields["hours_per_week"] == "16"
    assert loaded_by_both.fields["right_architecture"] == "yes"
    assert loaded_by_both.submit(first, hours_per_week="24").status_code == 303
    after_first = workspace_state(db, ALPHA)
    response = stale.submit(second, hours_per_week="8")
    assert response.status_code == 409
    words = text_of(response.text)
    assert "the engagement was changed by someone else since version 1" in words
    assert "Nothing was changed; the form now shows the engagement as stored." in words
    assert 'name="hours_per_week" inputmode="decimal" maxlength="20" required value="24"' in (
        response.text
    )
    assert workspace_state(db, ALPHA) == after_first
    (editor,) = [e for e in stored(db) if e["leader_id"] == world.alpha.editor.id]
    assert str(editor["hours_per_week"]) == "24"
    assert editor["version"] == 2


def test_a_second_engagement_for_the_same_leader_is_refused(
    db: Database, world: World, browsers: Browsers
) -> None:
    client = signed_in(browsers, world.alpha.owner.email)
    before = workspace_state(db, ALPHA)
    response = the_form(client).submit(client, leader=world.alpha.editor.email)
    assert response.status_code == 409
    assert "already has an engagement" in text_of(response.text)
    assert workspace_state(db, ALPHA) == before


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER])
def test_only_owners_record_engagements(
    db: Database, world: World, browsers: Browsers, role: Role
) -> None:
    client = browsers.open()
    csrf = sign_in(client, world.alpha.user(role).email)
    assert "Record an engagement" not in client.get(PAGE).text
    before = workspace_state(db, ALPHA)
    response = client.post(
        PAGE,
        data={"csrf_token": csrf, "version": "0", "leader": world.alpha.spare.email},
    )
    assert response.status_code == 403
    assert "administer needed" in text_of(response.text)
    assert workspace_state(db, ALPHA) == before


def test_client_overview_holds_only_the_leaders_own_clients(
    db: Database, world: World, browsers: Browsers, make: Factory, operator: Actor
) -> None:
    leader = world.alpha.editor
    # Also a member of bravo, engaged there with a milestone ahead; engaged by a third client
    # that has since removed them. Bravo's own editor is engaged in bravo only.
    third = make.workspace("charlie-corp")
    third_owner = make.member(third, Role.OWNER, "owner@charlie-corp.example")
    with db.unit_of_work(write=True) as uow:
        for slug in (BRAVO, "charlie-corp"):
            members.add(uow, actor=operator, workspace=slug, email=leader.email, role=Role.VIEWER)
    ahead = (date.today() + timedelta(days=10)).isoformat()
    engage(
        db,
        by=as_person(world.bravo.owner),
        slug=BRAVO,
        leader=leader.email,
        hours="8",
        model="time-boxed-execution",
        ends_on=date.today() + timedelta(days=60),
        milestones=[{"title": f"Cloud plan {HOSTILE}", "due": ahead}],
    )
    engage(db, by=as_person(third_owner), slug="charlie-corp", leader=leader.email, hours="10")
    with db.unit_of_work(write=True) as uow:
        members.remove(uow, actor=operator, workspace="charlie-corp", email=leader.email)

    client = signed_in(browsers, leader.email)
    page = client.get("/clients").text
    words = text_of(page)
    assert "24 hours a week committed" in words  # alpha's 16 and bravo's 8
    assert "across 2 clients" in words
    assert f"Workspace {ALPHA} Operating retainer 16" in words
    assert f"Workspace {BRAVO} Time boxed execution 8" in words
    assert f"{ahead} Cloud plan {HOSTILE}" in words
    assert "<script>alert" not in page
    assert "charlie-corp" not in page

    other = signed_in(browsers, world.bravo.editor.email)
    theirs = other.get("/clients").text
    assert ALPHA not in theirs
    assert "16 hours a week committed across 1 client" in text_of(theirs)
    assert "Cloud plan" not in theirs


def test_hostile_text_is_escaped_on_the_engagements_page(
    db: Database, world: World, browsers: Browsers
) -> None:
    engage(
        db,
        by=as_person(world.alpha.owner),
        slug=ALPHA,
        leader=world.alpha.spare.email,
        hours="4",
        sponsor=HOSTILE,
        owns=[HOSTILE],
        milestones=[{"title": HOSTILE, "due": date.today().isoformat()}],
    )
    client = signed_in(browsers, world.alpha.viewer.email)
    page = client.get(PAGE).text
    assert "<script>alert" not in page
    assert page.count("&lt;script&gt;") >= 3
    assert read(page).script_tags == 0


def test_another_workspaces_engagements_are_404(world: World, browsers: Browsers) -> None:
    client = browsers.open()
    csrf = sign_in(client, world.alpha.owner.email)
    assert client.get(f"/w/{BRAVO}/engagements").status_code == 404
    posted = client.post(
        f"/w/{BRAVO}/engagements",
        data={"csrf_token": csrf, "version": "1", "leader": world.bravo.editor.email},
    )
    assert posted.status_code == 404
