"""Assessments: a person rates concrete behaviours 1 to 5, grouped into areas (CTO
readiness, the modern CTO skill stack, IT manager skill sets), and gets back a mean per
area, their strengths, their gaps, what to develop first, and progress between two
sittings."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from quarterdeck.domain.errors import InvalidInput

__all__ = [
    "GAP_BELOW",
    "PRIORITY_COUNT",
    "RATING_MAX",
    "RATING_MIN",
    "STRENGTH_FROM",
    "Area",
    "AreaChange",
    "AreaScore",
    "Assessment",
    "Result",
    "Statement",
    "compare",
    "score",
]

RATING_MIN = 1
RATING_MAX = 5
STRENGTH_FROM = Decimal(4)  # an area whose mean is at least this is a strength
GAP_BELOW = Decimal(3)  # an area whose mean is below this is a gap
PRIORITY_COUNT = 3  # how many gaps become development priorities

_CENTS = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class Statement:
    """A behaviour a person rates from RATING_MIN (rarely true of me) to RATING_MAX
    (consistently true of me); its key is unique within the assessment."""

    key: str
    text: str


@dataclass(frozen=True, slots=True)
class Area:
    """A group of statements scored together, with suggestions for developing it."""

    key: str
    name: str
    statements: tuple[Statement, ...]
    development: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.statements:
            raise InvalidInput(f"area {self.key!r} has no statements")


@dataclass(frozen=True, slots=True)
class Assessment:
    """A named set of areas, in the order they are shown and reported, and the kinds of
    technology leader (role catalog keys) it serves."""

    key: str
    name: str
    summary: str
    role_kinds: tuple[str, ...]
    areas: tuple[Area, ...]

    def __post_init__(self) -> None:
        if not self.areas:
            raise InvalidInput(f"assessment {self.key!r} has no areas")
        areas: set[str] = set()
        statements: set[str] = set()
        for area in self.areas:
            if area.key in areas:
                raise InvalidInput(f"assessment {self.key!r}: area key {area.key!r} is repeated")
            areas.add(area.key)
            for statement in area.statements:
                if statement.key in statements:
                    raise InvalidInput(
                        f"assessment {self.key!r}: statement key {statement.key!r} is repeated"
                    )
                statements.add(statement.key)

    @property
    def area_keys(self) -> tuple[str, ...]:
        return tuple(area.key for area in self.areas)

    @property
    def statement_keys(self) -> tuple[str, ...]:
        return tuple(s.key for area in self.areas for s in area.statements)


@dataclass(frozen=True, slots=True)
class AreaScore:
    """The mean rating of one area's statements, to two decimal places (half up)."""

    area: Area
    mean: Decimal

    @property
    def is_strength(self) -> bool:
        return self.mean >= STRENGTH_FROM

    @property
    def is_gap(self) -> bool:
        return self.mean < GAP_BELOW


@dataclass(frozen=True, slots=True)
class Result:
    """A scored sitting: every area in catalog order; strengths and gaps in catalog order;
    priorities are the lowest-scoring gaps, lowest first (ties in catalog order)."""

    assessment: Assessment
    areas: tuple[AreaScore, ...]
    strengths: tuple[AreaScore, ...]
    gaps: tuple[AreaScore, ...]
    priorities: tuple[AreaScore, ...]

    def area(self, key: str) -> AreaScore:
        """The score of the area `key`; InvalidInput naming the known areas otherwise."""
        for scored in self.areas:
            if scored.area.key == key:
                return scored
        known = ", ".join(self.assessment.area_keys)
        raise InvalidInput(
            f"assessment {self.assessment.key!r} has no area {key!r}; known: {known}"
        )


@dataclass(frozen=True, slots=True)
class AreaChange:
    """How one area's mean moved between two sittings; `change` is later minus earlier."""

    area: Area
    earlier: Decimal
    later: Decimal

    @property
    def change(self) -> Decimal:
        return self.later - self.earlier


def score(assessment: Assessment, ratings: Mapping[str, int]) -> Result:
    """Score one sitting of `assessment` from `ratings` (statement key -> rating).

    Every statement must be rated with a whole number from RATING_MIN to RATING_MAX.
    Raises InvalidInput naming the statement for a missing, unknown, non-integer or
    out-of-range rating.
    """
    known = set(assessment.statement_keys)
    unknown = sorted(key for key in ratings if key not in known)
    if unknown:
        raise InvalidInput(
            f"assessment {assessment.key!r} has no statement {', '.join(map(repr, unknown))}"
        )
    scores = tuple(
        AreaScore(area=area, mean=_mean(area, ratings, assessment.key)) for area in assessment.areas
    )
    gaps = tuple(scored for scored in scores if scored.is_gap)
    # sorted() is stable, so gaps with the same mean keep their catalog order.
    priorities = tuple(sorted(gaps, key=lambda scored: scored.mean)[:PRIORITY_COUNT])
    return Result(
        assessment=assessment,
        areas=scores,
        strengths=tuple(scored for scored in scores if scored.is_strength),
        gaps=gaps,
        priorities=priorities,
    )


def compare(earlier: Result, later: Result) -> tuple[AreaChange, ...]:
    """The change in every area between two sittings of the same assessment, in catalog
    order. Raises InvalidInput when the sittings are of different assessments or their
    areas differ (the assessment was revised in between)."""
    if earlier.assessment.key != later.assessment.key:
        raise InvalidInput(
            f"cannot compare a {earlier.assessment.key!r} sitting "
            f"with a {later.assessment.key!r} sitting"
        )
    if earlier.assessment.area_keys != later.assessment.area_keys:
        raise InvalidInput(
            f"the areas of {earlier.assessment.key!r} changed between the two sittings"
        )
    return tuple(
        AreaChange(area=after.area, earlier=before.mean, later=after.mean)
        for before, after in zip(earlier.areas, later.areas, strict=True)
    )


def _mean(area: Area, ratings: Mapping[str, int], assessment: str) -> Decimal:
    total = 0
    for statement in area.statements:
        if statement.key not in ratings:
            raise InvalidInput(
                f"assessment {assessment!r}: statement {statement.key!r} is not rated"
            )
        rating = ratings[statement.key]
        if isinstance(rating, bool) or not isinstance(rating, int):
            raise InvalidInput(
                f"assessment {assessment!r}: statement {statement.key!r} must be rated with "
                f"a whole number from {RATING_MIN} to {RATING_MAX}"
            )
        if not RATING_MIN <= rating <= RATING_MAX:
            raise InvalidInput(
                f"assessment {assessment!r}: statement {statement.key!r} is rated {rating}; "
                f"ratings run from {RATING_MIN} to {RATING_MAX}"
            )
        total += rating
    return (Decimal(total) / Decimal(len(area.statements))).quantize(_CENTS, ROUND_HALF_UP)
