"""The leadership catalog as shipped, for anyone signed in: the kinds of technology leader
at /api/v1/roles (with the neighbouring roles they are compared with), the playbooks at
/api/v1/playbooks and the assessments at /api/v1/assessments. A key the catalog does not
hold answers 404 naming the known keys."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from quarterdeck.catalog.assessments import assessment_catalog
from quarterdeck.catalog.playbooks import playbook_catalog
from quarterdeck.catalog.roles import role_catalog
from quarterdeck.domain.errors import InvalidInput, NotFound
from quarterdeck.web.api.leadership_catalog_schemas import (
    AssessmentOut,
    PlaybookOut,
    RoleKindDetailOut,
    RoleKindOut,
)
from quarterdeck.web.policies import SignedInDep

__all__ = ["router"]

router = APIRouter()
KEY = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$"
CatalogKey = Annotated[str, Path(min_length=1, max_length=48, pattern=KEY)]
KindFilter = Annotated[
    str | None,
    Query(max_length=48, pattern=KEY, description="Only those for this kind of leader."),
]


def _known(key: str, keys: tuple[str, ...], what: str) -> str:
    if key not in keys:
        raise NotFound(f"there is no {what} {key!r}; known: {', '.join(keys)}")
    return key


def _kind_key(kind: str) -> str:
    """A kind named in a query: unknown ones answer 422, naming the known kinds."""
    return role_catalog().kind(kind).key


@router.get("/roles", tags=["roles"], name="api_list_roles")
def list_roles(_: SignedInDep) -> list[RoleKindOut]:
    """Every kind of technology leader, then the neighbouring roles (`neighbour`): focus,
    what each owns, co-owns and influences, success measures, usual engagement, dated
    compensation benchmarks, red flags and the playbooks that apply."""
    return [RoleKindOut.of(kind) for kind in role_catalog().kinds]


# Declared before "/roles/{kind}" so that this fixed path is never read as a kind.
@router.get("/roles/compare", tags=["roles"], name="api_compare_roles")
def compare_roles(
    _: SignedInDep,
    kinds: Annotated[
        list[str],
        Query(description="Two to four kind keys, comma-separated (kinds=cpto,interim-cto)."),
    ],
) -> list[RoleKindOut]:
    """Two to four kinds side by side, in the order asked for. Fewer than two, more than
    four, a kind given twice or an unknown kind answers 422 saying which."""
    keys = [part.strip() for given in kinds for part in given.split(",") if part.strip()]
    if sum(len(key) for key in keys) > 400:
        raise InvalidInput("kinds: name two to four kinds of leader by their keys")
    return [RoleKindOut.of(kind) for kind in role_catalog().compare(keys)]


@router.get("/roles/{kind}", tags=["roles"], name="api_show_role")
def show_role(kind: CatalogKey, _: SignedInDep) -> RoleKindDetailOut:
    """One kind of leader, with the assessments that serve it."""
    catalog = role_catalog()
    return RoleKindDetailOut.of_detail(catalog.kind(_known(kind, catalog.keys, "kind of leader")))


@router.get("/playbooks", tags=["playbooks"], name="api_list_playbooks")
def list_playbooks(_: SignedInDep, kind: KindFilter = None) -> list[PlaybookOut]:
    """Every playbook with its steps (owner role, window in days from day 0, what done
    looks like, what it leaves behind) and the kinds it applies to; with `kind`, only the
    playbooks for that kind, in the order the role catalog gives them."""
    if kind is None:
        chosen = playbook_catalog().playbooks
    else:
        chosen = role_catalog().playbooks_for(_kind_key(kind))
    return [PlaybookOut.of(playbook) for playbook in chosen]


@router.get("/playbooks/{key}", tags=["playbooks"], name="api_show_playbook")
def show_playbook(key: CatalogKey, _: SignedInDep) -> PlaybookOut:
    """One playbook and its steps. Start it in a workspace with POST
    /workspaces/{workspace}/playbook-runs."""
    catalog = playbook_catalog()
    return PlaybookOut.of(catalog.playbook(_known(key, catalog.keys, "playbook")))


@router.get("/assessments", tags=["assessments"], name="api_list_assessments")
def list_assessments(_: SignedInDep, kind: KindFilter = None) -> list[AssessmentOut]:
    """Every assessment: its areas, the statements to rate in each and how to develop the
    area; with `kind`, only those that serve that kind of leader."""
    catalog = assessment_catalog()
    chosen = catalog.assessments if kind is None else catalog.for_role(_kind_key(kind))
    return [AssessmentOut.of(assessment) for assessment in chosen]


@router.get("/assessments/{key}", tags=["assessments"], name="api_show_assessment")
def show_assessment(key: CatalogKey, _: SignedInDep) -> AssessmentOut:
    """One assessment. Take it with POST /me/assessments, rating every statement."""
    catalog = assessment_catalog()
    return AssessmentOut.of(catalog.assessment(_known(key, catalog.keys, "assessment")))
