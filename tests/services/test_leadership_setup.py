"""Setting a workspace up for each leadership model: what is suggested and why, what is
installed when accepted, and the record of it."""

from __future__ import annotations

import pytest

from quarterdeck.catalog.cadences import cadence_catalog
from quarterdeck.catalog.roles import role_catalog
from quarterdeck.domain.access import Actor, ActorKind, Role
from quarterdeck.domain.errors import Forbidden, InvalidInput
from quarterdeck.domain.workspaces import LeadershipModel, OrganisationProfile, Stage
from quarterdeck.services import leadership_setup, playbook_runs, rights
from quarterdeck.services.leadership_setup import leader_kind
from quarterdeck.storage import Database
from tests.conftest import Factory


@pytest.mark.parametrize("model", list(LeadershipModel))
def test_each_model_installs_its_rights_cadences_scorecard_and_playbooks(
    db: Database, make: Factory, operator: Actor, model: LeadershipModel
) -> None:
    make.workspace("acme", profile=OrganisationProfile(stage=Stage.SCALE_UP))
    with db.unit_of_work(write=False) as uow:
        chosen, suggestions = leadership_setup.propose(
            uow, actor=operator, workspace="acme", model=model.value
        )
    assert chosen is model
    ids = [s.id for s in suggestions]
    kind = leader_kind(model, Stage.SCALE_UP)
    expected_playbooks = [f"playbook:{p.key}" for p in role_catalog().playbooks_for(kind)]
    expected_cadences = [f"cadence:{c.key}" for c in cadence_catalog().for_model(model)]
    set_key = "it-service" if model is LeadershipModel.IT_MANAGER_UNDER_CIO else "quick-starter"
    assert ids == ["rights", *expected_cadences, f"scorecard:{set_key}", *expected_playbooks]
    assert all(s.why for s in suggestions)

    with db.unit_of_work(write=True) as uow:
        record = leadership_setup.install(
            uow, actor=operator, workspace="acme", model=model.value, accept=ids
        )
    assert {e["outcome"] for e in record.installed} <= {"installed", "already in place"}
    with db.unit_of_work(write=False) as uow:
        workspace = uow.workspaces.by_slug("acme")
        assert workspace is not None
        assert workspace.profile.leadership_model is model
        view = rights.show(uow, actor=operator, workspace="acme")
        assert view.rights.template is model
        assert [c.key for c in uow.leadership.cadences(workspace.id)] == [
            i.split(":")[1] for i in expected_cadences
        ]
        started = [
            r.run.playbook for r in playbook_runs.runs(uow, actor=operator, workspace="acme")
        ]
        assert started == [p.split(":")[1] for p in expected_playbooks]
        assert uow.scorecard.metrics(workspace.id)
        _, again = leadership_setup.propose(uow, actor=operator, workspace="acme")
    assert all(s.in_place for s in again)


def test_declined_suggestions_are_recorded_as_skipped(
    db: Database, make: Factory, operator: Actor
) -> None:
    make.workspace("acme")
    with db.unit_of_work(write=True) as uow:
        record = leadership_setup.install(
            uow,
            actor=operator,
            workspace="acme",
            model="fractional-cto",
            accept=["cadence:sponsor-sync"],
        )
    outcomes = {e["id"]: e["outcome"] for e in record.installed}
    assert outcomes["cadence:sponsor-sync"] == "installed"
    assert outcomes["rights"] == "skipped"
    assert outcomes["playbook:fractional-engagement"] == "skipped"
    with db.unit_of_work(write=False) as uow:
        (stored,) = leadership_setup.setups(uow, actor=operator, workspace="acme")
        assert playbook_runs.runs(uow, actor=operator, workspace="acme") == []
    assert stored.leadership_model == "fractional-cto"


def test_unknown_suggestions_and_models_are_refused_and_editors_cannot_install(
    db: Database, make: Factory, operator: Actor
) -> None:
    ws = make.workspace("acme")
    editor = make.member(ws, Role.EDITOR, "ed@acme.example")
    with (
        db.unit_of_work(write=True) as uow,
        pytest.raises(InvalidInput, match="no suggestion 'cadence:yoga'"),
    ):
        leadership_setup.install(
            uow, actor=operator, workspace="acme", model="cpto", accept=["cadence:yoga"]
        )
    with (
        db.unit_of_work(write=False) as uow,
        pytest.raises(InvalidInput, match="unknown leadership model 'king'"),
    ):
        leadership_setup.propose(uow, actor=operator, workspace="acme", model="king")
    as_editor = Actor(kind=ActorKind.USER, label=editor.email, user_id=editor.id)
    with db.unit_of_work(write=True) as uow, pytest.raises(Forbidden):
        leadership_setup.install(
            uow, actor=as_editor, workspace="acme", model="cpto", accept=["rights"]
        )
    with db.unit_of_work(write=False) as uow:
        assert leadership_setup.setups(uow, actor=operator, workspace="acme") == []
