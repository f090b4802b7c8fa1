"""The intake in the browser: the board ranked by the workspace's method with its filters,
the items it cannot rank listed apart with why; one item with why it ranks where it does,
its checkpoints and cost-benefit figures; the forms that add, edit, record evidence and set
costs. Refused forms name every problem and save nothing; stale ones show what is stored;
hostile text renders inert; viewers get no forms."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from quarterdeck.domain.portfolio import IntakeItem
from quarterdeck.services import intake
from quarterdeck.storage import Database
from tests.api.routes import ITEM, TEAM
from tests.api.world import ALPHA, Browsers, World, as_person
from tests.conftest import sign_in
from tests.web.browser import open_form, read

BOARD = f"/w/{ALPHA}/intake"
READY = dict.fromkeys(("dependencies", "risk", "security", "performance"), True)


def page_of(number: int) -> str:
    return f"{BOARD}/IN-{number}"


def text_of(page: str) -> str:
    """The page's words as a reader sees them: inline tags vanish, block tags separate."""
    inline = re.sub(r"</?(?:strong|em|a|span)\b[^>]*>", "", page)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", inline)))


def signed_in(browsers: Browsers, email: str) -> TestClient:
    client = browsers.open()
    sign_in(client, email)
    return client


def post_forms(page: str) -> list[str]:
    return [f.path for f in read(page).forms if f.method == "post" and f.path != "/logout"]


def five(serves: str, departmental: str, risk: str, *, backed: bool = True) -> dict[str, Any]:
    return {
        "five-criteria": {
            "serves": {"growth": serves},
            "departmental": departmental,
            "resources": "3",
            "viability": "3",
            "risk": risk,
            "departments": backed,
        }
    }


def add(db: Database, world: World, title: str, **values: Any) -> IntakeItem:
    with db.unit_of_work(write=True) as uow:
        return intake.add_item(
            uow,
            actor=as_person(world.alpha.owner),
            workspace=ALPHA,
            values={"title": title, "ready": READY, "effort": {TEAM: 4}, **values},
        )


def _alpha_items(db: Database) -> dict[int, IntakeItem]:
    with db.unit_of_work(write=False) as uow:
        workspace = uow.workspaces.by_slug(ALPHA)
        assert workspace is not None
        return {item.number: item for item in uow.portfolio.items(workspace.id)}


def stored(db: Database, number: int) -> IntakeItem:
    return _alpha_items(db)[number]


def count(db: Database) -> int:
    return len(_alpha_items(db))


def section(page: str, heading: str) -> str:
    """The markup of the card headed `heading`."""
    for card in re.findall(r"<section class=\"card[^\"]*\"[^>]*>.*?</section>", page, flags=re.S):
        if re.search(rf"<h2>{re.escape(heading)}", card):
            return str(card)
    raise AssertionError(f"no section {heading!r}")


@pytest.fixture
def scored(db: Database, world: World) -> dict[str, IntakeItem]:
    """Beside the world's IN-1 and IN-2 (not scored): a strong bet, a weaker platform
    investment, a bet the department heads do not back, and a finished one."""
    return {
        "strong": add(
            db, world, "Usage-based billing", department="Sales", scores=five("5", "4", "1")
        ),
        "weak": add(
            db,
            world,
            "Replace the queue",
            kind="platform-investment",
            department="Engineering",
            ready={**READY, "security": False},
            scores=five("2", "2", "4"),
        ),
        "unbacked": add(db, world, "Loyalty points", scores=five("3", "3", "2", backed=False)),
        "done": add(db, world, "Dark mode", status="done", scores=five("4", "4", "1")),
    }


