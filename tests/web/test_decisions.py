"""The decision log in the browser: record, read, edit with history, decide, link, filter,
revisit; refused actions say why and change nothing; hostile text renders inert."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.testclient import TestClient

from quarterdeck.domain.decisions import DecisionContent, DecisionStatus
from quarterdeck.services import decisions
from quarterdeck.storage import Database
from tests.api.routes import ROUTES, Route, send
from tests.api.world import (
    ALPHA,
    BRAVO,
    Browsers,
    World,
    as_person,
    row_counts,
    target_in,
    workspace_state,
)
from tests.conftest import sign_in
from tests.web.browser import Form, Page, open_form, read

LOG = f"/w/{ALPHA}/decisions"
NEW = f"{LOG}/new"
DUE = f"{LOG}/due"
DECISION_PAGES = [r for r in ROUTES if r.path.startswith("/w/{workspace}/decisions")]
# The world gives every tenant D-1 (proposed), D-2 and D-3 (accepted): tests/api/world.py.
FIRST_NEW = 4


def page_of(number: int, tail: str = "") -> str:
    return f"{LOG}/{number}{tail}"


def text_of(response_text: str) -> str:
    return html.unescape(response_text)


def keys_in(response_text: str) -> list[str]:
    """The decision numbers of the table rows, in the order shown."""
    return re.findall(r'<td class="key">(D-\d+)</td>', response_text)


def stored(db: Database, number: int) -> dict[str, Any]:
    (found,) = [d for d in workspace_state(db, ALPHA)["decisions"] if d["number"] == number]
    return found


def record(db: Database, world: World, *, accept: bool = False, **content: Any) -> int:
    """A decision recorded (and accepted) by alpha's owner through the services."""
    actor = as_person(world.alpha.owner)
    with db.unit_of_work(write=True) as uow:
        content.setdefault("area", "architecture")
        made = decisions.record(
            uow, actor=actor, workspace=ALPHA, content=DecisionContent(**content)
        )
        if accept:
            decisions.decide(
                uow,
                actor=actor,
                workspace=ALPHA,
                number=made.number,
                expected_version=made.version,
                to=DecisionStatus.ACCEPTED,
            )
    return made.number


def new_form(client: TestClient) -> Form:
    return open_form(client, NEW, LOG)


def action(client: TestClient, number: int, button: str) -> Form:
    return read(client.get(page_of(number)).text).form_with_button(button)


def get_form(client: TestClient, form: Form, **changes: str) -> Any:
    """Submit a GET form as a browser does: its fields become the query string."""
    return client.get(form.action, params={**form.fields, **changes})


RECORDED = {
    "title": "Move billing to PostgreSQL",
    "area": "architecture",
    "context": "The **billing** database is a single MySQL 5.7 instance.\n\nIt is end of life.",
    "option_1_title": "PostgreSQL on RDS",
    "option_1_pros": "managed backups\n- point-in-time recovery",
    "option_1_cons": "migration effort",
    "option_2_title": "Stay on MySQL 8",
    "option_2_pros": "small upgrade",
    "option_2_cons": "two database engines to run",
    "decision": "Migrate billing to PostgreSQL 16 on RDS this quarter.",
    "rationale": "One engine for every service.",
    "consequences": "- Billing freeze for one weekend",
    "deciders": "CTO, Head of Platform",
    "consulted": "Finance",
    "informed": "All engineering",
    "reversibility": "one-way",
    "estimated_spend": "48,000",
    "cross_team": "yes",
    "revisit_on": "2027-06-30",
    "revisit_condition": "if the migration slips past Q3",
    "tags": "billing, databases",
    "taken_in": "Architecture review 12 May",
}


