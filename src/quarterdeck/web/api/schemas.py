"""Request and response bodies of the JSON API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from quarterdeck.domain.access import Role, TokenScope
from quarterdeck.domain.workspaces import (
    MAX_HEADCOUNT,
    MAX_PRODUCT_LINES,
    LeadershipModel,
    Stage,
    Workspace,
)

__all__ = [
    "AuditEntryOut",
    "IssuedTokenOut",
    "MemberIn",
    "MemberOut",
    "ProfileIn",
    "ProfileOut",
    "TokenIn",
    "TokenOut",
    "WorkspaceIn",
    "WorkspaceOut",
    "WorkspacePatch",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _FromDomain(BaseModel):
    """Built from a domain dataclass with `model_validate(obj)`."""

    model_config = ConfigDict(from_attributes=True)


class ProfileOut(_FromDomain):
    stage: Stage
    headcount: int
    engineering_headcount: int
    industry: str
    regulated: bool
    product_lines: int
    leadership_model: LeadershipModel


class ProfileIn(_Strict):
    stage: Stage | None = None
    headcount: int | None = Field(default=None, ge=0, le=MAX_HEADCOUNT)
    engineering_headcount: int | None = Field(default=None, ge=0, le=MAX_HEADCOUNT)
    industry: str | None = Field(default=None, max_length=120)
    regulated: bool | None = None
    product_lines: int | None = Field(default=None, ge=0, le=MAX_PRODUCT_LINES)
    leadership_model: LeadershipModel | None = None

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True, mode="json")


class WorkspaceOut(BaseModel):
    slug: str
    name: str
    time_zone: str
    demo: bool
    version: int
    created_at: datetime
    role: Role | None
    profile: ProfileOut

    @classmethod
    def of(cls, workspace: Workspace, role: Role | None) -> WorkspaceOut:
        return cls(
            slug=workspace.slug,
            name=workspace.name,
            time_zone=workspace.time_zone,
            demo=workspace.demo,
            version=workspace.version,
            created_at=workspace.created_at,
            role=role,
            profile=ProfileOut.model_validate(workspace.profile),
        )


class WorkspaceIn(_Strict):
    slug: str
    name: str
    time_zone: str = "UTC"
    profile: ProfileIn = Field(default_factory=ProfileIn)


class WorkspacePatch(_Strict):
    version: int = Field(strict=True, description="The version you read; a stale one answers 409.")
    name: str | None = None
    time_zone: str | None = None
    profile: ProfileIn | None = None


class MemberOut(_FromDomain):
    email: str
    display_name: str
    role: Role


class MemberIn(_Strict):
    role: Role


class TokenOut(_FromDomain):
    id: int
    name: str
    prefix: str
    scope: TokenScope
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class IssuedTokenOut(TokenOut):
    secret: str = Field(description="Shown once; store it now. Only its hash is kept.")


class TokenIn(_Strict):
    name: str = Field(min_length=1, max_length=120)
    scope: TokenScope = TokenScope.READ
    expires_at: AwareDatetime | None = Field(
        default=None, description="When the token stops working; must include a time zone."
    )


class AuditEntryOut(_FromDomain):
    id: int
    at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    request_id: str | None
