"""The CTO inserts an urgent request into the plan: the page shows what it displaces and
why, the CTO accepts, and the decision that records the displacement is in the log."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from quarterdeck.services.demo_portfolio import URGENT_CANDIDATE
from tests.e2e.conftest import DemoServer
from tests.e2e.test_escalation import CTO, sign_in_as

pytestmark = pytest.mark.e2e


def test_an_urgent_item_displaces_planned_work_and_the_decision_is_logged(
    page: Page, demo_server: DemoServer
) -> None:
    sign_in_as(page, demo_server, CTO)
    page.get_by_role("link", name="Harbourline", exact=True).click()
    page.get_by_role("link", name="Plan", exact=True).click()
    expect(page.get_by_role("heading", name="Insert an urgent item")).to_be_visible()

    choice = page.locator("#urgent-item option", has_text=URGENT_CANDIDATE)
    expect(choice).to_have_count(1)
    key = (choice.get_attribute("value") or "").strip()
    assert re.fullmatch(r"IN-\d+", key)
    page.get_by_label("Urgent item").select_option(key)
    first_quarter = page.locator("#urgent-quarter option").first.get_attribute("value") or ""
    page.get_by_label("Into quarter").select_option(first_quarter)
    page.get_by_role("button", name="Show what it displaces").click()

    expect(page.locator("h1")).to_contain_text(f"{key} {URGENT_CANDIDATE} into {first_quarter}")
    displaced = page.locator("#displaced ul.deferred > li")
    expect(displaced.first).to_be_visible()
    assert displaced.count() >= 1
    for text in displaced.all_inner_texts():
        # Each displaced item, its value, and after the colon why it no longer fits.
        assert re.match(r"IN-\d+ .+ \([\d.]+ [^)]+\): \S.{9,}", text), text
    expect(page.locator("#value-lost")).to_contain_text("risk-adjusted")

    page.get_by_label("Note for the decision").fill("Customs filings cannot wait for Q+1.")
    page.get_by_role("button", name="Accept and record the decision").click()

    expect(page).to_have_url(re.compile(r"/w/harbourline/decisions/D-\d+$"))
    title = page.locator("h1")
    expect(title).to_contain_text(f"Urgent {key} {URGENT_CANDIDATE} displaces IN-")
    decision_key = page.locator("h1 .key").inner_text()

    page.get_by_role("link", name="Decisions", exact=True).click()
    row = page.locator("tr", has=page.get_by_text(f"Urgent {key} {URGENT_CANDIDATE}"))
    expect(row).to_have_count(1)
    expect(row).to_contain_text(decision_key)
