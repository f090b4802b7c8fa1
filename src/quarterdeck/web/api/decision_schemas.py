"""Bodies of the decision log API."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from quarterdeck.domain.bottlenecks import DelegationHint, LatencySummary
from quarterdeck.domain.decision_history import FieldChange, Revision
from quarterdeck.domain.decisions import (
    Decision,
    DecisionContent,
    DecisionStatus,
    LinkKind,
    Option,
    Reversibility,
    RoutingNote,
)

__all__ = [
    "ChangeOut",
    "DecisionIn",
    "DecisionOut",
    "DecisionPage",
    "DecisionSummaryOut",
    "EditIn",
    "EscalationOut",
    "HintOut",
    "LatencyOut",
    "LinkIn",
    "LinkOut",
    "QueueEntryOut",
    "RecordIn",
    "RevisionOut",
    "RoleRef",
    "SignalsOut",
    "StatusIn",
]

_Line = str


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OptionBody(_Strict):
    title: str = Field(min_length=1, max_length=200)
    pros: list[_Line] = Field(default_factory=list, max_length=50)
    cons: list[_Line] = Field(default_factory=list, max_length=50)


class DecisionIn(_Strict):
    title: str = Field(min_length=1, max_length=200)
    area: str = Field(min_length=1, max_length=64)
    context: str = Field(default="", max_length=100_000)
    options: list[OptionBody] = Field(default_factory=list, max_length=30)
    decision: str = Field(default="", max_length=100_000)
    rationale: str = Field(default="", max_length=100_000)
    consequences: str = Field(default="", max_length=100_000)
    deciders: list[str] = Field(default_factory=list, max_length=50)
    consulted: list[str] = Field(default_factory=list, max_length=50)
    informed: list[str] = Field(default_factory=list, max_length=50)
    reversibility: Reversibility = Reversibility.TWO_WAY
    estimated_spend: Decimal | None = Field(default=None, ge=0, max_digits=16, decimal_places=2)
    cross_team: bool = False
    security_exception: bool = Field(
        default=False, description="It asks to depart from a security policy or control."
    )
    revisit_on: date | None = None
    revisit_condition: str = Field(default="", max_length=2_000)
    tags: list[str] = Field(default_factory=list, max_length=50)
    taken_in: str = Field(default="", max_length=500)

    def to_content(self) -> DecisionContent:
        return DecisionContent(
            title=self.title,
            area=self.area,
            context=self.context,
            options=tuple(Option(o.title, tuple(o.pros), tuple(o.cons)) for o in self.options),
            decision=self.decision,
            rationale=self.rationale,
            consequences=self.consequences,
            deciders=tuple(self.deciders),
            consulted=tuple(self.consulted),
            informed=tuple(self.informed),
            reversibility=self.reversibility,
            estimated_spend=self.estimated_spend,
            cross_team=self.cross_team,
            security_exception=self.security_exception,
            revisit_on=self.revisit_on,
            revisit_condition=self.revisit_condition,
            tags=tuple(self.tags),
            taken_in=self.taken_in,
        )

    @classmethod
    def of(cls, content: DecisionContent) -> DecisionIn:
        return cls(
            title=content.title,
            area=content.area,
            context=content.context,
            options=[
                OptionBody(title=o.title, pros=list(o.pros), cons=list(o.cons))
                for o in content.options
            ],
            decision=content.decision,
            rationale=content.rationale,
            consequences=content.consequences,
            deciders=list(content.deciders),
            consulted=list(content.consulted),
            informed=list(content.informed),
            reversibility=content.reversibility,
            estimated_spend=content.estimated_spend,
            cross_team=content.cross_team,
            security_exception=content.security_exception,
            revisit_on=content.revisit_on,
            revisit_condition=content.revisit_condition,
            tags=list(content.tags),
            taken_in=content.taken_in,
        )


class RecordIn(DecisionIn):
    accept: bool = Field(
        default=False,
        description="Accept it at once when it is inside your decision rights; ignored when "
        "it has to go to an approver.",
    )


class EditIn(DecisionIn):
    version: int = Field(strict=True, description="The version you read; a stale one answers 409.")


class StatusIn(_Strict):
    version: int = Field(strict=True)
    status: DecisionStatus


class LinkIn(_Strict):
    other: int = Field(ge=1, le=2**31 - 1, description="The other decision's number.")


class LinkOut(BaseModel):
    kind: LinkKind
    direction: str  # "outgoing" (this decision -> other) or "incoming"
    label: str  # how it reads from this decision: "supersedes", "superseded by", ...
    number: int
    key: str
    title: str


class RoleRef(BaseModel):
    """A leadership role: its key and the name people read."""

    key: str
    name: str

    @classmethod
    def of(cls, key: str | None, names: Mapping[str, str]) -> RoleRef | None:
        return None if key is None else cls(key=key, name=names.get(key, key))


class EscalationOut(BaseModel):
    rule: str = Field(
        description="The escalation rule that fired; empty when the proposer "
        "simply holds no rights in the area."
    )
    route_to: str
    reason: str

    @classmethod
    def of(cls, note: RoutingNote) -> EscalationOut:
        return cls(rule=note.rule, route_to=note.route_to, reason=note.reason)


class DecisionOut(BaseModel):
    key: str
    number: int
    status: DecisionStatus
    version: int
    created_at: datetime
    decided_at: datetime | None
    awaiting: RoleRef | None = Field(
        description="The role whose approval queue it waits in; null when none."
    )
    escalations: list[EscalationOut]
    proposed_by: str
    decided_by: str | None
    decided_as: str | None = Field(description="The standing it was decided with, in words.")
    content: DecisionIn
    links: list[LinkOut]

    @classmethod
    def of(cls, decision: Decision, role_names: Mapping[str, str]) -> DecisionOut:
        """`role_names` maps role keys to names (for `awaiting`)."""
        return cls(
            key=decision.key,
            number=decision.number,
            status=decision.status,
            version=decision.version,
            created_at=decision.created_at,
            decided_at=decision.decided_at,
            awaiting=RoleRef.of(decision.awaiting, role_names),
            escalations=[EscalationOut.of(note) for note in decision.escalations],
            proposed_by=decision.proposed_by,
            decided_by=decision.decided_by,
            decided_as=decision.decided_as,
            content=DecisionIn.of(decision.content),
            links=[
                LinkOut(
                    kind=link.kind,
                    direction="outgoing" if link.outgoing else "incoming",
                    label=link.kind.value.replace("-", " ")
                    if link.outgoing
                    else link.kind.reverse_label,
                    number=link.number,
                    key=f"D-{link.number}",
                    title=link.title,
                )
                for link in decision.links
            ],
        )


class DecisionPage(BaseModel):
    total: int
    items: list[DecisionOut]


class DecisionSummaryOut(BaseModel):
    """What an approval queue shows of a decision; `version` is what accepting it needs."""

    key: str
    number: int
    title: str
    area: str
    status: DecisionStatus
    version: int
    created_at: datetime
    proposed_by: str
    awaiting: RoleRef | None
    escalations: list[EscalationOut]

    @classmethod
    def of(cls, decision: Decision, role_names: Mapping[str, str]) -> DecisionSummaryOut:
        return cls(
            key=decision.key,
            number=decision.number,
            title=decision.content.title,
            area=decision.content.area,
            status=decision.status,
            version=decision.version,
            created_at=decision.created_at,
            proposed_by=decision.proposed_by,
            awaiting=RoleRef.of(decision.awaiting, role_names),
            escalations=[EscalationOut.of(note) for note in decision.escalations],
        )


class QueueEntryOut(BaseModel):
    waiting_seconds: int = Field(description="How long it has waited since it was proposed.")
    decision: DecisionSummaryOut


class LatencyOut(BaseModel):
    median_hours: float | None = Field(description="From proposed to decided; null when none.")
    count: int
    excluded: int = Field(description="Decided before they were proposed, so left out.")

    @classmethod
    def of(cls, latency: LatencySummary) -> LatencyOut:
        return cls(
            median_hours=latency.median_hours, count=latency.count, excluded=latency.excluded
        )


class HintOut(BaseModel):
    approver: str
    area: str
    count: int
    total: int
    window_days: int
    message: str

    @classmethod
    def of(cls, hint: DelegationHint, area_names: Mapping[str, str]) -> HintOut:
        return cls(
            approver=hint.approver,
            area=hint.area,
            count=hint.count,
            total=hint.total,
            window_days=hint.window_days,
            message=hint.message(area_label=area_names.get(hint.area)),
        )


class SignalsOut(BaseModel):
    window_days: int
    latency: LatencyOut
    hints: list[HintOut]


class RevisionOut(BaseModel):
    revision: int
    status: DecisionStatus
    author: str
    created_at: datetime
    content: DecisionIn

    @classmethod
    def of(cls, revision: Revision) -> RevisionOut:
        return cls(
            revision=revision.revision,
            status=revision.status,
            author=revision.author,
            created_at=revision.created_at,
            content=DecisionIn.of(revision.content),
        )


class ChangeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    field: str
    lines: list[str]
    added: list[str]
    removed: list[str]
    before: str
    after: str

    @classmethod
    def of(cls, change: FieldChange) -> ChangeOut:
        return cls(
            field=change.field,
            lines=list(change.lines),
            added=list(change.added),
            removed=list(change.removed),
            before=change.before,
            after=change.after,
        )
