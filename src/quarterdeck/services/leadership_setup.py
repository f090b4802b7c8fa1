"""Setting a workspace up for its leadership model: the decision-rights template, the
cadences, a scorecard starter set and the playbooks for that kind of leader. `propose`
lists each as a suggestion with the reason for it and whether it is already in place;
`install` puts in the suggestions the person accepted and records what was installed,
what was skipped, and why, so the set-up can be read back later."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from quarterdeck.catalog.cadences import cadence_catalog
from quarterdeck.catalog.kpis import kpi_catalog
from quarterdeck.catalog.roles import role_catalog
from quarterdeck.domain.access import Actor, Permission
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.kpis import KpiSet
from quarterdeck.domain.leadership_records import Cadence, SetupRecord
from quarterdeck.domain.workspaces import LeadershipModel, Stage, Workspace
from quarterdeck.services import audit, playbook_runs, rights, scorecard_setup, workspaces
from quarterdeck.services.access import authorize
from quarterdeck.storage import UnitOfWork

__all__ = ["Suggestion", "install", "leader_kind", "propose", "setups"]


@dataclass(frozen=True, slots=True)
class Suggestion:
    id: str  # "rights", "cadence:planning", "scorecard:quick-starter", "playbook:new-cto-90-days"
    title: str
    why: str
    in_place: bool  # already installed: installing it again changes nothing


def leader_kind(model: LeadershipModel, stage: Stage) -> str:
    """The role catalog kind a leadership model puts at the helm."""
    if model is LeadershipModel.CTO_AND_CPO:
        return {
            Stage.STARTUP: "startup-cto",
            Stage.SCALE_UP: "scaleup-cto",
            Stage.ENTERPRISE: "enterprise-cto",
        }[stage]
    return {
        LeadershipModel.CPTO: "cpto",
        LeadershipModel.FRACTIONAL_CTO: "fractional-cto",
        LeadershipModel.INTERIM_CTO: "interim-cto",
        LeadershipModel.IT_MANAGER_UNDER_CIO: "it-manager",
    }[model]


def _model(ws: Workspace, model: str | None) -> LeadershipModel:
    if model is None:
        return ws.profile.leadership_model
    try:
        return LeadershipModel(model)
    except ValueError:
        known = ", ".join(m.value for m in LeadershipModel)
        raise InvalidInput(f"unknown leadership model {model!r}; known: {known}") from None


def _suggestions(uow: UnitOfWork, ws: Workspace, model: LeadershipModel) -> list[Suggestion]:
    stored_rights = uow.rights.get(ws.id)
    # Rights never edited follow the template of the profile's leadership model.
    current_template = (
        ws.profile.leadership_model.value if stored_rights is None else stored_rights.template
    )
    suggestions = [
        Suggestion(
            "rights",
            f"Decision rights: the {model.label} template",
            "Says who owns, co-owns and is consulted on each decision area under the "
            f"{model.label} model, and which decisions escalate (cross-team tradeoffs, major "
            "spend, security exceptions).",
            current_template == model.value,
        )
    ]
    present = {c.key for c in uow.leadership.cadences(ws.id)}
    for cadence in cadence_catalog().for_model(model):
        suggestions.append(
            Suggestion(
                f"cadence:{cadence.key}",
                f"Cadence: {cadence.name} ({cadence.frequency}, {cadence.length}), owned by "
                f"{cadence.owner}",
                cadence.purpose,
                cadence.key in present,
            )
        )
    kpi_set = (
        KpiSet.IT_SERVICE if model is LeadershipModel.IT_MANAGER_UNDER_CIO else KpiSet.QUICK_STARTER
    )
    tracked = {m.key for m in uow.scorecard.metrics(ws.id)}
    wanted = {d.key for d in kpi_catalog().in_set(kpi_set)}
    info = next(i for i in kpi_catalog().sets if i.kpi_set is kpi_set)
    suggestions.append(
        Suggestion(
            f"scorecard:{kpi_set.value}",
            f"Scorecard: the {info.name} set ({len(wanted)} metrics)",
            info.description,
            wanted <= tracked,
        )
    )
    kind = leader_kind(model, ws.profile.stage)
    running = {r.playbook for r in uow.leadership.runs(ws.id) if r.status in ("running", "paused")}
    name = role_catalog().kind(kind).name
    for playbook in role_catalog().playbooks_for(kind):
        suggestions.append(
            Suggestion(
                f"playbook:{playbook.key}",
                f"Playbook: {playbook.name}",
                f"Applies to the {name} kind of leader. {playbook.summary}",
                playbook.key in running,
            )
        )
    return suggestions


def propose(
    uow: UnitOfWork, *, actor: Actor, workspace: str, model: str | None = None
) -> tuple[LeadershipModel, list[Suggestion]]:
    """What setting the workspace up for `model` (default: its profile's) would install."""
    ws = authorize(uow, actor, workspace, Permission.READ).workspace
    chosen = _model(ws, model)
    return chosen, _suggestions(uow, ws, chosen)


def install(
    uow: UnitOfWork,
    *,
    actor: Actor,
    workspace: str,
    model: str | None,
    accept: Collection[str],
    playbooks_start: date | None = None,
) -> SetupRecord:
    """Install the accepted suggestions (by id) for `model`; the rest are recorded as
    skipped. Playbooks start on `playbooks_start` (default: today in the workspace)."""
    ws = authorize(uow, actor, workspace, Permission.ADMINISTER).workspace
    chosen = _model(ws, model)
    suggestions = _suggestions(uow, ws, chosen)
    known = {s.id for s in suggestions}
    unknown = sorted(set(accept) - known)
    if unknown:
        raise InvalidInput(
            f"no suggestion {unknown[0]!r} for this set-up; known: {', '.join(sorted(known))}"
        )
    start = playbooks_start or ws.local(uow.now()).date()
    if chosen is not ws.profile.leadership_model:
        workspaces.update(
            uow,
            actor=actor,
            workspace=workspace,
            expected_version=ws.version,
            profile={"leadership_model": chosen.value},
        )
    entries = []
    for suggestion in suggestions:
        if suggestion.in_place:
            outcome = "already in place"
        elif suggestion.id in accept:
            outcome = "installed"
            _put(uow, actor, workspace, suggestion.id, chosen, start)
        else:
            outcome = "skipped"
        entries.append(
            {
                "id": suggestion.id,
                "title": suggestion.title,
                "why": suggestion.why,
                "outcome": outcome,
            }
        )
    record = uow.leadership.add_setup(
        ws.id, leadership_model=chosen.value, installed=entries, done_by=actor.label, now=uow.now()
    )
    audit.record(
        uow,
        actor=actor,
        workspace_id=ws.id,
        action="workspace.set_up",
        entity_type="workspace",
        entity_id=ws.slug,
        after={
            "leadership_model": chosen.value,
            "installed": [e["id"] for e in entries if e["outcome"] == "installed"],
        },
    )
    return record


def _put(
    uow: UnitOfWork,
    actor: Actor,
    workspace: str,
    suggestion: str,
    model: LeadershipModel,
    start: date,
) -> None:
    kind, _, key = suggestion.partition(":")
    if kind == "rights":
        rights.apply_template(uow, actor=actor, workspace=workspace, model=model)
    elif kind == "cadence":
        definition = cadence_catalog().for_model(model)
        chosen = next(c for c in definition if c.key == key)
        ws = authorize(uow, actor, workspace, Permission.WRITE).workspace
        uow.leadership.put_cadence(
            ws.id,
            Cadence(
                chosen.key,
                chosen.name,
                chosen.frequency,
                chosen.length,
                chosen.purpose,
                chosen.owner,
                0,
            ),
            expected_version=0,
            now=uow.now(),
        )
    elif kind == "scorecard":
        scorecard_setup.start_from_set(uow, actor=actor, workspace=workspace, kpi_set=key)
    elif kind == "playbook":
        playbook_runs.start(uow, actor=actor, workspace=workspace, playbook=key, starts_on=start)


def setups(uow: UnitOfWork, *, actor: Actor, workspace: str) -> list[SetupRecord]:
    """Every set-up of the workspace, newest first."""
    ws = authorize(uow, actor, workspace, Permission.READ).workspace
    return uow.leadership.setups(ws.id)