def test_writer_records_a_decision_and_finds_it_in_the_log_and_on_its_page(
    db: Database, world: World, client: TestClient
) -> None:
    sign_in(client, world.alpha.editor.email)
    log = client.get(LOG)
    assert 'href="http://testserver/w/alpha-corp/decisions/new"' in log.text
    saved = new_form(client).submit(client, **RECORDED)
    assert saved.status_code == 303
    assert saved.headers["location"].endswith(page_of(FIRST_NEW))
    page = client.get(saved.headers["location"])
    shown = text_of(page.text)
    assert f"D-{FIRST_NEW}" in shown
    assert "Move billing to PostgreSQL" in shown
    assert "<strong>billing</strong>" in page.text  # Markdown rendered
    assert "<li>Billing freeze for one weekend</li>" in page.text
    assert "<li>point-in-time recovery</li>" in page.text  # the bullet typed is dropped
    assert "two database engines to run" in shown
    assert "48,000" in shown
    assert "One-way door" in shown
    assert "CTO, Head of Platform" in shown
    assert "Architecture review 12 May" in shown
    assert "if the migration slips past Q3" in shown
    content = stored(db, FIRST_NEW)["content"]
    assert content["deciders"] == ("CTO", "Head of Platform")
    assert content["tags"] == ("billing", "databases")
    assert str(content["estimated_spend"]) == "48000"
    assert content["cross_team"] is True
    assert content["revisit_on"] == date(2027, 6, 30)
    assert [o["title"] for o in content["options"]] == ["PostgreSQL on RDS", "Stay on MySQL 8"]
    listed = client.get(LOG)
    assert keys_in(listed.text)[0] == f"D-{FIRST_NEW}"
    assert "Move billing to PostgreSQL</a>" in listed.text


def test_decision_number_in_the_address_may_carry_the_prefix(
    world: World, client: TestClient
) -> None:
    sign_in(client, world.alpha.viewer.email)
    plain, prefixed = client.get(page_of(2)), client.get(f"{LOG}/D-2")
    assert plain.status_code == prefixed.status_code == 200
    assert "Move billing to PostgreSQL" in plain.text
    assert plain.text == prefixed.text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "   "}, "title is required"),
        ({"title": "x" * 201}, "title must be at most 200 characters"),
        ({"area": ""}, "area is required"),
        ({"area": "Not A Key"}, "area 'Not A Key'"),
        ({"estimated_spend": "lots"}, "estimated spend must be an amount like 25000"),
        ({"estimated_spend": "-5"}, "estimated spend must be an amount"),
        ({"revisit_on": "31/12/2027"}, "revisit date must be a date like 2027-01-31"),
        ({"option_1_title": ""}, "option 1: give it a title, or clear its pros and cons"),
        ({"reversibility": "revolving"}, "reversibility must be two-way or one-way"),
    ],
    ids=["title", "long-title", "area", "area-key", "spend", "negative", "date", "option", "rev"],
)
def test_invalid_decision_form_names_the_field_keeps_the_values_and_saves_nothing(
    db: Database, world: World, client: TestClient, changes: dict[str, str], message: str
) -> None:
    sign_in(client, world.alpha.editor.email)
    before, counts = workspace_state(db, ALPHA), row_counts(db)
    refused = new_form(client).submit(client, **{**RECORDED, **changes})
    assert refused.status_code == 422
    assert message in text_of(refused.text)
    assert 'role="alert"' in refused.text
    assert workspace_state(db, ALPHA) == before
    assert row_counts(db) == counts
    again = read(refused.text).form(LOG)
    for name, value in {**RECORDED, **changes}.items():
        if name not in ("area", "reversibility"):
            assert again.fields[name] == value, name


def test_every_problem_of_the_form_is_named_at_once(world: World, client: TestClient) -> None:
    sign_in(client, world.alpha.editor.email)
    refused = new_form(client).submit(client, title="", estimated_spend="abc", revisit_on="soon")
    shown = text_of(refused.text)
    assert "title is required" in shown
    assert "estimated spend must be" in shown
    assert "revisit date must be" in shown