def test_board_ranks_open_items_and_lists_the_rest_apart(
    browsers: Browsers, world: World, scored: dict[str, IntakeItem]
) -> None:
    client = signed_in(browsers, world.alpha.viewer.email)
    page = client.get(BOARD).text
    ranking = text_of(section(page, "Ranked by five-criteria"))
    strong, weak = scored["strong"], scored["weak"]
    assert re.search(rf"1 {strong.key} Usage-based billing .*? ready", ranking)
    assert re.search(
        rf"2 {weak.key} Replace the queue .*not ready missing: security is reviewed", ranking
    )
    assert ranking.index(strong.key) < ranking.index(weak.key)
    excluded = text_of(section(page, "Excluded by five-criteria"))
    assert "Loyalty points" in excluded
    assert "fails gate 'departments' (Do the department heads back it? No)" in excluded
    unscored = text_of(section(page, "Not scored for five-criteria"))
    assert "IN-1 Self-serve onboarding" in unscored
    assert "not scored for five-criteria" in unscored
    assert "Dark mode" not in page  # closed items only with the status filter
    everything = client.get(BOARD, params={"status": "all"}).text
    assert "Dark mode" in text_of(section(everything, "Closed"))


def test_filters_narrow_the_board_and_keep_the_real_ranks(
    browsers: Browsers, world: World, scored: dict[str, IntakeItem]
) -> None:
    client = signed_in(browsers, world.alpha.viewer.email)
    platform = text_of(client.get(BOARD, params={"kind": "platform-investment"}).text)
    assert "Replace the queue" in platform
    assert "Usage-based billing" not in platform
    assert re.search(r"2 IN-\d+ Replace the queue", platform)  # still second of all
    not_ready = text_of(client.get(BOARD, params={"ready": "no"}).text)
    assert "Replace the queue" in not_ready
    assert "Usage-based billing" not in not_ready
    sales = text_of(client.get(BOARD, params={"department": "sales"}).text)
    assert "Usage-based billing" in sales
    assert "Replace the queue" not in sales
    urgent = text_of(client.get(BOARD, params={"urgency": "urgent"}).text)
    assert "Patch the login flaw" in urgent
    assert "Self-serve onboarding" not in urgent
    searched = text_of(client.get(BOARD, params={"q": "billing"}).text)
    assert "Usage-based billing" in searched
    assert "Loyalty points" not in searched


def test_the_board_switches_method_and_refuses_an_unknown_one(
    db: Database, browsers: Browsers, world: World, scored: dict[str, IntakeItem]
) -> None:
    rice = {"rice": {"reach": "100", "impact": "2", "confidence": "50", "effort": "2"}}
    with db.unit_of_work(write=True) as uow:
        intake.edit_item(
            uow,
            actor=as_person(world.alpha.owner),
            workspace=ALPHA,
            number=ITEM,
            expected_version=1,
            changes={"scores": rice},
        )
    client = signed_in(browsers, world.alpha.viewer.email)
    page = client.get(BOARD, params={"method": "rice"}).text
    assert re.search(
        r"1 IN-1 Self-serve onboarding .*? 1 ", text_of(section(page, "Ranked by rice"))
    )
    assert "Usage-based billing" in text_of(section(page, "Not scored for rice"))
    refused = client.get(BOARD, params={"method": "astrology"})
    assert refused.status_code == 422
    assert "unknown prioritisation method 'astrology'" in html.unescape(refused.text)
    wrong_kind = client.get(BOARD, params={"kind": "moonshot"})
    assert wrong_kind.status_code == 422
    assert "kind 'moonshot' is not one of" in html.unescape(wrong_kind.text)


def test_item_page_explains_its_rank_term_by_term(
    browsers: Browsers, world: World, scored: dict[str, IntakeItem]
) -> None:
    client = signed_in(browsers, world.alpha.viewer.email)
    strong = text_of(section(client.get(page_of(scored["strong"].number)).text, "Why it ranks"))
    assert f"{scored['strong'].key} is ranked 1st of 2 with a score of" in strong
    for criterion in ("strategic-goals", "departmental-needs", "resources", "viability", "risk"):
        assert criterion in strong
    assert "Criterion Raw Normalised Weight Effect Contribution" in strong
    assert "risk 1 0.8 0.2 adds 0.16" in strong  # lower is better: (5 - 1) / 5, weight 1/5
    unbacked = text_of(section(client.get(page_of(scored["unbacked"].number)).text, "Why it"))
    assert "is not ranked: fails gate 'departments'" in unbacked
    unscored = text_of(section(client.get(page_of(ITEM)).text, "Why it ranks"))
    assert "IN-1 is not ranked by five-criteria: not scored for five-criteria." in unscored
    done = text_of(section(client.get(page_of(scored["done"].number)).text, "Why it ranks"))
    assert "is done; only open items (proposed or in progress) are ranked" in done


