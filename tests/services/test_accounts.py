from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import Type
from sqlalchemy import text

from quarterdeck.domain.access import Actor
from quarterdeck.domain.errors import Conflict, Forbidden, InvalidInput, RateLimited
from quarterdeck.services import accounts
from quarterdeck.storage import Database
from tests.conftest import PASSWORD, Factory


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def timed(db: Database, clock: Clock) -> Database:
    return Database(db.engine, clock=clock)


def log_in(db: Database, email: str, password: str = PASSWORD) -> accounts.LoginResult:
    with db.unit_of_work(write=True) as uow:
        return accounts.log_in(
            uow,
            email=email,
            password=password,
            address="10.0.0.1",
            session_hours=12,
            attempts_per_minute=10,
        )


def test_right_password_opens_a_session_that_resolves_to_the_user(
    timed: Database, make: Factory
) -> None:
    user = make.user("lead@example.com")
    result = log_in(timed, "Lead@Example.com ")
    assert result.signed_in is not None
    with timed.unit_of_work(write=False) as uow:
        resolved = accounts.resolve_session(uow, token=result.signed_in.token)
    assert resolved is not None
    assert resolved[0].user_id == user.id
    assert resolved[1] == result.signed_in.csrf_token


def test_session_token_is_stored_only_as_a_hash(timed: Database, make: Factory) -> None:
    make.user("lead@example.com")
    signed_in = log_in(timed, "lead@example.com").signed_in
    assert signed_in is not None
    with timed.engine.connect() as connection:
        stored = connection.execute(text("SELECT token_hash FROM auth_sessions")).scalar_one()
    assert stored != signed_in.token
    assert stored == accounts.hash_secret(signed_in.token)


def test_wrong_password_and_unknown_account_fail_alike_and_are_recorded(
    timed: Database, make: Factory
) -> None:
    make.user("lead@example.com")
    wrong = log_in(timed, "lead@example.com", "not the password")
    unknown = log_in(timed, "nobody@example.com")
    assert wrong.signed_in is None
    assert unknown.signed_in is None
    assert wrong.failure == unknown.failure
    with timed.engine.connect() as connection:
        failures = connection.execute(
            text("SELECT count(*) FROM login_attempts WHERE succeeded = :f"), {"f": False}
        ).scalar_one()
    assert failures == 2


def test_eleventh_failed_attempt_within_a_minute_is_rate_limited(
    timed: Database, make: Factory, clock: Clock
) -> None:
    make.user("lead@example.com")
    for _ in range(10):
        assert log_in(timed, "lead@example.com", "wrong password!").signed_in is None
    with pytest.raises(RateLimited):
        log_in(timed, "lead@example.com")
    clock.now += timedelta(seconds=61)
    assert log_in(timed, "lead@example.com").signed_in is not None


def test_sessions_expire(timed: Database, make: Factory, clock: Clock) -> None:
    make.user("lead@example.com")
    signed_in = log_in(timed, "lead@example.com").signed_in
    assert signed_in is not None
    clock.now += timedelta(hours=12)
    with timed.unit_of_work(write=False) as uow:
        assert accounts.resolve_session(uow, token=signed_in.token) is None


def test_logging_out_and_changing_the_password_end_sessions(
    timed: Database, make: Factory, operator: Actor
) -> None:
    make.user("lead@example.com")
    first = log_in(timed, "lead@example.com").signed_in
    second = log_in(timed, "lead@example.com").signed_in
    assert first is not None
    assert second is not None
    with timed.unit_of_work(write=True) as uow:
        accounts.log_out(uow, token=first.token)
    with timed.unit_of_work(write=False) as uow:
        assert accounts.resolve_session(uow, token=first.token) is None
        assert accounts.resolve_session(uow, token=second.token) is not None
    with timed.unit_of_work(write=True) as uow:
        ended = accounts.set_password(
            uow, actor=operator, email="lead@example.com", password="another long password"
        )
    assert ended == 1
    with timed.unit_of_work(write=False) as uow:
        assert accounts.resolve_session(uow, token=second.token) is None
    assert log_in(timed, "lead@example.com").signed_in is None
    assert log_in(timed, "lead@example.com", "another long password").signed_in is not None


def test_passwords_are_hashed_with_argon2id(db: Database, make: Factory) -> None:
    make.user("lead@example.com")
    with db.engine.connect() as connection:
        stored = connection.execute(text("SELECT password_hash FROM users")).scalar_one()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


@pytest.mark.parametrize(
    ("email", "password", "error"),
    [
        ("not-an-email", PASSWORD, InvalidInput),
        ("x@example.com", "short", InvalidInput),
    ],
)
def test_bad_accounts_are_refused(
    db: Database, operator: Actor, email: str, password: str, error: type[Exception]
) -> None:
    with pytest.raises(error), db.unit_of_work(write=True) as uow:
        accounts.add_user(uow, actor=operator, email=email, display_name="", password=password)


def test_the_same_email_cannot_be_added_twice(db: Database, make: Factory) -> None:
    make.user("lead@example.com")
    with pytest.raises(Conflict):
        make.user("LEAD@example.com")


def test_only_the_operator_manages_accounts(db: Database, make: Factory) -> None:
    user = make.user("lead@example.com")
    person = Actor(kind=accounts.ActorKind.USER, label=user.email, user_id=user.id)
    with pytest.raises(Forbidden), db.unit_of_work(write=True) as uow:
        accounts.add_user(
            uow, actor=person, email="b@example.com", display_name="", password=PASSWORD
        )


def test_production_hashing_uses_at_least_the_recommended_argon2id_cost() -> None:
    hasher = accounts.DEFAULT_PASSWORD_HASHER
    assert hasher.type is Type.ID
    assert hasher.memory_cost >= 19 * 1024  # KiB; the OWASP minimum for argon2id
    assert hasher.time_cost >= 2
