"""Decision rights in the browser: the matrix editor, guardrails, roles, and a decision that
escalates to the approval queue and is accepted there by the role that owns it."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from quarterdeck.domain.access import Role
from quarterdeck.services import rights
from quarterdeck.storage import Database
from tests.api.world import ALPHA, Browsers, World, as_person, workspace_state
from tests.conftest import sign_in
from tests.web.browser import open_form, read

RIGHTS = f"/w/{ALPHA}/rights"
LOG = f"/w/{ALPHA}/decisions"
QUEUE = f"{LOG}/queue"


def text_of(response_text: str) -> str:
    """The page's words as a reader sees them: inline tags vanish, block tags separate."""
    inline = re.sub(r"</?(?:strong|em|a|span)\b[^>]*>", "", response_text)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", inline)))


def stored_rights(db: Database) -> rights.WorkspaceRights:
    with db.unit_of_work(write=False) as uow:
        workspace = uow.workspaces.by_slug(ALPHA)
        assert workspace is not None
        return rights.effective(uow, workspace)


def give(db: Database, world: World, email: str, roles: list[str]) -> None:
    with db.unit_of_work(write=True) as uow:
        rights.assign(
            uow, actor=as_person(world.alpha.owner), workspace=ALPHA, email=email, roles=roles
        )


def signed_in(browsers: Browsers, email: str) -> TestClient:
    client = browsers.open()
    sign_in(client, email)
    return client


@pytest.mark.parametrize("role", [Role.VIEWER, Role.EDITOR])
def test_members_read_the_rights_but_only_owners_get_the_editor(
    browsers: Browsers, world: World, role: Role
) -> None:
    client = signed_in(browsers, world.alpha.user(role).email)
    page = client.get(RIGHTS)
    assert page.status_code == 200
    assert "Architecture" in page.text
    assert "owns" in page.text
    assert read(page.text).forms == [read(page.text).forms[0]]  # only the sign-out form
    owner = signed_in(browsers, world.alpha.owner.email)
    assert "Save matrix" in owner.get(RIGHTS).text


def test_the_owner_moves_ownership_in_one_save(
    db: Database, browsers: Browsers, world: World
) -> None:
    client = signed_in(browsers, world.alpha.owner.email)
    form = open_form(client, RIGHTS, RIGHTS)
    answer = form.submit(
        client,
        follow_redirects=True,
        **{"cell:architecture:cto": "influences", "cell:architecture:vp-engineering": "owns"},
    )
    assert answer.status_code == 200
    assert "The matrix was saved." in answer.text
    saved = stored_rights(db)
    assert saved.version == 1
    assert saved.matrix.owners("architecture") == ("vp-engineering",)


def test_a_matrix_without_an_owner_or_from_a_stale_page_changes_nothing(
    db: Database, browsers: Browsers, world: World
) -> None:
    client = signed_in(browsers, world.alpha.owner.email)
    form = open_form(client, RIGHTS, RIGHTS)
    before = workspace_state(db, ALPHA)
    refused = form.submit(client, **{"cell:security:cto": "none"})
    assert refused.status_code == 422
    assert "area 'security' has no owner" in html.unescape(refused.text)
    assert workspace_state(db, ALPHA) == before
    form.submit(client, **{"cell:process:team-lead": "consulted"})  # saved: version 1
    stale = form.submit(client, **{"cell:process:team-lead": "informed"})
    assert stale.status_code == 409
    assert "Nothing was changed" in stale.text
    assert stored_rights(db).matrix.involvement("process", "team-lead").value == "consulted"


def test_guardrails_are_edited_and_a_bad_threshold_is_named(
    db: Database, browsers: Browsers, world: World
) -> None:
    client = signed_in(browsers, world.alpha.owner.email)
    form = open_form(client, RIGHTS, f"{RIGHTS}/rules")
    assert form.fields["rule_1_name"] == "Major spend"
    refused = form.submit(client, rule_1_parameter="a lot")
    assert refused.status_code == 422
    assert "threshold must be an amount" in html.unescape(refused.text)
    saved = form.submit(client, rule_1_parameter="100000", rule_3_name="", follow_redirects=True)
    assert "The guardrails were saved." in saved.text
    rules = stored_rights(db).rules
    assert [r.name for r in rules] == ["Cross-team tradeoffs", "Major spend", "Security exceptions"]
    assert str(rules[1].parameter) == "100000"