def test_item_page_shows_every_field_ready_checks_and_dependencies(
    db: Database, browsers: Browsers, world: World, scored: dict[str, IntakeItem]
) -> None:
    needing = add(
        db,
        world,
        "Invoice export",
        requester="CFO",
        department="Finance",
        description="Export *every* invoice.",
        hypothesis="Finance closes the month two days sooner.",
        smallest_bet="A CSV by hand for one month.",
        urgency="high",
        urgency_reason="audit in March",
        requires=[scored["strong"].key],
        alternative_group="billing",
        ready={**READY, "performance": False},
        value=7,
        success="0.5",
        outcome_key="activation",
        primary_metric="month-close-days",
        guardrail_metric="billing-errors",
    )
    client = signed_in(browsers, world.alpha.viewer.email)
    page = client.get(page_of(needing.number)).text
    words = text_of(page)
    for shown in (
        "CFO",
        "Finance",
        "audit in March",
        "Finance closes the month two days sooner.",
        "A CSV by hand for one month.",
        "Core: 4 person-weeks",
        "More trials become paying customers",
        "month-close-days",
        "billing-errors",
        "Risk-adjusted 3.5 points",
    ):
        assert shown in words
    assert "<em>every</em>" in page  # Markdown, sanitized
    ready = text_of(section(page, "Definition of ready"))
    assert "Performance needs are understood: not yet" in ready
    assert "Not ready" in ready
    dependencies = text_of(section(page, "Dependencies"))
    assert f"Requires {scored['strong'].key} Usage-based billing proposed" in dependencies
    strong_page = text_of(client.get(page_of(scored["strong"].number)).text)
    assert f"Needed by {needing.key} Invoice export" in strong_page


def test_adding_a_request_shows_it_and_refusing_one_names_every_problem(
    db: Database, browsers: Browsers, world: World
) -> None:
    client = signed_in(browsers, world.alpha.editor.email)
    form = open_form(client, f"{BOARD}/new", BOARD)
    before = count(db)
    refused = form.submit(
        client,
        title="",
        requester="Head of Support",
        urgency="urgent",
        value="lots",
        success="2",
        **{f"effort_{TEAM}": "-3", "rice_reach": "100", "fc_risk": "9", "requires": "IN-1, banana"},
    )
    assert refused.status_code == 422
    message = text_of(refused.text)
    for problem in (
        "title is required",
        "urgency urgent needs its reason",
        "value must be a number, got 'lots'",
        "probability of success must not be above 1, got 2",
        f"effort for team {TEAM} must not be below 0, got -3",
        "rice scores: give impact, confidence (percent), effort (above zero) too",
        "five-criteria risk (lower is better) must not be above 5, got 9",
        "dependency 'banana' does not name an intake item",
    ):
        assert problem in message
    assert count(db) == before
    again = read(refused.text).form(BOARD)
    assert again.fields["requester"] == "Head of Support"
    assert again.fields["value"] == "lots"
    saved = again.submit(
        client,
        title="Refund self-service",
        urgency="normal",
        value="6",
        success="0.8",
        requires="IN-1",
        **{f"effort_{TEAM}": "3", "rice_reach": "", "fc_risk": "", "ready_risk": "yes"},
    )
    assert saved.status_code == 303
    location = saved.headers["location"]
    assert location.endswith(f"/intake/IN-{before + 1}?done=added")
    item = stored(db, before + 1)
    assert (item.title, item.requester, item.value, item.effort) == (
        "Refund self-service",
        "Head of Support",
        6,
        {TEAM: "3"},
    )
    assert item.requires == [ITEM]
    assert item.ready == {
        "dependencies": False,
        "risk": True,
        "security": False,
        "performance": False,
    }
    shown = client.get(location).text
    assert "The request was added to the intake." in shown


