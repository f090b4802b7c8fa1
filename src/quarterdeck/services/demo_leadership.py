"""Harbourline's leadership layer in the demo: the set-up for its CTO + CPO model, the CTO's
first-90-days playbook under way, and the CTO's private readiness sitting.

The set-up, made by the CTO forty days ago, installs the model's cadences and the
quick-starter scorecard (recorded as already in place when the engineering records brought
it). The rights template is accepted only where it is already in force: applying it again
would reset whatever the workspace changed in its own rights. The playbook started the same
day; three steps are done with a note and an evidence link, and one (agreeing what the CEO
expects of the role) is overdue. Everything goes through the services, as the CTO, with the
unit of work's clock set back to when it happened, then restored."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from quarterdeck.domain.access import Actor, Permission
from quarterdeck.domain.workspaces import LeadershipModel
from quarterdeck.services import leadership_setup, playbook_runs
from quarterdeck.services.access import authorize
from quarterdeck.services.demo_sittings import take_cto_sitting
from quarterdeck.storage import UnitOfWork

__all__ = ["PLAYBOOK", "STARTED_DAYS_AGO", "build_leadership"]

PLAYBOOK = "new-cto-90-days"
STARTED_DAYS_AGO = 40
_WIKI = "https://wiki.harbourline.example/cto"
# (step, days after day 0 it was done, note, evidence link)
_DONE = (
    (
        "business-context",
        17,
        "How Harbourline earns its money (per-shipment tracking fees, billing for mid-size "
        "carriers), this year's three priorities and the squeeze from carrier consolidation, "
        "written up and agreed with Tom.",
        f"{_WIKI}/business-context",
    ),
    (
        "peer-relationships",
        27,
        "Met the product, engineering, data, security, finance and operations leads and "
        "their teams; the stakeholder map keeps who meets whom and how often.",
        f"{_WIKI}/stakeholder-map",
    ),
    (
        "organisation-assessment",
        37,
        "People, systems, architecture, delivery and risk assessed with evidence and "
        "reviewed with the people who run each; the billing ledger and the on-call load "
        "stand out.",
        f"{_WIKI}/assessment",
    ),
)


def _stopped_at(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


def build_leadership(uow: UnitOfWork, *, workspace: str, cto: Actor) -> playbook_runs.RunView:
    """Set Harbourline up for its leadership model and put the CTO's playbook under way, as
    `cto` (an owner holding the cto seat); returns the playbook run. Build the engineering
    records first: the scorecard they bring is then kept as it is."""
    real_clock = uow.clock
    now = real_clock()
    try:
        return _build(uow, workspace=workspace, cto=cto, now=now)
    finally:
        uow.clock = real_clock


def _build(uow: UnitOfWork, *, workspace: str, cto: Actor, now: datetime) -> playbook_runs.RunView:
    ws = authorize(uow, cto, workspace, Permission.READ).workspace
    began = now - timedelta(days=STARTED_DAYS_AGO)
    uow.clock = _stopped_at(began)
    model = LeadershipModel.CTO_AND_CPO.value
    _, suggestions = leadership_setup.propose(uow, actor=cto, workspace=workspace, model=model)
    accept = [
        s.id
        for s in suggestions
        if (s.id != "rights" or s.in_place)
        and (not s.id.startswith("playbook:") or s.id == f"playbook:{PLAYBOOK}")
    ]
    leadership_setup.install(
        uow,
        actor=cto,
        workspace=workspace,
        model=model,
        accept=accept,
        playbooks_start=ws.local(now).date() - timedelta(days=STARTED_DAYS_AGO),
    )
    (run,) = (
        view.run
        for view in playbook_runs.runs(uow, actor=cto, workspace=workspace)
        if view.run.playbook == PLAYBOOK and view.run.status == playbook_runs.RunStatus.RUNNING
    )
    for step, day, note, link in _DONE:
        uow.clock = _stopped_at(began + timedelta(days=day, hours=2))
        run = playbook_runs.mark_done(
            uow,
            actor=cto,
            workspace=workspace,
            number=run.number,
            expected_version=run.version,
            step=step,
            note=note,
            link=link,
        )
    uow.clock = _stopped_at(now)
    take_cto_sitting(uow, cto=cto)
    return playbook_runs.get_run(uow, actor=cto, workspace=workspace, number=run.number)
