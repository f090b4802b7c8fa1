"""The roadmap in the browser: themes, outcomes and the initiatives serving them, the tech
roadmap, the requests serving no outcome, the outcome forms, and the timeline of the
accepted plan; and the timeline as a pure function: escaped, placed by quarter and team,
readable without a plan."""

from __future__ import annotations

import html
import re
from typing import Any
from xml.etree import ElementTree as ET

from fastapi.testclient import TestClient

from quarterdeck.domain.planning import (
    Kind,
    Plan,
    Planned,
    Status,
    Strategy,
    TeamLoad,
)
from quarterdeck.domain.portfolio import Outcome
from quarterdeck.services import intake, planning
from quarterdeck.storage import Database
from quarterdeck.web.ui.timeline_chart import timeline
from tests.api.routes import ITEM, OUTCOME, PLAN_QUARTERS, TEAM, TRACKED_METRIC, URGENT_ITEM
from tests.api.world import ALPHA, Browsers, World, as_person
from tests.conftest import sign_in
from tests.web.browser import open_form, read

ROADMAP = f"/w/{ALPHA}/roadmap"
SVG = "{http://www.w3.org/2000/svg}"
READY = dict.fromkeys(("dependencies", "risk", "security", "performance"), True)


def text_of(page: str) -> str:
    inline = re.sub(r"</?(?:strong|em|a|span)\b[^>]*>", "", page)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", inline)))


def signed_in(browsers: Browsers, email: str) -> TestClient:
    client = browsers.open()
    sign_in(client, email)
    return client


def section(page: str, heading: str) -> str:
    for card in re.findall(r"<section class=\"card[^\"]*\"[^>]*>.*?</section>", page, flags=re.S):
        if re.search(rf"<h[23][^>]*>{re.escape(heading)}", card):
            return str(card)
    raise AssertionError(f"no section {heading!r}")


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 - our own output, not untrusted data


def svg_of(page: str) -> ET.Element:
    found = re.search(r"<svg\b.*?</svg>", page, flags=re.S)
    assert found is not None
    return parse(found.group(0))


def add(db: Database, world: World, title: str, **values: Any) -> int:
    with db.unit_of_work(write=True) as uow:
        return intake.add_item(
            uow,
            actor=as_person(world.alpha.owner),
            workspace=ALPHA,
            values={"title": title, "ready": READY, **values},
        ).number


def outcomes(db: Database) -> dict[str, Outcome]:
    with db.unit_of_work(write=False) as uow:
        workspace = uow.workspaces.by_slug(ALPHA)
        assert workspace is not None
        return {o.key: o for o in uow.portfolio.outcomes(workspace.id)}


def accept_the_optimal_plan(db: Database, world: World) -> dict[str, str]:
    with db.unit_of_work(write=True) as uow:
        actor = as_person(world.alpha.owner)
        shown = planning.run(uow, actor=actor, workspace=ALPHA)
        assignment = planning.assignment_of(shown.comparison.optimal)
        planning.accept(
            uow,
            actor=actor,
            workspace=ALPHA,
            based_on=shown.given.based_on,
            assignment=assignment,
        )
        return assignment


def test_roadmap_shows_themes_outcomes_and_their_initiatives(
    db: Database, browsers: Browsers, world: World
) -> None:
    with db.unit_of_work(write=True) as uow:
        intake.record_checkpoint(
            uow,
            actor=as_person(world.alpha.owner),
            workspace=ALPHA,
            number=ITEM,
            expected_version=1,
            checkpoint="problem-validated",
            done=True,
            note="interviews",
        )
    client = signed_in(browsers, world.alpha.viewer.email)
    page = client.get(ROADMAP).text
    growth = text_of(section(page, "Growth"))
    assert "More trials become paying customers" in growth
    assert (
        f"Metric trial-conversion not on the scorecard · target 25 % · by {PLAN_QUARTERS[0]} "
        f"{OUTCOME}"
    ) in growth
    assert re.search(r"IN-1 Self-serve onboarding product bet proposed — — — 1/3", growth)
    assert re.search(r"IN-2 Patch the login flaw product bet proposed — — — 0/3", growth)