def test_a_service_refusal_comes_back_on_the_form_with_nothing_saved(
    db: Database, browsers: Browsers, world: World
) -> None:
    client = signed_in(browsers, world.alpha.editor.email)
    form = open_form(client, f"{BOARD}/new", BOARD)
    before = count(db)
    refused = form.submit(client, title="Ghost work", requires="IN-99")
    assert refused.status_code == 422
    assert f"dependency IN-99 is not an intake item of '{ALPHA}'" in text_of(refused.text)
    assert count(db) == before


def test_editing_unchanged_keeps_the_item_as_it_is(
    db: Database, browsers: Browsers, world: World, scored: dict[str, IntakeItem]
) -> None:
    strong = scored["strong"]
    path = f"{page_of(strong.number)}/edit"
    client = signed_in(browsers, world.alpha.editor.email)
    response = open_form(client, path, path).submit(client)
    assert response.status_code == 303
    after = stored(db, strong.number)
    assert after.version == strong.version + 1
    for name in (
        "title",
        "kind",
        "status",
        "ready",
        "scores",
        "effort",
        "value",
        "success",
        "requires",
    ):
        assert getattr(after, name) == getattr(strong, name), name


def test_stale_edit_changes_nothing_and_shows_the_stored_item(
    db: Database, browsers: Browsers, world: World
) -> None:
    path = f"{page_of(ITEM)}/edit"
    first, second = (signed_in(browsers, world.alpha.editor.email) for _ in range(2))
    first_form, second_form = open_form(first, path, path), open_form(second, path, path)
    assert first_form.submit(first, title="Onboarding, first take").status_code == 303
    stale = second_form.submit(second, title="Onboarding, second take")
    assert stale.status_code == 409
    words = text_of(stale.text)
    assert "was changed by someone else since version 1" in words
    assert "Your changes were not saved; the form now shows the stored item." in words
    shown = read(stale.text).form(path)
    assert shown.fields["title"] == "Onboarding, first take"
    assert shown.fields["version"] == "2"
    assert stored(db, ITEM).title == "Onboarding, first take"


def test_checkpoint_form_records_evidence_and_refuses_done_without_any(
    db: Database, browsers: Browsers, world: World
) -> None:
    client = signed_in(browsers, world.alpha.editor.email)
    page = client.get(page_of(ITEM)).text
    action = f"{page_of(ITEM)}/checkpoints"
    forms = [f for f in read(page).forms if f.path == action]
    assert [f.fields["checkpoint"] for f in forms] == [
        "problem-validated",
        "experiment-plan",
        "post-launch",
    ]
    refused = forms[0].submit(client, done="yes")
    assert refused.status_code == 422
    assert "a checkpoint marked done needs a note or an evidence link" in text_of(refused.text)
    assert stored(db, ITEM).checkpoints == {}
    bad_link = forms[0].submit(client, done="yes", link="javascript:alert(1)")
    assert bad_link.status_code == 422
    assert "the evidence link must be an http or https address" in text_of(bad_link.text)
    saved = forms[0].submit(
        client,
        done="yes",
        note="Nine of twelve trials stop at setup",
        link="https://wiki.example/r",
    )
    assert saved.status_code == 303
    assert stored(db, ITEM).checkpoints["problem-validated"]["done"] is True
    shown = client.get(page_of(ITEM)).text
    evidence = text_of(section(shown, "Evidence checkpoints"))
    assert "Evidence checkpoints 1/3" in evidence
    assert "Problem validated done Nine of twelve trials stop at setup" in evidence
    assert 'href="https://wiki.example/r" rel="nofollow noopener noreferrer"' in shown


