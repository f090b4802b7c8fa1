"""A leader signs in, opens the demo workspace and signs out, as a person would."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DemoServer

pytestmark = pytest.mark.e2e

ON_LOGIN_PAGE = re.compile(r"/login/?(\?.*)?$")


def sign_in(page: Page, server: DemoServer, *, password: str) -> None:
    page.goto(f"{server.url}/login")
    page.get_by_label("Email", exact=True).fill(server.email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_leader_signs_in_opens_the_demo_workspace_and_signs_out(
    page: Page, demo_server: DemoServer
) -> None:
    sign_in(page, demo_server, password=demo_server.password)

    workspace = page.get_by_role("link", name="Harbourline", exact=True)
    expect(workspace).to_be_visible()
    workspace.click()

    expect(page).to_have_url(re.compile(r"/w/harbourline/?$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Harbourline")
    expect(page.get_by_text("Demo data").first).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(ON_LOGIN_PAGE)

    page.goto(f"{demo_server.url}/w/harbourline")
    expect(page).to_have_url(ON_LOGIN_PAGE)


def test_wrong_password_is_refused_and_stays_on_the_login_page(
    page: Page, demo_server: DemoServer
) -> None:
    sign_in(page, demo_server, password="not the password")

    expect(page.locator("body")).to_contain_text(re.compile("wrong", re.IGNORECASE))
    expect(page).to_have_url(ON_LOGIN_PAGE)

    page.goto(f"{demo_server.url}/w/harbourline")
    expect(page).to_have_url(ON_LOGIN_PAGE)
