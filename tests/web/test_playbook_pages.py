"""Playbooks in the browser: the runs with how far each has got, starting one with a day 0
and owners (the advisor's result posts the same form), the checklist with its dates in
the workspace's zone, owners, what done looks like and overdue steps, marking steps done
with evidence, pausing, resuming, re-planning and abandoning with a reason; refused and
stale forms change nothing; the handover pack and its Markdown download."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from quarterdeck.domain.decisions import DecisionContent
from quarterdeck.services import decisions, playbook_runs, rights, workspaces
from quarterdeck.storage import Database
from tests.api.world import ALPHA, Browsers, World, as_person, workspace_state
from tests.conftest import Factory, sign_in
from tests.web.browser import Form, read

RUNS = f"/w/{ALPHA}/playbooks"
RUN = f"{RUNS}/PB-1"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def text_of(page: str) -> str:
    inline = re.sub(r"</?(?:strong|em|a|span)\b[^>]*>", "", page)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", inline)))


def signed_in(browsers: Browsers, email: str) -> TestClient:
    client = browsers.open()
    sign_in(client, email)
    return client


def runs_of(db: Database) -> dict[str, dict[str, object]]:
    return {r["number"]: r for r in workspace_state(db, ALPHA)["playbook_runs"]}  # type: ignore[misc]


def today_in(db: Database, world: World) -> date:
    with db.unit_of_work(write=False) as uow:
        ws = uow.workspaces.by_slug(ALPHA)
        assert ws is not None
        return ws.local(uow.now()).date()


def start_run(db: Database, world: World, playbook: str, starts_on: date) -> int:
    with db.unit_of_work(write=True) as uow:
        return playbook_runs.start(
            uow,
            actor=as_person(world.alpha.owner),
            workspace=ALPHA,
            playbook=playbook,
            starts_on=starts_on,
        ).number


def next_number(db: Database) -> int:
    return max(runs_of(db)) + 1


def start_form(client: TestClient, playbook: str) -> Form:
    """The start form once `playbook` is chosen (the page's first form only chooses)."""
    page = read(client.get(f"{RUNS}?playbook={playbook}").text)
    return next(f for f in page.forms if f.method == "post" and f.fields.get("playbook"))


def step_block(page: str, step: str) -> str:
    ahead = r'</div>\s*(?=<div class="checkpoint"|</section>)'
    found = re.search(rf'<div class="checkpoint" id="step-{step}">(.*?){ahead}', page, re.S)
    assert found, f"no step {step}"
    return text_of(found.group(1)).strip()


def done_form(client: TestClient, step: str = "business-context") -> Form:
    """The form that marks `step` of PB-1 done, as the run page shows it now."""
    return next(f for f in read(client.get(RUN).text).forms if f.fields.get("step") == step)


def test_runs_list_shows_status_percent_and_overdue(
    db: Database, world: World, browsers: Browsers
) -> None:
    # Day 0 thirty days ago: the first step (due on day 21) is late.
    number = start_run(db, world, "new-cto-90-days", today_in(db, world) - timedelta(days=30))
    client = signed_in(browsers, world.alpha.viewer.email)
    page = text_of(client.get(RUNS).text)
    assert f"PB-{number} New CTO, first 90 days running 0 % (0 of 7)" in page
    row = page.split(f"PB-{number}")[1]
    assert re.search(r"\d+ overdue", row)
    assert "PB-1 New CTO, first 90 days running 0 % (0 of 7) none" in page


def test_checklist_dates_owner_done_when_and_overdue(
    db: Database, world: World, browsers: Browsers, make: Factory
) -> None:
    with db.unit_of_work(write=True) as uow:
        rights.assign(
            uow,
            actor=as_person(world.alpha.owner),
            workspace=ALPHA,
            email=world.alpha.editor.email,
            roles=["cto"],
        )
    day0 = today_in(db, world) - timedelta(days=30)
    number = start_run(db, world, "new-cto-90-days", day0)
    client = signed_in(browsers, world.alpha.viewer.email)
    page = client.get(f"{RUNS}/PB-{number}").text
    first = step_block(page, "business-context")
    assert first.startswith("Overdue")
    assert f"{day0.isoformat()} → due {(day0 + timedelta(days=21)).isoformat()}" in first
    assert f"CTO: {world.alpha.editor.display_name}" in first
    assert "Done when: You can explain how the company makes money" in first
    assert "Leaves behind: business context brief" in first
    later = step_block(page, "organisation-assessment")
    assert later.startswith("Open")
    assert "not a member" not in page
    assert not [f for f in read(page).forms if f.method == "post" and f.path != "/logout"]


def test_step_marked_done_with_note_and_link_shows_who_and_when_in_the_workspace_zone(
    db: Database, world: World, browsers: Browsers
) -> None:
    with db.unit_of_work(write=True) as uow:
        workspaces.update(
            uow,
            actor=as_person(world.alpha.owner),
            workspace=ALPHA,
            expected_version=1,
            time_zone="Asia/Tokyo",
        )
    client = signed_in(browsers, world.alpha.editor.email)
    form = done_form(client)
    response = form.submit(
        client, note="Summary agreed with the CEO.", link="https://wiki.example/context"
    )
    assert response.status_code == 303
    assert response.headers["location"].endswith("/playbooks/PB-1?done=done")
    page = client.get(response.headers["location"]).text
    block = step_block(page, "business-context")
    assert block.startswith("✓ Done")
    assert f"Done by {world.alpha.editor.email} on" in block
    assert "JST" in block
    assert "Summary agreed with the CEO." in block
    assert 'href="https://wiki.example/context"' in page
    assert "1 of 7 steps done (14 %)" in text_of(page)
    assert runs_of(db)[1]["progress"]["business-context"]["note"] == "Summary agreed with the CEO."  # type: ignore[index]


@pytest.mark.parametrize(
    ("note", "link", "problem"),
    [
        ("", "", "marking a step done needs a note or an evidence link"),
        ("Done.", "javascript:alert(1)", "the evidence link must be an http or https address"),
    ],
)
def test_done_without_evidence_is_refused_and_nothing_changes(
    db: Database, world: World, browsers: Browsers, note: str, link: str, problem: str
) -> None:
    client = signed_in(browsers, world.alpha.editor.email)
    before = workspace_state(db, ALPHA)
    form = done_form(client)
    response = form.submit(client, note=note, link=link)
    assert response.status_code == 422
    assert problem in text_of(response.text)
    assert '<details class="inline-form" open>' in response.text
    assert workspace_state(db, ALPHA) == before


def test_stale_form_answers_409_and_shows_the_run_as_stored(
    db: Database, world: World, browsers: Browsers
) -> None:
    first = signed_in(browsers, world.alpha.owner.email)
    second = signed_in(browsers, world.alpha.editor.email)
    loaded = read(second.get(RUN).text)
    other_step = done_form(first, "peer-relationships")
    assert other_step.submit(first, note="Met every peer.").status_code == 303
    after_first = workspace_state(db, ALPHA)
    stale = next(f for f in loaded.forms if f.fields.get("step") == "business-context")
    response = stale.submit(second, note="Done, I think.")
    assert response.status_code == 409
    page = text_of(response.text)
    assert "changed by someone else since version 1" in page
    assert "Nothing was changed; the page now shows the run as stored." in page
    assert workspace_state(db, ALPHA) == after_first
    assert list(runs_of(db)[1]["progress"]) == ["peer-relationships"]  # type: ignore[call-overload]


def test_pause_then_resume_with_reasons_kept_in_the_history(
    db: Database, world: World, browsers: Browsers
) -> None:
    client = signed_in(browsers, world.alpha.editor.email)
    pause = read(client.get(RUN).text).form_with_button("Pause PB-1")
    assert pause.submit(client, reason="The CEO is on leave.").status_code == 303
    paused = client.get(RUN).text
    assert "Mark done" not in paused
    assert "Pause PB-1" not in paused
    resume = read(paused).form_with_button("Resume PB-1")
    assert resume.submit(client, reason="").status_code == 303
    page = text_of(client.get(RUN).text)
    assert "paused The CEO is on leave." in page
    assert "resumed resumed" in page
    assert runs_of(db)[1]["status"] == "running"


def test_pause_without_a_reason_is_refused(db: Database, world: World, browsers: Browsers) -> None:
    client = signed_in(browsers, world.alpha.editor.email)
    before = workspace_state(db, ALPHA)
    pause = read(client.get(RUN).text).form_with_button("Pause PB-1")
    response = pause.submit(client, reason="  ")
    assert response.status_code == 422
    assert "say why the run is paused" in text_of(response.text)
    assert workspace_state(db, ALPHA) == before


def test_replan_moves_every_date_and_keeps_done_steps(
    db: Database, world: World, browsers: Browsers
) -> None:
    client = signed_in(browsers, world.alpha.editor.email)
    done = done_form(client)
    assert done.submit(client, note="Written up.").status_code == 303
    new_day0 = today_in(db, world) + timedelta(days=14)
    replan = read(client.get(RUN).text).form_with_button("Re-plan PB-1")
    response = replan.submit(
        client, starts_on=new_day0.isoformat(), reason="After the board meeting."
    )
    assert response.status_code == 303
    page = client.get(RUN).text
    block = step_block(page, "organisation-assessment")
    window = (new_day0 + timedelta(days=7), new_day0 + timedelta(days=45))
    assert f"{window[0].isoformat()} → due {window[1].isoformat()}" in block
    assert step_block(page, "business-context").startswith("✓ Done")
    assert "After the board meeting." in text_of(page)
    assert runs_of(db)[1]["starts_on"] == new_day0


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("2027-02-30", "is not a date like 2027-01-04"),
        ("31/12/2026", "is not a date like 2027-01-04"),
        ("", "is required"),
        ("far", "is more than a year from today"),
    ],
)
def test_senseless_day_0_is_refused_on_start_and_replan(
    db: Database, world: World, browsers: Browsers, typed: str, problem: str
) -> None:
    if typed == "far":
        typed = (today_in(db, world) + timedelta(days=400)).isoformat()
    client = signed_in(browsers, world.alpha.editor.email)
    before = workspace_state(db, ALPHA)
    start = start_form(client, "interim-cto-onboarding")
    refused = start.submit(client, starts_on=typed)
    assert refused.status_code == 422
    assert problem in text_of(refused.text)
    assert 'value="interim-cto-onboarding"' in refused.text  # the chosen playbook stays
    replan = read(client.get(RUN).text).form_with_button("Re-plan PB-1")
    again = replan.submit(client, starts_on=typed, reason="Moved.")
    assert again.status_code == 422
    assert problem in text_of(again.text)
    assert workspace_state(db, ALPHA) == before