def test_a_metric_on_the_scorecard_links_to_its_card(
    db: Database, browsers: Browsers, world: World
) -> None:
    with db.unit_of_work(write=True) as uow:
        intake.edit_item(
            uow,
            actor=as_person(world.alpha.owner),
            workspace=ALPHA,
            number=ITEM,
            expected_version=1,
            changes={"primary_metric": TRACKED_METRIC, "guardrail_metric": "error-rate"},
        )
    client = signed_in(browsers, world.alpha.viewer.email)
    for page in (client.get(ROADMAP).text, client.get(f"/w/{ALPHA}/intake/IN-{ITEM}").text):
        assert f'href="http://testserver/w/{ALPHA}/scorecard/metrics/{TRACKED_METRIC}"' in page
        assert "Escaped defects</a>" in page
        assert 'error-rate</span> <span class="muted small">not on the scorecard' in page


def test_tech_roadmap_and_requests_serving_no_outcome(
    db: Database, browsers: Browsers, world: World
) -> None:
    add(db, world, "Move to managed Postgres", kind="platform-investment", outcome_key=OUTCOME)
    add(db, world, "Rewrite the build", kind="platform-investment")
    add(db, world, "Office plants")
    add(db, world, "Retired idea", status="dropped")
    client = signed_in(browsers, world.alpha.viewer.email)
    page = client.get(ROADMAP).text
    tech = text_of(section(page, "Tech roadmap"))
    assert "IN-3 Move to managed Postgres proposed — More trials become paying customers" in tech
    assert "IN-4 Rewrite the build proposed — no outcome yet" in tech
    unlinked = text_of(section(page, "Serving no outcome yet"))
    assert "IN-4 Rewrite the build" in unlinked
    assert "IN-5 Office plants" in unlinked
    assert "Retired idea" not in page


def test_timeline_says_so_without_a_plan_and_shows_the_accepted_one(
    db: Database, browsers: Browsers, world: World
) -> None:
    client = signed_in(browsers, world.alpha.viewer.email)
    before = svg_of(client.get(ROADMAP).text)
    assert before.findtext(f"{SVG}title") == "Roadmap timeline: no plan accepted yet"
    assert "No plan accepted yet" in ET.tostring(before, encoding="unicode")
    assert before.findall(f".//{SVG}g") == []
    assignment = accept_the_optimal_plan(db, world)
    page = client.get(ROADMAP).text
    chart = svg_of(page)
    assert chart.findtext(f"{SVG}title") == (
        "Roadmap timeline of accepted plan 1, by quarter and team"
    )
    description = chart.findtext(f"{SVG}desc") or ""
    for key, quarter in assignment.items():
        assert f"{key} " in description
        assert f"in {quarter}, 10 person-weeks of {TEAM}" in description
    links = [a.get("href", "") for a in chart.iter(f"{SVG}a")]
    assert sorted(links) == sorted(
        f"http://testserver/w/{ALPHA}/intake/{key}" for key in assignment
    )
    assert f"Accepted plan 1 (optimal), accepted by {world.alpha.owner.email}" in text_of(page)


def test_an_item_finished_after_acceptance_is_named_as_no_longer_in_the_plan(
    db: Database, browsers: Browsers, world: World
) -> None:
    accept_the_optimal_plan(db, world)
    with db.unit_of_work(write=True) as uow:
        item = intake.get_item(
            uow, actor=as_person(world.alpha.owner), workspace=ALPHA, number=URGENT_ITEM
        )
        intake.edit_item(
            uow,
            actor=as_person(world.alpha.owner),
            workspace=ALPHA,
            number=URGENT_ITEM,
            expected_version=item.version,
            changes={"status": "done"},
        )
    page = signed_in(browsers, world.alpha.viewer.email).get(ROADMAP).text
    assert "No longer in the plan as it stands today" in page
    assert "IN-2 Patch the login flaw (done)" in text_of(section(page, "Timeline"))
    assert "IN-2 " not in (svg_of(page).findtext(f"{SVG}desc") or "")


