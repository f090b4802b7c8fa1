from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from quarterdeck.domain.access import Actor, ActorKind, Role
from quarterdeck.domain.decisions import (
    DecisionContent,
    DecisionStatus,
    LinkKind,
    Option,
    Reversibility,
)
from quarterdeck.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from quarterdeck.services import decisions, portability
from quarterdeck.storage import Database, make_engine, upgrade
from tests.conftest import Factory

CONTENT = DecisionContent(
    title="Move the order service to PostgreSQL",
    area="architecture",
    context="MySQL 5.7 reaches end of life;\nreplication lag hurts reporting.",
    options=(
        Option("PostgreSQL 16", pros=("mature JSON support",), cons=("migration effort",)),
        Option("Stay on MySQL 8", pros=("no migration",), cons=("licence questions",)),
    ),
    decision="Migrate to PostgreSQL 16.",
    rationale="Lower operating risk.",
    consequences="Two quarters of dual writes.",
    deciders=("cto@example.com",),
    reversibility=Reversibility.ONE_WAY,
    estimated_spend=Decimal("40000"),
    cross_team=True,
    revisit_on=date(2027, 6, 1),
    tags=("database", "platform"),
    taken_in="Architecture review, 2026-11-20",
)


def person(user_id: int) -> Actor:
    return Actor(kind=ActorKind.USER, label=f"user{user_id}@example.com", user_id=user_id)


@pytest.fixture
def editor(make: Factory) -> Actor:
    ws = make.workspace("acme")
    return person(make.member(ws, Role.EDITOR).id)


def record(db: Database, actor: Actor, content: DecisionContent = CONTENT, ws: str = "acme"):
    with db.unit_of_work(write=True) as uow:
        return decisions.record(uow, actor=actor, workspace=ws, content=content)


def test_decisions_are_numbered_in_order_and_start_proposed(db: Database, editor: Actor) -> None:
    first = record(db, editor)
    second = record(db, editor, replace(CONTENT, title="Adopt feature flags"))
    assert (first.key, second.key) == ("D-1", "D-2")
    assert first.status is DecisionStatus.PROPOSED
    with db.unit_of_work(write=False) as uow:
        assert decisions.get(uow, actor=editor, workspace="acme", number=1).content == CONTENT


def test_editing_keeps_every_revision_and_diffs_them(db: Database, editor: Actor) -> None:
    record(db, editor)
    changed = replace(
        CONTENT, context=CONTENT.context + "\nCosts grow 20% a year.", tags=("database",)
    )
    with db.unit_of_work(write=True) as uow:
        saved = decisions.edit(
            uow, actor=editor, workspace="acme", number=1, expected_version=1, content=changed
        )
    assert saved.version == 2
    with db.unit_of_work(write=False) as uow:
        revisions = decisions.history(uow, actor=editor, workspace="acme", number=1)
        changes = decisions.diff(uow, actor=editor, workspace="acme", number=1, old=1, new=2)
    assert [r.content for r in revisions] == [CONTENT, changed]
    assert all(r.author == editor.label for r in revisions)
    by_field = {c.field: c for c in changes}
    assert set(by_field) == {"context", "tags"}
    assert "+Costs grow 20% a year." in by_field["context"].lines
    assert by_field["tags"].removed == ("platform",)


def test_a_stale_edit_is_refused_and_nothing_is_lost(db: Database, editor: Actor) -> None:
    record(db, editor)
    with db.unit_of_work(write=True) as uow:
        decisions.edit(
            uow,
            actor=editor,
            workspace="acme",
            number=1,
            expected_version=1,
            content=replace(CONTENT, title="First edit"),
        )
    with pytest.raises(Conflict), db.unit_of_work(write=True) as uow:
        decisions.edit(
            uow,
            actor=editor,
            workspace="acme",
            number=1,
            expected_version=1,
            content=replace(CONTENT, title="Stale edit"),
        )
    with db.unit_of_work(write=False) as uow:
        current = decisions.get(uow, actor=editor, workspace="acme", number=1)
        revisions = decisions.history(uow, actor=editor, workspace="acme", number=1)
    assert current.content.title == "First edit"
    assert len(revisions) == 2


