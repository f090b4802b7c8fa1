"""The capacity page in the browser: the heat map of the accepted plan's load with
over-allocation flagged, the split and load charts, who works on what, and the team and
person forms. Refused forms name every problem and save nothing; viewers get no forms.
The charts are tested as pure functions: well-formed, inside their frame, escaped."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient

from quarterdeck.domain.planning import Kind, SplitLine, TeamLoad
from quarterdeck.services import capacity, planning
from quarterdeck.storage import Database
from quarterdeck.web.ui.capacity_charts import heat_cell, load_chart, split_chart
from tests.api.routes import PERSON, PLAN_QUARTERS, TEAM
from tests.api.world import ALPHA, Browsers, World, as_person, workspace_state
from tests.conftest import sign_in
from tests.web.browser import open_form, read
from tests.web.test_scorecard import post_forms, signed_in, text_of

PAGE = f"/w/{ALPHA}/capacity"
FIRST, SECOND = PLAN_QUARTERS
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '</title><script>alert("x")</script><b onmouseover=alert(1)>&'


def accept_the_plan(db: Database, world: World) -> dict[str, str]:
    """Work out alpha's plan and accept the optimal one, as the owner."""
    owner = as_person(world.alpha.owner)
    with db.unit_of_work(write=False) as uow:
        run = planning.run(uow, actor=owner, workspace=ALPHA)
    shown = planning.assignment_of(run.comparison.optimal)
    with db.unit_of_work(write=True) as uow:
        planning.accept(
            uow, actor=owner, workspace=ALPHA, based_on=run.given.based_on, assignment=shown
        )
    return shown


def heat_row(page: str, team: str) -> list[str]:
    """The heat map cells of the team's row, as their markup."""
    table = page.split('<table class="heatmap">', 1)[1].split("</table>", 1)[0]
    for row in re.findall(r"<tr>.*?</tr>", table, flags=re.S):
        if f'<span class="key">{team}</span>' in row:
            return re.findall(r'<td class="heat.*?</td>', row, flags=re.S)
    raise AssertionError(f"no heat map row for {team}")


def test_before_any_plan_the_heat_map_shows_what_each_team_has(
    browsers: Browsers, world: World
) -> None:
    client = signed_in(browsers, world.alpha.viewer.email)
    page = client.get(PAGE).text
    assert "No plan accepted yet" in page
    cells = heat_row(page, TEAM)
    assert len(cells) == len(PLAN_QUARTERS)
    assert all("heat-idle" in cell and "0 of 13 person-weeks" in cell for cell in cells)
    assert "Over-allocated" not in page


def test_heat_map_flags_a_quarter_the_accepted_plan_over_allocates(
    db: Database, browsers: Browsers, world: World
) -> None:
    assert accept_the_plan(db, world) == {"IN-1": FIRST, "IN-2": SECOND}
    client = signed_in(browsers, world.alpha.editor.email)
    loaded = text_of(client.get(PAGE).text)
    assert "10 of 13 person-weeks (77 %)" in loaded
    # Six weeks of leave in the first quarter leave 7 person-weeks for 10 planned.
    form = open_form(client, PAGE, PAGE + "/people/change")
    response = form.submit(client, **{f"leave_{FIRST}": "6"})
    assert response.status_code == 303
    page = client.get(response.headers["location"]).text
    first, second = heat_row(page, TEAM)
    assert "heat-over" in first
    assert "Over: over-allocated by 3 person-weeks" in text_of(first)
    assert "10 of 7 person-weeks" in text_of(first)
    assert "heat-over" not in second
    assert 'id="over-allocation"' in page
    assert "1 team-quarter of the accepted plan needs more than the team has" in text_of(page)
    assert 'class="bar over"' in page  # the load chart shows the part beyond capacity


