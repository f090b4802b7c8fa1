"""A signed-in person changes their own password from the account page."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import text

from quarterdeck.storage import Database
from tests.api.world import Browsers, World
from tests.conftest import PASSWORD, sign_in

NEW = "a brand new passphrase"


def change(client: TestClient, csrf: str, current: str, new: str = NEW, repeat: str = NEW) -> str:
    response = client.post(
        "/account/password",
        data={"csrf_token": csrf, "current": current, "new": new, "repeat": repeat},
    )
    return f"{response.status_code} {response.text}"


def test_account_page_lists_memberships(world: World, client: TestClient) -> None:
    sign_in(client, world.alpha.owner.email)
    page = client.get("/account")
    assert page.status_code == 200
    assert "alpha-corp" in page.text
    assert "bravo-corp" not in page.text


def test_changing_the_password_keeps_this_session_and_ends_the_others(
    db: Database, world: World, browsers: Browsers
) -> None:
    here, elsewhere = browsers.open(), browsers.open()
    csrf = sign_in(here, world.alpha.owner.email)
    sign_in(elsewhere, world.alpha.owner.email)
    assert change(here, csrf, PASSWORD).startswith("200")
    assert here.get("/", follow_redirects=False).status_code == 200
    assert elsewhere.get("/", follow_redirects=False).status_code == 303
    with db.engine.connect() as connection:
        action = connection.execute(
            text("SELECT action FROM audit_entries ORDER BY id DESC LIMIT 1")
        ).scalar_one()
    assert action == "user.password_changed"
    fresh = browsers.open()
    sign_in(fresh, world.alpha.owner.email, NEW)


def test_wrong_current_password_changes_nothing_and_counts_as_a_failed_attempt(
    db: Database, world: World, client: TestClient
) -> None:
    csrf = sign_in(client, world.alpha.owner.email)
    assert change(client, csrf, "not my password").startswith("422")
    assert "current password is wrong" in change(client, csrf, "still not it")
    with db.engine.connect() as connection:
        failures = connection.execute(
            text("SELECT count(*) FROM login_attempts WHERE succeeded = :f"), {"f": False}
        ).scalar_one()
    assert failures == 2


def test_new_passwords_must_match_and_be_long_enough(world: World, client: TestClient) -> None:
    csrf = sign_in(client, world.alpha.owner.email)
    assert "differ" in change(client, csrf, PASSWORD, NEW, NEW + "x")
    assert "at least 12 characters" in change(client, csrf, PASSWORD, "short", "short")
    assert client.get("/", follow_redirects=False).status_code == 200


def test_password_change_needs_the_csrf_token(world: World, client: TestClient) -> None:
    sign_in(client, world.alpha.owner.email)
    assert change(client, "forged", PASSWORD).startswith("403")