def decide(db: Database, actor: Actor, number: int, to: DecisionStatus):
    with db.unit_of_work(write=True) as uow:
        current = decisions.get(uow, actor=actor, workspace="acme", number=number)
        return decisions.decide(
            uow,
            actor=actor,
            workspace="acme",
            number=number,
            expected_version=current.version,
            to=to,
        )


def test_lifecycle_refuses_illegal_transitions(db: Database, editor: Actor) -> None:
    record(db, editor)
    accepted = decide(db, editor, 1, DecisionStatus.ACCEPTED)
    assert accepted.decided_at is not None
    with pytest.raises(InvalidInput, match="a decision that is accepted cannot become rejected"):
        decide(db, editor, 1, DecisionStatus.REJECTED)
    with (
        pytest.raises(InvalidInput, match="superseding or amending"),
        db.unit_of_work(write=True) as uow,
    ):
        decisions.edit(
            uow,
            actor=editor,
            workspace="acme",
            number=1,
            expected_version=accepted.version,
            content=replace(CONTENT, title="Quietly changed"),
        )
    deprecated = decide(db, editor, 1, DecisionStatus.DEPRECATED)
    with pytest.raises(InvalidInput, match="final"):
        decide(db, editor, 1, DecisionStatus.ACCEPTED)
    assert deprecated.status is DecisionStatus.DEPRECATED


def test_superseding_links_both_ways_and_freezes_the_old_decision(
    db: Database, editor: Actor
) -> None:
    record(db, editor)
    record(db, editor, replace(CONTENT, title="Move to PostgreSQL 17 instead"))
    decide(db, editor, 1, DecisionStatus.ACCEPTED)
    with pytest.raises(InvalidInput, match="accept it before"), db.unit_of_work(write=True) as uow:
        decisions.supersede(uow, actor=editor, workspace="acme", number=1, by=2)
    decide(db, editor, 2, DecisionStatus.ACCEPTED)
    with db.unit_of_work(write=True) as uow:
        old = decisions.supersede(uow, actor=editor, workspace="acme", number=1, by=2)
    assert old.status is DecisionStatus.SUPERSEDED
    with db.unit_of_work(write=False) as uow:
        new = decisions.get(uow, actor=editor, workspace="acme", number=2)
    assert [(link.kind, link.number, link.outgoing) for link in new.links] == [
        (LinkKind.SUPERSEDES, 1, True)
    ]
    assert [(link.kind.reverse_label, link.number) for link in old.links] == [("superseded by", 2)]


def test_links_refuse_self_reference_and_loops(db: Database, editor: Actor) -> None:
    for title in ("A", "B"):
        record(db, editor, replace(CONTENT, title=title))
        decide(db, editor, int(title == "B") + 1, DecisionStatus.ACCEPTED)
    with pytest.raises(InvalidInput, match="itself"), db.unit_of_work(write=True) as uow:
        decisions.amend(uow, actor=editor, workspace="acme", number=1, by=1)
    with db.unit_of_work(write=True) as uow:
        decisions.amend(uow, actor=editor, workspace="acme", number=1, by=2)
    with pytest.raises(InvalidInput, match="loop"), db.unit_of_work(write=True) as uow:
        decisions.amend(uow, actor=editor, workspace="acme", number=2, by=1)


def test_another_workspaces_decisions_are_not_found(
    db: Database, make: Factory, editor: Actor
) -> None:
    other = make.workspace("other")
    outsider = person(make.member(other, Role.OWNER).id)
    record(db, editor)
    with pytest.raises(NotFound), db.unit_of_work(write=False) as uow:
        decisions.get(uow, actor=outsider, workspace="acme", number=1)
    with pytest.raises(NotFound, match="D-1"), db.unit_of_work(write=False) as uow:
        decisions.get(uow, actor=outsider, workspace="other", number=1)
    record(db, outsider, ws="other")
    with pytest.raises(NotFound), db.unit_of_work(write=True) as uow:
        decisions.relate(uow, actor=editor, workspace="acme", number=1, to=2)


