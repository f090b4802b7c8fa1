from __future__ import annotations

from fastapi.testclient import TestClient

from quarterdeck.domain.access import Role
from tests.conftest import Factory, sign_in


def test_member_signs_in_and_sees_the_dashboard(client: TestClient, make: Factory) -> None:
    ws = make.workspace("acme")
    user = make.member(ws, Role.VIEWER)
    sign_in(client, user.email)
    home = client.get("/")
    assert "Workspace acme" in home.text
    page = client.get("/w/acme")
    assert page.status_code == 200
    assert "<h1>Workspace acme</h1>" in page.text
