"""Bodies of the leadership catalog API: the kinds of technology leader (and the
neighbouring roles beside them), the playbooks and the assessments, as shipped."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from quarterdeck.catalog.assessments import assessment_catalog
from quarterdeck.catalog.kpis import kpi_catalog
from quarterdeck.catalog.roles import role_catalog
from quarterdeck.domain.assessments import RATING_MAX, RATING_MIN, Assessment
from quarterdeck.domain.playbooks import Playbook
from quarterdeck.domain.role_kinds import (
    CompensationBasis,
    CompensationBenchmark,
    Engagement,
    EngagementMode,
    RoleKind,
    Span,
)

__all__ = [
    "AssessmentOut",
    "EngagementOut",
    "NamedOut",
    "PlaybookOut",
    "RoleKindDetailOut",
    "RoleKindOut",
    "SpanOut",
]


class NamedOut(BaseModel):
    key: str
    name: str


class SpanOut(BaseModel):
    """An inclusive range of whole numbers."""

    low: int
    high: int

    @classmethod
    def of(cls, span: Span | None) -> SpanOut | None:
        return None if span is None else cls(low=span.low, high=span.high)


class EngagementOut(BaseModel):
    """How a leader of the kind is typically engaged."""

    mode: EngagementMode
    hours_per_week: SpanOut | None = Field(description="Stated for part-time engagements.")
    months: SpanOut | None = Field(description="Stated for interim engagements.")
    note: str | None

    @classmethod
    def of(cls, engagement: Engagement) -> EngagementOut:
        return cls(
            mode=engagement.mode,
            hours_per_week=SpanOut.of(engagement.hours_per_week),
            months=SpanOut.of(engagement.months),
            note=engagement.note,
        )


class BenchmarkOut(BaseModel):
    """One dated market figure, in whole units of `currency`."""

    region: str
    basis: CompensationBasis
    currency: str
    low: int | None
    high: int | None
    average: int | None
    median: int | None
    as_of: str | None = Field(description="The month the source dates it to (YYYY-MM), or null.")
    source: str
    note: str | None

    @classmethod
    def of(cls, b: CompensationBenchmark) -> BenchmarkOut:
        return cls(
            region=b.region,
            basis=b.basis,
            currency=b.currency,
            low=b.low,
            high=b.high,
            average=b.average,
            median=b.median,
            as_of=_month(b.as_of),
            source=b.source,
            note=b.note,
        )


def _month(day: date | None) -> str | None:
    return None if day is None else day.strftime("%Y-%m")


class RoleKindOut(BaseModel):
    """A kind of technology leader, or a neighbouring role (`neighbour`) shown beside them."""

    key: str
    name: str
    neighbour: bool
    focus: str
    owns: list[str]
    co_owns: list[str]
    influences: list[str]
    success_measures: list[NamedOut] = Field(description="KPIs from the KPI catalog.")
    engagement: EngagementOut
    compensation: list[BenchmarkOut]
    red_flags: list[str]
    playbooks: list[NamedOut] = Field(description="The playbooks that apply to the kind.")

    @classmethod
    def fields_of(cls, kind: RoleKind) -> dict[str, object]:
        kpis = kpi_catalog()
        playbooks = role_catalog().playbooks_for(kind.key)
        return {
            "key": kind.key,
            "name": kind.name,
            "neighbour": kind.neighbour,
            "focus": kind.focus,
            "owns": list(kind.owns),
            "co_owns": list(kind.co_owns),
            "influences": list(kind.influences),
            "success_measures": [
                NamedOut(key=key, name=kpis.kpi(key).name) for key in kind.success_measures
            ],
            "engagement": EngagementOut.of(kind.engagement),
            "compensation": [BenchmarkOut.of(b) for b in kind.compensation],
            "red_flags": list(kind.red_flags),
            "playbooks": [NamedOut(key=p.key, name=p.name) for p in playbooks],
        }

    @classmethod
    def of(cls, kind: RoleKind) -> RoleKindOut:
        return cls.model_validate(cls.fields_of(kind))


class RoleKindDetailOut(RoleKindOut):
    assessments: list[NamedOut] = Field(description="The assessments that serve the kind.")

    @classmethod
    def of_detail(cls, kind: RoleKind) -> RoleKindDetailOut:
        serving = assessment_catalog().for_role(kind.key)
        return cls.model_validate(
            {
                **cls.fields_of(kind),
                "assessments": [NamedOut(key=a.key, name=a.name) for a in serving],
            }
        )


class StepOut(BaseModel):
    key: str
    title: str
    done_when: str
    owner: str = Field(description="The leadership role that owns the step.")
    start_day: int = Field(description="Days from the playbook's day 0.")
    due_day: int
    artifact: str = Field(description="What the step leaves behind.")


class PlaybookOut(BaseModel):
    key: str
    name: str
    summary: str
    exit_criterion: str
    length_days: int = Field(description="The day the last step falls due.")
    kinds: list[str] = Field(description="The kinds of leader it applies to.")
    steps: list[StepOut]

    @classmethod
    def of(cls, playbook: Playbook) -> PlaybookOut:
        kinds = [k.key for k in role_catalog().kinds if playbook.key in k.playbooks]
        return cls(
            key=playbook.key,
            name=playbook.name,
            summary=playbook.summary,
            exit_criterion=playbook.exit_criterion,
            length_days=playbook.length_days,
            kinds=kinds,
            steps=[
                StepOut(
                    key=s.key,
                    title=s.title,
                    done_when=s.done_when,
                    owner=s.owner,
                    start_day=s.start_day,
                    due_day=s.due_day,
                    artifact=s.artifact,
                )
                for s in playbook.steps
            ],
        )


class StatementOut(BaseModel):
    key: str = Field(description="Rate it under this key when taking the assessment.")
    text: str


class AreaOut(BaseModel):
    key: str
    name: str
    statements: list[StatementOut]
    development: list[str] = Field(description="Suggestions for developing the area.")


class AssessmentOut(BaseModel):
    key: str
    name: str
    summary: str
    role_kinds: list[str] = Field(description="The kinds of leader it serves.")
    rating_min: int = Field(description="Rarely true of me.")
    rating_max: int = Field(description="Consistently true of me.")
    areas: list[AreaOut]

    @classmethod
    def of(cls, assessment: Assessment) -> AssessmentOut:
        return cls(
            key=assessment.key,
            name=assessment.name,
            summary=assessment.summary,
            role_kinds=list(assessment.role_kinds),
            rating_min=RATING_MIN,
            rating_max=RATING_MAX,
            areas=[
                AreaOut(
                    key=area.key,
                    name=area.name,
                    statements=[StatementOut(key=s.key, text=s.text) for s in area.statements],
                    development=list(area.development),
                )
                for area in assessment.areas
            ],
        )
