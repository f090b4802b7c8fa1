"""Decision rights under /api/v1/workspaces/{workspace}/rights, and the leadership roles
members hold. Anyone in the workspace reads them; only owners change them."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, status
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from quarterdeck.domain.access import Membership, Role
from quarterdeck.domain.rights import Condition, EscalationRule, Involvement
from quarterdeck.domain.workspaces import LeadershipModel
from quarterdeck.services import rights
from quarterdeck.web.policies import MAX_ROW_ID, AdminDep, ReaderDep, WorkspaceContext

__all__ = [
    "AreaIn",
    "EntryOut",
    "LeadershipRolesIn",
    "LeadershipRolesOut",
    "RightsIn",
    "RightsOut",
    "RoleIn",
    "RuleBody",
    "TemplateIn",
    "router",
]

router = APIRouter(prefix="/workspaces/{workspace}")

Key = Annotated[str, StringConstraints(min_length=1, max_length=48)]
ExpectedVersion = Annotated[
    int,
    Field(
        strict=True,
        ge=0,
        le=MAX_ROW_ID,
        description="The version you read (0 while the workspace is on its template); "
        "a stale one answers 409.",
    ),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RuleBody(_Strict):
    """An escalation rule (a guardrail): when `when` holds, the decision goes to `route_to`
    (a role key, or `area-owner`). `threshold` is for spend-above, `area` for area rules."""

    name: str = Field(min_length=1, max_length=80)
    when: Condition
    route_to: Key
    threshold: Decimal | None = Field(
        default=None, ge=0, max_digits=16, decimal_places=2, allow_inf_nan=False
    )
    area: Key | None = None

    def to_rule(self) -> EscalationRule:
        return rights.parse_rule(self.model_dump(mode="json", exclude_none=True))


class EntryOut(BaseModel):
    """A decision area or leadership role; `custom` when the workspace added it."""

    key: str
    name: str
    description: str
    custom: bool


class RightsOut(BaseModel):
    template: LeadershipModel
    version: int = Field(description="0 while the workspace is still on its template.")
    updated_by: str
    areas: list[EntryOut]
    roles: list[EntryOut]
    matrix: dict[str, dict[str, Involvement]] = Field(
        description="area -> role -> involvement; a role not listed has no part in the area."
    )
    rules: list[RuleBody] = Field(description="The guardrails, in the order they are checked.")
    holders: dict[str, list[str]] = Field(description="role -> emails of the members holding it.")
    unheld_owner_roles: list[str] = Field(
        description="Roles that own an area or receive escalations but that no member holds."
    )

    @classmethod
    def of(cls, view: rights.RightsView) -> RightsOut:
        document = rights.document_of(view.rights)
        custom_areas = {area.key for area in view.rights.custom_areas}
        custom_roles = {role.key for role in view.rights.custom_roles}
        return cls(
            template=view.rights.template,
            version=view.rights.version,
            updated_by=view.rights.updated_by,
            areas=[
                EntryOut(
                    key=a.key, name=a.name, description=a.description, custom=a.key in custom_areas
                )
                for a in view.areas
            ],
            roles=[
                EntryOut(
                    key=r.key, name=r.name, description=r.description, custom=r.key in custom_roles
                )
                for r in view.roles
            ],
            matrix=document["matrix"],
            rules=[RuleBody.model_validate(rule) for rule in document["rules"]],
            holders={r.key: [m.email for m in view.holders(r.key)] for r in view.roles},
            unheld_owner_roles=list(view.unheld_owner_roles),
        )


class RightsIn(_Strict):
    expected_version: ExpectedVersion
    matrix: dict[Key, dict[Key, Involvement | None]] = Field(
        max_length=200,
        description="The whole matrix: area -> role -> involvement (null: no part). Every "
        "area needs one owner or two or more co-owners.",
    )
    rules: list[RuleBody] = Field(max_length=100)


class TemplateIn(_Strict):
    model: LeadershipModel | None = Field(
        default=None, description="Default: the leadership model of the workspace's profile."
    )
    expected_version: ExpectedVersion


class AreaIn(_Strict):
    key: Key = Field(description="Lower-case words joined by hyphens, like 'payments-platform'.")
    name: str = Field(min_length=1, max_length=80)
    description: str = Field(default="", max_length=400)
    owner: Key = Field(description="The role that owns the new area.")
    expected_version: ExpectedVersion


class RoleIn(_Strict):
    key: Key = Field(description="Lower-case words joined by hyphens, like 'head-of-data'.")
    name: str = Field(min_length=1, max_length=80)
    description: str = Field(default="", max_length=400)
    expected_version: ExpectedVersion


class LeadershipRolesIn(_Strict):
    roles: list[Key] = Field(
        max_length=50, description="Exactly the roles the member holds from now on."
    )


class LeadershipRolesOut(BaseModel):
    email: str
    display_name: str
    role: Role
    leadership_roles: list[str]

    @classmethod
    def of(cls, member: Membership) -> LeadershipRolesOut:
        return cls(
            email=member.email,
            display_name=member.display_name,
            role=member.role,
            leadership_roles=list(member.leadership_roles),
        )


def _shown(ctx: WorkspaceContext) -> RightsOut:
    return RightsOut.of(rights.show(ctx.uow, actor=ctx.actor, workspace=ctx.slug))


@router.get("/rights", tags=["rights"], name="api_show_rights")
def show_rights(ctx: ReaderDep) -> RightsOut:
    """The decision rights in force: areas, roles, the matrix, the guardrails and who holds
    each role."""
    return _shown(ctx)


@router.put("/rights", tags=["rights"], name="api_replace_rights")
def replace_rights(body: RightsIn, ctx: AdminDep) -> RightsOut:
    """Replace the matrix and the guardrails, validated as one piece (422 names every
    unknown role or area, area without an owner, and bad rule). Owners only."""
    rights.replace_rights(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        matrix=body.matrix,
        rules=[rule.to_rule() for rule in body.rules],
        expected_version=body.expected_version,
    )
    return _shown(ctx)


@router.post("/rights/template", tags=["rights"], name="api_apply_rights_template")
def apply_rights_template(body: TemplateIn, ctx: AdminDep) -> RightsOut:
    """Reset the catalog areas and the guardrails from a leadership model's template; custom
    areas and roles are kept. Owners only."""
    rights.apply_template(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        model=body.model,
        expected_version=body.expected_version,
    )
    return _shown(ctx)


@router.post(
    "/rights/areas",
    status_code=status.HTTP_201_CREATED,
    tags=["rights"],
    name="api_add_rights_area",
)
def add_rights_area(body: AreaIn, ctx: AdminDep) -> RightsOut:
    """Add the workspace's own decision area, owned by `owner`. Owners only."""
    rights.add_area(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        key=body.key,
        name=body.name,
        owner=body.owner,
        description=body.description,
        expected_version=body.expected_version,
    )
    return _shown(ctx)


@router.post(
    "/rights/roles",
    status_code=status.HTTP_201_CREATED,
    tags=["rights"],
    name="api_add_rights_role",
)
def add_rights_role(body: RoleIn, ctx: AdminDep) -> RightsOut:
    """Add the workspace's own leadership role (a seat in the matrix). Owners only."""
    rights.add_role(
        ctx.uow,
        actor=ctx.actor,
        workspace=ctx.slug,
        key=body.key,
        name=body.name,
        description=body.description,
        expected_version=body.expected_version,
    )
    return _shown(ctx)


@router.put("/members/{email}/leadership-roles", tags=["members"], name="api_put_leadership_roles")
def put_leadership_roles(email: str, body: LeadershipRolesIn, ctx: AdminDep) -> LeadershipRolesOut:
    """Give a member exactly these leadership roles (an empty list takes them all away).
    Owners only."""
    member = rights.assign(
        ctx.uow, actor=ctx.actor, workspace=ctx.slug, email=email, roles=body.roles
    )
    return LeadershipRolesOut.of(member)