def test_adding_an_outcome_names_every_missing_field_and_saves_nothing(
    db: Database, browsers: Browsers, world: World
) -> None:
    client = signed_in(browsers, world.alpha.editor.email)
    action = f"{ROADMAP}/outcomes"
    form = open_form(client, ROADMAP, action)
    refused = form.submit(client, key="retention", theme="", title="", metric="", target="x")
    assert refused.status_code == 422
    words = text_of(refused.text)
    for problem in ("theme is required", "title is required", "metric is required"):
        assert problem in words
    assert set(outcomes(db)) == {OUTCOME}
    kept = read(refused.text).form(action)
    assert (kept.fields["key"], kept.fields["target"]) == ("retention", "x")
    badly_named = form.submit(
        client,
        key="Retention!",
        theme="Retention",
        title="Keep customers",
        metric="churn",
        target="below 5 %",
        quarter="2027-Q2",
    )
    assert badly_named.status_code == 422
    assert "outcome key 'Retention!' must be lower-case words joined by hyphens" in text_of(
        badly_named.text
    )
    saved = form.submit(
        client,
        key="retention",
        theme="Retention",
        title="Keep customers",
        metric="churn",
        target="below 5 %",
        quarter="2027-Q2",
    )
    assert saved.status_code == 303
    assert outcomes(db)["retention"].title == "Keep customers"
    assert "Keep customers" in text_of(section(client.get(ROADMAP).text, "Retention"))


def test_stale_outcome_edit_changes_nothing_and_shows_the_stored_outcome(
    db: Database, browsers: Browsers, world: World
) -> None:
    action = f"{ROADMAP}/outcomes/{OUTCOME}"
    first, second = (signed_in(browsers, world.alpha.editor.email) for _ in range(2))
    first_form, second_form = open_form(first, ROADMAP, action), open_form(second, ROADMAP, action)
    assert first_form.submit(first, target="30 %").status_code == 303
    stale = second_form.submit(second, target="40 %")
    assert stale.status_code == 409
    assert "Nothing was changed; the page now shows the stored outcome." in text_of(stale.text)
    assert read(stale.text).form(action).fields["target"] == "30 %"
    assert outcomes(db)[OUTCOME].target == "30 %"
    refused = open_form(first, ROADMAP, action).submit(first, quarter="Q3 2027")
    assert refused.status_code == 422
    assert "quarter 'Q3 2027' is not a quarter like 2027-Q1" in text_of(refused.text)
    assert outcomes(db)[OUTCOME].quarter == PLAN_QUARTERS[0]


def test_viewer_sees_no_outcome_forms(browsers: Browsers, world: World) -> None:
    client = signed_in(browsers, world.alpha.viewer.email)
    page = client.get(ROADMAP).text
    assert [f.path for f in read(page).forms if f.method == "post" and f.path != "/logout"] == []
    assert "Add an outcome" not in page


def test_hostile_titles_are_escaped_in_the_page_and_the_timeline(
    db: Database, browsers: Browsers, world: World
) -> None:
    with db.unit_of_work(write=True) as uow:
        item = intake.get_item(
            uow, actor=as_person(world.alpha.owner), workspace=ALPHA, number=ITEM
        )
        intake.edit_item(
            uow,
            actor=as_person(world.alpha.owner),
            workspace=ALPHA,
            number=ITEM,
            expected_version=item.version,
            changes={"title": "<script>alert(1)</script> & <b>more</b>"},
        )
    accept_the_optimal_plan(db, world)
    page = signed_in(browsers, world.alpha.viewer.email).get(ROADMAP).text
    parsed = read(page)
    assert parsed.script_tags == 0
    assert parsed.inline_handlers == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;more&lt;/b&gt;" in page
    assert "<script>alert(1)</script> & <b>more</b>" in (svg_of(page).findtext(f"{SVG}desc") or "")


# -- the timeline as a pure function -----------------------------------------------------


def _plan(*planned: Planned, loads: tuple[TeamLoad, ...] = ()) -> Plan:
    return Plan(
        strategy=Strategy.OPTIMAL,
        status=Status.OPTIMAL,
        planned=planned,
        deferred=(),
        value=sum(p.value for p in planned),
        loads=loads,
        split=(),
        gap=0.0,
        seconds=0.0,
    )


TEAMS = [("core", "Core"), ("web", "Web")]


def _bars(chart: ET.Element) -> list[tuple[str, float, float]]:
    """(tooltip, x, y) of every bar."""
    found = []
    for group in chart.iter(f"{SVG}g"):
        rect = group.find(f"{SVG}rect")
        assert rect is not None
        found.append(
            (group.findtext(f"{SVG}title") or "", float(rect.get("x", 0)), float(rect.get("y", 0)))
        )
    return found


