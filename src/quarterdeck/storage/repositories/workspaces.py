"""Workspaces and memberships."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from quarterdeck.domain.access import Membership, Role
from quarterdeck.domain.errors import Conflict
from quarterdeck.domain.workspaces import LeadershipModel, OrganisationProfile, Stage, Workspace
from quarterdeck.storage.tables import MembershipRow, UserRow, WorkspaceRow

__all__ = ["MembershipRepository", "WorkspaceRepository", "profile_columns"]


def profile_columns(profile: OrganisationProfile) -> dict[str, Any]:
    return {
        "stage": profile.stage.value,
        "headcount": profile.headcount,
        "engineering_headcount": profile.engineering_headcount,
        "industry": profile.industry,
        "regulated": profile.regulated,
        "product_lines": profile.product_lines,
        "leadership_model": profile.leadership_model.value,
    }


def _to_workspace(row: WorkspaceRow) -> Workspace:
    return Workspace(
        id=row.id,
        slug=row.slug,
        name=row.name,
        time_zone=row.time_zone,
        profile=OrganisationProfile(
            stage=Stage(row.stage),
            headcount=row.headcount,
            engineering_headcount=row.engineering_headcount,
            industry=row.industry,
            regulated=row.regulated,
            product_lines=row.product_lines,
            leadership_model=LeadershipModel(row.leadership_model),
        ),
        demo=row.demo,
        version=row.version,
        created_at=row.created_at,
    )


class WorkspaceRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self,
        *,
        slug: str,
        name: str,
        time_zone: str,
        profile: OrganisationProfile,
        demo: bool,
        now: datetime,
    ) -> Workspace:
        return self._insert(
            slug=slug,
            name=name,
            time_zone=time_zone,
            profile=profile,
            demo=demo,
            created_at=now,
            updated_at=now,
        )

    def add_imported(
        self,
        *,
        slug: str,
        name: str,
        time_zone: str,
        profile: OrganisationProfile,
        demo: bool,
        created_at: datetime,
        now: datetime,
    ) -> Workspace:
        """A workspace re-created from an export: it keeps its original creation time."""
        return self._insert(
            slug=slug,
            name=name,
            time_zone=time_zone,
            profile=profile,
            demo=demo,
            created_at=created_at,
            updated_at=now,
        )

    def _insert(
        self,
        *,
        slug: str,
        name: str,
        time_zone: str,
        profile: OrganisationProfile,
        demo: bool,
        created_at: datetime,
        updated_at: datetime,
    ) -> Workspace:
        row = WorkspaceRow(
            slug=slug,
            name=name,
            time_zone=time_zone,
            demo=demo,
            version=1,
            created_at=created_at,
            updated_at=updated_at,
            **profile_columns(profile),
        )
        self._session.add(row)
        self._session.flush()
        return _to_workspace(row)

    def by_slug(self, slug: str) -> Workspace | None:
        row = self._session.scalar(select(WorkspaceRow).where(WorkspaceRow.slug == slug))
        return None if row is None else _to_workspace(row)

    def by_id(self, workspace_id: int) -> Workspace | None:
        row = self._session.get(WorkspaceRow, workspace_id)
        return None if row is None else _to_workspace(row)

    def slug_taken(self, slug: str) -> bool:
        count = self._session.scalar(
            select(func.count()).select_from(WorkspaceRow).where(WorkspaceRow.slug == slug)
        )
        return bool(count)

    def all(self) -> list[Workspace]:
        rows = self._session.scalars(select(WorkspaceRow).order_by(WorkspaceRow.name))
        return [_to_workspace(row) for row in rows]

    def for_user(self, user_id: int) -> list[tuple[Workspace, Role]]:
        rows = self._session.execute(
            select(WorkspaceRow, MembershipRow.role)
            .join(MembershipRow, MembershipRow.workspace_id == WorkspaceRow.id)
            .where(MembershipRow.user_id == user_id)
            .order_by(WorkspaceRow.name)
        )
        return [(_to_workspace(ws), Role(role)) for ws, role in rows]

    def update(
        self, workspace: Workspace, *, expected_version: int, now: datetime, **values: Any
    ) -> Workspace:
        """Compare-and-set on `version`: a stale version raises Conflict and writes nothing."""
        result = self._session.execute(
            update(WorkspaceRow)
            .where(WorkspaceRow.id == workspace.id, WorkspaceRow.version == expected_version)
            .values(version=WorkspaceRow.version + 1, updated_at=now, **values)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(
                f"workspace {workspace.slug!r} was changed by someone else since version "
                f"{expected_version}; reload and apply your change again"
            )
        self._session.expire_all()
        fresh = self.by_id(workspace.id)
        assert fresh is not None
        return fresh


def _to_membership(row: MembershipRow, user: UserRow) -> Membership:
    return Membership(
        workspace_id=row.workspace_id,
        user_id=row.user_id,
        email=user.email,
        display_name=user.display_name,
        role=Role(row.role),
        version=row.version,
        leadership_roles=tuple(row.leadership_roles or ()),
    )


class MembershipRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def role_of(self, workspace_id: int, user_id: int) -> Role | None:
        role = self._session.scalar(
            select(MembershipRow.role).where(
                MembershipRow.workspace_id == workspace_id, MembershipRow.user_id == user_id
            )
        )
        return None if role is None else Role(role)

    def in_workspace(self, workspace_id: int) -> list[Membership]:
        rows = self._session.execute(
            select(MembershipRow, UserRow)
            .join(UserRow, UserRow.id == MembershipRow.user_id)
            .where(MembershipRow.workspace_id == workspace_id)
            .order_by(UserRow.email)
        )
        return [_to_membership(m, u) for m, u in rows]

    def get(self, workspace_id: int, user_id: int) -> Membership | None:
        found = self._session.execute(
            select(MembershipRow, UserRow)
            .join(UserRow, UserRow.id == MembershipRow.user_id)
            .where(MembershipRow.workspace_id == workspace_id, MembershipRow.user_id == user_id)
        ).first()
        return None if found is None else _to_membership(found[0], found[1])

    def put(self, workspace_id: int, user_id: int, role: Role, *, now: datetime) -> Membership:
        row = self._session.scalar(
            select(MembershipRow).where(
                MembershipRow.workspace_id == workspace_id, MembershipRow.user_id == user_id
            )
        )
        if row is None:
            row = MembershipRow(
                workspace_id=workspace_id,
                user_id=user_id,
                role=role.value,
                leadership_roles=[],
                version=1,
                created_at=now,
            )
            self._session.add(row)
        else:
            row.role = role.value
            row.version += 1
        self._session.flush()
        membership = self.get(workspace_id, user_id)
        assert membership is not None
        return membership

    def remove(self, workspace_id: int, user_id: int) -> None:
        row = self._session.scalar(
            select(MembershipRow).where(
                MembershipRow.workspace_id == workspace_id, MembershipRow.user_id == user_id
            )
        )
        if row is not None:
            self._session.delete(row)
            self._session.flush()

    def leadership_roles_of(self, workspace_id: int, user_id: int) -> frozenset[str]:
        """The decision-rights roles a member holds (none for a non-member)."""
        roles = self._session.scalar(
            select(MembershipRow.leadership_roles).where(
                MembershipRow.workspace_id == workspace_id, MembershipRow.user_id == user_id
            )
        )
        return frozenset(roles or ())

    def held_leadership_roles(self, workspace_id: int) -> frozenset[str]:
        """Every decision-rights role held by at least one member who may write (a viewer
        holding a role cannot accept anything, so it does not count)."""
        rows = self._session.scalars(
            select(MembershipRow.leadership_roles).where(
                MembershipRow.workspace_id == workspace_id,
                MembershipRow.role != Role.VIEWER.value,
            )
        )
        return frozenset(role for roles in rows for role in roles or ())

    def set_leadership_roles(
        self, workspace_id: int, user_id: int, roles: tuple[str, ...]
    ) -> Membership:
        row = self._session.scalar(
            select(MembershipRow).where(
                MembershipRow.workspace_id == workspace_id, MembershipRow.user_id == user_id
            )
        )
        assert row is not None
        row.leadership_roles = list(roles)
        row.version += 1
        self._session.flush()
        membership = self.get(workspace_id, user_id)
        assert membership is not None
        return membership

    def count_owners(self, workspace_id: int) -> int:
        return int(
            self._session.scalar(
                select(func.count())
                .select_from(MembershipRow)
                .where(
                    MembershipRow.workspace_id == workspace_id,
                    MembershipRow.role == Role.OWNER.value,
                )
            )
            or 0
        )