def test_abandoned_run_offers_no_more_changes(
    db: Database, world: World, browsers: Browsers
) -> None:
    client = signed_in(browsers, world.alpha.editor.email)
    abandon = read(client.get(RUN).text).form_with_button("Abandon PB-1")
    assert abandon.submit(client, reason="The CTO was hired elsewhere.").status_code == 303
    page = client.get(RUN).text
    assert "PB-1 is abandoned; nothing more can change." in text_of(page)
    assert [f.path for f in read(page).forms if f.method == "post"] == ["/logout"]
    assert runs_of(db)[1]["status"] == "abandoned"


def test_start_form_offers_the_playbooks_roles_and_members_then_opens_the_run(
    db: Database, world: World, browsers: Browsers
) -> None:
    client = signed_in(browsers, world.alpha.editor.email)
    page = client.get(f"{RUNS}?playbook=handover-to-permanent-cto").text
    form = read(page).form_with_button("Start Handover to a permanent CTO")
    number = next_number(db)
    assert {f for f in form.fields if f.startswith("owner_")} == {"owner_cto", "owner_ceo"}
    assert f'<option value="{world.alpha.viewer.email}"' in page
    response = form.submit(client, owner_ceo=world.alpha.viewer.email)
    assert response.status_code == 303
    assert response.headers["location"].endswith(f"/w/{ALPHA}/playbooks/PB-{number}?done=started")
    run = runs_of(db)[number]
    assert run["playbook"] == "handover-to-permanent-cto"
    assert run["owners"] == {"cto": "", "ceo": world.alpha.viewer.email}


