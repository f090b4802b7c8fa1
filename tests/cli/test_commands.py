from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from quarterdeck.cli.app import app
from tests.cli.conftest import Invoke

PASSWORD = "a long enough password\n"


def test_init_twice_is_safe_and_reports_the_schema(cli: Invoke) -> None:
    result = cli("init")
    assert result.exit_code == 0
    assert "Database ready at schema" in result.output


def test_commands_refuse_an_uninitialised_database(tmp_path: object) -> None:
    result = CliRunner().invoke(
        app, ["--db", f"sqlite:///{tmp_path}/empty.db", "workspace", "list"]
    )
    assert result.exit_code == 1
    assert "run `quarterdeck init`" in result.output


def test_workspace_create_list_and_show_as_json(cli: Invoke) -> None:
    created = cli(
        "workspace",
        "create",
        "acme",
        "--name",
        "Acme",
        "--stage",
        "scale-up",
        "--headcount",
        "120",
        "--engineering-headcount",
        "30",
        "--regulated",
        "--time-zone",
        "Europe/Berlin",
    )
    assert created.exit_code == 0, created.output
    listed = json.loads(cli("workspace", "list", "--json").output)
    assert [w["slug"] for w in listed] == ["acme"]
    shown = json.loads(cli("workspace", "show", "acme", "--json").output)
    assert shown["time_zone"] == "Europe/Berlin"
    assert shown["profile"]["stage"] == "scale-up"
    assert shown["profile"]["regulated"] is True
    assert shown["profile"]["engineering_headcount"] == 30


def test_bad_profile_value_is_one_clear_line_and_creates_nothing(cli: Invoke) -> None:
    result = cli("workspace", "create", "acme", "--name", "Acme", "--stage", "galactic")
    assert result.exit_code == 1
    assert "stage must be one of startup, scale-up, enterprise" in result.output
    assert json.loads(cli("workspace", "list", "--json").output) == []


def test_duplicate_slug_is_refused(cli: Invoke) -> None:
    cli("workspace", "create", "acme", "--name", "Acme")
    result = cli("workspace", "create", "acme", "--name", "Other")
    assert result.exit_code == 1
    assert "already exists" in result.output


def test_users_members_and_roles(cli: Invoke) -> None:
    assert (
        cli(
            "user", "add", "lead@example.com", "--name", "Lead", "--password-stdin", input=PASSWORD
        ).exit_code
        == 0
    )
    assert cli("user", "add", "ceo@example.com", "--generate").exit_code == 0
    assert (
        cli(
            "workspace", "create", "acme", "--name", "Acme", "--owner", "lead@example.com"
        ).exit_code
        == 0
    )
    assert cli("member", "add", "acme", "ceo@example.com", "--role", "viewer").exit_code == 0
    members = json.loads(cli("member", "list", "acme", "--json").output)
    assert {m["email"]: m["role"] for m in members} == {
        "lead@example.com": "owner",
        "ceo@example.com": "viewer",
    }
    last_owner = cli("member", "remove", "acme", "lead@example.com")
    assert last_owner.exit_code == 1
    assert "at least one owner" in last_owner.output
    assert cli("member", "remove", "acme", "ceo@example.com").exit_code == 0


def test_short_password_is_refused(cli: Invoke) -> None:
    result = cli("user", "add", "x@example.com", "--password-stdin", input="short\n")
    assert result.exit_code == 1
    assert "at least 12 characters" in result.output


def test_token_is_printed_once_and_listed_without_secret(cli: Invoke) -> None:
    cli("workspace", "create", "acme", "--name", "Acme")
    created = cli(
        "token", "create", "acme", "--name", "CI", "--scope", "write", "--expires", "2999-01-01"
    )
    assert created.exit_code == 0, created.output
    secret = created.output.strip().splitlines()[-1]
    assert secret.startswith("qd_")
    listed = cli("token", "list", "acme", "--json").output
    assert secret not in listed
    token = json.loads(listed)[0]
    assert (token["scope"], token["revoked_at"]) == ("write", None)
    assert cli("token", "revoke", "acme", str(token["id"])).exit_code == 0
    assert json.loads(cli("token", "list", "acme", "--json").output)[0]["revoked_at"]


def test_token_of_another_workspace_cannot_be_revoked_through_this_one(cli: Invoke) -> None:
    cli("workspace", "create", "acme", "--name", "Acme")
    cli("workspace", "create", "other", "--name", "Other")
    cli("token", "create", "other", "--name", "CI")
    token_id = json.loads(cli("token", "list", "other", "--json").output)[0]["id"]
    result = cli("token", "revoke", "acme", str(token_id))
    assert result.exit_code == 1
    assert "not found" in result.output
    assert json.loads(cli("token", "list", "other", "--json").output)[0]["revoked_at"] is None


def test_audit_lists_changes_newest_first(cli: Invoke) -> None:
    cli("workspace", "create", "acme", "--name", "Acme")
    cli("token", "create", "acme", "--name", "CI")
    entries = json.loads(cli("audit", "acme", "--json").output)
    assert [e["action"] for e in entries] == ["token.created", "workspace.created"]
    assert entries[0]["actor"].startswith("operator:")


def test_demo_builds_a_labelled_organisation_and_is_repeatable(cli: Invoke) -> None:
    first = cli("demo")
    assert first.exit_code == 0, first.output
    assert "cto@harbourline.example" in first.output
    second = cli("demo", "--password", "a chosen demo password")
    assert "a chosen demo password" in second.output
    shown = json.loads(cli("workspace", "show", "harbourline", "--json").output)
    assert shown["demo"] is True
    members = json.loads(cli("member", "list", "harbourline", "--json").output)
    assert {m["role"] for m in members} == {"owner", "editor", "viewer"}


def test_demo_generates_a_year_of_engineering_records_in_the_folder_given(
    cli: Invoke, tmp_path: Path
) -> None:
    folder = tmp_path / "harbourline-records"
    first = cli("demo", "--data-dir", str(folder))
    assert first.exit_code == 0, first.output
    assert f"engineering records was generated in {folder}" in first.output
    assert (folder / "harbourline-monorepo.git").is_dir()
    assert (folder / "incidents.csv").is_file()
    again = cli("demo", "--data-dir", str(folder))  # the workspace exists: nothing is rebuilt
    assert again.exit_code == 0, again.output
    assert "generated in" not in again.output


def test_demo_refuses_a_data_folder_it_did_not_make(cli: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    result = cli("demo", "--data-dir", str(folder))
    assert result.exit_code == 1
    assert "holds files the demo did not make" in result.output
    assert json.loads(cli("workspace", "list", "--json").output) == []
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]


def test_demo_passwords_are_generated_not_fixed(cli: Invoke) -> None:
    first = cli("demo").output.strip().splitlines()[-1]
    second = cli("demo").output.strip().splitlines()[-1]
    assert first != second
