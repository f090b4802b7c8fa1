"""The role advisor in the browser: the questionnaire asks every question, the advice names
the kind, plan, time commitment and every reason with its rule (or the contradictions, and
then nothing), the hiring brief reads on the page and downloads as Markdown and HTML, and
the workspace's advisor starts from its profile and offers the playbooks that apply.
Running the advisor saves nothing; typed text is shown as text."""

from __future__ import annotations

import html
from urllib.parse import urlencode

import pytest

from quarterdeck.catalog.roles import role_catalog
from quarterdeck.domain.advisor import Advice
from quarterdeck.domain.questionnaires import FIELDS, Need
from quarterdeck.services import advisor, workspaces
from quarterdeck.storage import Database
from tests.api.world import ALPHA, Browsers, MovableClock, World, as_person, workspace_state
from tests.web.browser import read
from tests.web.test_scorecard import signed_in, text_of

# A 40-person startup with eight engineers, no budget for a full-time executive and no
# technology leader, that needs a foundation and product outcomes.
STARTUP = [
    ("stage", "startup"),
    ("headcount", "40"),
    ("engineers", "8"),
    ("technology_leader", "none"),
    ("needs", "foundation"),
    ("needs", "product-outcomes"),
]
WS_ADVISOR = f"/w/{ALPHA}/advisor"


def query(answers: list[tuple[str, str]], **extra: str) -> str:
    return urlencode([*answers, *extra.items()])


def section(page: str, anchor: str) -> str:
    start = page.index(f'id="{anchor}"')
    return text_of(page[start : page.index("</section>", start)])


def expected_advice() -> Advice:
    _, advice = advisor.run(
        {
            "stage": "startup",
            "headcount": 40,
            "engineers": 8,
            "technology_leader": "none",
            "needs": ["foundation", "product-outcomes"],
        }
    )
    return advice


def set_profile(db: Database, world: World, **profile: object) -> None:
    with db.unit_of_work(write=True) as uow:
        current = uow.workspaces.by_slug(ALPHA)
        assert current is not None
        workspaces.update(
            uow,
            actor=as_person(world.alpha.owner),
            workspace=ALPHA,
            expected_version=current.version,
            profile=profile,
        )


def test_the_questionnaire_asks_every_question_with_needs_as_checkboxes(
    browsers: Browsers, world: World
) -> None:
    page = signed_in(browsers, world.newcomer.email).get("/advisor")
    assert page.status_code == 200
    words = text_of(page.text)
    for spec in FIELDS.values():
        assert spec.label[:1].upper() + spec.label[1:] in words
    form = read(page.text).form("/advisor")
    assert form.method == "get"
    assert form.field_types["needs"] == "checkbox"
    for need in Need:
        assert f'name="needs" value="{need.value}"' in page.text
    assert 'id="q-headcount" name="headcount" inputmode="numeric"' in page.text
    assert form.field_types["full_time_budget"] == "checkbox"
    # Nothing answered yet, so no advice; the defaults stand where the advisor has them.
    assert 'id="recommendation"' not in page.text
    assert form.fields["stage"] == ""
    assert form.fields["urgency"] == "normal"
    assert form.fields["coupling"] == "tight"


def test_the_advice_names_the_kind_plan_time_and_every_reason_with_its_rule(
    browsers: Browsers, world: World
) -> None:
    client = signed_in(browsers, world.newcomer.email)
    page = client.get(f"/advisor?{query(STARTUP, organisation='Acme Freight')}")
    assert page.status_code == 200, page.text
    advice = expected_advice()
    assert advice.recommended == "fractional-cto"
    shown = section(page.text, "recommendation")
    assert "Recommended: Fractional CTO" in shown
    assert "Assessment sprint, then operating retainer" in shown
    assert "assessment-sprint" in shown
    assert "Fractional, 15-20 hours a week." in shown
    reasons = section(page.text, "reasons")
    for fired in advice.supporting:
        assert fired.rule in reasons
        assert html.unescape(fired.reason) in reasons
    weighed = section(page.text, "weighed")
    for score in advice.ruled_out:
        assert role_catalog().kind(score.kind).name in weighed
        for rule in score.ruled_out_by:
            assert rule in weighed
    for not_fired in advice.not_fired:
        assert not_fired.rule in weighed
    assert '<details class="reasons" id="rules-considered">' in page.text
    brief = section(page.text, "hiring-brief")
    assert "Hiring brief: Fractional CTO for Acme Freight" in brief
    # The form shows the answers again, to change them.
    form = read(page.text).form("/advisor")
    assert form.fields["headcount"] == "40"
    assert form.fields["stage"] == "startup"


