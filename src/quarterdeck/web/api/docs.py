"""Who am I, and a readable API reference rendered on the server from the OpenAPI schema."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from quarterdeck.web.policies import PublicDep, SignedInDep
from quarterdeck.web.ui.rendering import render

router = APIRouter()


class MeOut(BaseModel):
    actor: str
    kind: str
    csrf_token: str | None = Field(
        description="With a session cookie: send it as X-CSRF-Token on writes. Null for tokens."
    )


@router.get("/me", tags=["meta"], name="api_me")
def me(signed: SignedInDep) -> MeOut:
    """Who the request authenticates as."""
    return MeOut(
        actor=signed.actor.label, kind=signed.actor.kind.value, csrf_token=signed.csrf_token or None
    )


@router.get("/docs", include_in_schema=False, response_class=HTMLResponse, name="api_docs_page")
def api_docs(request: Request, _: PublicDep) -> HTMLResponse:
    """Every endpoint with its method, summary, parameters and body, without JavaScript."""
    schema = request.app.openapi()
    operations: list[dict[str, Any]] = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": operation.get("parameters", []),
                    "body": operation.get("requestBody", {})
                    .get("content", {})
                    .get("application/json", {})
                    .get("schema", {})
                    .get("$ref", "")
                    .rsplit("/", 1)[-1],
                    "tag": (operation.get("tags") or ["general"])[0],
                }
            )
    return render(request, "api_docs.html", {"operations": operations, "schema": schema})