def test_heat_map_flags_more_initiatives_at_once_than_the_team_allows(
    db: Database, browsers: Browsers, world: World
) -> None:
    owner = as_person(world.alpha.owner)
    with db.unit_of_work(write=True) as uow:  # 26 person-weeks: both items fit in one quarter
        capacity.put_person(uow, actor=owner, workspace=ALPHA, name="Grace", team=TEAM, fte=1)
    assert accept_the_plan(db, world) == {"IN-1": FIRST, "IN-2": FIRST}
    client = signed_in(browsers, world.alpha.owner.email)
    form = open_form(client, PAGE, f"{PAGE}/teams/{TEAM}")
    assert form.submit(client, max_parallel="1").status_code == 303
    page = client.get(PAGE).text
    first, second = heat_row(page, TEAM)
    assert "Over: 2 initiatives at once, limit 1" in text_of(first)
    assert "2 initiatives of 1 allowed" in text_of(first)
    assert "heat-idle" in second


def test_who_works_on_what_lists_people_and_the_planned_initiatives(
    db: Database, browsers: Browsers, world: World
) -> None:
    accept_the_plan(db, world)
    client = signed_in(browsers, world.alpha.viewer.email)
    page = text_of(client.get(PAGE).text)
    assert f"{PERSON} 1 — — —" in page  # FTE, no start or end date, no leave
    assert f"{FIRST} 13 pw 0 pw IN-1 Self-serve onboarding (10 pw)" in page
    assert f"{SECOND} 13 pw 0 pw IN-2 Patch the login flaw (10 pw)" in page


def test_an_editor_adds_a_team_and_a_person_with_leave_and_dates(
    db: Database, browsers: Browsers, world: World
) -> None:
    client = signed_in(browsers, world.alpha.editor.email)
    team = open_form(client, PAGE, PAGE + "/teams").submit(
        client, key="web", name="Web", reserve_percent="20", max_parallel="2"
    )
    assert team.headers["location"].endswith("done=team-added")
    person = open_form(client, PAGE, PAGE + "/people").submit(
        client,
        name="Linus",
        team="web",
        fte="0.5",
        starts_on="2027-02-15",
        **{f"leave_{SECOND}": "2"},
    )
    assert person.status_code == 303
    page = client.get(person.headers["location"]).text
    assert "The person was added to the team." in page
    assert "Keep-the-lights-on reserve 20 %; at most 2 initiatives at once" in text_of(page)
    assert f"Linus 0.5 2027-02-15 — {SECOND}: 2 weeks" in text_of(page)
    with db.unit_of_work(write=False) as uow:
        teams = planning.current(uow, actor=as_person(world.alpha.owner), workspace=ALPHA)[0].teams
    web = next(t for t in teams if t.team.key == "web")
    # Half-time from 15 February (45 of 90 days of the quarter), and 2 weeks away in Q2.
    assert web.capacity[FIRST] == pytest.approx(3.25, abs=0.01)
    assert web.capacity[SECOND] == pytest.approx(5.5, abs=0.01)


def test_a_refused_person_form_names_every_problem_and_saves_nothing(
    db: Database, browsers: Browsers, world: World
) -> None:
    client = signed_in(browsers, world.alpha.editor.email)
    before = workspace_state(db, ALPHA)
    form = open_form(client, PAGE, PAGE + "/people")
    response = form.submit(
        client,
        name="Linus",
        team="nonesuch",
        fte="-0.5",
        starts_on="next week",
        **{f"leave_{FIRST}": "14"},
    )
    assert response.status_code == 422
    problems = [text_of(li).strip() for li in re.findall(r"<li>(.*?)</li>", response.text)]
    assert "unknown team 'nonesuch'; add the team first (teams: core)" in problems
    assert "Linus: FTE must be above 0 and at most 1, not -0.5" in problems
    assert "Linus: start date must be a date like 2027-02-01, not 'next week'" in problems
    assert f"Linus: leave in {FIRST} must be 0-13 weeks, not 14" in problems
    typed = read(response.text).form(PAGE + "/people").fields
    assert typed["name"] == "Linus"
    assert typed["fte"] == "-0.5"
    assert typed[f"leave_{FIRST}"] == "14"
    assert workspace_state(db, ALPHA) == before