def test_edit_keeps_the_history_and_the_diff_shows_what_changed(
    db: Database, world: World, client: TestClient
) -> None:
    sign_in(client, world.alpha.editor.email)
    form = open_form(client, page_of(1, "/edit"), page_of(1, "/edit"))
    assert form.fields["version"] == "1"
    assert form.fields["title"] == "Adopt trunk-based development"
    saved = form.submit(
        client,
        title="Adopt trunk-based development everywhere",
        context="Merges take days.\nReleases slip.",
        option_1_title="Trunk",
        option_1_pros="fast feedback",
        tags="delivery",
    )
    assert saved.status_code == 303
    form = open_form(client, page_of(1, "/edit"), page_of(1, "/edit"))
    assert form.fields["version"] == "2"
    form.submit(client, context="Merges take days.\nReleases slip every month.")
    page = client.get(page_of(1))
    history = page.text[page.text.index("Revision history") :]
    assert history.count(world.alpha.editor.email) == 2
    assert world.alpha.owner.email in history
    compare = read(page.text).form_with_button("Compare")
    assert (compare.fields["old"], compare.fields["new"]) == ("2", "3")
    first_edit = get_form(client, compare, old="1", new="2")
    assert first_edit.status_code == 200
    shown = text_of(first_edit.text)
    assert "Adopt trunk-based development</del>" in shown
    assert "<ins>Adopt trunk-based development everywhere</ins>" in shown
    assert "Trunk (pros: fast feedback; cons: -)" in shown
    assert "delivery" in shown
    second_edit = text_of(get_form(client, compare).text)
    assert '<span class="del">-Releases slip.</span>' in second_edit
    assert '<span class="add">+Releases slip every month.</span>' in second_edit
    assert '<span class="same"> Merges take days.</span>' in second_edit
    assert stored(db, 1)["version"] == 3


def test_diff_of_a_revision_that_does_not_exist_is_404(world: World, client: TestClient) -> None:
    sign_in(client, world.alpha.viewer.email)
    assert client.get(page_of(2, "/diff"), params={"old": 1, "new": 9}).status_code == 404
    assert client.get(page_of(2, "/diff"), params={"old": 0, "new": 1}).status_code == 422
    assert client.get(page_of(2, "/diff"), params={"old": 10**20, "new": 1}).status_code == 422


def test_accepted_decision_has_no_edit_form(db: Database, world: World, client: TestClient) -> None:
    sign_in(client, world.alpha.editor.email)
    page = client.get(page_of(2))
    assert page_of(2, "/edit") not in page.text
    refused = client.get(page_of(2, "/edit"))
    assert refused.status_code == 422
    assert "D-2 is accepted; change it by superseding or amending" in text_of(refused.text)
    before = workspace_state(db, ALPHA)
    csrf = read(page.text).form_with_button("Deprecate").fields["csrf_token"]
    posted = client.post(page_of(2, "/edit"), data={**RECORDED, "version": "2", "csrf_token": csrf})
    assert posted.status_code == 422
    assert "D-2 is accepted" in text_of(posted.text)
    assert workspace_state(db, ALPHA) == before


def test_lifecycle_through_the_buttons(db: Database, world: World, client: TestClient) -> None:
    sign_in(client, world.alpha.editor.email)
    assert action(client, 1, "Accept").submit(client).status_code == 303
    assert stored(db, 1)["status"] == DecisionStatus.ACCEPTED
    assert stored(db, 1)["decided_at"] is not None
    supersede = action(client, 2, "Supersede")
    assert supersede.fields["other"] == "3"  # the newest other accepted decision comes first
    assert supersede.submit(client, other="1").status_code == 303
    assert stored(db, 2)["status"] == DecisionStatus.SUPERSEDED
    old_page, new_page = client.get(page_of(2)).text, client.get(page_of(1)).text
    assert "Superseded by" in old_page
    assert 'href="http://testserver/w/alpha-corp/decisions/1">D-1</a>' in old_page
    assert "Supersedes" in new_page
    assert 'href="http://testserver/w/alpha-corp/decisions/2">D-2</a>' in new_page
    assert "its status can no longer change" in old_page
    assert action(client, 3, "Deprecate").submit(client).status_code == 303
    assert stored(db, 3)["status"] == DecisionStatus.DEPRECATED
    rejected = new_form(client).submit(client, **RECORDED)
    number = int(rejected.headers["location"].rsplit("/", 1)[1])
    assert action(client, number, "Reject").submit(client).status_code == 303
    assert stored(db, number)["status"] == DecisionStatus.REJECTED
    buttons = [b for f in read(client.get(page_of(number)).text).forms for b in f.buttons]
    assert "Accept" not in buttons
    assert "Reject" not in buttons


