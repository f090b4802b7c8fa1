"""Sign-in attempts are rate-limited per account and per address (429), for one minute."""

from __future__ import annotations

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import text

from quarterdeck.storage import Database
from tests.api.world import Browsers, MovableClock, World
from tests.conftest import PASSWORD, csrf_from

LIMIT = 10  # Settings.login_attempts_per_minute
WRONG = "definitely not the password"


def attempt(client: TestClient, email: str, password: str) -> Response:
    """One sign-in through the form, as a browser submits it."""
    form = client.get("/login")
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_from(form.text)},
        follow_redirects=False,
    )


def failed_attempts(db: Database) -> int:
    with db.unit_of_work(write=False) as uow:
        return int(
            uow.session.execute(
                text("SELECT count(*) FROM login_attempts WHERE succeeded = :no"), {"no": False}
            ).scalar_one()
        )


def fail_times(client: TestClient, email: str, times: int) -> None:
    for _ in range(times):
        assert attempt(client, email, WRONG).status_code == 401


def test_eleventh_attempt_for_one_account_is_refused_even_with_the_right_password(
    world: World, client: TestClient
) -> None:
    email = world.alpha.owner.email
    fail_times(client, email, LIMIT)
    refused = attempt(client, email, PASSWORD)
    assert refused.status_code == 429
    assert "too many failed sign-in attempts" in refused.text
    assert "qd_session" not in refused.headers.get("set-cookie", "")
    assert client.get("/api/v1/me").status_code == 401


def test_failed_attempts_are_kept_although_the_sign_in_fails(
    db: Database, world: World, client: TestClient
) -> None:
    fail_times(client, world.alpha.owner.email, 3)
    assert failed_attempts(db) == 3
    attempt(client, world.alpha.owner.email, PASSWORD)
    assert failed_attempts(db) == 3


def test_one_account_is_limited_across_addresses(world: World, browsers: Browsers) -> None:
    email = world.alpha.owner.email
    for n in range(LIMIT):
        elsewhere = browsers.open(client=(f"198.51.100.{n + 1}", 50000))
        assert attempt(elsewhere, email, WRONG).status_code == 401
    fresh_address = browsers.open(client=("203.0.113.7", 50000))
    assert attempt(fresh_address, email, PASSWORD).status_code == 429


def test_one_address_is_limited_across_accounts(world: World, client: TestClient) -> None:
    for n in range(LIMIT):
        assert attempt(client, f"guess{n}@{world.alpha.slug}.example", WRONG).status_code == 401
    untouched_account = world.bravo.viewer.email
    assert attempt(client, untouched_account, PASSWORD).status_code == 429


def test_spelling_the_email_differently_counts_against_the_same_account(
    world: World, browsers: Browsers
) -> None:
    email = world.alpha.owner.email
    spellings = [email.upper(), f"  {email}", email.title(), f"{email} "]
    for n in range(LIMIT):
        elsewhere = browsers.open(client=(f"198.51.100.{n + 1}", 50000))
        assert attempt(elsewhere, spellings[n % len(spellings)], WRONG).status_code == 401
    assert attempt(browsers.open(client=("203.0.113.7", 50000)), email, PASSWORD).status_code == 429


def test_other_addresses_and_accounts_are_not_affected(world: World, browsers: Browsers) -> None:
    attacker = browsers.open(client=("192.0.2.66", 50000))
    fail_times(attacker, world.alpha.owner.email, LIMIT)
    colleague = browsers.open(client=("192.0.2.10", 50000))
    assert attempt(colleague, world.alpha.viewer.email, PASSWORD).status_code == 303


def test_fewer_failures_than_the_limit_do_not_block(world: World, client: TestClient) -> None:
    fail_times(client, world.alpha.owner.email, LIMIT - 1)
    assert attempt(client, world.alpha.owner.email, PASSWORD).status_code == 303


def test_sign_in_works_again_after_the_minute(
    world: World, client: TestClient, clock: MovableClock
) -> None:
    email = world.alpha.owner.email
    fail_times(client, email, LIMIT)
    assert attempt(client, email, PASSWORD).status_code == 429
    clock.advance(seconds=61)
    assert attempt(client, email, PASSWORD).status_code == 303
    assert client.get("/api/v1/me").json()["actor"] == email


def test_refused_attempts_do_not_extend_the_lockout(
    db: Database, world: World, client: TestClient, clock: MovableClock
) -> None:
    email = world.alpha.owner.email
    fail_times(client, email, LIMIT)
    for _ in range(5):
        assert attempt(client, email, WRONG).status_code == 429
    assert failed_attempts(db) == LIMIT
    clock.advance(seconds=61)
    assert attempt(client, email, PASSWORD).status_code == 303