def test_a_refused_change_reopens_that_persons_form_with_what_was_typed(
    db: Database, browsers: Browsers, world: World
) -> None:
    client = signed_in(browsers, world.alpha.owner.email)
    before = workspace_state(db, ALPHA)
    form = open_form(client, PAGE, PAGE + "/people/change")
    response = form.submit(client, **{f"leave_{SECOND}": "20"})
    assert response.status_code == 422
    assert f"{PERSON}: leave in {SECOND} must be 0-13 weeks, not 20" in text_of(response.text)
    assert re.search(
        r"<details class=\"inline-form\" open>\s*<summary>Change</summary>", response.text
    )
    assert read(response.text).form(PAGE + "/people/change").fields[f"leave_{SECOND}"] == "20"
    assert workspace_state(db, ALPHA) == before


def test_a_stale_team_form_answers_409_and_shows_what_is_stored(
    db: Database, browsers: Browsers, world: World
) -> None:
    client = signed_in(browsers, world.alpha.owner.email)
    form = open_form(client, PAGE, f"{PAGE}/teams/{TEAM}")
    assert form.submit(client, name="Core Product").status_code == 303
    before = workspace_state(db, ALPHA)
    stale = form.submit(client, name="Core Platform")
    assert stale.status_code == 409
    assert "Nothing was changed; the page now shows what is stored." in stale.text
    assert read(stale.text).form(f"{PAGE}/teams/{TEAM}").fields["name"] == "Core Product"
    assert workspace_state(db, ALPHA) == before


def test_removing_a_person_takes_their_capacity_away(
    db: Database, browsers: Browsers, world: World
) -> None:
    client = signed_in(browsers, world.alpha.owner.email)
    form = open_form(client, PAGE, PAGE + "/people/remove")
    assert form.fields["name"] == PERSON
    response = form.submit(client, follow_redirects=True)
    assert "The person was removed from the team." in response.text
    assert "Nobody in this team yet: it has no capacity." in response.text
    assert form.submit(client).status_code == 404  # already gone
    assert workspace_state(db, ALPHA)["people"] == []


def test_viewers_read_the_page_without_any_form(browsers: Browsers, world: World) -> None:
    client = signed_in(browsers, world.alpha.viewer.email)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert post_forms(page.text) == []
    assert "Add a team" not in page.text


def test_the_page_has_no_script_and_every_form_carries_the_csrf_token(
    browsers: Browsers, world: World
) -> None:
    client: TestClient = browsers.open()
    csrf = sign_in(client, world.alpha.owner.email)
    page = client.get(PAGE).text
    seen = read(page)
    assert seen.script_tags == 0
    assert seen.inline_handlers == []
    assert " style=" not in page
    posting = [f for f in seen.forms if f.method == "post"]
    assert len(posting) >= 6  # sign out, add team, add person, change team, person x2
    assert all(f.fields["csrf_token"] == csrf for f in posting)


# -- the charts as pure functions --------------------------------------------------------


def parse(markup: str) -> ElementTree.Element:
    return ElementTree.fromstring(markup)  # noqa: S314 - our own output, not untrusted data


def assert_inside(svg: ElementTree.Element) -> None:
    _, _, width, height = (float(n) for n in svg.attrib["viewBox"].split())
    for node in svg.iter():
        a = node.attrib
        points = []
        if node.tag in (SVG + "rect", SVG + "text"):
            points.append((float(a["x"]), float(a["y"])))
        if node.tag == SVG + "rect":
            points.append((float(a["x"]) + float(a["width"]), float(a["y"]) + float(a["height"])))
        if node.tag == SVG + "line":
            points += [(float(a["x1"]), float(a["y1"])), (float(a["x2"]), float(a["y2"]))]
        for x, y in points:
            assert 0 <= x <= width, (node.tag, x)
            assert 0 <= y <= height, (node.tag, y)


