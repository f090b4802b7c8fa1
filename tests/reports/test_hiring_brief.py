from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest

from quarterdeck.catalog.advisor import advisor_rules
from quarterdeck.catalog.kpis import kpi_catalog
from quarterdeck.catalog.rights import rights_catalog
from quarterdeck.catalog.roles import role_catalog
from quarterdeck.domain.advisor import Advice, Questionnaire, advise
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.workspaces import OrganisationProfile
from quarterdeck.reports.hiring_brief import hiring_brief, hiring_brief_html

SECTIONS = (
    "## The challenge",
    "## Scope",
    "## Decision rights",
    "## Success measures",
    "## Engagement and time commitment",
    "## Compensation benchmarks",
    "## Red flags to check",
)
# The key scenario: a 40-person startup, 8 engineers, no technology leader, no full-time budget.
STARTUP: dict[str, Any] = {
    "stage": "startup",
    "headcount": 40,
    "engineers": 8,
    "needs": {"foundation", "product-outcomes"},
}


def advice_for(**overrides: Any) -> Advice:
    return advise(Questionnaire(**{**STARTUP, **overrides}), advisor_rules())


def brief(advice: Advice, organisation: str = "Northwind", **options: Any) -> str:
    return hiring_brief(
        advice,
        organisation=organisation,
        roles=role_catalog(),
        rights=rights_catalog(),
        kpis=kpi_catalog(),
        **options,
    )


def section(text: str, heading: str) -> str:
    start = text.index(heading)
    end = text.find("\n## ", start + len(heading))
    return text[start : end if end != -1 else len(text)]


@pytest.fixture(scope="module")
def fractional() -> str:
    return brief(advice_for(), profile=OrganisationProfile(industry="logistics"))


def test_brief_has_every_section_in_order(fractional: str) -> None:
    assert fractional.startswith("# Hiring brief: Fractional CTO for Northwind\n")
    positions = [fractional.index(heading) for heading in SECTIONS]
    assert positions == sorted(positions)


def test_challenge_comes_from_the_answers_and_the_rules_that_fired(fractional: str) -> None:
    challenge = section(fractional, "## The challenge")
    assert "Northwind is a startup of 40 people in logistics, 8 of them engineers." in challenge
    assert "No technology leader is in place." in challenge
    assert "There is no budget for a full-time executive" in challenge
    assert "- technical direction and a first foundation" in challenge
    assert "### Why a Fractional CTO" in challenge
    assert "(rule `fractional-no-full-time-budget`, weight +4)" in challenge
    assert "(rule `fractional-assessment-start`, weight +3)" in challenge
    weighed = section(fractional, "### Also weighed")
    assert (
        "CPTO (product-led CTO) scored 7 but was set aside by `fractional-no-full-time-budget`"
        in (weighed)
    )


def test_scope_lists_what_the_kind_owns_and_does_not_own(fractional: str) -> None:
    scope = section(fractional, "## Scope")
    for item in role_catalog().kind("fractional-cto").owns:
        assert f"- {item}\n" in scope
    assert "**Does not own:**" in scope
    for item in advisor_rules().out_of_scope["fractional-cto"]:
        assert f"- {item}" in scope


def test_decision_rights_come_from_the_fractional_template(fractional: str) -> None:
    rights = section(fractional, "## Decision rights")
    assert "Starting template: **Fractional CTO with a sponsor**." in rights
    assert "Sitting as **Fractional CTO**, the leader:" in rights
    assert "- **Decides**: Architecture; Reliability;" in rights
    assert "- **Decides jointly**: Roadmap (with Sponsor)" in rights
    assert "- **Influences**: Vendor; Spend; Hiring & structure" in rights
    assert "- Major spend above 25,000: to Sponsor" in rights


def test_success_measures_are_the_kinds_kpis_by_name(fractional: str) -> None:
    measures = section(fractional, "## Success measures")
    kpis = kpi_catalog()
    for key in role_catalog().kind("fractional-cto").success_measures:
        assert f"- **{kpis.kpi(key).name}**: " in measures


def test_engagement_starts_with_an_assessment_sprint(fractional: str) -> None:
    engagement = section(fractional, "## Engagement and time commitment")
    assert "- **Assessment sprint, then operating retainer**: " in engagement
    assert "- **Time commitment**: fractional, 15-20 hours a week" in engagement
    assert "**Playbooks to start from**: Fractional engagement" in engagement


def test_benchmarks_carry_their_date_and_source(fractional: str) -> None:
    pay = section(fractional, "## Compensation benchmarks")
    assert "- US: USD 200-500, average USD 300 an hour (as of February 2026; market guides" in pay
    assert "- UK: median GBP 800 a day (as of February 2026; contractor-rate median" in pay