def test_amend_and_relate_show_the_link_on_both_pages(
    db: Database, world: World, client: TestClient
) -> None:
    sign_in(client, world.alpha.editor.email)
    assert action(client, 2, "Add amendment").submit(client, other="D-3").status_code == 303
    assert action(client, 1, "Add related decision").submit(client, other="2").status_code == 303
    amended, amending = client.get(page_of(2)).text, client.get(page_of(3)).text
    assert "Amended by" in amended
    assert "Amends" in amending
    assert "Relates to" in amended
    assert "Relates to" in client.get(page_of(1)).text
    assert 'href="http://testserver/w/alpha-corp/decisions/1">D-1</a>' in amended
    assert stored(db, 2)["status"] == DecisionStatus.ACCEPTED


@pytest.mark.parametrize(
    ("number", "button", "changes", "message"),
    [
        (1, "Accept", {"to": "deprecated"}, "a decision that is proposed cannot become deprecated"),
        (1, "Accept", {"to": "superseded"}, "status 'superseded' must be one of"),
        (2, "Supersede", {"other": "1"}, "D-1 is proposed; accept it before it can replace D-2"),
        (2, "Supersede", {"other": "2"}, "D-2 cannot supersede itself"),
        (2, "Add amendment", {"other": "D-99"}, "decision D-99 not found"),
        (2, "Add amendment", {"other": "soon"}, "'soon' is not a decision number like D-12"),
        (1, "Add related decision", {"other": "1"}, "D-1 cannot relate to itself"),
    ],
    ids=[
        "illegal-move",
        "supersede-by-status",
        "proposed-successor",
        "self",
        "missing",
        "bad",
        "r",
    ],
)
def test_illegal_action_is_refused_with_the_message_and_changes_nothing(
    db: Database,
    world: World,
    client: TestClient,
    number: int,
    button: str,
    changes: dict[str, str],
    message: str,
) -> None:
    sign_in(client, world.alpha.editor.email)
    form = action(client, number, button)
    before, counts = workspace_state(db, ALPHA), row_counts(db)
    refused = form.submit(client, **changes)
    assert refused.status_code in (404, 422)
    assert message in text_of(refused.text)
    assert 'role="alert"' in refused.text
    assert workspace_state(db, ALPHA) == before
    assert row_counts(db) == counts


def test_amending_a_decision_that_is_not_accepted_is_refused(
    db: Database, world: World, client: TestClient
) -> None:
    csrf = sign_in(client, world.alpha.editor.email)
    before = workspace_state(db, ALPHA)
    refused = client.post(
        page_of(1, "/amended-by"), data={"csrf_token": csrf, "version": "1", "other": "2"}
    )
    assert refused.status_code == 422
    assert "only an accepted decision can be amended; D-1 is proposed" in text_of(refused.text)
    assert workspace_state(db, ALPHA) == before


@pytest.mark.parametrize(
    ("button", "changes"),
    [("Reject", {}), ("Add related decision", {"other": "3"})],
    ids=["status", "link"],
)
def test_stale_action_answers_409_and_changes_nothing(
    db: Database, world: World, browsers: Browsers, button: str, changes: dict[str, str]
) -> None:
    mine, theirs = browsers.open(), browsers.open()
    sign_in(mine, world.alpha.editor.email)
    sign_in(theirs, world.alpha.owner.email)
    stale = action(mine, 1, button)
    assert action(theirs, 1, "Accept").submit(theirs).status_code == 303
    after_theirs, counts = workspace_state(db, ALPHA), row_counts(db)
    refused = stale.submit(mine, **changes)
    assert refused.status_code == 409
    shown = text_of(refused.text)
    assert "D-1 was changed by someone else since version 1" in shown
    assert "Nothing was changed" in shown
    assert workspace_state(db, ALPHA) == after_theirs
    assert row_counts(db) == counts
    # The page now shows the stored decision, so the next click acts on what is really there.
    assert read(refused.text).form_with_button("Deprecate").fields["version"] == "2"