def test_roles_areas_and_templates_from_the_page(
    db: Database, browsers: Browsers, world: World
) -> None:
    client = signed_in(browsers, world.alpha.owner.email)
    page = read(client.get(RIGHTS).text)
    role_form = page.form(f"{RIGHTS}/roles")
    role_form.submit(client, key="head-of-data", name="Head of Data")
    area_form = read(client.get(RIGHTS).text).form(f"{RIGHTS}/areas")
    area_form.submit(client, key="data-platform", name="Data platform", owner="head-of-data")
    pickers = [f for f in read(client.get(RIGHTS).text).forms if f.path == f"{RIGHTS}/members"]
    (editor_picker,) = [f for f in pickers if f.fields["email"] == world.alpha.editor.email]
    editor_picker.submit(client, **{"role:head-of-data": "yes", "role:team-lead": "yes"})
    saved = stored_rights(db)
    assert [a.key for a in saved.custom_areas] == ["data-platform"]
    assert saved.matrix.owners("data-platform") == ("head-of-data",)
    with db.unit_of_work(write=False) as uow:
        member = uow.memberships.get(uow.workspaces.by_slug(ALPHA).id, world.alpha.editor.id)
    assert member is not None
    assert member.leadership_roles == ("team-lead", "head-of-data")
    # The new area is offered on the decision form.
    assert "Data platform" in client.get(f"{LOG}/new").text
    template = read(client.get(RIGHTS).text).form(f"{RIGHTS}/template")
    template.submit(client, model="cpto")
    assert stored_rights(db).matrix.owners("roadmap") == ("cpto",)
    assert stored_rights(db).matrix.owners("data-platform") == ("head-of-data",)


def test_an_escalated_decision_is_accepted_from_the_queue_by_its_approver(
    db: Database, browsers: Browsers, world: World
) -> None:
    give(db, world, world.alpha.editor.email, ["team-lead"])
    give(db, world, world.alpha.owner.email, ["cto"])
    lead = signed_in(browsers, world.alpha.editor.email)
    form = open_form(lead, f"{LOG}/new", LOG)
    recorded = form.submit(
        lead,
        follow_redirects=True,
        title="Share one event bus between checkout and billing",
        area="architecture",
        cross_team="yes",
        accept_now="yes",
    )
    assert recorded.status_code == 200
    shown = text_of(recorded.text)
    assert "Waiting for approval by CTO" in shown
    assert "Cross-team tradeoffs: it is a cross-team tradeoff" in shown
    assert "outside your decision rights" in shown
    assert "is for CTO to decide" in shown  # instead of the accept button
    number = int(re.search(r"/decisions/(\d+)", str(recorded.url)).group(1))
    forged = lead.post(
        f"{LOG}/{number}/status",
        data={
            "csrf_token": read(recorded.text).forms[0].fields["csrf_token"],
            "version": "1",
            "to": "accepted",
        },
    )
    assert forged.status_code == 403
    assert "is for CTO to decide" in html.unescape(forged.text)

    cto = signed_in(browsers, world.alpha.owner.email)
    # The world's D-1 waits too: its proposer held no rights in process decisions.
    assert "2 waiting for approval" in cto.get(f"/w/{ALPHA}").text
    queue = cto.get(QUEUE)
    assert queue.status_code == 200
    mine = text_of(queue.text).split("Waiting for you", 1)[1]
    assert "Share one event bus between checkout and billing" in mine
    decision_page = cto.get(f"{LOG}/{number}")
    accept = read(decision_page.text).form_with_button("Accept")
    accepted = accept.submit(cto, follow_redirects=True)
    assert "Accepted by owner@alpha-corp.example, approver as CTO" in text_of(accepted.text)
    log = cto.get(LOG, params={"status": "accepted"})
    assert "Share one event bus between checkout and billing" in log.text
    assert "Share one event bus" not in cto.get(QUEUE).text
    assert "1 waiting for approval" in cto.get(f"/w/{ALPHA}").text


def test_the_queue_shows_latency_and_waiting_counts(browsers: Browsers, world: World) -> None:
    client = signed_in(browsers, world.alpha.viewer.email)
    page = text_of(client.get(QUEUE).text)
    # The world's owner accepted D-2 and D-3, standing in for a CTO nobody holds.
    assert "median from proposed to decided" in page
    assert "Over 2 decisions" in page
    assert "waiting for approval" in text_of(client.get(f"/w/{ALPHA}").text)
