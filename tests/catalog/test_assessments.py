from __future__ import annotations

from pathlib import Path

import pytest

from quarterdeck.catalog.assessments import (
    AREA_COUNTS,
    ASSESSMENTS_DIR,
    AssessmentCatalog,
    assessment_catalog,
    load_assessment_catalog,
)
from quarterdeck.catalog.loading import CatalogError, shipped
from quarterdeck.catalog.roles import role_catalog
from quarterdeck.domain.errors import InvalidInput

# The areas DOMAIN.md section 6 lists for each assessment, in order.
DOMAIN_AREAS: dict[str, tuple[str, ...]] = {
    "cto-readiness": (
        "strategic thinking",
        "business & finance understanding",
        "ai & technology fluency",
        "executive communication",
        "decision-making under uncertainty",
        "stakeholder management",
        "team leadership",
        "governance & risk",
        "personal leadership maturity",
    ),
    "modern-cto-skills": (
        "technical judgment",
        "systems thinking",
        "strategic thinking",
        "product & customer awareness",
        "ai fluency",
        "commercial awareness",
        "security & risk awareness",
        "communication",
        "executive influence",
        "team leadership",
        "change leadership",
        "strategic prioritisation",
        "governance",
    ),
    "it-manager-skills": ("technical", "management", "soft", "operations", "marketing", "sales"),
}
READINESS = "cto-readiness.yaml"
ROLE_KEYS = frozenset({"startup-cto", "deputy-cto", "it-manager"})


@pytest.fixture(scope="module")
def catalog() -> AssessmentCatalog:
    return assessment_catalog()


def copy_shipped(tmp_path: Path) -> Path:
    folder = tmp_path / ASSESSMENTS_DIR
    folder.mkdir()
    for entry in shipped(ASSESSMENTS_DIR).iterdir():
        if entry.name.endswith(".yaml"):
            (folder / entry.name).write_bytes(entry.read_bytes())
    return folder


def refused(tmp_path: Path, name: str, old: str, new: str) -> str:
    folder = copy_shipped(tmp_path)
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_assessment_catalog(folder)
    message = caught.value.message
    assert str(path) in message
    return message


# --- the shipped catalog -----------------------------------------------------------------


def test_the_catalog_holds_every_assessment_of_the_domain(catalog: AssessmentCatalog) -> None:
    assert catalog.keys == tuple(sorted(DOMAIN_AREAS))
    assert set(AREA_COUNTS) == set(DOMAIN_AREAS)


@pytest.mark.parametrize(
    ("key", "count"), [("cto-readiness", 9), ("modern-cto-skills", 13), ("it-manager-skills", 6)]
)
def test_each_assessment_has_the_domain_area_count(
    catalog: AssessmentCatalog, key: str, count: int
) -> None:
    assert len(catalog.assessment(key).areas) == count


@pytest.mark.parametrize("key", sorted(DOMAIN_AREAS))
def test_each_assessment_names_its_domain_areas_in_order(
    catalog: AssessmentCatalog, key: str
) -> None:
    names = [area.name.lower() for area in catalog.assessment(key).areas]
    expected = DOMAIN_AREAS[key]
    assert len(names) == len(expected)
    for name, wanted in zip(names, expected, strict=True):
        assert name.startswith(wanted), (name, wanted)


def test_every_area_has_three_statements_and_advice(catalog: AssessmentCatalog) -> None:
    for assessment in catalog.assessments:
        assert assessment.name
        assert assessment.summary
        for area in assessment.areas:
            assert len(area.statements) == 3, (assessment.key, area.key)
            assert all(statement.text for statement in area.statements)
            assert 1 <= len(area.development) <= 2


def test_assessments_serve_known_kinds_of_leader(catalog: AssessmentCatalog) -> None:
    kinds = set(role_catalog().keys)
    for assessment in catalog.assessments:
        assert set(assessment.role_kinds) <= kinds
    assert [a.key for a in catalog.for_role("it-manager")] == ["it-manager-skills"]
    assert "modern-cto-skills" in [a.key for a in catalog.for_role("scaleup-cto")]
    assert "cto-readiness" in [a.key for a in catalog.for_role("deputy-cto")]


