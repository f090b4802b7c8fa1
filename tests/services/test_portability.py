"""A workspace exports to canonical JSON and imports back without loss; bad documents are
refused with a message naming the problem, and change nothing."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select, table

from quarterdeck.domain.access import Actor, ActorKind, Role, TokenScope
from quarterdeck.domain.decisions import DecisionContent, DecisionStatus, RoutingNote
from quarterdeck.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from quarterdeck.domain.rights import Condition
from quarterdeck.domain.workspaces import LeadershipModel, OrganisationProfile, Stage
from quarterdeck.services import (
    accounts,
    decisions,
    members,
    portability,
    rights,
    tokens,
    workspaces,
)
from quarterdeck.storage import Database, make_engine, upgrade
from quarterdeck.storage.repositories import AuditRepository
from tests.conftest import PASSWORD, Factory

LIMIT = 1024 * 1024
TABLES = (
    "workspaces",
    "users",
    "memberships",
    "audit_entries",
    "decision_rights",
    "decisions",
    "decision_revisions",
)


@pytest.fixture
def second_db(second_database_url: str) -> Iterator[Database]:
    engine = make_engine(second_database_url)
    upgrade(engine)
    database = Database(engine)
    yield database
    database.dispose()


@pytest.fixture
def acme(db: Database, make: Factory, operator: Actor) -> str:
    """A workspace with a full profile, three roles, history, and a neighbour it must not leak."""
    profile = OrganisationProfile(
        stage=Stage.SCALE_UP,
        headcount=120,
        engineering_headcount=40,
        industry="Fintech — Zürich",
        regulated=True,
        product_lines=3,
        leadership_model=LeadershipModel.CPTO,
    )
    make.workspace("acme", time_zone="Europe/Zurich", profile=profile)
    make.workspace("neighbour")
    with db.unit_of_work(write=True, request_id="req-42") as uow:
        for slug, email, role in [
            ("acme", "viewer@example.com", Role.VIEWER),
            ("acme", "owner@example.com", Role.OWNER),
            ("acme", "editor@example.com", Role.EDITOR),
            ("neighbour", "stranger@example.com", Role.OWNER),
        ]:
            # No passwords: hashing them would only slow every test down.
            accounts.add_user(uow, actor=operator, email=email, display_name="", password=None)
            members.add(uow, actor=operator, workspace=slug, email=email, role=role)
        workspaces.update(
            uow, actor=operator, workspace="acme", expected_version=1, name="Acme Zürich AG"
        )
    return "acme"


def export(db: Database, actor: Actor, slug: str = "acme") -> dict[str, Any]:
    with db.unit_of_work(write=False) as uow:
        return portability.export_workspace(uow, actor=actor, workspace=slug)


def import_into(
    db: Database,
    actor: Actor,
    data: bytes,
    *,
    slug: str | None = None,
    max_bytes: int = LIMIT,
) -> str:
    with db.unit_of_work(write=True) as uow:
        imported = portability.import_workspace(
            uow, actor=actor, data=data, slug=slug, max_bytes=max_bytes
        )
    return imported.slug


def encoded(document: dict[str, Any]) -> bytes:
    return portability.dumps(document).encode("utf-8")


def row_counts(db: Database) -> dict[str, int]:
    with db.engine.connect() as connection:
        return {
            name: connection.execute(select(func.count()).select_from(table(name))).scalar_one()
            for name in TABLES
        }


def user_actor(db: Database, email: str) -> Actor:
    with db.unit_of_work(write=False) as uow:
        user = uow.users.by_email(email)
    assert user is not None
    return Actor(kind=ActorKind.USER, label=email, user_id=user.id)


def roles_in(db: Database, slug: str) -> dict[str, Role]:
    with db.unit_of_work(write=False) as uow:
        ws = uow.workspaces.by_slug(slug)
        assert ws is not None
        return {m.email: m.role for m in uow.memberships.in_workspace(ws.id)}


# --- Round trips -------------------------------------------------------------------------


def test_export_imports_into_a_fresh_database_and_exports_again_identically(
    db: Database, second_db: Database, acme: str, operator: Actor
) -> None:
    first = export(db, operator)
    import_into(second_db, operator, encoded(first))
    again = export(second_db, operator)

    *restored, imported = again["audit"]
    assert {**again, "audit": restored} == first
    assert portability.dumps({**again, "audit": restored}) == portability.dumps(first)
    assert imported["action"] == "workspace.imported"
    assert imported["actor"] == operator.label
    assert imported["after"]["source_slug"] == "acme"


def test_export_holds_the_workspace_members_and_history_in_a_stable_order(
    db: Database, acme: str, operator: Actor
) -> None:
    document = export(db, operator)

    assert document["format"] == "quarterdeck.workspace"
    assert document["schema_version"] == 1
    assert document["workspace"]["name"] == "Acme Zürich AG"
    assert document["workspace"]["profile"]["leadership_model"] == "cpto"
    assert document["workspace"]["created_at"].endswith("Z")
    emails = [member["email"] for member in document["members"]]
    assert emails == ["editor@example.com", "owner@example.com", "viewer@example.com"]
    actions = [entry["action"] for entry in document["audit"]]
    assert actions[0] == "workspace.created"
    assert actions[-1] == "workspace.updated"
    assert document["audit"][-1]["request_id"] == "req-42"
    assert "stranger@example.com" not in portability.dumps(document)


def test_dumps_writes_canonical_json(db: Database, acme: str, operator: Actor) -> None:
    document = export(db, operator)
    text = portability.dumps(document)

    assert text.endswith("}\n")
    assert "Zürich" in text  # UTF-8 as is, not \u escapes
    assert json.loads(text) == document
    assert text == json.dumps(json.loads(text), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert portability.dumps(json.loads(text)) == text


def test_export_carries_no_password_hashes_session_or_token_secrets(
    db: Database, acme: str, operator: Actor
) -> None:
    with db.unit_of_work(write=True) as uow:
        accounts.set_password(uow, actor=operator, email="owner@example.com", password=PASSWORD)
        issued = tokens.create(
            uow, actor=operator, workspace="acme", name="ci", scope=TokenScope.WRITE
        )
        session = accounts.log_in(
            uow,
            email="owner@example.com",
            password=PASSWORD,
            address="127.0.0.1",
            session_hours=1,
            attempts_per_minute=10,
        ).signed_in
    assert session is not None
    with db.unit_of_work(write=False) as uow:
        password_hash = uow.users.password_hash(session.user.id)
    assert password_hash is not None

    text = portability.dumps(export(db, operator))

    for secret in (
        issued.secret,
        accounts.hash_secret(issued.secret),
        session.token,
        accounts.hash_secret(session.token),
        session.csrf_token,
        password_hash,
    ):
        assert secret not in text
    assert "argon2" not in text
    member_fields = {"email", "display_name", "role", "leadership_roles"}
    assert all(set(m) == member_fields for m in export(db, operator)["members"])


def test_only_owners_and_the_operator_may_export(
    db: Database, make: Factory, acme: str, operator: Actor
) -> None:
    with pytest.raises(Forbidden):
        export(db, user_actor(db, "editor@example.com"))
    with pytest.raises(NotFound):
        export(db, user_actor(db, "stranger@example.com"))
    assert export(db, user_actor(db, "owner@example.com")) == export(db, operator)


def test_import_under_another_slug_copies_the_workspace_in_the_same_database(
    db: Database, acme: str, operator: Actor
) -> None:
    original = export(db, operator)

    assert import_into(db, operator, encoded(original), slug="acme-copy") == "acme-copy"

    copied = export(db, operator, "acme-copy")
    assert copied["workspace"] == {**original["workspace"], "slug": "acme-copy"}
    assert copied["members"] == original["members"]
    assert copied["audit"][:-1] == original["audit"]
    assert export(db, operator) == original


def test_import_onto_a_taken_slug_is_a_conflict_that_suggests_another(
    db: Database, acme: str, operator: Actor
) -> None:
    before = row_counts(db)
    with pytest.raises(Conflict, match=r"'acme' already exists.*--as NEW_SLUG"):
        import_into(db, operator, encoded(export(db, operator)))
    assert row_counts(db) == before


def test_missing_accounts_are_created_without_a_password_and_existing_ones_reused(
    db: Database, second_db: Database, acme: str, operator: Actor
) -> None:
    existing = Factory(second_db, operator).user("editor@example.com")

    import_into(second_db, operator, encoded(export(db, operator)))

    with second_db.unit_of_work(write=False) as uow:
        found = {user.email: user for user in uow.users.all()}
    editor, owner = found["editor@example.com"], found["owner@example.com"]
    assert (editor.id, editor.has_password) == (existing.id, True)
    assert not owner.has_password
    assert not found["viewer@example.com"].has_password
    assert owner.display_name == "owner"  # as in the document: the email's local part
    assert roles_in(second_db, "acme")["editor@example.com"] is Role.EDITOR


def test_signed_in_user_who_imports_becomes_owner_unless_already_a_member(
    db: Database, make: Factory, acme: str, operator: Actor
) -> None:
    data = encoded(export(db, operator))
    make.user("importer@example.com")

    import_into(db, user_actor(db, "importer@example.com"), data, slug="theirs")
    import_into(db, user_actor(db, "viewer@example.com"), data, slug="viewers")

    assert roles_in(db, "theirs")["importer@example.com"] is Role.OWNER
    assert roles_in(db, "viewers")["viewer@example.com"] is Role.VIEWER
    assert "importer@example.com" not in roles_in(db, "viewers")


def test_api_tokens_cannot_import(db: Database, acme: str, operator: Actor) -> None:
    token = Actor(
        kind=ActorKind.TOKEN,
        label="token ci",
        token_id=1,
        token_workspace_id=1,
        token_scope=TokenScope.WRITE,
    )
    with pytest.raises(Forbidden):
        import_into(db, token, encoded(export(db, operator)), slug="copy")


def test_a_failure_while_writing_leaves_the_database_unchanged(
    db: Database, acme: str, operator: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = encoded(export(db, operator))
    before = row_counts(db)

    def fail(*args: object, **kwargs: object) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(AuditRepository, "append_many", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        import_into(db, operator, data, slug="copy")

    assert row_counts(db) == before


# --- Refusals ----------------------------------------------------------------------------

Mutation = Callable[[dict[str, Any]], bytes]


def setting(*path: str | int, to: object) -> Mutation:
    def mutate(document: dict[str, Any]) -> bytes:
        *parents, last = path
        node: Any = document
        for part in parents:
            node = node[part]
        node[last] = to
        return json.dumps(document).encode()

    return mutate


def removing(*path: str | int) -> Mutation:
    def mutate(document: dict[str, Any]) -> bytes:
        *parents, last = path
        node: Any = document
        for part in parents:
            node = node[part]
        del node[last]
        return json.dumps(document).encode()

    return mutate


def raw(data: bytes) -> Mutation:
    return lambda document: data


def nested(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {"leaf": True}
    for _ in range(levels - 1):
        value = {"a": value}
    return value


@dataclass(frozen=True)
class Bad:
    mutate: Mutation
    expected: tuple[str, ...]
    slug: str | None = "copy"
    max_bytes: int = LIMIT


def no_owner(document: dict[str, Any]) -> bytes:
    for member in document["members"]:
        member["role"] = "editor"
    return json.dumps(document).encode()


BAD_DOCUMENTS = [
    pytest.param(
        Bad(raw(b"{}" + b" " * 2000), ("2,002 bytes", "1,024"), max_bytes=1024), id="too-large"
    ),
    pytest.param(Bad(raw(b'{"format": "\xff"}'), ("not UTF-8",)), id="not-utf8"),
    pytest.param(
        Bad(raw(b'{\n  "format": "quarterdeck.workspace",\n  "schema_version": }'), ("line 3",)),
        id="not-json",
    ),
    pytest.param(Bad(raw(b"[1, 2]"), ("must be a JSON object, not a list",)), id="not-object"),
    pytest.param(Bad(raw(b'{"a": 1, "a": 2}'), ("'a' appears twice",)), id="duplicate-key"),
    pytest.param(Bad(raw(b'{"a": NaN}'), ("NaN",)), id="nan"),
    pytest.param(Bad(raw(b"[" * 50_000 + b"]" * 50_000), ("nested too deeply",)), id="json-bomb"),
    pytest.param(Bad(setting("format", to="other.tool"), ("format is 'other.tool'",)), id="format"),
    pytest.param(Bad(removing("format"), ("format is missing",)), id="no-format"),
    pytest.param(
        Bad(removing("schema_version"), ("schema_version is missing", "reads schema_version 1")),
        id="no-schema-version",
    ),
    pytest.param(
        Bad(
            setting("schema_version", to=2),
            ("unsupported schema_version 2", "reads schema_version 1"),
        ),
        id="newer-schema-version",
    ),
    pytest.param(
        Bad(setting("schema_version", to="1"), ("unsupported schema_version '1'",)),
        id="schema-version-text",
    ),
    pytest.param(
        Bad(setting("schema_version", to=True), ("unsupported schema_version True",)),
        id="schema-version-bool",
    ),
    pytest.param(Bad(removing("members"), ("members: field required",)), id="no-members"),
    pytest.param(
        Bad(setting("members", to={"a": 1}), ("members: Input should be a valid list",)),
        id="members-not-list",
    ),
    pytest.param(
        Bad(removing("workspace", "name"), ("workspace.name: Field required",)), id="no-name"
    ),
    pytest.param(Bad(setting("workspace", "demo", to="yes"), ("workspace.demo",)), id="demo-text"),
    pytest.param(Bad(setting("members", 0, "role", to=5), ("members[0].role",)), id="role-number"),
    pytest.param(
        Bad(setting("members", 2, "role", to="admin"), ("members[2].role", "'admin'")),
        id="unknown-role",
    ),
    pytest.param(
        Bad(setting("members", 0, "email", to="nobody"), ("members[0].email", "not a valid email")),
        id="bad-email",
    ),
    pytest.param(
        Bad(
            setting("members", 2, "email", to="Owner@Example.com"),
            ("members[2].email", "listed twice", "members[1]"),
        ),
        id="duplicate-member",
    ),
    pytest.param(Bad(no_owner, ("owner role",)), id="no-owner"),
    pytest.param(
        Bad(
            setting("workspace", "slug", to="Not A Slug"),
            ("workspace.slug", "lowercase"),
            slug=None,
        ),
        id="bad-slug-in-document",
    ),
    pytest.param(
        Bad(lambda document: encoded(document), ("slug 'Bad Slug'",), slug="Bad Slug"),
        id="bad-slug-argument",
    ),
    pytest.param(
        Bad(
            setting("workspace", "time_zone", to="Mars/Olympus_Mons"),
            ("workspace.time_zone", "not a known IANA time zone"),
        ),
        id="time-zone",
    ),
    pytest.param(
        Bad(setting("workspace", "name", to="   "), ("workspace.name", "1-120 characters")),
        id="blank-name",
    ),
    pytest.param(
        Bad(
            setting("workspace", "profile", "stage", to="huge"),
            ("workspace.profile.stage", "'huge'"),
        ),
        id="profile-stage",
    ),
    pytest.param(
        Bad(
            setting("workspace", "profile", "engineering_headcount", to=500),
            ("workspace.profile", "cannot exceed headcount"),
        ),
        id="profile-rule",
    ),
    pytest.param(
        Bad(
            setting("workspace", "profile", "headcount", to=2**40), ("workspace.profile.headcount",)
        ),
        id="profile-overflow",
    ),
    pytest.param(
        Bad(
            setting("workspace", "profile", "colour", to="red"),
            ("workspace.profile.colour: unknown field",),
        ),
        id="profile-extra",
    ),
    pytest.param(
        Bad(setting("workspace", "id", to=1), ("workspace.id: unknown field",)), id="workspace-id"
    ),
    pytest.param(
        Bad(setting("workspace_id", to=1), ("workspace_id: unknown field",)), id="top-level-id"
    ),
    pytest.param(
        Bad(setting("members", 1, "user_id", to=7), ("members[1].user_id: unknown field",)),
        id="member-user-id",
    ),
    pytest.param(
        Bad(setting("audit", 0, "workspace_id", to=1), ("audit[0].workspace_id: unknown field",)),
        id="audit-workspace-id",
    ),
    pytest.param(
        Bad(setting("audit", 0, "id", to=99), ("audit[0].id: unknown field",)), id="audit-id"
    ),
    pytest.param(
        Bad(setting("audit", 0, "at", to="2026-01-01T09:00:00"), ("audit[0].at", "no time zone")),
        id="naive-time",
    ),
    pytest.param(
        Bad(setting("audit", 0, "at", to=1_700_000_000), ("audit[0].at", "ISO 8601")),
        id="epoch-time",
    ),
    pytest.param(
        Bad(setting("audit", 0, "entity_id", to="x" * 65), ("audit[0].entity_id", "at most 64")),
        id="long-entity-id",
    ),
    pytest.param(
        Bad(setting("audit", 0, "after", to=[1, 2]), ("audit[0].after",)), id="after-not-object"
    ),
    pytest.param(
        Bad(setting("audit", 0, "after", to=nested(21)), ("audit[0].after", "deeper than 20")),
        id="after-deep",
    ),
    pytest.param(
        Bad(
            setting("audit", 0, "before", to={"rows": list(range(20_000))}),
            ("audit[0].before", "more than 10,000"),
        ),
        id="before-huge",
    ),
    pytest.param(
        Bad(
            setting("audit", 0, "after", to=nested(100)),
            ("audit[0].after.a...", "deeper than 64"),
        ),
        id="after-hostile",
    ),
    pytest.param(
        Bad(
            setting("members", 0, "display_name", to="Eve\x00"), ("members[0].display_name", "NUL")
        ),
        id="nul",
    ),
]


@pytest.mark.parametrize("bad", BAD_DOCUMENTS)
def test_bad_documents_are_refused_naming_the_problem_and_change_nothing(
    db: Database, acme: str, operator: Actor, bad: Bad
) -> None:
    data = bad.mutate(copy.deepcopy(export(db, operator)))
    before = row_counts(db)

    with pytest.raises(InvalidInput) as refused:
        import_into(db, operator, data, slug=bad.slug, max_bytes=bad.max_bytes)

    for expected in bad.expected:
        assert expected in refused.value.message
    assert row_counts(db) == before


def test_many_problems_are_reported_together_up_to_a_few(
    db: Database, acme: str, operator: Actor
) -> None:
    document = export(db, operator)
    for row in [*document["members"], *document["audit"]]:
        row["id"] = 1

    with pytest.raises(InvalidInput) as refused:
        import_into(db, operator, encoded(document), slug="copy")

    message = refused.value.message
    assert message.count("unknown field") == 5
    assert "(and 3 more problems)" in message


# --- Decision rights ---------------------------------------------------------------------

ESCALATED = DecisionContent(
    title="Replace the SSO provider",
    area="architecture",
    cross_team=True,
    estimated_spend=Decimal("15000"),
    security_exception=True,
)
CUSTOM_AREA = DecisionContent(title="Partition the event lake by day", area="data-platform")


@pytest.fixture
def governed(db: Database, acme: str, operator: Actor) -> str:
    """Acme with its own decision rights (a custom role owning a custom area, a lower spend
    threshold), leadership roles, one decision waiting for the CPTO and one approved."""
    with db.unit_of_work(write=True) as uow:
        rights.add_role(
            uow, actor=operator, workspace=acme, key="head-of-data", name="Head of Data"
        )
        rights.add_area(
            uow,
            actor=operator,
            workspace=acme,
            key="data-platform",
            name="Data platform",
            owner="head-of-data",
        )
        current = rights.show(uow, actor=operator, workspace=acme).rights.rules
        lowered = [
            replace(rule, parameter=Decimal("10000"))
            if rule.condition is Condition.SPEND_ABOVE
            else rule
            for rule in current
        ]
        rights.set_rules(uow, actor=operator, workspace=acme, rules=lowered)
        for email, seats in (
            ("owner@example.com", ["cpto", "head-of-data"]),
            ("editor@example.com", ["team-lead"]),
        ):
            rights.assign(uow, actor=operator, workspace=acme, email=email, roles=seats)
    editor, owner = user_actor(db, "editor@example.com"), user_actor(db, "owner@example.com")
    with db.unit_of_work(write=True) as uow:
        decisions.record(uow, actor=editor, workspace=acme, content=ESCALATED)
        second = decisions.record(uow, actor=editor, workspace=acme, content=CUSTOM_AREA)
        decisions.decide(
            uow,
            actor=owner,
            workspace=acme,
            number=second.number,
            expected_version=second.version,
            to=DecisionStatus.ACCEPTED,
        )
    return acme


def without_slug_and_import_row(document: dict[str, Any]) -> dict[str, Any]:
    return {
        **document,
        "workspace": {**document["workspace"], "slug": "-"},
        "audit": document["audit"][:-1],
    }


def test_decision_rights_roles_and_routing_survive_a_round_trip(
    db: Database, governed: str, operator: Actor
) -> None:
    original = export(db, operator)

    import_into(db, operator, encoded(original), slug="governed-copy")
    copied = export(db, operator, "governed-copy")

    assert without_slug_and_import_row(copied) == {
        **without_slug_and_import_row(original),
        "audit": original["audit"],
    }
    assert copied["audit"][-1]["after"]["rights"] == 1
    (stored,) = original["rights"]
    assert stored["template"] == "cpto"
    assert stored["document"]["roles"][0]["key"] == "head-of-data"
    assert stored["document"]["matrix"]["data-platform"] == {"head-of-data": "owns"}
    assert {m["email"]: m["leadership_roles"] for m in original["members"]} == {
        "editor@example.com": ["team-lead"],
        "owner@example.com": ["cpto", "head-of-data"],
        "viewer@example.com": [],
    }
    waiting, approved = original["decisions"]
    assert waiting["revisions"][0]["content"]["security_exception"] is True
    assert waiting["awaiting"] == "cpto"
    assert waiting["escalations"][1] == {
        "rule": "Major spend",
        "route_to": "ceo",
        "reason": "estimated spend 15,000 is above 10,000",
    }
    assert (approved["awaiting"], approved["decided_by"], approved["decided_as"]) == (
        None,
        "owner@example.com",
        "approver as Head of Data",
    )
    with db.unit_of_work(write=False) as uow:
        ws = uow.workspaces.by_slug("governed-copy")
        assert ws is not None
        in_force = rights.effective(uow, ws)
        queue = decisions.queue(uow, actor=operator, workspace="governed-copy", role="cpto")
        owner = user_actor(db, "owner@example.com").user_id
        assert owner is not None
        held = uow.memberships.leadership_roles_of(ws.id, owner)
    assert in_force.version == 1
    assert [role.key for role in in_force.custom_roles] == ["head-of-data"]
    assert in_force.matrix.owners("data-platform") == ("head-of-data",)
    assert [r.parameter for r in in_force.rules if r.condition is Condition.SPEND_ABOVE] == [
        Decimal("10000")
    ]
    assert [entry.decision.number for entry in queue] == [1]
    assert queue[0].decision.escalations[2] == RoutingNote(
        "Security exceptions", "cpto", "it asks for a security exception"
    )
    assert held == {"cpto", "head-of-data"}


def test_a_workspace_on_its_template_exports_no_rights_and_imports_without_them(
    db: Database, acme: str, operator: Actor
) -> None:
    original = export(db, operator)
    assert original["rights"] == []

    import_into(db, operator, encoded(original), slug="acme-copy")

    with db.unit_of_work(write=False) as uow:
        ws = uow.workspaces.by_slug("acme-copy")
        assert ws is not None
        assert uow.rights.get(ws.id) is None


def strip_what_decision_rights_added(document: dict[str, Any]) -> dict[str, Any]:
    """The document as Quarterdeck wrote it before decision rights existed."""
    old = copy.deepcopy(document)
    del old["rights"]
    for member in old["members"]:
        del member["leadership_roles"]
    for decision in old["decisions"]:
        for key in ("awaiting", "escalations", "decided_by", "decided_as"):
            del decision[key]
        for revision in decision["revisions"]:
            del revision["content"]["security_exception"]
    return old


def test_a_document_written_before_decision_rights_imports_with_their_defaults(
    db: Database, acme: str, operator: Actor
) -> None:
    with db.unit_of_work(write=True) as uow:
        recorded = decisions.record(
            uow,
            actor=operator,
            workspace=acme,
            content=replace(ESCALATED, security_exception=False),
        )
        decisions.decide(
            uow,
            actor=operator,
            workspace=acme,
            number=recorded.number,
            expected_version=recorded.version,
            to=DecisionStatus.ACCEPTED,
        )
    current = export(db, operator)
    old = strip_what_decision_rights_added(current)
    assert "rights" not in old
    assert "security_exception" not in json.dumps(old["decisions"])

    import_into(db, operator, encoded(old), slug="from-before")

    again = export(db, operator, "from-before")
    assert again["rights"] == []
    assert [m["leadership_roles"] for m in again["members"]] == [[], [], []]
    (decision,) = again["decisions"]
    assert decision["revisions"][-1]["content"]["security_exception"] is False
    assert (decision["awaiting"], decision["escalations"]) == (None, [])
    assert (decision["decided_by"], decision["decided_as"]) == (None, None)
    assert strip_what_decision_rights_added(again)["decisions"] == old["decisions"]


def rights_document(*path: str | int, to: object) -> Mutation:
    return setting("rights", 0, "document", *path, to=to)


BAD_RIGHTS = [
    pytest.param(
        Bad(
            rights_document("matrix", "roadmap", "wizard", to="owns"),
            ("rights[0].document: ", "unknown role(s): wizard"),
        ),
        id="unknown-role-in-matrix",
    ),
    pytest.param(
        Bad(
            rights_document("matrix", "data-platform", to={"head-of-data": "consulted"}),
            ("rights[0].document: ", "area 'data-platform' has no owner"),
        ),
        id="area-without-owner",
    ),
    pytest.param(
        Bad(
            rights_document("matrix", "gardening", to={"cpto": "owns"}),
            ("rights[0].document: ", "unknown area(s): gardening"),
        ),
        id="unknown-area-in-matrix",
    ),
    pytest.param(
        Bad(
            rights_document("matrix", "roadmap", "cpto", to="rules"),
            ("rights[0].document: ", "roadmap/cpto: involvement must be one of"),
        ),
        id="unknown-involvement",
    ),
    pytest.param(
        Bad(
            rights_document("matrix", "roadmap", "cpto", to={"deep": [1]}),
            ("rights[0].document: ", "involvement must be one of"),
        ),
        id="involvement-not-text",
    ),
    pytest.param(
        Bad(rights_document("matrix", to=["roadmap"]), ("rights[0].document: ", "matrix must map")),
        id="matrix-a-list",
    ),
    pytest.param(
        Bad(rights_document("rules", to="none"), ("rights[0].document: ", "rules must be a list")),
        id="rules-not-a-list",
    ),
    pytest.param(
        Bad(
            rights_document("rules", 1, "threshold", to="lots"),
            ("rights[0].document: ", "threshold must be an amount"),
        ),
        id="threshold-not-a-number",
    ),
    pytest.param(
        Bad(
            rights_document("rules", 0, "route_to", to="wizard"),
            ("rights[0].document: ", "routes to unknown role 'wizard'"),
        ),
        id="rule-to-unknown-role",
    ),
    pytest.param(
        Bad(
            rights_document("roles", 0, "key", to="Head Of Data"),
            ("rights[0].document: ", "custom role key 'Head Of Data'"),
        ),
        id="bad-custom-role-key",
    ),
    pytest.param(
        Bad(
            rights_document("roles", to=[{"key": "cto", "name": "Another CTO"}]),
            ("rights[0].document: ", "custom role key(s) already in use: cto"),
        ),
        id="custom-role-clashes",
    ),
    pytest.param(
        Bad(rights_document("owner", to="me"), ("rights[0].document: ", "unknown field(s) owner")),
        id="unknown-field-in-document",
    ),
    pytest.param(
        Bad(setting("rights", 0, "document", to=[1]), ("rights[0].document", "dictionary")),
        id="document-a-list",
    ),
    pytest.param(
        Bad(
            setting("rights", 0, "template", to="benevolent-dictator"),
            ("rights[0].template", "'benevolent-dictator'"),
        ),
        id="unknown-template",
    ),
    pytest.param(
        Bad(setting("rights", 0, "version", to=3), ("rights[0].version: unknown field",)),
        id="rights-version",
    ),
    pytest.param(
        Bad(setting("rights", to=None), ("rights: Input should be a valid list",)),
        id="rights-null",
    ),
    pytest.param(
        Bad(
            lambda document: json.dumps({**document, "rights": document["rights"] * 2}).encode(),
            ("rights: a workspace has one set of decision rights, not 2",),
        ),
        id="two-sets-of-rights",
    ),
    pytest.param(
        Bad(
            setting("members", 1, "leadership_roles", 0, to="wizard"),
            ("members[1].leadership_roles[0]: unknown leadership role 'wizard'",),
        ),
        id="member-holds-unknown-role",
    ),
    pytest.param(
        Bad(
            removing("rights"),
            ("members[1].leadership_roles[1]: unknown leadership role 'head-of-data'",),
        ),
        id="custom-role-without-the-rights-defining-it",
    ),
    pytest.param(
        Bad(
            setting("members", 1, "leadership_roles", to=["cpto", "cpto"]),
            ("members[1].leadership_roles: cpto listed twice",),
        ),
        id="member-holds-a-role-twice",
    ),
    pytest.param(
        Bad(setting("members", 1, "leadership_roles", to="cpto"), ("members[1].leadership_roles",)),
        id="leadership-roles-not-a-list",
    ),
    pytest.param(
        Bad(
            setting("decisions", 0, "awaiting", to="wizard"),
            ("decisions[0].awaiting: unknown leadership role 'wizard'",),
        ),
        id="awaiting-unknown-role",
    ),
    pytest.param(
        Bad(
            setting("decisions", 0, "escalations", 1, "route_to", to="wizard"),
            ("decisions[0].escalations[1].route_to: unknown leadership role 'wizard'",),
        ),
        id="escalated-to-unknown-role",
    ),
    pytest.param(
        Bad(
            setting("decisions", 0, "escalations", 0, "id", to=4),
            ("decisions[0].escalations[0].id: unknown field",),
        ),
        id="escalation-extra-field",
    ),
    pytest.param(
        Bad(
            setting("decisions", 0, "escalations", 0, "reason", to="x" * 2_001),
            ("decisions[0].escalations[0].reason", "at most 2000"),
        ),
        id="escalation-reason-too-long",
    ),
    pytest.param(
        Bad(
            setting("decisions", 0, "escalations", to=[{"rule": "", "route_to": "cto"}] * 101),
            ("decisions[0].escalations", "at most 100"),
        ),
        id="too-many-escalations",
    ),
    pytest.param(
        Bad(setting("decisions", 1, "decided_by", to=7), ("decisions[1].decided_by",)),
        id="decided-by-a-number",
    ),
    pytest.param(
        Bad(
            setting("decisions", 1, "decided_as", to="x" * 201),
            ("decisions[1].decided_as", "at most 200"),
        ),
        id="decided-as-too-long",
    ),
    pytest.param(
        Bad(
            setting("decisions", 0, "revisions", 0, "content", "security_exception", to="yes"),
            ("decisions[0].revisions[0].content.security_exception",),
        ),
        id="security-exception-text",
    ),
]


@pytest.mark.parametrize("bad", BAD_RIGHTS)
def test_bad_rights_roles_and_routing_are_refused_naming_the_path_and_change_nothing(
    db: Database, governed: str, operator: Actor, bad: Bad
) -> None:
    data = bad.mutate(copy.deepcopy(export(db, operator)))
    before = row_counts(db)

    with pytest.raises(InvalidInput) as refused:
        import_into(db, operator, data, slug=bad.slug, max_bytes=bad.max_bytes)

    for expected in bad.expected:
        assert expected in refused.value.message
    assert row_counts(db) == before