def test_viewers_read_but_cannot_record(db: Database, make: Factory, editor: Actor) -> None:
    ws = make.workspace("viewers-ws")
    viewer = person(make.member(ws, Role.VIEWER).id)
    with pytest.raises(Forbidden), db.unit_of_work(write=True) as uow:
        decisions.record(uow, actor=viewer, workspace="viewers-ws", content=CONTENT)


def test_search_filters_and_due_for_revisit(db: Database, editor: Actor) -> None:
    record(db, editor)
    record(
        db,
        editor,
        replace(
            CONTENT,
            title="Hire a platform lead",
            area="hiring-structure",
            tags=("hiring",),
            revisit_on=None,
        ),
    )
    record(
        db,
        editor,
        replace(
            CONTENT, title="Buy an incident tool", area="build-vs-buy", revisit_on=date(2026, 1, 1)
        ),
    )
    decide(db, editor, 3, DecisionStatus.ACCEPTED)
    with db.unit_of_work(write=False) as uow:

        def numbers(**where: object) -> list[int]:
            found, total = decisions.search(
                uow, actor=editor, workspace="acme", where=decisions.DecisionFilter(**where)
            )
            assert total == len(found)
            return [d.number for d in found]

        assert numbers() == [3, 2, 1]
        assert numbers(area="hiring-structure") == [2]
        assert numbers(tag="hiring") == [2]
        assert numbers(text="INCIDENT") == [3]
        assert numbers(text="%") == []
        assert numbers(status=DecisionStatus.ACCEPTED) == [3]
        assert numbers(sort="title") == [3, 2, 1]
        due = decisions.due_for_revisit(uow, actor=editor, workspace="acme", on=date(2026, 11, 25))
    assert [d.number for d in due] == [3]


def test_unknown_areas_are_refused_naming_the_known_ones(db: Database, editor: Actor) -> None:
    with pytest.raises(InvalidInput, match="unknown area 'astrology'; choose one of roadmap"):
        record(db, editor, replace(CONTENT, area="astrology"))


def test_bad_content_is_refused() -> None:
    with pytest.raises(InvalidInput, match="title"):
        replace(CONTENT, title=" ")
    with pytest.raises(InvalidInput, match="spend"):
        replace(CONTENT, estimated_spend=Decimal("-1"))


def test_export_and_import_carry_decisions_with_history_and_links(
    db: Database, make: Factory, operator: Actor, editor: Actor, second_database_url: str
) -> None:
    with db.unit_of_work(write=False) as uow:
        acme = uow.workspaces.by_slug("acme")
    assert acme is not None
    make.member(acme, Role.OWNER)
    record(db, editor)
    record(db, editor, replace(CONTENT, title="Second"))
    decide(db, editor, 1, DecisionStatus.ACCEPTED)
    decide(db, editor, 2, DecisionStatus.ACCEPTED)
    with db.unit_of_work(write=True) as uow:
        decisions.supersede(uow, actor=editor, workspace="acme", number=1, by=2)
        document = portability.export_workspace(uow, actor=operator, workspace="acme")
    assert [d["number"] for d in document["decisions"]] == [1, 2]
    assert len(document["decisions"][0]["revisions"]) == 3
    target = Database(make_engine(second_database_url))
    upgrade(target.engine)
    with target.unit_of_work(write=True) as uow:
        portability.import_workspace(
            uow, actor=operator, data=portability.dumps(document).encode(), max_bytes=10**7
        )
    with target.unit_of_work(write=False) as uow:
        again = portability.export_workspace(uow, actor=operator, workspace="acme")
    target.dispose()
    assert again["decisions"] == document["decisions"]
    assert json.dumps(again["members"]) == json.dumps(document["members"])
