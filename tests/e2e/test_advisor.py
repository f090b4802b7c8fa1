"""The CTO asks the workspace's role advisor about a 40-person startup, is told a fractional
CTO engaged through an assessment sprint, and starts the matching playbook from the advice,
landing on the run's checklist."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from quarterdeck.catalog.playbooks import playbook_catalog
from tests.e2e.conftest import DemoServer
from tests.e2e.test_escalation import CTO, sign_in_as

pytestmark = pytest.mark.e2e

PLAYBOOK = "Fractional engagement"


def test_the_advisor_recommends_a_fractional_cto_and_its_playbook_starts_from_the_advice(
    page: Page, demo_server: DemoServer
) -> None:
    sign_in_as(page, demo_server, CTO)
    page.goto(f"{demo_server.url}/w/harbourline")
    page.get_by_role("link", name="Set-up", exact=True).click()
    page.get_by_role("link", name="Role advisor", exact=True).click()
    expect(page.get_by_role("heading", name="Role advisor")).to_be_visible()
    # Prefilled from Harbourline's profile; this question is about another organisation.
    expect(page.get_by_label("Stage", exact=True)).to_have_value("scale-up")

    page.get_by_label("Stage", exact=True).select_option("startup")
    page.get_by_label("Headcount", exact=True).fill("40")
    page.get_by_label("Engineers", exact=True).fill("8")
    page.get_by_label("Budget for a full-time executive", exact=True).uncheck()
    page.get_by_label("Technology leader", exact=True).select_option("none")
    page.get_by_label("Technical direction and a first foundation").check()
    page.get_by_label("Product bets turned into delivered outcomes").check()
    page.get_by_role("button", name="Advise").click()

    recommendation = page.locator("#recommendation")
    expect(recommendation.get_by_role("heading")).to_have_text("Recommended: Fractional CTO")
    expect(recommendation).to_contain_text("Assessment sprint, then operating retainer")
    expect(recommendation).to_contain_text("assessment-sprint")
    expect(recommendation).to_contain_text("15-20 hours a week")
    expect(page.locator("#reasons")).to_contain_text("fractional-no-full-time-budget")
    expect(page.locator("#hiring-brief")).to_contain_text(
        "Hiring brief: Fractional CTO for Harbourline"
    )

    playbook = page.locator(".playbook", has=page.get_by_role("heading", name=PLAYBOOK))
    playbook.get_by_role("button", name="Start this playbook").click()

    expect(page).to_have_url(re.compile(r"/w/harbourline/playbooks/PB-\d+"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(PLAYBOOK)
    checklist = page.locator("section", has=page.get_by_role("heading", name="Checklist"))
    for step in playbook_catalog().playbook("fractional-engagement").steps:
        expect(checklist).to_contain_text(step.title)
