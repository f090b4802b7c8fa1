"""Decision rights of a workspace and the escalation of decisions through them."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from quarterdeck.domain.access import Actor, ActorKind, Role
from quarterdeck.domain.decisions import DecisionContent, DecisionStatus, Reversibility
from quarterdeck.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from quarterdeck.domain.rights import Condition, EscalationRule, Involvement
from quarterdeck.domain.workspaces import LeadershipModel
from quarterdeck.services import decisions, rights
from quarterdeck.storage import Database
from quarterdeck.storage.repositories import DecisionFilter
from tests.conftest import Factory

SMALL = DecisionContent(title="Adopt ruff for linting", area="process")
CROSS_TEAM = DecisionContent(
    title="Share one event bus between checkout and billing",
    area="architecture",
    cross_team=True,
    reversibility=Reversibility.ONE_WAY,
)


def person(user_id: int, email: str) -> Actor:
    return Actor(kind=ActorKind.USER, label=email, user_id=user_id)


class Team:
    """A cto-cpo workspace with a CTO, a CPO, a team lead and an editor with no seat."""

    def __init__(self, db: Database, make: Factory, operator: Actor) -> None:
        self.db = db
        self.operator = operator
        self.ws = make.workspace("acme")
        self.other = make.workspace("other")
        self.people: dict[str, Actor] = {}
        for key, seats in (("cto", ["cto"]), ("cpo", ["cpo"]), ("lead", ["team-lead"])):
            user = make.member(self.ws, Role.EDITOR, f"{key}@example.com")
            self.people[key] = person(user.id, user.email)
            self.assign(user.email, seats)
        plain = make.member(self.ws, Role.EDITOR, "plain@example.com")
        self.people["plain"] = person(plain.id, plain.email)

    def assign(self, email: str, seats: list[str]) -> None:
        with self.db.unit_of_work(write=True) as uow:
            rights.assign(uow, actor=self.operator, workspace="acme", email=email, roles=seats)

    def record(self, who: str, content: DecisionContent, *, accept: bool = False):
        with self.db.unit_of_work(write=True) as uow:
            return decisions.record(
                uow, actor=self.people[who], workspace="acme", content=content, accept=accept
            )

    def accept(self, who: str, number: int):
        with self.db.unit_of_work(write=True) as uow:
            current = decisions.get(uow, actor=self.operator, workspace="acme", number=number)
            return decisions.decide(
                uow,
                actor=self.people[who],
                workspace="acme",
                number=number,
                expected_version=current.version,
                to=DecisionStatus.ACCEPTED,
            )

    def show(self) -> rights.RightsView:
        with self.db.unit_of_work(write=False) as uow:
            return rights.show(uow, actor=self.operator, workspace="acme")


@pytest.fixture
def team(db: Database, make: Factory, operator: Actor) -> Team:
    return Team(db, make, operator)


def test_a_workspace_starts_on_the_template_of_its_leadership_model(team: Team) -> None:
    view = team.show()
    assert view.rights.version == 0
    assert view.rights.template is LeadershipModel.CTO_AND_CPO
    assert view.rights.matrix.owners("roadmap") == ("cpo",)
    assert [m.email for m in view.holders("cto")] == ["cto@example.com"]
    # Roles that own something but are held by nobody are named, so they can be given out.
    assert "ceo" in view.unheld_owner_roles
    assert "cto" not in view.unheld_owner_roles


def test_ownership_moves_in_one_step_and_a_change_leaving_no_owner_is_refused(
    team: Team, operator: Actor
) -> None:
    with team.db.unit_of_work(write=True) as uow:
        saved = rights.set_cells(
            uow,
            actor=operator,
            workspace="acme",
            area="architecture",
            cells={"vp-engineering": Involvement.OWNS, "cto": Involvement.INFLUENCES},
        )
    assert saved.version == 1
    assert saved.matrix.owners("architecture") == ("vp-engineering",)
    with (
        pytest.raises(InvalidInput, match="area 'architecture' has no owner"),
        team.db.unit_of_work(write=True) as uow,
    ):
        rights.set_cells(
            uow,
            actor=operator,
            workspace="acme",
            area="architecture",
            cells={"vp-engineering": None},
        )
    assert team.show().rights.matrix.owners("architecture") == ("vp-engineering",)
    assert team.show().rights.version == 1


def test_a_stale_rights_edit_is_refused(team: Team, operator: Actor) -> None:
    with team.db.unit_of_work(write=True) as uow:
        rights.add_role(
            uow, actor=operator, workspace="acme", key="head-of-data", name="Head of Data"
        )
    with (
        pytest.raises(Conflict, match="changed by someone else"),
        team.db.unit_of_work(write=True) as uow,
    ):
        rights.set_cells(
            uow,
            actor=operator,
            workspace="acme",
            area="data-ai",
            cells={"head-of-data": Involvement.CONSULTED},
            expected_version=0,
        )
    assert team.show().rights.matrix.involvement("data-ai", "head-of-data") is None


def test_custom_areas_take_decisions_and_survive_a_template_reset(
    team: Team, operator: Actor
) -> None:
    with team.db.unit_of_work(write=True) as uow:
        rights.add_area(
            uow,
            actor=operator,
            workspace="acme",
            key="field-ops",
            name="Field operations",
            owner="cpo",
        )
    recorded = team.record("cpo", replace(SMALL, area="field-ops"))
    assert recorded.awaiting is None  # the CPO owns the new area
    with pytest.raises(InvalidInput, match="unknown area 'warehouse'"):
        team.record("cpo", replace(SMALL, area="warehouse"))
    with team.db.unit_of_work(write=True) as uow:
        reset = rights.apply_template(
            uow, actor=operator, workspace="acme", model=LeadershipModel.CPTO
        )
    assert reset.template is LeadershipModel.CPTO
    assert reset.matrix.owners("roadmap") == ("cpto",)
    assert reset.matrix.owners("field-ops") == ("cpo",)
    assert [a.key for a in reset.custom_areas] == ["field-ops"]


@pytest.mark.parametrize(
    ("key", "message"),
    [("Bad Key", "lower-case words"), ("architecture", "already in use")],
)
def test_a_custom_area_needs_a_fresh_well_formed_key(
    team: Team, operator: Actor, key: str, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message), team.db.unit_of_work(write=True) as uow:
        rights.add_area(uow, actor=operator, workspace="acme", key=key, name="X", owner="cto")
    assert team.show().rights.version == 0


def test_only_owners_change_rights_and_other_workspaces_stay_out(team: Team, make: Factory) -> None:
    with pytest.raises(Forbidden), team.db.unit_of_work(write=True) as uow:
        rights.assign(
            uow,
            actor=team.people["cto"],
            workspace="acme",
            email="cto@example.com",
            roles=["ceo"],
        )
    outsider = make.member(team.other, Role.OWNER, "outsider@example.com")
    with pytest.raises(NotFound), team.db.unit_of_work(write=False) as uow:
        rights.show(uow, actor=person(outsider.id, outsider.email), workspace="acme")
    with pytest.raises(NotFound, match="not a member"):
        team.assign("outsider@example.com", ["cto"])
    with pytest.raises(InvalidInput, match="unknown role 'chief-wizard'"):
        team.assign("cto@example.com", ["chief-wizard"])
    assert [m.email for m in team.show().holders("cto")] == ["cto@example.com"]


def test_rules_are_validated_before_they_are_stored(team: Team, operator: Actor) -> None:
    bad = EscalationRule("Big bets", Condition.SPEND_ABOVE, "treasurer", Decimal(1000))
    with (
        pytest.raises(InvalidInput, match="unknown role 'treasurer'"),
        team.db.unit_of_work(write=True) as uow,
    ):
        rights.set_rules(uow, actor=operator, workspace="acme", rules=[bad])
    with pytest.raises(InvalidInput, match="threshold must be an amount"):
        rights.parse_rule(
            {"name": "x", "when": "spend-above", "route_to": "ceo", "threshold": "lots"}
        )
    with pytest.raises(InvalidInput, match="when must be one of"):
        rights.parse_rule({"name": "x", "when": "full-moon", "route_to": "ceo"})
    assert len(team.show().rights.rules) == 4


def test_a_decision_inside_the_proposers_rights_can_be_accepted_at_once(team: Team) -> None:
    accepted = team.record("cto", SMALL, accept=True)
    assert accepted.status is DecisionStatus.ACCEPTED
    assert accepted.decided_by == "cto@example.com"
    assert accepted.decided_as == "within their rights as CTO"
    assert accepted.escalations == ()


def test_an_escalated_decision_waits_for_the_role_the_rule_names(team: Team) -> None:
    waiting = team.record("lead", CROSS_TEAM, accept=True)  # accept is ignored: it escalates
    assert waiting.status is DecisionStatus.PROPOSED
    assert waiting.awaiting == "cto"
    assert [(n.rule, n.route_to) for n in waiting.escalations] == [
        ("Cross-team tradeoffs", "cto"),
        ("One-way doors", "cto"),
        ("", "cto"),  # the team lead does not own architecture either
    ]
    assert waiting.escalations[2].reason == "outside your decision rights"
    with pytest.raises(Forbidden, match=r"D-1 is for CTO to decide \(it is a cross-team"):
        team.accept("lead", waiting.number)
    with pytest.raises(Forbidden, match="your leadership roles: none"):
        team.accept("plain", waiting.number)
    with team.db.unit_of_work(write=False) as uow:
        queued = decisions.queue(uow, actor=team.people["cto"], workspace="acme", mine=True)
        nothing = decisions.queue(uow, actor=team.people["cpo"], workspace="acme", mine=True)
    assert [entry.decision.number for entry in queued] == [waiting.number]
    assert nothing == []
    decided = team.accept("cto", waiting.number)
    assert decided.status is DecisionStatus.ACCEPTED
    assert (decided.decided_by, decided.decided_as) == ("cto@example.com", "approver as CTO")
    assert decided.awaiting is None
    assert len(decided.escalations) == 3  # why it went up stays on the record
    with team.db.unit_of_work(write=False) as uow:
        assert decisions.queue(uow, actor=team.operator, workspace="acme") == []


def test_spend_and_security_exceptions_go_where_the_guardrails_say(team: Team) -> None:
    spend = team.record("cto", replace(SMALL, estimated_spend=Decimal("25000.01")))
    assert spend.awaiting == "ceo"
    assert spend.escalations[0].reason == "estimated spend 25,000.01 is above 25,000"
    at_threshold = team.record("cto", replace(SMALL, estimated_spend=Decimal("25000")))
    assert at_threshold.awaiting is None
    exception = team.record("cpo", replace(SMALL, area="roadmap", security_exception=True))
    assert exception.awaiting == "cto"
    assert exception.escalations[0].rule == "Security exceptions"


def test_a_role_nobody_holds_does_not_block_the_log(team: Team) -> None:
    spend = team.record("cto", replace(SMALL, estimated_spend=Decimal("90000")))
    assert spend.awaiting == "ceo"  # nobody in the workspace is the CEO
    decided = team.accept("plain", spend.number)
    assert decided.decided_as == "standing in: no member holds CEO"
    team.assign("plain@example.com", ["ceo"])
    again = team.record("cto", replace(SMALL, estimated_spend=Decimal("90000")))
    with pytest.raises(Forbidden, match="is for CEO to decide"):
        team.accept("lead", again.number)


def test_editing_a_proposal_routes_it_again(team: Team) -> None:
    waiting = team.record("lead", CROSS_TEAM)
    with team.db.unit_of_work(write=True) as uow:
        edited = decisions.edit(
            uow,
            actor=team.people["cto"],
            workspace="acme",
            number=waiting.number,
            expected_version=waiting.version,
            content=replace(CROSS_TEAM, cross_team=False, reversibility=Reversibility.TWO_WAY),
        )
    assert edited.awaiting is None
    assert edited.escalations == ()


def test_signals_give_latency_and_suggest_delegating_a_busy_area(team: Team) -> None:
    for index in range(5):
        waiting = team.record("lead", replace(CROSS_TEAM, title=f"Shared bus {index}"))
        team.accept("cto", waiting.number)
    team.record("cto", SMALL, accept=True)  # inside the CTO's rights: not an approval
    with team.db.unit_of_work(write=False) as uow:
        found = decisions.signals(uow, actor=team.people["plain"], workspace="acme")
    assert found.latency.count == 6
    assert found.latency.median_hours is not None
    [hint] = found.hints
    assert (hint.approver, hint.area, hint.count, hint.total) == (
        "cto@example.com",
        "architecture",
        5,
        5,
    )


def test_tags_deciders_and_titles_are_found_whatever_their_case_or_accents(team: Team) -> None:
    team.record(
        "cto",
        replace(
            SMALL,
            title="Élan for the Zoë rollout",
            tags=("Sécurité",),
            deciders=("Zoë Dubois",),
            consulted=("Kenji Watanabe",),
        ),
    )
    team.record("cto", replace(SMALL, title="Other", deciders=("Kenji Watanabe",)))

    def titles(**where: object) -> list[str]:
        with team.db.unit_of_work(write=False) as uow:
            found, total = decisions.search(
                uow, actor=team.operator, workspace="acme", where=DecisionFilter(**where)
            )
        assert total == len(found)
        return [d.content.title for d in found]

    assert titles(text="élan") == ["Élan for the Zoë rollout"]
    assert titles(text="ÉLAN") == ["Élan for the Zoë rollout"]
    assert titles(tag="sécurité") == ["Élan for the Zoë rollout"]
    assert titles(decider="zoë") == ["Élan for the Zoë rollout"]
    # Someone who was only consulted is not a decider.
    assert titles(decider="Kenji") == ["Other"]
