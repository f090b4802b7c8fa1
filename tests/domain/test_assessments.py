from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from quarterdeck.domain.assessments import (
    Area,
    Assessment,
    Result,
    Statement,
    compare,
    score,
)
from quarterdeck.domain.errors import InvalidInput


def make_area(key: str, size: int = 3) -> Area:
    statements = tuple(
        Statement(key=f"{key}-{n}", text=f"{key} behaviour {n}") for n in range(size)
    )
    return Area(key=key, name=key.title(), statements=statements, development=(f"grow {key}",))


def make_assessment(**overrides: Any) -> Assessment:
    fields: dict[str, Any] = {
        "key": "sample",
        "name": "Sample",
        "summary": "A small assessment for tests.",
        "role_kinds": ("startup-cto",),
        "areas": tuple(make_area(key) for key in ("alpha", "beta", "gamma", "delta", "epsilon")),
    }
    fields.update(overrides)
    return Assessment(**fields)


def rate(assessment: Assessment, by_area: dict[str, tuple[int, ...]]) -> dict[str, int]:
    ratings: dict[str, int] = {}
    for area in assessment.areas:
        for statement, rating in zip(area.statements, by_area[area.key], strict=True):
            ratings[statement.key] = rating
    return ratings


SAMPLE = make_assessment()
RATINGS = {
    "alpha": (5, 4, 4),  # 4.33 strength
    "beta": (2, 3, 3),  # 2.67 gap
    "gamma": (1, 2, 2),  # 1.67 gap
    "delta": (3, 3, 4),  # 3.33 neither
    "epsilon": (1, 1, 3),  # 1.67 gap, same as gamma
}


def scored(by_area: dict[str, tuple[int, ...]] = RATINGS) -> Result:
    return score(SAMPLE, rate(SAMPLE, by_area))


def keys(scores: tuple[Any, ...]) -> list[str]:
    return [item.area.key for item in scores]


def test_area_means_are_rounded_to_two_places() -> None:
    result = scored()
    assert [s.mean for s in result.areas] == [
        Decimal("4.33"),
        Decimal("2.67"),
        Decimal("1.67"),
        Decimal("3.33"),
        Decimal("1.67"),
    ]


def test_a_mean_ending_in_half_a_cent_rounds_up() -> None:
    assessment = make_assessment(areas=(make_area("wide", size=8),))
    ratings = dict.fromkeys(assessment.statement_keys, 3)
    ratings["wide-0"] = 4  # 25 / 8 = 3.125
    assert score(assessment, ratings).areas[0].mean == Decimal("3.13")


def test_strengths_are_areas_at_four_or_above_and_gaps_below_three() -> None:
    result = scored({**RATINGS, "delta": (4, 4, 4)})
    assert keys(result.strengths) == ["alpha", "delta"]
    assert keys(result.gaps) == ["beta", "gamma", "epsilon"]


def test_an_area_at_exactly_three_is_not_a_gap() -> None:
    result = scored({**RATINGS, "beta": (3, 3, 3)})
    assert "beta" not in keys(result.gaps)
    assert "beta" not in keys(result.strengths)


def test_priorities_are_the_lowest_gaps_with_ties_in_catalog_order() -> None:
    result = scored()
    assert keys(result.priorities) == ["gamma", "epsilon", "beta"]


def test_priorities_stop_at_three_gaps() -> None:
    result = scored({**RATINGS, "delta": (2, 2, 2), "alpha": (1, 1, 1)})
    assert len(result.gaps) == 5
    assert keys(result.priorities) == ["alpha", "gamma", "epsilon"]


def test_no_gaps_means_no_priorities() -> None:
    result = scored(dict.fromkeys(RATINGS, (4, 4, 5)))
    assert result.gaps == ()
    assert result.priorities == ()
    assert len(result.strengths) == 5


def test_a_missing_rating_names_the_statement() -> None:
    ratings = rate(SAMPLE, RATINGS)
    del ratings["delta-2"]
    with pytest.raises(InvalidInput, match="'delta-2' is not rated"):
        score(SAMPLE, ratings)


@pytest.mark.parametrize("bad", [0, 6, -1])
def test_an_out_of_range_rating_names_the_statement(bad: int) -> None:
    ratings = {**rate(SAMPLE, RATINGS), "beta-1": bad}
    with pytest.raises(InvalidInput, match=f"'beta-1' is rated {bad}"):
        score(SAMPLE, ratings)


@pytest.mark.parametrize("bad", [True, 3.5, "4"])
def test_a_rating_that_is_not_a_whole_number_is_refused(bad: Any) -> None:
    ratings = {**rate(SAMPLE, RATINGS), "gamma-0": bad}
    with pytest.raises(InvalidInput, match="'gamma-0' must be rated with a whole number"):
        score(SAMPLE, ratings)


def test_a_rating_for_an_unknown_statement_is_refused() -> None:
    ratings = {**rate(SAMPLE, RATINGS), "zeta-0": 3}
    with pytest.raises(InvalidInput, match="no statement 'zeta-0'"):
        score(SAMPLE, ratings)


def test_compare_reports_the_change_in_every_area() -> None:
    earlier = scored()
    later = scored({**RATINGS, "beta": (3, 4, 4), "gamma": (1, 2, 2), "alpha": (4, 4, 4)})
    changes = compare(earlier, later)
    assert keys(changes) == ["alpha", "beta", "gamma", "delta", "epsilon"]
    by_key = {change.area.key: change for change in changes}
    assert by_key["beta"].earlier == Decimal("2.67")
    assert by_key["beta"].later == Decimal("3.67")
    assert by_key["beta"].change == Decimal("1.00")
    assert by_key["alpha"].change == Decimal("-0.33")
    assert by_key["gamma"].change == Decimal("0")


def test_compare_refuses_sittings_of_different_assessments() -> None:
    other = make_assessment(key="other")
    with pytest.raises(InvalidInput, match="cannot compare"):
        compare(scored(), score(other, rate(other, RATINGS)))


def test_compare_refuses_sittings_whose_areas_changed() -> None:
    revised = make_assessment(areas=SAMPLE.areas[:4])
    later = score(revised, rate(revised, RATINGS))
    with pytest.raises(InvalidInput, match="areas of 'sample' changed"):
        compare(scored(), later)


def test_an_assessment_refuses_repeated_area_or_statement_keys() -> None:
    with pytest.raises(InvalidInput, match="area key 'alpha' is repeated"):
        make_assessment(areas=(make_area("alpha"), make_area("alpha")))
    clash = Area(
        key="beta",
        name="Beta",
        statements=(Statement(key="alpha-0", text="again"),),
        development=("grow",),
    )
    with pytest.raises(InvalidInput, match="statement key 'alpha-0' is repeated"):
        make_assessment(areas=(make_area("alpha"), clash))


def test_a_result_finds_an_area_by_key() -> None:
    result = scored()
    assert result.area("delta").mean == Decimal("3.33")
    with pytest.raises(InvalidInput, match="no area 'zeta'"):
        result.area("zeta")
