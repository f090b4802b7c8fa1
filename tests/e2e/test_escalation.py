"""A team lead records a decision beyond their rights; it waits in the CTO's approval queue,
the CTO accepts it from there, and the log shows it accepted."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DemoServer

pytestmark = pytest.mark.e2e

LEAD = "lead@harbourline.example"
CTO = "cto@harbourline.example"
TITLE = "Move tracking webhooks onto the shared event bus"


def sign_in_as(page: Page, server: DemoServer, email: str) -> None:
    page.goto(f"{server.url}/login")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(server.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Harbourline", exact=True)).to_be_visible()


def test_an_escalated_decision_is_accepted_from_the_approval_queue(
    page: Page, demo_server: DemoServer
) -> None:
    sign_in_as(page, demo_server, LEAD)
    page.goto(f"{demo_server.url}/w/harbourline/decisions/new")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Area").select_option("architecture")
    page.get_by_label("Affects more than one team").check()
    page.get_by_label("Accept it now if it is within my decision rights").check()
    page.get_by_role("button", name="Record decision").click()

    rights = page.locator("#decision-rights")
    expect(rights).to_contain_text("Waiting for approval by CTO")
    expect(rights).to_contain_text("it is a cross-team tradeoff")
    expect(page.locator("#cannot-decide")).to_contain_text("is for CTO to decide")
    expect(page.get_by_role("button", name="Accept")).to_have_count(0)
    key = page.locator("h1 .key").inner_text()
    page.get_by_role("button", name="Sign out").click()

    sign_in_as(page, demo_server, CTO)
    page.goto(f"{demo_server.url}/w/harbourline")
    page.get_by_role("link", name="Approval queue").click()
    expect(page.get_by_role("heading", name="Waiting for you")).to_be_visible()
    page.get_by_role("link", name=TITLE).first.click()
    expect(page.locator("h1 .key")).to_have_text(key)
    page.get_by_role("button", name="Accept", exact=True).click()
    expect(page.locator("#decision-rights")).to_contain_text(f"Accepted by {CTO}, approver as CTO")

    page.get_by_role("link", name="Decisions", exact=True).click()
    row = page.locator("tr", has=page.get_by_role("link", name=TITLE))
    expect(row).to_contain_text("accepted")
    expect(row).to_contain_text(re.compile(re.escape(key)))
    page.get_by_role("link", name="Approval queue").click()
    expect(page.get_by_role("link", name=TITLE)).to_have_count(0)
