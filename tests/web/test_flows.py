"""What a leader does in the browser: edit settings, create a workspace, manage members and
tokens, read the audit log; with the messages they see when something is refused."""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient

from quarterdeck.domain.access import Role
from quarterdeck.storage import Database
from tests.api.world import ALPHA, Browsers, World, row_counts, workspace_state
from tests.conftest import sign_in
from tests.web.browser import Form, open_form, read

SETTINGS = f"/w/{ALPHA}/settings"
MEMBERS = f"/w/{ALPHA}/members"
TOKENS = f"/w/{ALPHA}/tokens"
NEW_WORKSPACE = "/workspaces"


def text_of(response_text: str) -> str:
    return html.unescape(response_text)


def test_owner_edits_settings_and_lands_on_the_dashboard_with_the_new_name(
    db: Database, world: World, client: TestClient
) -> None:
    sign_in(client, world.alpha.owner.email)
    form = open_form(client, SETTINGS, SETTINGS)
    assert form.fields["version"] == "1"
    saved = form.submit(
        client, name="Alpha Logistics", headcount="300", engineering_headcount="80", regulated="yes"
    )
    assert saved.status_code == 303
    assert saved.headers["location"].endswith(f"/w/{ALPHA}")
    dashboard = client.get(saved.headers["location"])
    assert "<h1>Alpha Logistics</h1>" in dashboard.text
    assert "300 (80 in engineering)" in dashboard.text
    stored = workspace_state(db, ALPHA)["workspace"]
    assert stored["version"] == 2
    assert stored["profile"]["regulated"] is True


def test_unticking_regulated_saves_no(db: Database, world: World, client: TestClient) -> None:
    sign_in(client, world.alpha.owner.email)
    open_form(client, SETTINGS, SETTINGS).submit(client, regulated="yes")
    form = open_form(client, SETTINGS, SETTINGS)
    assert form.fields["regulated"] == "yes"
    assert form.submit(client, regulated=None).status_code == 303
    assert workspace_state(db, ALPHA)["workspace"]["profile"]["regulated"] is False


def test_stale_settings_form_answers_409_and_changes_nothing(
    db: Database, world: World, browsers: Browsers
) -> None:
    first, second = browsers.open(), browsers.open()
    sign_in(first, world.alpha.owner.email)
    sign_in(second, world.alpha.owner.email)
    mine = open_form(first, SETTINGS, SETTINGS)
    theirs = open_form(second, SETTINGS, SETTINGS)
    assert theirs.submit(second, name="Their Name").status_code == 303
    after_theirs = workspace_state(db, ALPHA)
    refused = mine.submit(first, name="My Name", time_zone="Asia/Tokyo")
    assert refused.status_code == 409
    assert "was changed by someone else since version 1" in text_of(refused.text)
    assert 'role="alert"' in refused.text
    assert workspace_state(db, ALPHA) == after_theirs
    # The form shows what is stored now, not the refused values, so a second click cannot
    # silently overwrite the other change.
    assert 'value="Their Name"' in refused.text
    assert "My Name" not in refused.text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"headcount": "abc"}, "headcount must be a whole number, got 'abc'"),
        ({"headcount": "10", "engineering_headcount": "11"}, "engineering headcount cannot exceed"),
        ({"product_lines": "-1"}, "number of product lines must be zero or more"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time zone 'Mars/Olympus_Mons' is not a known"),
        ({"name": "   "}, "name must be 1-120 characters"),
        ({"stage": "galactic"}, "stage must be one of"),
        ({"industry": "x" * 121}, "industry must be at most 120 characters"),
    ],
    ids=["headcount", "engineering", "product-lines", "time-zone", "name", "stage", "industry"],
)
def test_invalid_settings_answer_422_naming_the_field_and_change_nothing(
    db: Database, world: World, client: TestClient, changes: dict[str, str], message: str
) -> None:
    sign_in(client, world.alpha.owner.email)
    before, counts = workspace_state(db, ALPHA), row_counts(db)
    refused = open_form(client, SETTINGS, SETTINGS).submit(client, **changes)
    assert refused.status_code == 422
    assert message in text_of(refused.text)
    assert workspace_state(db, ALPHA) == before
    assert row_counts(db) == counts
    # The form comes back with what was typed, ready to correct.
    again = read(refused.text).form(SETTINGS)
    for name, value in changes.items():
        if name != "stage":
            assert again.fields[name] == value


