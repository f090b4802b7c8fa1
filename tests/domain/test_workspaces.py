from __future__ import annotations

from datetime import UTC, datetime

import pytest

from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.workspaces import (
    LeadershipModel,
    OrganisationProfile,
    Stage,
    parse_profile,
    validate_name,
    validate_slug,
    validate_time_zone,
)


@pytest.mark.parametrize("slug", ["a", "acme", "acme-2", "x" * 48, "9lives"])
def test_valid_slugs_are_accepted(slug: str) -> None:
    assert validate_slug(slug) == slug


@pytest.mark.parametrize("slug", ["", "Acme", "-acme", "acme-", "ac me", "x" * 49, "acmé", "../x"])
def test_invalid_slugs_are_refused_with_the_rule(slug: str) -> None:
    with pytest.raises(InvalidInput, match="lowercase letters, digits or hyphens"):
        validate_slug(slug)


def test_names_are_trimmed_and_bounded() -> None:
    assert validate_name("  Acme  ") == "Acme"
    with pytest.raises(InvalidInput):
        validate_name("   ")
    with pytest.raises(InvalidInput):
        validate_name("x" * 121)


def test_time_zones_must_be_iana_names() -> None:
    assert validate_time_zone("Europe/Berlin") == "Europe/Berlin"
    with pytest.raises(InvalidInput, match="Mars/Olympus"):
        validate_time_zone("Mars/Olympus")


def test_profile_parses_loosely_typed_form_values() -> None:
    profile = parse_profile(
        {
            "stage": "enterprise",
            "headcount": "1200",
            "engineering_headcount": " 300 ",
            "regulated": "yes",
            "leadership_model": "it-manager-cio",
            "industry": "  Health insurance ",
        }
    )
    assert profile == OrganisationProfile(
        stage=Stage.ENTERPRISE,
        headcount=1200,
        engineering_headcount=300,
        regulated=True,
        leadership_model=LeadershipModel.IT_MANAGER_UNDER_CIO,
        industry="Health insurance",
    )


def test_profile_changes_keep_the_fields_not_mentioned() -> None:
    base = OrganisationProfile(stage=Stage.SCALE_UP, headcount=80)
    assert parse_profile({"product_lines": 3}, base) == OrganisationProfile(
        stage=Stage.SCALE_UP, headcount=80, product_lines=3
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"stage": "galactic"}, "stage must be one of startup, scale-up, enterprise"),
        ({"headcount": "many"}, "headcount must be a whole number"),
        ({"headcount": True}, "headcount must be a whole number"),
        ({"headcount": -1}, "headcount must be zero or more"),
        ({"headcount": 10, "engineering_headcount": 11}, "cannot exceed headcount"),
        ({"regulated": "perhaps"}, "regulated must be yes or no"),
        ({"leadership_model": "king"}, "leadership_model must be one of"),
        ({"colour": "blue"}, "unknown profile field"),
        ({"industry": 42}, "industry must be text"),
    ],
)
def test_bad_profile_values_name_the_field(changes: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_profile(changes)


def test_every_leadership_model_has_a_label() -> None:
    assert all(model.label for model in LeadershipModel)


def test_workspace_times_show_in_its_time_zone() -> None:
    from quarterdeck.domain.workspaces import Workspace

    ws = Workspace(
        id=1,
        slug="a",
        name="A",
        time_zone="Asia/Tokyo",
        profile=OrganisationProfile(),
        demo=False,
        version=1,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    assert ws.local(datetime(2026, 1, 1, 15, 0, tzinfo=UTC)).hour == 0
