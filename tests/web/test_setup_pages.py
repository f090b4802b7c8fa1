"""The set-up page in the browser: the suggestions for the chosen leadership model with why
and whether each is in place, installing the ticked ones as an owner and reading the record
back (installed, skipped, already in place, each with why), and everyone else refused with
nothing installed. Typed text is shown as text."""

from __future__ import annotations

import html

from quarterdeck.domain.leadership_records import SetupRecord
from quarterdeck.services import leadership_setup, workspaces
from quarterdeck.storage import Database
from tests.api.world import ALPHA, Browsers, World, as_person, workspace_state
from tests.conftest import sign_in
from tests.web.browser import Form, read
from tests.web.test_scorecard import signed_in, text_of

SETUP = f"/w/{ALPHA}/setup"


def section(page: str, anchor: str) -> str:
    start = page.index(f'id="{anchor}"')
    return text_of(page[start : page.index("</section>", start)])


def install_form(page: str) -> Form:
    (form,) = [f for f in read(page).forms if f.path == SETUP and f.method == "post"]
    return form


def proposed(
    db: Database, world: World, model: str | None = None
) -> list[leadership_setup.Suggestion]:
    with db.unit_of_work(write=False) as uow:
        _, suggestions = leadership_setup.propose(
            uow, actor=as_person(world.alpha.owner), workspace=ALPHA, model=model
        )
    return suggestions


def records(db: Database, world: World) -> list[SetupRecord]:
    with db.unit_of_work(write=False) as uow:
        return list(
            leadership_setup.setups(uow, actor=as_person(world.alpha.viewer), workspace=ALPHA)
        )


def test_the_page_lists_each_suggestion_with_why_all_ticked_for_an_owner(
    db: Database, browsers: Browsers, world: World
) -> None:
    page = signed_in(browsers, world.alpha.owner.email).get(SETUP)
    assert page.status_code == 200
    suggestions = proposed(db, world)
    shown = section(page.text, "suggestions")
    assert "Suggestions for the CTO + CPO model" in shown
    for suggestion in suggestions:
        assert html.unescape(suggestion.title) in shown
        assert html.unescape(suggestion.why) in shown
        assert f'name="accept" value="{suggestion.id}" checked' in page.text
    form = install_form(page.text)
    assert form.fields["model"] == "cto-cpo"
    assert form.buttons == ["Install the ticked suggestions"]
    assert 'id="setup-record"' not in page.text  # never set up yet


def test_choosing_another_model_shows_its_suggestions(
    db: Database, browsers: Browsers, world: World
) -> None:
    page = signed_in(browsers, world.alpha.owner.email).get(f"{SETUP}?model=it-manager-cio")
    assert page.status_code == 200
    shown = section(page.text, "suggestions")
    for suggestion in proposed(db, world, "it-manager-cio"):
        assert html.unescape(suggestion.title) in shown
    assert "cadence:service-review" in page.text
    assert "Installing changes the profile's leadership model to IT manager under a CIO" in shown


def test_an_unknown_model_is_named(browsers: Browsers, world: World) -> None:
    page = signed_in(browsers, world.alpha.viewer.email).get(f"{SETUP}?model=triumvirate")
    assert page.status_code == 422
    assert "unknown leadership model 'triumvirate'" in html.unescape(page.text)
    assert "Suggestions for the CTO + CPO model" in text_of(page.text)