def assert_inert(markup: str) -> None:
    svg = parse(markup)
    for node in svg.iter():
        assert node.tag != SVG + "script"
        assert not any(name.startswith("on") or name == "style" for name in node.attrib)


def load(
    team: str, quarter: str, used: float, running: int = 1, limit: int | None = None
) -> TeamLoad:
    return TeamLoad(team, quarter, 13.0, 1.0, used, running, limit)


def line(quarter: str, kind: Kind, of_base: float | None, target: float | None) -> SplitLine:
    bounds = (None, None) if target is None else (10.0, 50.0)
    return SplitLine(quarter, kind, 4.0, of_base, of_base, target, *bounds)


def test_an_empty_chart_says_there_is_nothing_to_show() -> None:
    for markup, text in (
        (load_chart([]), "No teams to show"),
        (split_chart([]), "No quarters to show"),
    ):
        svg = parse(markup)
        assert [t.text for t in svg.iter(SVG + "text")] == [text]
        assert_inside(svg)


def test_load_chart_draws_the_part_beyond_capacity_in_its_own_bar() -> None:
    markup = load_chart(
        [load("core", FIRST, 8.0), load("core", SECOND, 18.0)], names={"core": "Core"}
    )
    svg = parse(markup)
    assert_inside(svg)
    assert_inert(markup)
    over = [r for r in svg.iter(SVG + "rect") if "over" in r.attrib["class"].split()]
    assert len(over) == 1
    assert "Core, 2027-Q2: 18 of 12 person-weeks (150 %)" in "".join(over[0].itertext())
    texts = [t.text for t in svg.iter(SVG + "text")]
    assert "Core" in texts
    assert "8 / 12 pw" in texts
    assert "18 / 12 pw · over" in texts


def test_split_chart_marks_a_bar_outside_its_bounds_and_a_quarter_without_a_split() -> None:
    markup = split_chart(
        [
            line(FIRST, Kind.PRODUCT_BET, 70.0, 40.0),
            line(FIRST, Kind.PLATFORM_INVESTMENT, 20.0, 30.0),
            line(SECOND, Kind.PRODUCT_BET, None, None),
        ]
    )
    svg = parse(markup)
    assert_inside(svg)
    assert_inert(markup)
    outside = [r for r in svg.iter(SVG + "rect") if "outside" in r.attrib["class"].split()]
    assert len(outside) == 1
    texts = [t.text for t in svg.iter(SVG + "text")]
    assert "70 % (target 40 %), outside bounds" in texts
    assert "20 % (target 30 %)" in texts
    assert "no capacity" in texts
    assert len(list(svg.iter(SVG + "line"))) == 3 + 2  # three scale lines, two target ticks


def test_chart_text_is_escaped() -> None:
    markups = [
        load_chart([load("core", FIRST, 3.0)], names={"core": HOSTILE}),
        split_chart([line(HOSTILE, Kind.RISK_REDUCTION, 15.0, 15.0)]),
    ]
    for markup in markups:
        assert "<script>" not in markup
        assert "<b " not in markup
        assert_inert(markup)
        texts = "".join(parse(markup).itertext())
        assert HOSTILE in texts


@pytest.mark.parametrize(
    ("used", "running", "limit", "level"),
    [
        (0.0, 0, None, "idle"),
        (5.0, 1, None, "light"),
        (8.0, 1, None, "busy"),
        (12.0, 1, 1, "full"),
        (12.5, 1, None, "over"),
        (3.0, 3, 2, "over"),
    ],
)
def test_heat_cell_levels(used: float, running: int, limit: int | None, level: str) -> None:
    cell = heat_cell(load("core", FIRST, used, running, limit))
    assert cell.level == level
    assert cell.over is (level == "over")
