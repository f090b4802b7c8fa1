"""Fixtures of the UI suites: the same app on a movable clock and tenants as the API suites."""

from tests.api.conftest import app, browsers, clock, world

__all__ = ["app", "browsers", "clock", "world"]