def test_an_owner_installs_the_ticked_suggestions_and_reads_the_record(
    db: Database, browsers: Browsers, world: World
) -> None:
    client = browsers.open()
    csrf = sign_in(client, world.alpha.owner.email)
    suggestions = proposed(db, world, "fractional-cto")
    ticked = ["rights", "cadence:sponsor-sync", "playbook:fractional-engagement"]
    assert set(ticked) <= {s.id for s in suggestions}
    response = client.post(
        SETUP,
        data={
            "csrf_token": csrf,
            "model": "fractional-cto",
            "accept": ticked,
            "playbooks_start": "2027-01-04",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"].endswith(f"{SETUP}?done=installed")
    (record,) = records(db, world)
    outcomes = {entry["id"]: entry["outcome"] for entry in record.installed}
    assert {key for key, outcome in outcomes.items() if outcome == "installed"} == set(ticked)
    assert set(outcomes) == {s.id for s in suggestions}
    assert (
        workspace_state(db, ALPHA)["workspace"]["profile"]["leadership_model"] == "fractional-cto"
    )

    page = client.get(response.headers["location"])
    assert "The set-up was recorded" in page.text
    shown = section(page.text, "setup-record")
    assert "For the Fractional CTO with a sponsor model, by owner@alpha-corp.example" in shown
    for suggestion in suggestions:
        outcome = "installed" if suggestion.id in ticked else "skipped"
        assert f"{suggestion.id} {outcome}" in shown
    for suggestion in suggestions:
        assert html.unescape(suggestion.why) in shown

    # Installing again: what is in place now says so.
    again = client.post(
        SETUP,
        data={"csrf_token": csrf, "model": "fractional-cto", "accept": ["rights"]},
        follow_redirects=False,
    )
    assert again.status_code == 303
    newest = records(db, world)[0]
    assert {e["id"]: e["outcome"] for e in newest.installed}["rights"] == "already in place"
    page = client.get(SETUP)
    assert "Earlier set-ups (1)" in text_of(page.text)


def test_an_editor_is_refused_and_nothing_is_installed(
    db: Database, browsers: Browsers, world: World
) -> None:
    before = workspace_state(db, ALPHA)
    client = browsers.open()
    csrf = sign_in(client, world.alpha.editor.email)
    page = client.get(SETUP)
    assert page.status_code == 200
    assert "Only owners install a set-up." in page.text
    assert [f for f in read(page.text).forms if f.path == SETUP and f.method == "post"] == []
    response = client.post(
        SETUP,
        data={"csrf_token": csrf, "model": "cpto", "accept": ["rights", "cadence:planning"]},
    )
    assert response.status_code == 403
    assert workspace_state(db, ALPHA) == before
    assert records(db, world) == []


def test_a_viewer_reads_the_last_set_up(db: Database, browsers: Browsers, world: World) -> None:
    with db.unit_of_work(write=True) as uow:
        leadership_setup.install(
            uow,
            actor=as_person(world.alpha.owner),
            workspace=ALPHA,
            model=None,
            accept=["cadence:planning"],
        )
    page = signed_in(browsers, world.alpha.viewer.email).get(SETUP)
    shown = section(page.text, "setup-record")
    assert "For the CTO + CPO model" in shown
    assert "cadence:planning installed" in shown
    assert "Only owners install a set-up." in page.text


def test_a_bad_start_date_is_named_and_nothing_is_installed(
    db: Database, browsers: Browsers, world: World
) -> None:
    before = workspace_state(db, ALPHA)
    client = browsers.open()
    csrf = sign_in(client, world.alpha.owner.email)
    response = client.post(
        SETUP,
        data={
            "csrf_token": csrf,
            "model": "fractional-cto",
            "accept": ["rights", "playbook:fractional-engagement"],
            "playbooks_start": "04/01/2027",
        },
    )
    assert response.status_code == 422
    assert "the playbooks' start must be a date like 2027-01-31; got '04/01/2027'" in html.unescape(
        response.text
    )
    form = install_form(response.text)
    assert form.fields["playbooks_start"] == "04/01/2027"
    assert form.fields["model"] == "fractional-cto"
    assert 'value="cadence:sponsor-sync" checked' not in response.text  # as it was sent
    assert workspace_state(db, ALPHA) == before
    assert records(db, world) == []


def test_an_unknown_suggestion_is_named_and_nothing_is_installed(
    db: Database, browsers: Browsers, world: World
) -> None:
    before = workspace_state(db, ALPHA)
    client = browsers.open()
    csrf = sign_in(client, world.alpha.owner.email)
    response = client.post(
        SETUP, data={"csrf_token": csrf, "model": "", "accept": ["rights", "cadence:tea-break"]}
    )
    assert response.status_code == 422
    assert "no suggestion 'cadence:tea-break' for this set-up" in html.unescape(response.text)
    assert workspace_state(db, ALPHA) == before


def test_the_workspace_name_is_shown_as_text(
    db: Database, browsers: Browsers, world: World
) -> None:
    with db.unit_of_work(write=True) as uow:
        current = uow.workspaces.by_slug(ALPHA)
        assert current is not None
        workspaces.update(
            uow,
            actor=as_person(world.alpha.owner),
            workspace=ALPHA,
            expected_version=current.version,
            name='<script>alert("set-up")</script>',
        )
    page = signed_in(browsers, world.alpha.owner.email).get(SETUP)
    assert read(page.text).script_tags == 0
    assert "&lt;script&gt;" in page.text