def test_timeline_places_each_teams_share_in_its_row_and_quarter() -> None:
    plan = _plan(
        Planned("IN-10", Kind.PRODUCT_BET, "2027-Q2", 8, {"core": 6, "web": 4}, False),
        Planned("IN-2", Kind.RISK_REDUCTION, "2027-Q1", 3, {"core": 5}, True),
    )
    chart = parse(
        timeline(
            plan,
            quarters=["2027-Q1", "2027-Q2"],
            teams=TEAMS,
            titles={"IN-10": "Billing", "IN-2": "Patch"},
            label="Plan 4",
        )
    )
    bars = _bars(chart)
    assert [tip for tip, _, _ in bars] == [
        "IN-2 Patch: 5 person-weeks of core in 2027-Q1, mandatory",
        "IN-10 Billing: 6 person-weeks of core in 2027-Q2",
        "IN-10 Billing: 4 person-weeks of web in 2027-Q2",
    ]
    (_, x_first, y_core), (_, x_second, y_core_again), (_, _, y_web) = bars
    assert x_first < x_second
    assert y_core == y_core_again < y_web
    classes = [g.get("class") for g in chart.iter(f"{SVG}g")]
    assert classes == ["bar kind-risk-reduction", "bar kind-product-bet", "bar kind-product-bet"]
    assert chart.findtext(f"{SVG}desc") == (
        "Plan 4: IN-2 Patch in 2027-Q1, 5 person-weeks of core; IN-10 Billing in 2027-Q2, "
        "6 person-weeks of core; IN-10 Billing in 2027-Q2, 4 person-weeks of web."
    )


def test_timeline_escapes_every_label_and_shortens_long_titles() -> None:
    hostile = '<script>alert("x")</script> & "quotes" and a very long title indeed'
    plan = _plan(Planned("IN-1", Kind.PRODUCT_BET, "2027-Q1", 1, {"core": 2}, False))
    markup = str(
        timeline(
            plan,
            quarters=["2027-Q1"],
            teams=[("core", "<b>Core</b>")],
            titles={"IN-1": hostile},
            label="<i>plan</i>",
            links={"IN-1": '/w/a/intake/IN-1?x="><script>'},
        )
    )
    assert "<script" not in markup
    assert "<b>" not in markup
    assert "<i>" not in markup
    chart = parse(markup)  # well-formed: every label escaped
    assert chart.findtext(f"{SVG}title") == "<i>plan</i>"
    labels = [t.text for t in chart.iter(f"{SVG}text") if t.get("class") == "bar-label"]
    assert labels == ['IN-1 <script>alert("x")</s…']
    (group,) = chart.iter(f"{SVG}g")
    assert (group.findtext(f"{SVG}title") or "").startswith(f"IN-1 {hostile}:")
    (link,) = chart.iter(f"{SVG}a")
    assert link.get("href") == '/w/a/intake/IN-1?x="><script>'
    assert "style=" not in markup


def test_timeline_without_a_plan_or_teams_still_reads() -> None:
    for plan, teams in ((None, TEAMS), (_plan(), TEAMS), (None, [])):
        chart = parse(
            timeline(plan, quarters=["2027-Q1", "2027-Q2"], teams=teams, titles={}, label="Plan")
        )
        assert chart.get("role") == "img"
        assert chart.findtext(f"{SVG}desc") == "Plan: no initiatives planned."
        texts = [t.text for t in chart.iter(f"{SVG}text")]
        assert "No plan accepted yet" in texts
        assert {"2027-Q1", "2027-Q2"} <= set(texts)
        assert list(chart.iter(f"{SVG}g")) == []
        assert ("No teams yet" in texts) is (not teams)


def test_timeline_marks_an_over_allocated_cell() -> None:
    plan = _plan(
        Planned("IN-1", Kind.PRODUCT_BET, "2027-Q1", 1, {"core": 12}, False),
        loads=(
            TeamLoad("core", "2027-Q1", 13, 3, 12, 1, None),
            TeamLoad("web", "2027-Q1", 13, 0, 0, 0, None),
        ),
    )
    chart = parse(
        timeline(plan, quarters=["2027-Q1"], teams=TEAMS, titles={"IN-1": "Big"}, label="Plan")
    )
    loads = {
        t.text: t.get("class") for t in chart.iter(f"{SVG}text") if "load" in (t.get("class") or "")
    }
    assert loads == {"12 of 10 pw (over)": "load over"}
