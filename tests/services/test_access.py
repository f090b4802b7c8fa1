from __future__ import annotations

import pytest

from quarterdeck.domain.access import Actor, ActorKind, Permission, Role
from quarterdeck.domain.errors import Conflict, Forbidden, NotFound
from quarterdeck.services import workspaces
from quarterdeck.services.access import authorize
from quarterdeck.storage import Database
from tests.conftest import Factory


def as_user(user_id: int, email: str = "x@example.com") -> Actor:
    return Actor(kind=ActorKind.USER, label=email, user_id=user_id)


@pytest.mark.parametrize(
    ("role", "permission", "allowed"),
    [
        (Role.VIEWER, Permission.READ, True),
        (Role.VIEWER, Permission.WRITE, False),
        (Role.EDITOR, Permission.WRITE, True),
        (Role.EDITOR, Permission.ADMINISTER, False),
        (Role.OWNER, Permission.ADMINISTER, True),
    ],
)
def test_roles_grant_exactly_their_permissions(
    db: Database, make: Factory, role: Role, permission: Permission, allowed: bool
) -> None:
    ws = make.workspace()
    user = make.member(ws, role)
    with db.unit_of_work(write=False) as uow:
        if allowed:
            assert authorize(uow, as_user(user.id), ws.slug, permission).role is role
        else:
            with pytest.raises(Forbidden):
                authorize(uow, as_user(user.id), ws.slug, permission)


def test_non_member_gets_not_found_exactly_like_a_missing_workspace(
    db: Database, make: Factory
) -> None:
    mine, theirs = make.workspace("mine"), make.workspace("theirs")
    user = make.member(mine, Role.OWNER)
    with db.unit_of_work(write=False) as uow:
        with pytest.raises(NotFound) as other:
            authorize(uow, as_user(user.id), theirs.slug, Permission.READ)
        with pytest.raises(NotFound) as missing:
            authorize(uow, as_user(user.id), "nowhere", Permission.READ)
    assert str(other.value).replace("theirs", "X") == str(missing.value).replace("nowhere", "X")


def test_stale_workspace_update_is_a_conflict_and_changes_nothing(
    db: Database, make: Factory, operator: Actor
) -> None:
    ws = make.workspace("acme")
    with db.unit_of_work(write=True) as uow:
        workspaces.update(uow, actor=operator, workspace="acme", expected_version=1, name="First")
    with pytest.raises(Conflict), db.unit_of_work(write=True) as uow:
        workspaces.update(uow, actor=operator, workspace="acme", expected_version=1, name="Second")
    with db.unit_of_work(write=False) as uow:
        current = uow.workspaces.by_slug("acme")
    assert current is not None
    assert (current.name, current.version) == ("First", ws.version + 1)
