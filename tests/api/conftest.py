"""Fixtures of the API suites: an app on a movable clock, two tenants, several browsers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI

from quarterdeck.settings import Settings
from quarterdeck.storage import Database
from quarterdeck.web import create_app
from tests.api.world import (
    Browsers,
    MovableClock,
    World,
    browsers_for,
    build_world,
)
from tests.conftest import Factory


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
def app(settings: Settings, db: Database, clock: MovableClock) -> FastAPI:
    return create_app(settings, database=Database(db.engine, clock=clock))


@pytest.fixture
def world(db: Database, make: Factory) -> World:
    return build_world(db, make)


@pytest.fixture
def browsers(app: FastAPI) -> Iterator[Browsers]:
    yield from browsers_for(app)
