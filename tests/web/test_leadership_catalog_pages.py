"""The role catalog pages in the browser: every kind with its focus (neighbouring roles
marked), one kind in full, and two to four kinds side by side, with a wrong choice named."""

from __future__ import annotations

import html

import pytest

from quarterdeck.catalog.assessments import assessment_catalog
from quarterdeck.catalog.kpis import kpi_catalog
from quarterdeck.catalog.roles import role_catalog
from tests.api.world import Browsers, World
from tests.web.browser import read
from tests.web.test_scorecard import signed_in, text_of


def section(page: str, anchor: str) -> str:
    """The text of the `<section id=anchor>` of a page."""
    start = page.index(f'id="{anchor}"')
    return text_of(page[start : page.index("</section>", start)])


def test_catalog_lists_every_kind_with_its_focus_and_marks_the_neighbours(
    browsers: Browsers, world: World
) -> None:
    # Reference data: anyone signed in reads it, a member of no workspace too.
    client = signed_in(browsers, world.newcomer.email)
    page = client.get("/roles")
    assert page.status_code == 200
    leaders, neighbours = section(page.text, "kinds"), section(page.text, "neighbours")
    for kind in role_catalog().kinds:
        listed_in = neighbours if kind.neighbour else leaders
        assert kind.name in listed_in
        assert kind.focus in listed_in
    assert {k.name for k in role_catalog().kinds if k.neighbour} == {
        "CIO",
        "VP of Engineering",
        "Head of Engineering",
        "CPO",
    }
    assert page.text.count(">Neighbouring role</span>") == 4  # one mark on each
    assert "Fractional CTO" not in neighbours


def test_a_kind_page_shows_everything_the_catalog_says_about_it(
    browsers: Browsers, world: World
) -> None:
    kind = role_catalog().kind("fractional-cto")
    page = signed_in(browsers, world.alpha.viewer.email).get("/roles/fractional-cto")
    assert page.status_code == 200
    words = text_of(page.text)
    for phrase in (*kind.owns, *kind.co_owns, *kind.influences, *kind.red_flags):
        assert html.unescape(phrase) in words
    for key in kind.success_measures:
        assert kpi_catalog().kpi(key).name in words
    assert "Fractional, 15-20 hours a week." in words
    for playbook in role_catalog().playbooks_for(kind.key):
        assert playbook.name in words
    for assessment in assessment_catalog().for_role(kind.key):
        assert assessment.name in words
    pay = section(page.text, "engagement")
    for benchmark in kind.compensation:
        when = "undated" if benchmark.as_of is None else f"as of {benchmark.as_of:%B %Y}"
        assert f"{when}; source: {benchmark.source}" in pay
    assert "No benchmark" not in pay


def test_pay_benchmarks_say_when_the_catalog_has_none(browsers: Browsers, world: World) -> None:
    assert role_catalog().kind("interim-cto").compensation == ()
    page = signed_in(browsers, world.alpha.viewer.email).get("/roles/interim-cto")
    assert "No benchmark" in section(page.text, "engagement")


def test_benchmarks_are_dated_with_their_source(browsers: Browsers, world: World) -> None:
    page = signed_in(browsers, world.alpha.viewer.email).get("/roles/startup-cto")
    pay = section(page.text, "engagement")
    assert "US: average 309,000 USD a year" in pay
    assert "as of January 2026; source: salary-survey average" in pay
    assert "UK: average 116,700 GBP a year" in pay


def test_an_unknown_kind_is_not_found(browsers: Browsers, world: World) -> None:
    page = signed_in(browsers, world.alpha.viewer.email).get("/roles/chief-wizard")
    assert page.status_code == 404
    assert "no such kind of leader" in page.text


def test_comparison_puts_the_chosen_kinds_side_by_side_in_the_order_asked(
    browsers: Browsers, world: World
) -> None:
    client = signed_in(browsers, world.alpha.viewer.email)
    page = client.get("/roles/compare?kinds=interim-cto&kinds=fractional-cto&kinds=cio")
    assert page.status_code == 200
    table = page.text[page.text.index('id="comparison"') :]
    heads = [table.index(name) for name in ("Interim CTO", "Fractional CTO", "CIO")]
    assert heads == sorted(heads)
    words = section(page.text, "comparison")
    for row in ("Focus", "Owns", "Success measures", "Engagement", "Pay benchmarks", "Red flags"):
        assert row in words
    assert "No benchmark" in words  # the interim CTO has none; the others do
    assert "(neighbouring role)" in words  # the CIO
    picker = read(page.text).form("/roles/compare")
    assert picker.method == "get"
    # The picker keeps the choice ticked (the last ticked box is what the reader keeps).
    assert picker.fields["kinds"] in {"interim-cto", "fractional-cto", "cio"}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("kinds=cpto", "compare 2 to 4 kinds of leader, not 1"),
        (
            "kinds=cpto&kinds=cio&kinds=cpo&kinds=field-cto&kinds=it-manager",
            "compare 2 to 4 kinds of leader, not 5",
        ),
        ("kinds=cpto&kinds=cpto", "cpto given more than once"),
        ("kinds=cpto&kinds=chief-wizard", "unknown kind of leader 'chief-wizard'"),
    ],
)
def test_comparison_needs_two_to_four_different_known_kinds(
    browsers: Browsers, world: World, query: str, message: str
) -> None:
    page = signed_in(browsers, world.alpha.viewer.email).get(f"/roles/compare?{query}")
    assert page.status_code == 422
    assert message in html.unescape(page.text)
    assert 'id="comparison"' not in page.text
    assert read(page.text).form("/roles/compare")  # the picker, to choose again


def test_comparison_without_a_choice_shows_the_picker(browsers: Browsers, world: World) -> None:
    page = signed_in(browsers, world.alpha.viewer.email).get("/roles/compare")
    assert page.status_code == 200
    assert 'role="alert"' not in page.text
    assert read(page.text).form("/roles/compare").fields == {}


def test_a_hostile_kind_in_the_query_is_shown_as_text(browsers: Browsers, world: World) -> None:
    page = signed_in(browsers, world.alpha.viewer.email).get(
        "/roles/compare?kinds=cpto&kinds=%3Cscript%3Ealert(1)%3C/script%3E"
    )
    assert page.status_code == 422
    assert "<script>" not in page.text
    assert read(page.text).script_tags == 0
    assert "&lt;script&gt;" in page.text
