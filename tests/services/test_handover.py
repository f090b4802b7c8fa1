"""The handover pack is built from the workspace's own data and escapes what people typed."""

from __future__ import annotations

from datetime import timedelta

from quarterdeck.domain.access import Actor, Role
from quarterdeck.domain.decisions import DecisionContent, DecisionStatus
from quarterdeck.services import decisions, playbook_runs, scorecard
from quarterdeck.services.handover import handover_pack
from quarterdeck.services.handover_markdown import handover_html, handover_markdown
from quarterdeck.storage import Database
from tests.conftest import Factory


def test_the_pack_holds_open_decisions_the_log_playbooks_scorecard_and_people(
    db: Database, make: Factory, operator: Actor
) -> None:
    ws = make.workspace("acme")
    make.member(ws, Role.EDITOR, "successor@acme.example")
    with db.unit_of_work(write=True) as uow:
        for title in ("Adopt <script>alert(1)</script> tooling", "Move to | pipes | provider"):
            decisions.record(
                uow,
                actor=operator,
                workspace="acme",
                content=DecisionContent(title=title, area="process"),
            )
        decisions.decide(
            uow,
            actor=operator,
            workspace="acme",
            number=2,
            expected_version=1,
            to=DecisionStatus.ACCEPTED,
        )
        scorecard.add_metric(uow, actor=operator, workspace="acme", key="deployment-frequency")
        today = ws.local(uow.now()).date()
        playbook_runs.start(
            uow,
            actor=operator,
            workspace="acme",
            playbook="handover-to-permanent-cto",
            starts_on=today - timedelta(days=30),
        )
    with db.unit_of_work(write=False) as uow:
        pack = handover_pack(uow, actor=operator, workspace="acme")
    assert [d.key for d in pack.open_decisions] == ["D-1"]
    assert [d.key for d in pack.recent_decisions] == ["D-2"]
    assert pack.status_counts == {"proposed": 1, "accepted": 1}
    text = handover_markdown(pack)
    assert "## Open decisions" in text
    assert "**D-1** Adopt \\<script\\>alert\\(1\\)\\</script\\> tooling" in text
    assert "**PB-1** Handover to a permanent CTO: running, 0 of 9 steps done" in text
    assert "overdue:" in text
    assert "Deployment frequency" in text
    assert "| successor (successor@acme\\.example) | editor | none |" in text
    html = handover_html(pack)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<td>successor (successor@acme.example)</td>" in html