def test_the_advisors_start_post_opens_the_new_run(
    db: Database, world: World, browsers: Browsers
) -> None:
    client = browsers.open()
    csrf = sign_in(client, world.alpha.owner.email)
    number = next_number(db)
    response = client.post(
        RUNS,
        data={
            "playbook": "fractional-engagement",
            "starts_on": today_in(db, world).isoformat(),
            "owner_fractional-cto": world.alpha.editor.email,
            "csrf_token": csrf,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"].split("?")[0].endswith(f"/w/{ALPHA}/playbooks/PB-{number}")
    assert runs_of(db)[number]["owners"]["fractional-cto"] == world.alpha.editor.email  # type: ignore[index]


def test_an_owner_who_is_not_a_member_is_refused(
    db: Database, world: World, browsers: Browsers
) -> None:
    client = signed_in(browsers, world.alpha.editor.email)
    before = workspace_state(db, ALPHA)
    form = start_form(client, "new-cto-90-days")
    response = form.submit(client, owner_cto=world.bravo.owner.email)
    assert response.status_code == 422
    assert f"{world.bravo.owner.email}, is not a member of '{ALPHA}'" in text_of(response.text)
    assert workspace_state(db, ALPHA) == before


def test_viewer_reads_but_cannot_change_a_run(
    db: Database, world: World, browsers: Browsers
) -> None:
    client = browsers.open()
    csrf = sign_in(client, world.alpha.viewer.email)
    page = client.get(RUNS).text
    assert "Start a playbook" not in page
    before = workspace_state(db, ALPHA)
    response = client.post(
        f"{RUN}/status", data={"csrf_token": csrf, "version": "1", "to": "paused", "reason": "x"}
    )
    assert response.status_code == 403
    assert workspace_state(db, ALPHA) == before


@pytest.mark.parametrize("key", ["PB-99", "pb-x", "0", "PB-" + "9" * 30, "%3Cscript%3E"])
def test_a_run_that_does_not_exist_is_404(world: World, browsers: Browsers, key: str) -> None:
    client = signed_in(browsers, world.alpha.viewer.email)
    response = client.get(f"{RUNS}/{key}")
    assert response.status_code == 404
    assert "<script>" not in response.text


def test_hostile_notes_and_reasons_render_as_text(
    db: Database, world: World, browsers: Browsers
) -> None:
    client = signed_in(browsers, world.alpha.editor.email)
    done = done_form(client)
    assert done.submit(client, note=HOSTILE).status_code == 303
    pause = read(client.get(RUN).text).form_with_button("Pause PB-1")
    assert pause.submit(client, reason=HOSTILE).status_code == 303
    page = client.get(RUN).text
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert page.count("&lt;script&gt;") == 2
    assert read(page).script_tags == 0


def test_handover_pack_reads_in_the_browser_and_downloads_as_markdown(
    db: Database, world: World, browsers: Browsers
) -> None:
    with db.unit_of_work(write=True) as uow:
        decisions.record(
            uow,
            actor=as_person(world.alpha.owner),
            workspace=ALPHA,
            content=DecisionContent(title=f"Pick a vendor {HOSTILE}", area="vendor"),
        )
    client = signed_in(browsers, world.alpha.viewer.email)
    page = client.get(f"/w/{ALPHA}/handover")
    assert page.status_code == 200
    words = text_of(page.text)
    assert f"Handover pack: Workspace {ALPHA}" in words
    assert "PB-1 New CTO, first 90 days: running, 0 of 7 steps done" in words
    assert "<script>alert" not in page.text
    assert read(page.text).script_tags == 0
    assert "<img" not in page.text
    download = client.get(f"/w/{ALPHA}/handover.md")
    assert download.status_code == 200
    assert download.headers["content-type"] == "text/markdown; charset=utf-8"
    today = today_in(db, world).isoformat()
    assert download.headers["content-disposition"] == (
        f'attachment; filename="handover-{ALPHA}-{today}.md"'
    )
    # Typed names are escaped for Markdown, hyphens included.
    assert download.text.startswith("# Handover pack: Workspace alpha\\-corp\n")
    assert "**PB-1** New CTO, first 90 days: running" in download.text


def test_handover_of_another_workspace_is_404(world: World, browsers: Browsers) -> None:
    client = signed_in(browsers, world.alpha.owner.email)
    assert client.get(f"/w/{world.bravo.slug}/handover.md").status_code == 404
    assert client.get(f"/w/{world.bravo.slug}/handover").status_code == 404


def test_members_of_the_workspace_see_the_playbooks_link(world: World, browsers: Browsers) -> None:
    client = signed_in(browsers, world.alpha.viewer.email)
    nav = client.get(f"/w/{ALPHA}").text
    assert f'href="http://testserver/w/{ALPHA}/playbooks"' in nav