def home_form(client: TestClient) -> Form:
    return read(client.get("/").text).form_with_button("Create workspace")


def test_creating_a_workspace_from_the_home_page_makes_you_its_owner(
    world: World, client: TestClient
) -> None:
    sign_in(client, world.alpha.viewer.email)
    form = home_form(client)
    assert form.path == NEW_WORKSPACE
    created = form.submit(client, name="Side Project", slug="side-project", stage="scale-up")
    assert created.status_code == 303
    assert created.headers["location"].endswith("/w/side-project")
    team = client.get("/w/side-project/members")
    assert world.alpha.viewer.email in team.text
    shown = client.get("/api/v1/workspaces/side-project").json()
    assert shown["role"] == Role.OWNER
    assert shown["profile"]["stage"] == "scale-up"
    assert client.get("/w/side-project/settings").status_code == 200


def test_creating_a_workspace_with_a_taken_or_bad_slug_is_refused(
    db: Database, world: World, client: TestClient
) -> None:
    sign_in(client, world.alpha.viewer.email)
    counts = row_counts(db)
    form = home_form(client)
    taken = form.submit(client, name="Copycat", slug=ALPHA)
    bad = form.submit(client, name="Bad", slug="Bad Slug!")
    assert taken.status_code == 409
    assert f"a workspace with slug '{ALPHA}' already exists" in text_of(taken.text)
    assert bad.status_code == 422
    assert "slug 'Bad Slug!'" in text_of(bad.text)
    assert row_counts(db) == counts


def test_owner_adds_an_existing_account_as_editor(
    db: Database, world: World, browsers: Browsers
) -> None:
    owner = browsers.open()
    sign_in(owner, world.alpha.owner.email)
    added = open_form(owner, MEMBERS, MEMBERS).submit(
        owner, email=world.newcomer.email, role="editor"
    )
    assert added.status_code == 303
    roles = {m["email"]: m["role"] for m in workspace_state(db, ALPHA)["members"]}
    assert roles[world.newcomer.email] == Role.EDITOR
    newcomer = browsers.open()
    sign_in(newcomer, world.newcomer.email)
    assert newcomer.get(f"/w/{ALPHA}").status_code == 200


def test_adding_an_unknown_account_says_so_and_changes_nothing(
    db: Database, world: World, client: TestClient
) -> None:
    sign_in(client, world.alpha.owner.email)
    before = workspace_state(db, ALPHA)
    refused = open_form(client, MEMBERS, MEMBERS).submit(client, email="nobody@example.com")
    assert refused.status_code == 404
    assert "no account for nobody@example.com" in text_of(refused.text)
    assert workspace_state(db, ALPHA) == before


def test_removing_the_last_owner_is_refused_with_a_message(
    db: Database, world: World, client: TestClient
) -> None:
    sign_in(client, world.alpha.owner.email)
    before = workspace_state(db, ALPHA)
    page = read(client.get(MEMBERS).text)
    removals = [f for f in page.forms if f.action.endswith("/members/remove")]
    (remove_owner,) = [f for f in removals if f.fields["email"] == world.alpha.owner.email]
    refused = remove_owner.submit(client)
    assert refused.status_code == 409
    assert f"'{ALPHA}' must keep at least one owner" in text_of(refused.text)
    demote = open_form(client, MEMBERS, MEMBERS).submit(
        client, email=world.alpha.owner.email, role="viewer"
    )
    assert demote.status_code == 409
    assert workspace_state(db, ALPHA) == before


def test_owner_removes_a_member_who_then_loses_access(
    db: Database, world: World, browsers: Browsers
) -> None:
    spare = browsers.open()
    sign_in(spare, world.alpha.spare.email)
    owner = browsers.open()
    sign_in(owner, world.alpha.owner.email)
    removals = [f for f in read(owner.get(MEMBERS).text).forms if f.action.endswith("/remove")]
    (remove_spare,) = [f for f in removals if f.fields["email"] == world.alpha.spare.email]
    assert remove_spare.submit(owner).status_code == 303
    assert spare.get(f"/w/{ALPHA}").status_code == 404


