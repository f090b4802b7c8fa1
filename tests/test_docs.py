"""The documentation is generated from the code and kept current by these tests."""

from __future__ import annotations

from pathlib import Path

from quarterdeck.cli.app import app
from quarterdeck.cli.reference import render_reference, render_summary, with_summary
from quarterdeck.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
REGENERATE = "out of date: run `make docs`"


def test_cli_reference_matches_every_commands_help() -> None:
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == render_reference(app), (
        REGENERATE
    )


def test_readme_command_table_lists_every_command() -> None:
    assert with_summary(README, render_summary(app)) == README, REGENERATE


def test_every_setting_is_documented_in_the_readme() -> None:
    for name in Settings.model_fields:
        assert f"`QUARTERDECK_{name.upper()}`" in README, f"QUARTERDECK_{name.upper()} undocumented"


def test_readme_shows_the_two_commands() -> None:
    assert "make run" in README
    assert "make test" in README