def test_stale_edit_answers_409_with_the_stored_values(
    db: Database, world: World, browsers: Browsers
) -> None:
    mine, theirs = browsers.open(), browsers.open()
    sign_in(mine, world.alpha.editor.email)
    sign_in(theirs, world.alpha.owner.email)
    edit = page_of(1, "/edit")
    stale = open_form(mine, edit, edit)
    assert open_form(theirs, edit, edit).submit(theirs, title="Their title").status_code == 303
    after_theirs = workspace_state(db, ALPHA)
    refused = stale.submit(mine, title="My title")
    assert refused.status_code == 409
    assert "D-1 was changed by someone else since version 1" in text_of(refused.text)
    assert workspace_state(db, ALPHA) == after_theirs
    again = read(refused.text).form(edit)
    assert again.fields["title"] == "Their title"
    assert again.fields["version"] == "2"
    assert "My title" not in refused.text


def test_log_filters_by_status_area_decider_tag_and_text(
    db: Database, world: World, client: TestClient
) -> None:
    record(db, world, title="Buy a feature-flag service", area="vendor", tags=("flags",))
    record(
        db,
        world,
        title="Price the team plan per seat",
        area="pricing-packaging",
        deciders=("CEO", "CPO"),
        accept=True,
    )
    sign_in(client, world.alpha.viewer.email)
    filters = read(client.get(LOG).text).form_with_button("Filter")
    assert filters.method == "get"
    assert "csrf_token" not in filters.fields

    def shown(**changes: str) -> list[str]:
        response = get_form(client, filters, **changes)
        assert response.status_code == 200
        return keys_in(response.text)

    assert shown() == ["D-5", "D-4", "D-3", "D-2", "D-1"]
    assert shown(status="accepted") == ["D-5", "D-3", "D-2"]
    assert shown(area="vendor") == ["D-4"]
    assert shown(decider="CPO") == ["D-5"]
    assert shown(tag="flags") == ["D-4"]
    assert shown(q="BILLING") == ["D-2"]
    assert shown(status="proposed", area="process") == ["D-1"]
    assert shown(q="nothing like this") == []
    narrowed = client.get(LOG, params={"status": "accepted"})
    kept = read(narrowed.text).form_with_button("Filter")
    assert kept.fields["status"] == "accepted"
    assert "Showing 1\N{EN DASH}3 of 3 decisions" in text_of(narrowed.text)


def test_log_sorts_by_the_column_links(db: Database, world: World, client: TestClient) -> None:
    record(db, world, title="Zero-downtime deploys", revisit_on=date(2026, 1, 1))
    record(db, world, title="Architecture guild", revisit_on=date(2025, 6, 1))
    sign_in(client, world.alpha.viewer.email)
    by_title = client.get(LOG, params={"sort": "title"})
    assert keys_in(by_title.text) == ["D-1", "D-5", "D-3", "D-2", "D-4"]
    assert keys_in(client.get(LOG, params={"sort": "-title"}).text) == [
        "D-4",
        "D-2",
        "D-3",
        "D-5",
        "D-1",
    ]
    assert keys_in(client.get(LOG, params={"sort": "number"}).text)[:2] == ["D-1", "D-2"]
    assert keys_in(client.get(LOG, params={"sort": "revisit_on"}).text)[:2] == ["D-5", "D-4"]
    # The column header links toggle the direction and keep the filters.
    filtered = client.get(LOG, params={"status": "proposed", "sort": "title"}).text
    assert 'href="http://testserver/w/alpha-corp/decisions?status=proposed&amp;sort=-title"' in (
        filtered
    )
    bad = client.get(LOG, params={"sort": "author"})
    assert bad.status_code == 422
    assert "sort must be one of" in text_of(bad.text)