def token_form(client: TestClient) -> Form:
    return read(client.get(TOKENS).text).form_with_button("Create token")


def test_new_token_secret_is_shown_once(world: World, client: TestClient) -> None:
    sign_in(client, world.alpha.owner.email)
    form = token_form(client)
    assert form.path == TOKENS
    created = form.submit(client, name="ci deploys", scope="write")
    assert created.status_code == 201
    assert created.headers["Cache-Control"] == "no-store"
    secret_start = created.text.index('<pre class="secret">') + len('<pre class="secret">')
    secret = created.text[secret_start : created.text.index("</pre>", secret_start)]
    assert secret.startswith("qd_")
    again = client.get(TOKENS)
    assert secret not in again.text
    assert "ci deploys" in again.text
    works = client.get(f"/api/v1/workspaces/{ALPHA}", headers={"Authorization": f"Bearer {secret}"})
    assert works.status_code == 200


def test_token_revoked_on_the_tokens_page_stops_working(world: World, client: TestClient) -> None:
    sign_in(client, world.alpha.owner.email)
    token = world.alpha.read_token
    revokes = [f for f in read(client.get(TOKENS).text).forms if "Revoke" in f.buttons]
    assert len(revokes) == 2
    (revoke,) = [f for f in revokes if f"/tokens/{token.token.id}" in f.path]
    assert revoke.path == f"{TOKENS}/{token.token.id}/revoke"
    revoked = revoke.submit(client)
    assert revoked.status_code == 303
    assert "revoked" in client.get(TOKENS).text
    client.cookies.clear()
    response = client.get(
        f"/api/v1/workspaces/{ALPHA}", headers={"Authorization": f"Bearer {token.secret}"}
    )
    assert response.status_code == 401


def test_invalid_token_form_is_refused_with_a_message(
    db: Database, world: World, client: TestClient
) -> None:
    sign_in(client, world.alpha.owner.email)
    before = workspace_state(db, ALPHA)
    form = token_form(client)
    bad_date = form.submit(client, name="x", expires="next tuesday")
    past = form.submit(client, name="x", expires="2001-01-01")
    no_name = form.submit(client, name="  ")
    assert bad_date.status_code == 422
    assert "expiry 'next tuesday' must be a date" in text_of(bad_date.text)
    assert past.status_code == 422
    assert "token expiry must be in the future" in text_of(past.text)
    assert no_name.status_code == 422
    assert "token name must be 1-120 characters" in text_of(no_name.text)
    assert workspace_state(db, ALPHA) == before


def test_owner_sees_the_audit_log_with_recent_changes(world: World, client: TestClient) -> None:
    sign_in(client, world.alpha.owner.email)
    open_form(client, SETTINGS, SETTINGS).submit(client, name="Audited Name")
    page = client.get(f"/w/{ALPHA}/audit")
    assert page.status_code == 200
    assert "workspace.updated" in page.text
    assert world.alpha.owner.email in page.text
    assert "Audited Name" in text_of(page.text)


@pytest.mark.parametrize("role", [Role.EDITOR, Role.VIEWER])
def test_audit_page_is_refused_to_non_owners(world: World, client: TestClient, role: Role) -> None:
    sign_in(client, world.alpha.user(role).email)
    page = client.get(f"/w/{ALPHA}/audit")
    assert page.status_code == 403
    assert "does not allow this (administer needed)" in text_of(page.text)
    assert "workspace.created" not in page.text


def test_viewer_sees_no_owner_controls(world: World, client: TestClient) -> None:
    sign_in(client, world.alpha.viewer.email)
    members_page = read(client.get(MEMBERS).text)
    dashboard = client.get(f"/w/{ALPHA}").text
    assert [f.action for f in members_page.forms if "/members" in f.action] == []
    assert "Settings</a>" not in dashboard
    assert "API tokens</a>" not in dashboard
