"""Export and import of one workspace as a canonical JSON document that round-trips.

The document is a header (`format`, `schema_version`), the `workspace` itself, then one
list per section. Each section is owned by the capability whose records it holds: it says
how its items look (a strict pydantic model), how to export them, which rules span items,
and how to restore them. A capability that adds records adds its `Section` to `SECTIONS`
(before the audit section, which must be restored last) and bumps `SCHEMA_VERSION` -
unless older documents still read as they are: the new section is not `required` and
every new field has a default (so decision rights arrived within schema version 1).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, TypeVar

from pydantic import Field, TypeAdapter, model_validator

from quarterdeck.domain.access import Actor, ActorKind, Permission, Role
from quarterdeck.domain.audit import AuditEntry
from quarterdeck.domain.errors import Conflict, Forbidden, InvalidInput
from quarterdeck.domain.workspaces import (
    LeadershipModel,
    OrganisationProfile,
    Stage,
    Workspace,
    parse_profile,
    validate_name,
    validate_slug,
    validate_time_zone,
)
from quarterdeck.services import audit
from quarterdeck.services.access import authorize
from quarterdeck.services.accounts import normalise_email
from quarterdeck.services.decision_export import DECISIONS, RIGHTS, known_roles
from quarterdeck.services.document_sections import (
    Count,
    Section,
    StrictItem,
    iso,
    text,
)
from quarterdeck.services.engineering_export import ENGINEERING_SECTIONS
from quarterdeck.services.json_input import (
    BoundedObject,
    UtcTime,
    invalid,
    problem,
    read_object,
    rule,
    validate_into,
)
from quarterdeck.services.scorecard_export import (
    MEASUREMENTS,
    SCORECARD_METRICS,
    SCORECARD_SETTINGS,
)
from quarterdeck.services.workspaces import describe
from quarterdeck.storage import UnitOfWork

__all__ = [
    "FORMAT",
    "SCHEMA_VERSION",
    "SECTIONS",
    "Section",
    "dumps",
    "export_workspace",
    "import_workspace",
]

FORMAT = "quarterdeck.workspace"
SCHEMA_VERSION = 1
_WHAT = "the workspace export"

_T = TypeVar("_T")


def dumps(document: dict[str, Any]) -> str:
    """Canonical JSON text (write it as UTF-8): sorted keys, 2-space indent, non-ASCII kept
    as is, trailing newline.

    Times are ISO 8601 UTC strings ending in 'Z'. Raises ValueError for NaN or infinity.
    """
    text = json.dumps(
        document,
        sort_keys=True,
        indent=2,
        ensure_ascii=False,
        allow_nan=False,
        default=_encode,
    )
    return text + "\n"


def _encode(value: object) -> str:
    if isinstance(value, datetime):
        return iso(value)
    raise TypeError(f"{type(value).__name__} cannot be written to a workspace export")


# --- The shape of a document -------------------------------------------------------------


class _Profile(StrictItem):
    stage: Annotated[Stage, Field(strict=False)]
    headcount: Count
    engineering_headcount: Count
    industry: Annotated[str, text(120)]
    regulated: bool
    product_lines: Count
    leadership_model: Annotated[LeadershipModel, Field(strict=False)]

    @model_validator(mode="after")
    def _follows_the_rules(self) -> _Profile:
        try:
            self.to_profile()
        except InvalidInput as error:
            raise problem(error.message) from None
        return self

    def to_profile(self) -> OrganisationProfile:
        return parse_profile(self.model_dump())


class _Workspace(StrictItem):
    slug: Annotated[str, text(48)]
    name: Annotated[str, text(120), rule(validate_name)]
    time_zone: Annotated[str, text(64), rule(validate_time_zone)]
    demo: bool
    created_at: UtcTime
    profile: _Profile


_WORKSPACE = TypeAdapter(_Workspace)


class _Member(StrictItem):
    email: Annotated[str, text(254), rule(normalise_email)]
    display_name: Annotated[str, text(120, min_length=1)]
    role: Annotated[Role, Field(strict=False)]
    # Seats in the decision-rights matrix; older documents leave them out.
    leadership_roles: Annotated[
        list[Annotated[str, text(48, min_length=1)]], Field(max_length=100)
    ] = []


class _AuditItem(StrictItem):
    at: UtcTime
    actor: Annotated[str, text(254, min_length=1)]
    action: Annotated[str, text(64, min_length=1)]
    entity_type: Annotated[str, text(64, min_length=1)]
    entity_id: Annotated[str, text(64)]
    before: BoundedObject | None
    after: BoundedObject | None
    request_id: Annotated[str, text(64)] | None


# --- Sections ----------------------------------------------------------------------------


def _export_members(uow: UnitOfWork, workspace: Workspace) -> list[dict[str, Any]]:
    found = uow.memberships.in_workspace(workspace.id)
    return [
        {
            "email": m.email,
            "display_name": m.display_name,
            "role": m.role.value,
            "leadership_roles": list(m.leadership_roles),
        }
        for m in sorted(found, key=lambda m: m.email)
    ]


def _check_members(items: list[_Member]) -> None:
    first_seen: dict[str, int] = {}
    for index, member in enumerate(items):
        if member.email in first_seen:
            raise InvalidInput(
                f"members[{index}].email: {member.email} is listed twice "
                f"(also members[{first_seen[member.email]}])"
            )
        first_seen[member.email] = index
        held = member.leadership_roles
        twice = sorted({role for role in held if held.count(role) > 1})
        if twice:
            raise InvalidInput(
                f"members[{index}].leadership_roles: {', '.join(twice)} listed twice"
            )
    if not any(member.role is Role.OWNER for member in items):
        raise InvalidInput("members: nobody has the owner role; a workspace needs an owner")


def _restore_members(
    uow: UnitOfWork, actor: Actor, workspace: Workspace, items: list[_Member]
) -> None:
    now = uow.now()
    for member in items:
        user = uow.users.by_email(member.email)
        if user is None:
            # No password travels in an export: the account cannot sign in until one is set.
            user = uow.users.add(
                email=member.email, display_name=member.display_name, password_hash=None, now=now
            )
            audit.record(
                uow,
                actor=actor,
                workspace_id=None,
                action="user.added",
                entity_type="user",
                entity_id=user.id,
                after={"email": user.email, "display_name": user.display_name},
            )
        uow.memberships.put(workspace.id, user.id, member.role, now=now)
        if member.leadership_roles:
            uow.memberships.set_leadership_roles(
                workspace.id, user.id, tuple(member.leadership_roles)
            )


def _roles_held(items: list[_Member]) -> Iterator[tuple[str, str]]:
    for index, member in enumerate(items):
        for r_index, role in enumerate(member.leadership_roles):
            yield f"members[{index}].leadership_roles[{r_index}]", role


def _export_audit(uow: UnitOfWork, workspace: Workspace) -> list[dict[str, Any]]:
    return [
        {
            "at": iso(entry.at),
            "actor": entry.actor,
            "action": entry.action,
            "entity_type": entry.entity_type,
            "entity_id": entry.entity_id,
            "before": entry.before,
            "after": entry.after,
            "request_id": entry.request_id,
        }
        for entry in uow.audit.all_for(workspace.id)
    ]


def _restore_audit(
    uow: UnitOfWork, actor: Actor, workspace: Workspace, items: list[_AuditItem]
) -> None:
    uow.audit.append_many(
        workspace_id=workspace.id,
        entries=(
            AuditEntry(id=0, workspace_id=workspace.id, **item.model_dump()) for item in items
        ),
    )


def _no_rules(items: list[Any]) -> None:
    return None


MEMBERS: Section[_Member] = Section(
    "members",
    TypeAdapter(list[_Member]),
    _export_members,
    _check_members,
    _restore_members,
    roles_named=_roles_held,
)
AUDIT: Section[_AuditItem] = Section(
    "audit", TypeAdapter(list[_AuditItem]), _export_audit, _no_rules, _restore_audit
)
SECTIONS: tuple[Section[Any], ...] = (
    MEMBERS,
    RIGHTS,
    DECISIONS,
    SCORECARD_METRICS,
    SCORECARD_SETTINGS,
    MEASUREMENTS,
    *ENGINEERING_SECTIONS,
    AUDIT,
)


# --- Export ------------------------------------------------------------------------------


def export_workspace(uow: UnitOfWork, *, actor: Actor, workspace: str) -> dict[str, Any]:
    """The workspace as a plain-JSON document (times already ISO 8601 'Z' strings).

    Members are sorted by email and audit rows come in the order they were written; the
    `rights` list holds the workspace's own decision rights, or nothing while the template
    of its leadership model applies. The
    document holds no password hashes, session or API-token secrets, and no row ids: tokens
    and sessions are not exported at all. Owners and the operator only; raises NotFound or
    Forbidden from authorization.
    """
    ws = authorize(uow, actor, workspace, Permission.ADMINISTER).workspace
    document: dict[str, Any] = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "workspace": {**describe(ws), "created_at": iso(ws.created_at)},
    }
    for section in SECTIONS:
        document[section.name] = section.export(uow, ws)
    return document


# --- Import ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Document:
    workspace: _Workspace
    sections: dict[str, list[Any]]


def import_workspace(
    uow: UnitOfWork, *, actor: Actor, data: bytes, slug: str | None = None, max_bytes: int
) -> Workspace:
    """Re-create a workspace from an export, under `slug` when given (else the document's).

    The whole document is checked before anything is written, and everything is written in
    the caller's unit of work, so a failure leaves the database as it was. Members without
    an account get one with no password (set it with `quarterdeck user passwd`); existing
    accounts are reused. Audit rows keep their times and actors, and one `workspace.imported`
    row follows them. A signed-in user who is not among the members becomes an owner.
    Decision rights are stored afresh (version 1, by the importer); every leadership role
    a member holds or a decision waits for must be one the document knows.

    Raises Forbidden for API tokens; InvalidInput naming the problem (and its JSON path)
    for anything malformed, oversized, hostile or against the rules; Conflict when the
    slug is taken.
    """
    if actor.kind is ActorKind.TOKEN:
        raise Forbidden("API tokens cannot import workspaces")
    document = _read(data, max_bytes=max_bytes)
    source = document.workspace
    if slug is None:
        target = _at("workspace.slug", validate_slug, source.slug)
    else:
        target = validate_slug(slug)
    if uow.workspaces.slug_taken(target):
        raise Conflict(
            f"a workspace with slug {target!r} already exists; "
            "import it under another slug with --as NEW_SLUG"
        )
    workspace = uow.workspaces.add_imported(
        slug=target,
        name=source.name,
        time_zone=source.time_zone,
        profile=source.profile.to_profile(),
        demo=source.demo,
        created_at=source.created_at,
        now=uow.now(),
    )
    for section in SECTIONS:
        section.restore(uow, actor, workspace, document.sections[section.name])
    importer_added = False
    if actor.user_id is not None and uow.memberships.role_of(workspace.id, actor.user_id) is None:
        uow.memberships.put(workspace.id, actor.user_id, Role.OWNER, now=uow.now())
        importer_added = True
    audit.record(
        uow,
        actor=actor,
        workspace_id=workspace.id,
        action="workspace.imported",
        entity_type="workspace",
        entity_id=workspace.slug,
        after={
            "source_slug": source.slug,
            "schema_version": SCHEMA_VERSION,
            **{section.name: len(document.sections[section.name]) for section in SECTIONS},
            "importer_added_as_owner": importer_added,
        },
    )
    return workspace


def _at(path: str, check: Callable[[str], str], value: str) -> str:
    try:
        return check(value)
    except InvalidInput as error:
        raise invalid([f"{path}: {error.message}"], _WHAT) from None


def _read(data: bytes, *, max_bytes: int) -> _Document:
    document = read_object(data, max_bytes=max_bytes, what=_WHAT)
    _check_header(document)
    names = ["workspace", *(section.name for section in SECTIONS)]
    required = ["workspace", *(section.name for section in SECTIONS if section.required)]
    header = {"format", "schema_version"}
    problems = [f"{key}: unknown field" for key in document if key not in {*header, *names}]
    problems += [f"{name}: field required" for name in required if name not in document]
    if problems:
        raise invalid(problems, _WHAT)
    workspace = validate_into(_WORKSPACE, document["workspace"], "workspace", problems)
    sections = {
        section.name: validate_into(
            section.items, document.get(section.name, []), section.name, problems
        )
        for section in SECTIONS
    }
    if problems:
        raise invalid(problems, _WHAT)
    for section in SECTIONS:
        try:
            section.check(sections[section.name])
        except InvalidInput as error:
            raise invalid([error.message], _WHAT) from None
    _check_roles(sections)
    return _Document(workspace=workspace, sections=sections)


def _check_roles(sections: dict[str, list[Any]]) -> None:
    # Quarterdeck never writes an unknown role (custom roles cannot be removed), so one
    # means a hand-edited document; refusing it keeps every stored role key resolvable.
    known = known_roles(sections[RIGHTS.name])
    problems = [
        f"{path}: unknown leadership role {key!r}; it is neither in the catalog nor a "
        "custom role of the document's decision rights"
        for section in SECTIONS
        for path, key in section.roles_named(sections[section.name])
        if key not in known
    ]
    if problems:
        raise invalid(problems, _WHAT)


def _check_header(document: dict[str, Any]) -> None:
    found = document.get("format")
    if found != FORMAT:
        shown = "missing" if found is None else repr(found)[:40]
        raise InvalidInput(
            f"not a Quarterdeck workspace export: format is {shown}, expected {FORMAT!r}"
        )
    version = document.get("schema_version")
    if version is None:
        raise InvalidInput(
            f"schema_version is missing; this Quarterdeck reads schema_version {SCHEMA_VERSION}"
        )
    if type(version) is not int or version != SCHEMA_VERSION:
        raise InvalidInput(
            f"unsupported schema_version {repr(version)[:40]}; "
            f"this Quarterdeck reads schema_version {SCHEMA_VERSION}"
        )