def test_fractional_brief_lists_the_checks_before_engaging(fractional: str) -> None:
    flags = section(fractional, "## Red flags to check")
    assert "Before engaging:" in flags
    assert "- no real sponsor" in flags
    assert "Once in the role:" not in flags


def test_part_time_brief_adds_its_own_red_flags_after_the_checks_before_engaging() -> None:
    flags = section(brief(advice_for(headcount=5, engineers=0, needs=set())), "## Red flags")
    assert flags.index("Before engaging:") < flags.index("Once in the role:")
    assert "- treated as a part-time senior engineer" in flags


def test_interim_brief_says_plainly_that_no_benchmark_is_held() -> None:
    text = brief(advice_for(full_time_budget=True, urgency="high", position_vacant=True))
    assert text.startswith("# Hiring brief: Interim CTO for Northwind")
    assert "The catalog holds no compensation benchmark for the Interim CTO" in text
    assert "Starting template: **Interim CTO**." in text
    assert "Sitting as **CTO**, the leader:" in text
    assert "full-time, every working day" not in text
    assert "interim, for 6-12 months" in text


def test_cpto_brief_uses_the_cpto_template_and_benchmark() -> None:
    text = brief(advice_for(full_time_budget=True))
    assert text.startswith("# Hiring brief: CPTO (product-led CTO) for Northwind")
    assert "Starting template: **CPTO**." in text
    assert "- **Time commitment**: full-time, every working day" in text
    assert "- US: average USD 220,000 a year (as of February 2026;" in text


def test_undated_benchmarks_say_so_and_an_advising_kind_holds_no_seat() -> None:
    text = brief(advice_for(technology_leader="staying", needs={"customer-facing"}))
    assert text.startswith("# Hiring brief: Field CTO for Northwind")
    assert "(undated; job-board average)" in text
    assert "holds no seat of its own" in text


def test_it_manager_brief_uses_the_it_manager_template() -> None:
    text = brief(advice_for(product_lines=0, full_time_budget=True, needs={"it-operations"}))
    assert "Starting template: **IT manager under a CIO**." in text
    assert "Sitting as **IT Manager**, the leader:" in text


def test_contradictory_answers_give_a_brief_that_names_them_and_recommends_nothing() -> None:
    text = brief(advice_for(wants_full_time=True, headcount=5, engineers=6))
    assert text.startswith("# Hiring brief for Northwind\n")
    assert "## The answers contradict each other" in text
    assert "**More engineers than people**" in text
    assert "(rule `full-time-hire-without-budget`)" in text
    assert "## Scope" not in text


def test_no_recommendation_is_said_plainly() -> None:
    text = brief(advice_for(technology_leader="staying", needs=set()), considered=True)
    assert "## No recommendation" in text
    assert "makes no guess" in text
    assert "## Rules that did not fire" in text


def test_considered_lists_the_rules_that_did_not_fire_and_why(fractional: str) -> None:
    assert "## Rules that did not fire" not in fractional
    text = brief(advice_for(), considered=True)
    assert "- `platform-at-scale` (Platform needs at scale): " in text
    assert "engineers is at least 30 (answer: 8)" in text


def test_an_empty_organisation_name_is_refused() -> None:
    with pytest.raises(InvalidInput, match="name"):
        brief(advice_for(), organisation="   ")


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str | None]] = []
        self.heading = ""
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes += attrs
        self._in_h1 = self._in_h1 or tag == "h1"

    def handle_endtag(self, tag: str) -> None:
        self._in_h1 = self._in_h1 and tag != "h1"

    def handle_data(self, data: str) -> None:
        if self._in_h1:
            self.heading += data


@pytest.mark.parametrize(
    "name",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        "**Bold** _Co_ `code`",
        "# Heading",
        "Acme\n\n## Injected section\n\n- item",
        "Acme & Sons | Ltd. \\ [x]: https://evil.example",
    ],
)
def test_hostile_organisation_names_render_as_plain_text(name: str) -> None:
    html = hiring_brief_html(
        advice_for(),
        organisation=name,
        roles=role_catalog(),
        rights=rights_catalog(),
        kpis=kpi_catalog(),
        profile=OrganisationProfile(industry=name[:120]),
    )
    page = Page()
    page.feed(html)
    assert page.heading == f"Hiring brief: Fractional CTO for {' '.join(name.split())}"
    assert "<script" not in html
    assert "<img" not in html
    assert "Injected section</h2>" not in html
    assert page.tags <= {"h1", "h2", "h3", "p", "ul", "li", "strong", "code"}
    assert not [attr for attr, _ in page.attributes]


def test_markdown_of_a_hostile_name_is_escaped() -> None:
    text = brief(advice_for(), organisation="<script>alert(1)</script>")
    assert "\\<script\\>alert\\(1\\)\\</script\\>" in text
    assert "<script>" not in text
