"""Shared fixtures: a fresh, migrated database per test (SQLite, or PostgreSQL when
QUARTERDECK_TEST_POSTGRES_URL names a server), and small factories."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from quarterdeck.domain.access import Actor, Role, User
from quarterdeck.domain.workspaces import Workspace
from quarterdeck.services import accounts, members, workspaces
from quarterdeck.settings import Settings
from quarterdeck.storage import Database, make_engine, upgrade
from quarterdeck.web import create_app

# Still argon2id, with parameters small enough for the hundreds of accounts the suites make.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
POSTGRES_SERVER = os.environ.get("QUARTERDECK_TEST_POSTGRES_URL", "")
PASSWORD = "correct horse battery staple"


def _fresh_postgres_database() -> Iterator[str]:
    server = make_url(POSTGRES_SERVER)
    name = f"qd_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "PASSWORD_HASHER", FAST_HASHER)


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """A URL to an empty database: PostgreSQL when configured, else a SQLite file."""
    if POSTGRES_SERVER:
        yield from _fresh_postgres_database()
    else:
        yield f"sqlite:///{tmp_path / 'quarterdeck.db'}"


@pytest.fixture
def second_database_url(tmp_path: Path) -> Iterator[str]:
    """Another empty database of the same kind, for moving data between installations."""
    if POSTGRES_SERVER:
        yield from _fresh_postgres_database()
    else:
        yield f"sqlite:///{tmp_path / 'second.db'}"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url)


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    engine = make_engine(settings.database_url)
    upgrade(engine)
    database = Database(engine)
    yield database
    database.dispose()


@pytest.fixture
def operator() -> Actor:
    return Actor.operator("operator:test")


class Factory:
    """Small builders for the records most tests need; each commits its own unit of work."""

    def __init__(self, db: Database, operator: Actor) -> None:
        self.db = db
        self.operator = operator
        self._count = 0

    def user(self, email: str | None = None, *, password: str = PASSWORD, name: str = "") -> User:
        self._count += 1
        email = email or f"person{self._count}@example.com"
        with self.db.unit_of_work(write=True) as uow:
            return accounts.add_user(
                uow, actor=self.operator, email=email, display_name=name, password=password
            )

    def workspace(self, slug: str | None = None, **overrides: object) -> Workspace:
        self._count += 1
        slug = slug or f"ws-{self._count}"
        with self.db.unit_of_work(write=True) as uow:
            return workspaces.create(
                uow,
                actor=self.operator,
                slug=slug,
                name=f"Workspace {slug}",
                **overrides,  # type: ignore[arg-type]
            )

    def member(self, workspace: Workspace, role: Role, email: str | None = None) -> User:
        user = self.user(email)
        with self.db.unit_of_work(write=True) as uow:
            members.add(
                uow, actor=self.operator, workspace=workspace.slug, email=user.email, role=role
            )
        return user


@pytest.fixture
def make(db: Database, operator: Actor) -> Factory:
    return Factory(db, operator)


@pytest.fixture
def app(settings: Settings, db: Database) -> FastAPI:
    return create_app(settings, database=db)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def csrf_from(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "page has no CSRF field"
    return found.group(1)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> str:
    """Sign in through the login form as a browser would; returns the session's CSRF token."""
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    me = client.get("/api/v1/me").json()
    return str(me["csrf_token"])
