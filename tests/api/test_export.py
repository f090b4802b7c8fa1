from __future__ import annotations

import json

from fastapi.testclient import TestClient

from quarterdeck.domain.access import Role
from tests.conftest import Factory, sign_in


def test_owner_downloads_the_workspace_document(client: TestClient, make: Factory) -> None:
    ws = make.workspace("acme")
    owner = make.member(ws, Role.OWNER)
    sign_in(client, owner.email)
    response = client.get("/api/v1/workspaces/acme/export")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="acme.json"'
    document = json.loads(response.text)
    assert document["workspace"]["slug"] == "acme"
    assert owner.email in {m["email"] for m in document["members"]}
    assert "password" not in response.text


def test_editors_and_other_workspaces_cannot_export(client: TestClient, make: Factory) -> None:
    ws, other = make.workspace("acme"), make.workspace("other")
    editor = make.member(ws, Role.EDITOR)
    make.member(other, Role.OWNER)
    sign_in(client, editor.email)
    assert client.get("/api/v1/workspaces/acme/export").status_code == 403
    assert client.get("/api/v1/workspaces/other/export").status_code == 404
