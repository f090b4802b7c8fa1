"""Bodies of the intake ranking: where an item stands and the ranking with its breakdown.
Exact scores travel as strings holding decimals to six places."""

from __future__ import annotations

from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, Field

from quarterdeck.domain.portfolio import IntakeItem
from quarterdeck.domain.prioritisation import Effect, Method, Ranked, Term
from quarterdeck.services.intake_ranking import IntakeRanking

__all__ = ["RankingOut", "Standing", "exact"]


def exact(value: Fraction) -> Decimal:
    """An exact score as a decimal to six places, without trailing zeros."""
    with localcontext() as context:
        context.prec = 80
        rounded = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
            Decimal("0.000001")
        )
        return Decimal(format(rounded.normalize(), "f"))


class Standing(BaseModel):
    standing: Literal["ranked", "excluded", "unscored", "closed"]
    rank: int | None = Field(description="1 is first; null unless ranked.")
    score: Decimal | None
    normalised: Decimal | None = Field(description="0 to 1.")
    reasons: list[str] = Field(description="Why it is not ranked.")

    @classmethod
    def of(cls, item: IntakeItem, found: IntakeRanking) -> Standing:
        ranking = found.ranking
        for r in ranking.ranked:
            if r.key == item.key:
                score, normalised = exact(r.score), exact(r.normalised)
                return cls(
                    standing="ranked", rank=r.rank, score=score, normalised=normalised, reasons=[]
                )
        for x in ranking.excluded:
            if x.key == item.key:
                return cls._apart("excluded", list(x.reasons))
        for u in found.unscored:
            if u.key == item.key:
                return cls._apart("unscored", [u.reason])
        return cls._apart("closed", [f"only open items are ranked; it is {item.status}"])

    @classmethod
    def _apart(cls, standing: str, reasons: list[str]) -> Standing:
        return cls.model_validate(
            {
                "standing": standing,
                "rank": None,
                "score": None,
                "normalised": None,
                "reasons": reasons,
            }
        )


class TermOut(BaseModel):
    criterion: str
    raw: Decimal
    normalised: Decimal
    weight: Decimal = Field(description="Share of all weights; 1 for RICE and WSJF.")
    contribution: Decimal
    effect: Effect
    note: str

    @classmethod
    def of(cls, t: Term) -> TermOut:
        return cls(
            criterion=t.criterion,
            raw=exact(t.raw),
            normalised=exact(t.normalised),
            weight=exact(t.weight),
            contribution=exact(t.contribution),
            effect=t.effect,
            note=t.note,
        )


class RankedOut(BaseModel):
    rank: int
    key: str
    title: str
    score: Decimal
    normalised: Decimal
    tied_with: list[str]
    terms: list[TermOut] = Field(description="The breakdown: one term per criterion.")

    @classmethod
    def of(cls, r: Ranked) -> RankedOut:
        return cls(
            rank=r.rank,
            key=r.key,
            title=r.title,
            score=exact(r.score),
            normalised=exact(r.normalised),
            tied_with=list(r.tied_with),
            terms=[TermOut.of(t) for t in r.terms],
        )


class ApartOut(BaseModel):
    key: str
    title: str
    reasons: list[str]


class RankingOut(BaseModel):
    method: Method
    normalisation: str = Field(description="How the normalised score is made.")
    tie_break: str
    ranked: list[RankedOut]
    excluded: list[ApartOut] = Field(description="Failed a gate or a pass mark, with why.")
    unscored: list[ApartOut] = Field(description="Not yet scored for the method, with what lacks.")

    @classmethod
    def of(cls, found: IntakeRanking) -> RankingOut:
        r = found.ranking
        return cls(
            method=found.method,
            normalisation=r.normalisation,
            tie_break=r.tie_break,
            ranked=[RankedOut.of(x) for x in r.ranked],
            excluded=[
                ApartOut(key=x.key, title=x.title, reasons=list(x.reasons)) for x in r.excluded
            ],
            unscored=[
                ApartOut(key=u.key, title=u.title, reasons=[u.reason]) for u in found.unscored
            ],
        )