def test_log_pages_fifty_at_a_time(db: Database, world: World, client: TestClient) -> None:
    for index in range(52):
        record(db, world, title=f"Decision number {index}")
    sign_in(client, world.alpha.viewer.email)
    first = client.get(LOG)
    assert len(keys_in(first.text)) == 50
    assert "Showing 1\N{EN DASH}50 of 55 decisions" in text_of(first.text)
    next_link = re.search(r'href="([^"]+)">Next page', first.text)
    assert next_link
    second = client.get(html.unescape(next_link.group(1)))
    assert keys_in(second.text) == ["D-5", "D-4", "D-3", "D-2", "D-1"]
    assert "Showing 51\N{EN DASH}55 of 55 decisions" in text_of(second.text)
    assert "Next page" not in second.text
    assert "Previous page" in second.text


class _Attributes(HTMLParser):
    """Every attribute of every element, to look for anything that could run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.extend((tag, name, value or "") for name, value in attrs)


def _assert_inert(response_text: str) -> None:
    page: Page = read(response_text)
    assert page.script_tags == 0
    assert page.inline_handlers == []
    parser = _Attributes()
    parser.feed(response_text)
    for tag, name, value in parser.found:
        assert not name.startswith("on"), (tag, name)
        assert name != "style", tag
        if name in ("href", "src", "action", "formaction"):
            assert not value.strip().lower().startswith(("javascript:", "data:")), (tag, value)
    assert not re.search(r"<(script|iframe|img|svg|object|embed)\b", response_text, re.I)


XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def test_hostile_text_in_every_field_renders_inert(
    db: Database, world: World, client: TestClient
) -> None:
    sign_in(client, world.alpha.editor.email)
    hostile = {
        "title": f'"><svg onload=alert(3)> {XSS}',
        "context": f'[click](javascript:alert(4)) {XSS}\n\n<a href="javascript:alert(5)">x</a>',
        "decision": '[data](data:text/html;base64,PHNjcmlwdD4=) <iframe src="x"></iframe>',
        "rationale": "<style>body{display:none}</style> [ok](https://example.com)",
        "consequences": '<div onmouseover="alert(6)">hover</div>',
        "option_1_title": f"{XSS}",
        "option_1_pros": '<b onclick="alert(7)">bold</b>',
        "option_1_cons": "javascript:alert(8)",
        "deciders": f"{XSS}, Mallory",
        "tags": '"><script>alert(9)</script>',
        "taken_in": XSS,
        "revisit_condition": XSS,
    }
    saved = new_form(client).submit(client, **{**RECORDED, **hostile})
    assert saved.status_code == 303
    number = FIRST_NEW
    edit = page_of(number, "/edit")
    open_form(client, edit, edit).submit(client, context=f"{XSS}\nsecond line {XSS}")
    for path in (
        page_of(number),
        LOG,
        f"{LOG}?tag=%22%3E%3Cscript%3Ealert(9)%3C/script%3E",
        page_of(number, "/diff?old=1&new=2"),
        edit,
        f"/w/{ALPHA}",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_inert(response.text)
    page = client.get(page_of(number)).text
    assert 'href="https://example.com" rel="nofollow noopener noreferrer"' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as text, not run


@pytest.mark.parametrize("number", [1, 2])
def test_viewer_sees_no_write_forms(world: World, client: TestClient, number: int) -> None:
    sign_in(client, world.alpha.viewer.email)
    for path in (LOG, page_of(number), DUE):
        response = client.get(path)
        assert response.status_code == 200
        posting = [f.action for f in read(response.text).forms if f.method == "post"]
        assert posting == ["http://testserver/logout"], path
        assert "New decision" not in response.text
        assert "/edit" not in response.text
    assert client.get(NEW).status_code == 403
    assert client.get(page_of(1, "/edit")).status_code == 403


@pytest.mark.parametrize(
    "route", [r for r in DECISION_PAGES if r.writes], ids=lambda r: r.id.split(" ", 1)[1]
)
def test_viewer_gets_403_on_every_decision_post(
    db: Database, world: World, client: TestClient, route: Route
) -> None:
    csrf = sign_in(client, world.alpha.viewer.email)
    before, counts = workspace_state(db, ALPHA), row_counts(db)
    response = send(client, route, route.build(target_in(db, world, world.alpha)), csrf=csrf)
    assert response.status_code == 403
    assert "does not allow this (write needed)" in text_of(response.text)
    assert workspace_state(db, ALPHA) == before
    assert row_counts(db) == counts


@pytest.mark.parametrize("route", DECISION_PAGES, ids=lambda r: r.id)
def test_another_workspaces_decision_pages_answer_404(
    db: Database, world: World, client: TestClient, route: Route
) -> None:
    csrf = sign_in(client, world.alpha.owner.email)
    before = workspace_state(db, BRAVO)
    response = send(client, route, route.build(target_in(db, world, world.bravo)), csrf=csrf)
    assert response.status_code == 404
    assert "Move billing to PostgreSQL" not in response.text
    assert workspace_state(db, BRAVO) == before


@pytest.mark.parametrize(
    "number", ["99", "D-99", "D-x", "0", "1.5", "%3Cscript%3E", "9" * 30, "D-" + "1" * 12]
)
def test_a_decision_that_does_not_exist_is_404(
    world: World, client: TestClient, number: str
) -> None:
    csrf = sign_in(client, world.alpha.owner.email)
    for tail in ("", "/edit", "/diff?old=1&new=1"):
        response = client.get(f"{LOG}/{number}{tail}")
        assert response.status_code == 404, (number, tail)
        _assert_inert(response.text)
    posted = client.post(
        f"{LOG}/{number}/status", data={"csrf_token": csrf, "version": "1", "to": "accepted"}
    )
    assert posted.status_code == 404


def test_due_list_shows_only_accepted_decisions_whose_revisit_date_has_come(
    db: Database, world: World, client: TestClient
) -> None:
    today = datetime.now(UTC).date()
    long_ago = record(
        db, world, title="Long overdue", revisit_on=today - timedelta(days=40), accept=True
    )
    due_today = record(db, world, title="Due today", revisit_on=today, accept=True)
    record(db, world, title="Not yet", revisit_on=today + timedelta(days=1), accept=True)
    record(db, world, title="Only proposed", revisit_on=today - timedelta(days=3))
    record(db, world, title="No date", accept=True)
    sign_in(client, world.alpha.viewer.email)
    page = client.get(DUE)
    assert page.status_code == 200
    assert keys_in(page.text) == [f"D-{long_ago}", f"D-{due_today}"]
    shown = text_of(page.text)
    assert "40 days" in shown
    assert "due today" in shown
    assert "Not yet" not in shown
    assert "Only proposed" not in shown
    dashboard = text_of(client.get(f"/w/{ALPHA}").text)
    assert "2 due for revisit" in dashboard
    assert "All 8 decisions" in dashboard


def test_dashboard_counts_decisions_by_status_with_links_to_the_log(
    world: World, client: TestClient
) -> None:
    sign_in(client, world.alpha.viewer.email)
    dashboard = client.get(f"/w/{ALPHA}").text
    card = dashboard[dashboard.index("Decision log") :]
    assert 'href="http://testserver/w/alpha-corp/decisions?status=accepted"' in card
    counts = dict(re.findall(r'status-(\w+)">\w+</span></a> <span class="count">(\d+)', card))
    assert counts == {
        "proposed": "1",
        "accepted": "2",
        "rejected": "0",
        "deprecated": "0",
        "superseded": "0",
    }
    assert "0 due for revisit" in text_of(card)
