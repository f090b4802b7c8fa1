"""The cadence catalog: every leadership model installs cadences, each owned by a known
leadership role; broken files are refused naming file and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from quarterdeck.catalog.cadences import cadence_catalog, load_cadence_catalog
from quarterdeck.catalog.loading import CatalogError
from quarterdeck.domain.workspaces import LeadershipModel

SHIPPED = Path(__file__).parents[2] / "src" / "quarterdeck" / "catalog" / "cadences.yaml"


def test_every_model_runs_planning_prioritisation_and_the_scorecard() -> None:
    for model in LeadershipModel:
        keys = {c.key for c in cadence_catalog().for_model(model)}
        assert {"planning", "prioritisation", "scorecard-review"} <= keys, model


def test_a_fractional_leader_meets_the_sponsor_weekly() -> None:
    sync = next(c for c in cadence_catalog().for_model("fractional-cto") if c.key == "sponsor-sync")
    assert (sync.frequency, sync.owner) == ("weekly", "sponsor")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "owner: sponsor}",
            "owner: nobody}",
            "models.fractional-cto.0.owner: unknown leadership role 'nobody'",
        ),
        (
            "{cadence: sponsor-sync, owner: sponsor}",
            "{cadence: yoga, owner: sponsor}",
            "unknown cadence 'yoga'",
        ),
        ("    length: 30 min\n", "    length: 30 min\n    colour: blue\n", "colour"),
        (
            "  it-manager-cio:\n",
            "  it-manager-cto:\n",
            "unknown it-manager-cto; missing it-manager-cio",
        ),
    ],
)
def test_broken_files_are_refused_naming_the_field(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / "cadences.yaml"
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(CatalogError, match=message) as raised:
        load_cadence_catalog(broken)
    assert "cadences.yaml" in raised.value.message