def test_contradicting_answers_are_named_and_nothing_is_recommended(
    browsers: Browsers, world: World
) -> None:
    answers = [
        ("stage", "scale-up"),
        ("headcount", "20"),
        ("engineers", "30"),
        ("wants_full_time", "yes"),
    ]
    page = signed_in(browsers, world.newcomer.email).get(f"/advisor?{query(answers)}")
    assert page.status_code == 200
    named = section(page.text, "contradictions")
    assert "More engineers than people" in named
    assert "engineers-exceed-headcount" in named
    assert "A full-time hire with no full-time budget" in named
    assert "full-time-hire-without-budget" in named
    assert "Recommended:" not in page.text
    assert 'id="reasons"' not in page.text


def test_every_problem_with_the_answers_is_named_at_once(browsers: Browsers, world: World) -> None:
    answers = [
        ("stage", "galactic"),
        ("headcount", "lots"),
        ("engineers", ""),
        ("growth", "5000"),
        ("regulated", "maybe"),
        ("needs", "world-peace"),
    ]
    page = signed_in(browsers, world.newcomer.email).get(f"/advisor?{query(answers)}")
    assert page.status_code == 422
    problems = text_of(page.text)
    assert "Stage: 'galactic' is not one of startup, scale-up, enterprise" in problems
    assert "Headcount must be a whole number from 1 to" in problems
    assert "got 'lots'" in problems
    assert "Engineers: answer this question (give a whole number)" in problems
    assert "Expected headcount growth (%) must be from -100 to 1,000; got 5,000" in problems
    assert "Heavily regulated: answer yes or no, not 'maybe'" in problems
    assert "Needs: 'world-peace' is not one of" in problems
    assert 'id="recommendation"' not in page.text
    form = read(page.text).form("/advisor")
    assert form.fields["headcount"] == "lots"  # what was typed, to correct
    assert form.fields["urgency"] == "normal"  # not sent: the advisor's default stands


def test_the_brief_downloads_as_markdown_and_as_html(browsers: Browsers, world: World) -> None:
    client = signed_in(browsers, world.newcomer.email)
    asked = query(STARTUP, organisation="Acme Freight")
    page = client.get(f"/advisor?{asked}")
    links = section(page.text, "hiring-brief")
    assert "Download as Markdown" in links
    assert f"/advisor/brief.md?{html.escape(asked)}" in page.text

    markdown = client.get(f"/advisor/brief.md?{asked}")
    assert markdown.status_code == 200
    assert markdown.headers["content-type"] == "text/markdown; charset=utf-8"
    assert markdown.headers["content-disposition"] == (
        'attachment; filename="hiring-brief-fractional-cto.md"'
    )
    assert markdown.text == advisor.brief(expected_advice(), organisation="Acme Freight")
    assert markdown.text.startswith("# Hiring brief: Fractional CTO for Acme Freight\n")

    document = client.get(f"/advisor/brief.html?{asked}")
    assert document.status_code == 200
    assert document.headers["content-type"].startswith("text/html")
    assert document.headers["content-disposition"] == (
        'attachment; filename="hiring-brief-fractional-cto.html"'
    )
    assert "<title>Hiring brief for Acme Freight</title>" in document.text
    assert "<h1>Hiring brief: Fractional CTO for Acme Freight</h1>" in document.text


def test_a_download_with_bad_answers_names_the_problems(browsers: Browsers, world: World) -> None:
    response = signed_in(browsers, world.newcomer.email).get(
        "/advisor/brief.md?stage=startup&headcount=40"
    )
    assert response.status_code == 422
    assert "Engineers: answer this question" in html.unescape(response.text)


