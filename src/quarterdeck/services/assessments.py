"""Readiness assessments taken by a person: scored into strengths, gaps and development
priorities for the kind of leader they aim to be, compared with their earlier sittings.
A sitting is private to the person who took it; they may share it with one workspace they
belong to (its members can then read it) and take the share back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from quarterdeck.catalog.assessments import assessment_catalog
from quarterdeck.catalog.roles import role_catalog
from quarterdeck.domain.access import Actor, ActorKind, Permission
from quarterdeck.domain.assessments import AreaChange, Assessment, Result, compare, score
from quarterdeck.domain.errors import Forbidden, InvalidInput, NotFound
from quarterdeck.domain.leadership_records import AssessmentTake
from quarterdeck.services import audit
from quarterdeck.services.access import authorize
from quarterdeck.storage import UnitOfWork

__all__ = [
    "Sitting",
    "my_sittings",
    "share",
    "shared_in",
    "sitting",
    "take",
]


@dataclass(frozen=True, slots=True)
class Sitting:
    """A stored sitting, scored, with the change since the person's previous sitting of the
    same assessment (None for the first)."""

    take: AssessmentTake
    result: Result
    since_previous: tuple[AreaChange, ...] | None
    shared_with_slug: str | None

    @property
    def assessment(self) -> Assessment:
        return self.result.assessment


def _person(actor: Actor) -> int:
    if actor.kind is not ActorKind.USER or actor.user_id is None:
        raise Forbidden("assessments are taken and read by the person themselves, signed in")
    return actor.user_id


def _scored(uow: UnitOfWork, take: AssessmentTake, previous: AssessmentTake | None) -> Sitting:
    assessment = assessment_catalog().assessment(take.assessment)
    result = score(assessment, take.ratings)
    change = None
    if previous is not None:
        try:
            change = compare(score(assessment, previous.ratings), result)
        except InvalidInput:
            change = None  # the assessment was revised in between: nothing to compare
    slug = None
    if take.shared_with is not None:
        ws = uow.workspaces.by_id(take.shared_with)
        slug = None if ws is None else ws.slug
    return Sitting(take, result, change, slug)


def _history(uow: UnitOfWork, takes: list[AssessmentTake]) -> list[Sitting]:
    sittings: list[Sitting] = []
    last: dict[str, AssessmentTake] = {}
    for take in takes:  # oldest first
        sittings.append(_scored(uow, take, last.get(take.assessment)))
        last[take.assessment] = take
    return sittings


def take(
    uow: UnitOfWork,
    *,
    actor: Actor,
    assessment: str,
    ratings: Mapping[str, int],
    aiming_for: str = "",
) -> Sitting:
    """Store a sitting of `assessment` by the signed-in person. Every statement needs a
    whole-number rating 1-5; `aiming_for` is a role kind key (the kind they aim to be)."""
    user_id = _person(actor)
    catalog = assessment_catalog()
    if assessment not in catalog.keys:
        raise InvalidInput(f"unknown assessment {assessment!r}; known: {', '.join(catalog.keys)}")
    chosen = catalog.assessment(assessment)
    if aiming_for and aiming_for not in role_catalog().keys:
        raise InvalidInput(f"unknown kind of leader {aiming_for!r}; see `quarterdeck role list`")
    clean = {}
    for key, value in ratings.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInput(f"statement {key!r}: rate it with a whole number from 1 to 5")
        clean[key] = value
    score(chosen, clean)  # refuses missing, unknown and out-of-range ratings, naming them
    stored = uow.leadership.add_take(
        user_id=user_id, assessment=assessment, aiming_for=aiming_for, ratings=clean, now=uow.now()
    )
    audit.record(
        uow,
        actor=actor,
        workspace_id=None,
        action="assessment.taken",
        entity_type="assessment",
        entity_id=stored.id,
        after={"assessment": assessment, "aiming_for": aiming_for},
    )
    previous = [t for t in uow.leadership.takes_of(user_id, assessment) if t.id != stored.id]
    return _scored(uow, stored, previous[-1] if previous else None)


def my_sittings(uow: UnitOfWork, *, actor: Actor, assessment: str | None = None) -> list[Sitting]:
    """The signed-in person's sittings, oldest first."""
    return _history(uow, uow.leadership.takes_of(_person(actor), assessment))


def sitting(uow: UnitOfWork, *, actor: Actor, take_id: int) -> Sitting:
    """One of the signed-in person's own sittings. Someone else's is not found, shared or
    not: shared sittings are read through the workspace they were shared with."""
    user_id = _person(actor)
    found = uow.leadership.take(take_id)
    if found is None or found.user_id != user_id:
        raise NotFound(f"assessment sitting {take_id} not found")
    history = _history(uow, uow.leadership.takes_of(user_id, found.assessment))
    return next(s for s in history if s.take.id == take_id)


def share(uow: UnitOfWork, *, actor: Actor, take_id: int, workspace: str | None) -> Sitting:
    """Share one's own sitting with a workspace one belongs to (None: make it private)."""
    user_id = _person(actor)
    found = uow.leadership.take(take_id)
    if found is None or found.user_id != user_id:
        raise NotFound(f"assessment sitting {take_id} not found")
    target = None
    if workspace is not None:
        target = authorize(uow, actor, workspace, Permission.READ).workspace
    uow.leadership.share_take(take_id, user_id, None if target is None else target.id)
    audit.record(
        uow,
        actor=actor,
        workspace_id=None if target is None else target.id,
        action="assessment.shared" if target else "assessment.unshared",
        entity_type="assessment",
        entity_id=take_id,
        before={"shared_with": found.shared_with},
        after={"shared_with": None if target is None else target.id},
    )
    return sitting(uow, actor=actor, take_id=take_id)


def shared_in(uow: UnitOfWork, *, actor: Actor, workspace: str) -> list[tuple[str, Sitting]]:
    """Sittings shared with the workspace, with who took them; readable by its members."""
    ws = authorize(uow, actor, workspace, Permission.READ).workspace
    result = []
    for found in uow.leadership.shared_in(ws.id):
        user = uow.users.by_id(found.user_id)
        if user is None or uow.memberships.role_of(ws.id, found.user_id) is None:
            continue  # shared by someone who has since left: no longer theirs to show here
        result.append((user.display_name or user.email, _scored(uow, found, None)))
    return result
