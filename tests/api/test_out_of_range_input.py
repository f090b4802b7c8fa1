"""Bad input of any kind gets a clear 4xx answer and changes nothing; it never becomes a 500."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from fastapi.testclient import TestClient

from quarterdeck.storage import Database
from tests.api.world import ALPHA, World, row_counts, workspace_state
from tests.conftest import sign_in

HUGE = 10**20  # beyond any 64-bit integer column
INT32_OVERFLOW = 2**31  # beyond PostgreSQL INTEGER

Send = Callable[[TestClient, str], httpx.Response]
CASES: list[tuple[str, Send, tuple[int, ...]]] = [
    (
        "token id beyond 64 bits (API)",
        lambda c, csrf: c.delete(
            f"/api/v1/workspaces/{ALPHA}/tokens/{HUGE}", headers={"X-CSRF-Token": csrf}
        ),
        (404, 422),
    ),
    (
        "token id beyond 32 bits (API)",
        lambda c, csrf: c.delete(
            f"/api/v1/workspaces/{ALPHA}/tokens/{INT32_OVERFLOW}", headers={"X-CSRF-Token": csrf}
        ),
        (404, 422),
    ),
    (
        "token id beyond 64 bits (page)",
        lambda c, csrf: c.post(f"/w/{ALPHA}/tokens/{HUGE}/revoke", data={"csrf_token": csrf}),
        (404, 422),
    ),
    (
        "audit cursor beyond 64 bits (API)",
        lambda c, csrf: c.get(f"/api/v1/workspaces/{ALPHA}/audit", params={"before": HUGE}),
        (200, 422),
    ),
    (
        "audit cursor beyond 32 bits (API)",
        lambda c, csrf: c.get(
            f"/api/v1/workspaces/{ALPHA}/audit", params={"before": INT32_OVERFLOW}
        ),
        (200, 422),
    ),
    (
        "audit cursor beyond 64 bits (page)",
        lambda c, csrf: c.get(f"/w/{ALPHA}/audit", params={"before": HUGE}),
        (200, 422),
    ),
    (
        "headcount beyond 64 bits (API)",
        lambda c, csrf: c.patch(
            f"/api/v1/workspaces/{ALPHA}",
            json={"version": 1, "profile": {"headcount": HUGE}},
            headers={"X-CSRF-Token": csrf},
        ),
        (422,),
    ),
    (
        "headcount beyond 32 bits (API)",
        lambda c, csrf: c.patch(
            f"/api/v1/workspaces/{ALPHA}",
            json={"version": 1, "profile": {"headcount": INT32_OVERFLOW}},
            headers={"X-CSRF-Token": csrf},
        ),
        (422,),
    ),
    (
        "headcount beyond 64 bits (page)",
        lambda c, csrf: c.post(
            f"/w/{ALPHA}/settings",
            data={
                "csrf_token": csrf,
                "version": "1",
                "name": "Alpha",
                "time_zone": "UTC",
                "stage": "startup",
                "leadership_model": "cpto",
                "headcount": str(HUGE),
                "engineering_headcount": "0",
                "product_lines": "1",
                "industry": "",
            },
        ),
        (422,),
    ),
    (
        "token expiry without a time zone (API)",
        lambda c, csrf: c.post(
            f"/api/v1/workspaces/{ALPHA}/tokens",
            json={"name": "naive", "expires_at": "2099-01-01T00:00:00"},
            headers={"X-CSRF-Token": csrf},
        ),
        (201, 422),
    ),
]


@pytest.mark.parametrize(
    ("send", "expected"),
    [pytest.param(s, e, id=name) for name, s, e in CASES],
)
def test_out_of_range_input_answers_4xx_not_500(
    db: Database, world: World, client: TestClient, send: Send, expected: tuple[int, ...]
) -> None:
    csrf = sign_in(client, world.alpha.owner.email)
    counts = row_counts(db)
    before = workspace_state(db, ALPHA)
    response = send(client, csrf)
    assert response.status_code in expected, response.text
    if response.status_code >= 400:
        assert workspace_state(db, ALPHA) == before
        assert row_counts(db) == counts