def test_a_hostile_organisation_name_is_shown_as_text(browsers: Browsers, world: World) -> None:
    client = signed_in(browsers, world.newcomer.email)
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    asked = query(STARTUP, organisation=hostile)
    page = client.get(f"/advisor?{asked}")
    assert page.status_code == 200
    parsed = read(page.text)
    assert parsed.script_tags == 0
    assert parsed.inline_handlers == []
    assert "&lt;script&gt;" in page.text
    document = read(client.get(f"/advisor/brief.html?{asked}").text)
    assert document.script_tags == 0
    assert document.inline_handlers == []
    markdown = client.get(f"/advisor/brief.md?{asked}").text
    assert "<script>" not in markdown


def test_the_workspace_advisor_starts_from_the_organisation_profile(
    db: Database, browsers: Browsers, world: World
) -> None:
    set_profile(
        db,
        world,
        stage="scale-up",
        headcount=240,
        engineering_headcount=60,
        product_lines=3,
        regulated=True,
    )
    page = signed_in(browsers, world.alpha.viewer.email).get(WS_ADVISOR)
    assert page.status_code == 200
    form = read(page.text).form(WS_ADVISOR)
    assert form.fields["stage"] == "scale-up"
    assert form.fields["headcount"] == "240"
    assert form.fields["engineers"] == "60"
    assert form.fields["product_lines"] == "3"
    assert form.fields["regulated"] == "yes"
    assert "full_time_budget" not in form.fields  # the profile does not say: unticked
    assert "organisation" not in form.field_types  # the brief uses the workspace's name
    assert 'id="recommendation"' not in page.text


def test_running_the_workspace_advisor_saves_nothing(
    db: Database, browsers: Browsers, world: World
) -> None:
    before = workspace_state(db, ALPHA)
    client = signed_in(browsers, world.alpha.viewer.email)
    page = client.get(f"{WS_ADVISOR}?{query(STARTUP)}")
    assert page.status_code == 200
    client.get(f"{WS_ADVISOR}/brief.md?{query(STARTUP)}")
    assert workspace_state(db, ALPHA) == before


def test_a_viewer_sees_the_playbooks_for_the_kind_but_no_start_form(
    browsers: Browsers, world: World
) -> None:
    page = signed_in(browsers, world.alpha.viewer.email).get(f"{WS_ADVISOR}?{query(STARTUP)}")
    shown = section(page.text, "playbooks")
    for playbook in role_catalog().playbooks_for("fractional-cto"):
        assert playbook.name in shown
    assert "Editors and owners can start a playbook here." in shown
    assert [f for f in read(page.text).forms if f.method == "post" and f.path != "/logout"] == []


def test_an_editor_can_start_each_playbook_for_the_kind_from_today(
    browsers: Browsers, world: World, clock: MovableClock
) -> None:
    page = signed_in(browsers, world.alpha.editor.email).get(f"{WS_ADVISOR}?{query(STARTUP)}")
    starts = [f for f in read(page.text).forms if f.path == f"/w/{ALPHA}/playbooks"]
    expected = [p.key for p in role_catalog().playbooks_for("fractional-cto")]
    assert [f.fields["playbook"] for f in starts] == expected
    today = clock().date().isoformat()  # the tenants' workspaces keep UTC, as the clock does
    for form in starts:
        assert form.method == "post"
        assert form.fields["starts_on"] == today
        assert form.fields["csrf_token"]
        assert form.buttons == ["Start this playbook"]


def test_the_workspace_brief_uses_the_workspace_name_as_text(
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
            name="<b>Alpha</b> & Sons",
        )
    client = signed_in(browsers, world.alpha.viewer.email)
    page = client.get(f"{WS_ADVISOR}?{query(STARTUP)}")
    assert "<b>Alpha</b>" not in page.text
    assert "Hiring brief: Fractional CTO for &lt;b&gt;Alpha&lt;/b&gt; &amp; Sons" in page.text
    markdown = client.get(f"{WS_ADVISOR}/brief.md?{query(STARTUP)}")
    assert markdown.headers["content-disposition"] == (
        f'attachment; filename="{ALPHA}-hiring-brief-fractional-cto.md"'
    )
    assert "<b>Alpha</b>" not in markdown.text


@pytest.mark.parametrize("path", ["/advisor", WS_ADVISOR])
def test_an_outsider_cannot_read_another_workspaces_advisor(
    browsers: Browsers, world: World, path: str
) -> None:
    client = signed_in(browsers, world.bravo.owner.email)
    response = client.get(f"{path}?{query(STARTUP)}")
    assert response.status_code == (200 if path == "/advisor" else 404)