def test_an_unknown_assessment_names_the_known_ones(catalog: AssessmentCatalog) -> None:
    with pytest.raises(InvalidInput, match="cto-readiness"):
        catalog.assessment("leadership-quiz")


def test_role_kinds_can_be_checked_against_another_set(tmp_path: Path) -> None:
    folder = copy_shipped(tmp_path)
    for name in ("modern-cto-skills.yaml", "cto-readiness.yaml"):
        (folder / name).unlink()
    loaded = load_assessment_catalog(folder, role_keys={"it-manager"})
    assert loaded.keys == ("it-manager-skills",)
    with pytest.raises(CatalogError, match=r"role_kinds\[0\]: unknown kind of leader 'it-manager'"):
        load_assessment_catalog(folder, role_keys=ROLE_KEYS - {"it-manager"})


# --- malformed files ---------------------------------------------------------------------


def test_an_unknown_field_is_refused_naming_its_path(tmp_path: Path) -> None:
    message = refused(
        tmp_path,
        READINESS,
        "    name: Strategic thinking\n",
        "    name: Strategic thinking\n    weight: 2\n",
    )
    assert "areas[0].weight" in message


def test_a_rating_statement_without_text_is_refused(tmp_path: Path) -> None:
    message = refused(
        tmp_path,
        READINESS,
        "        text: I can name the company goal each of my team's major initiatives serves.\n",
        "",
    )
    assert "areas[0].statements[0].text" in message


def test_an_area_needs_exactly_three_statements(tmp_path: Path) -> None:
    old = "      - key: stops-misaligned-work\n"
    new = "      - key: extra-statement\n        text: I do one more thing.\n" + old
    message = refused(tmp_path, READINESS, old, new)
    assert "areas[0].statements" in message


def test_a_repeated_area_key_is_refused(tmp_path: Path) -> None:
    message = refused(tmp_path, READINESS, "key: business-finance", "key: strategic-thinking")
    assert "areas[1].key: 'strategic-thinking' is already used by areas[0]" in message


def test_a_repeated_statement_key_is_refused(tmp_path: Path) -> None:
    message = refused(tmp_path, READINESS, "key: reads-pnl", "key: links-work-to-company-goals")
    assert "areas[1].statements[0].key" in message
    assert "areas[0].statements[0]" in message


def test_an_unknown_role_kind_is_refused(tmp_path: Path) -> None:
    message = refused(tmp_path, READINESS, "role_kinds: [deputy-cto,", "role_kinds: [chief-wizard,")
    assert "role_kinds[0]: unknown kind of leader 'chief-wizard'" in message


def test_a_key_that_does_not_match_the_file_name_is_refused(tmp_path: Path) -> None:
    message = refused(tmp_path, READINESS, "key: cto-readiness", "key: cto-ready")
    assert "must match the file name" in message


def test_a_domain_assessment_must_keep_its_area_count(tmp_path: Path) -> None:
    text = (shipped(ASSESSMENTS_DIR) / READINESS).read_text(encoding="utf-8")
    start = text.index("  - key: personal-maturity")
    message = refused(tmp_path, READINESS, text[start:], "")
    assert "cto-readiness has 8 areas; it needs 9" in message


def test_a_development_list_longer_than_two_lines_is_refused(tmp_path: Path) -> None:
    old = "      - Own a budget line for a full quarter and report on it.\n"
    message = refused(tmp_path, READINESS, old, old + "      - Read a book on finance.\n")
    assert "areas[1].development" in message


def test_yaml_anchors_are_refused(tmp_path: Path) -> None:
    message = refused(
        tmp_path, READINESS, "role_kinds: [deputy-cto,", "role_kinds: [&k deputy-cto,"
    )
    assert "aliases and anchors" in message