def test_cost_benefit_shows_pessimistic_beside_expected_and_optimistic_behind_details(
    db: Database, browsers: Browsers, world: World
) -> None:
    client = signed_in(browsers, world.alpha.editor.email)
    action = f"{page_of(ITEM)}/cost-benefit"
    form = open_form(client, page_of(ITEM), action)
    assert (form.fields["period"], form.fields["discount_rate"]) == ("quarter", "8")
    refused = form.submit(client, discount_rate="150", costs="100, ten", benefits="")
    assert refused.status_code == 422
    words = text_of(refused.text)
    assert "discount rate must not be above 99, got 150" in words
    assert "benefits are required: one amount per quarter" in words
    assert stored(db, ITEM).cost_benefit is None
    saved = form.submit(client, costs="100000, 0, 0, 0", benefits="0, 40000, 40000, 40000")
    assert saved.status_code == 303
    page = client.get(page_of(ITEM)).text
    figures = section(page, "Cost-benefit")
    head = re.search(r"<thead><tr><th></th>(.*?)</tr></thead>", figures)
    assert head is not None
    assert re.findall(r'scope="col">(\w+)<', head.group(1)) == ["Pessimistic", "Expected"]
    words = text_of(figures)
    assert "Caution: IN-1 loses money in the pessimistic case" in words
    assert "Net present value -38,386.77 15,484.30" in words
    assert "Return on investment -30.71 % 15.48 %" in words
    assert "Payback does not pay back within the horizon 3.50 quarters" in words
    assert re.search(r"<details[^>]*>\s*<summary>Optimistic case</summary>", figures)
    assert "Discounted at 8 % a year, compounded per quarter" in words
    again = open_form(client, page_of(ITEM), action)
    assert again.fields["costs"] == "100000, 0, 0, 0"
    assert again.fields["discount_rate"] == "8"


def test_hostile_text_renders_inert(db: Database, browsers: Browsers, world: World) -> None:
    hostile = add(
        db,
        world,
        "<script>alert('title')</script>",
        requester='"><img src=x onerror=alert(1)>',
        description="<script>alert('md')</script> [x](javascript:alert(1))",
        urgency="urgent",
        urgency_reason="<b onmouseover=alert(2)>now</b>",
        scores=five("4", "4", "1"),
    )
    client = signed_in(browsers, world.alpha.viewer.email)
    for path in (BOARD, page_of(hostile.number), f"/w/{ALPHA}/roadmap"):
        page = client.get(path).text
        parsed = read(page)
        assert parsed.script_tags == 0, path
        assert parsed.inline_handlers == [], path
        assert 'href="javascript:' not in page, path
    item_page = client.get(page_of(hostile.number)).text
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in item_page
    assert "&lt;img src=x onerror=alert(1)&gt;" in item_page


def test_viewer_sees_no_write_forms_and_cannot_open_them(
    browsers: Browsers, world: World, scored: dict[str, IntakeItem]
) -> None:
    client = signed_in(browsers, world.alpha.viewer.email)
    for path in (BOARD, page_of(ITEM), page_of(scored["strong"].number)):
        page = client.get(path).text
        assert post_forms(page) == [], path
        assert "Add a request" not in page
        assert f"{page_of(ITEM)}/edit" not in page
    assert client.get(f"{BOARD}/new").status_code == 403
    assert client.get(f"{page_of(ITEM)}/edit").status_code == 403
    editor = signed_in(browsers, world.alpha.editor.email)
    assert sorted(set(post_forms(editor.get(page_of(ITEM)).text))) == [
        f"{page_of(ITEM)}/checkpoints",
        f"{page_of(ITEM)}/cost-benefit",
    ]


@pytest.mark.parametrize("key", ["IN-999", "nonsense", "IN-0", "12345678901234567890123"])
def test_an_address_naming_no_item_answers_404(browsers: Browsers, world: World, key: str) -> None:
    client = signed_in(browsers, world.alpha.viewer.email)
    assert client.get(f"{BOARD}/{key}").status_code == 404
