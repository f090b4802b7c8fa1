from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


def test_browser_launches(page: Page) -> None:
    page.goto("data:text/html,<title>ready</title><h1>Quarterdeck</h1>")

    expect(page).to_have_title("ready")
    expect(page.get_by_role("heading", level=1)).to_have_text("Quarterdeck")
