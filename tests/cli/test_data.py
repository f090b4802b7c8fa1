from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quarterdeck.cli.app import app
from tests.cli.conftest import Invoke


@pytest.fixture
def acme(cli: Invoke) -> Invoke:
    cli("user", "add", "lead@example.com", "--generate")
    cli("workspace", "create", "acme", "--name", "Acme", "--owner", "lead@example.com")
    return cli


def test_export_then_import_under_another_slug_round_trips(acme: Invoke, tmp_path: Path) -> None:
    document = tmp_path / "acme.json"
    assert acme("export", "acme", "-o", str(document)).exit_code == 0
    imported = acme("import", str(document), "--as", "acme-copy")
    assert imported.exit_code == 0, imported.output
    assert "acme-copy" in imported.output
    copy = json.loads(acme("member", "list", "acme-copy", "--json").output)
    assert copy == json.loads(acme("member", "list", "acme", "--json").output)


def test_export_to_stdout_is_canonical_json(acme: Invoke) -> None:
    result = acme("export", "acme")
    document = json.loads(result.output)
    assert document["format"] == "quarterdeck.workspace"
    assert (
        result.output == json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    )


def test_import_refuses_a_taken_slug_and_a_malformed_file(acme: Invoke, tmp_path: Path) -> None:
    document = tmp_path / "acme.json"
    acme("export", "acme", "-o", str(document))
    taken = acme("import", str(document))
    assert taken.exit_code == 1
    assert "acme" in taken.output
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": ', encoding="utf-8")
    malformed = acme("import", str(broken))
    assert malformed.exit_code == 1
    assert "JSON" in malformed.output
    assert [w["slug"] for w in json.loads(acme("workspace", "list", "--json").output)] == ["acme"]


def test_import_of_a_missing_file_names_it(acme: Invoke, tmp_path: Path) -> None:
    result = acme("import", str(tmp_path / "nowhere.json"))
    assert result.exit_code == 1
    assert "nowhere.json" in result.output


def test_backup_and_restore_bring_back_the_saved_state(
    acme: Invoke, tmp_path: Path, database_url: str
) -> None:
    backup = tmp_path / "backup.bin"
    made = acme("backup", str(backup))
    assert made.exit_code == 0, made.output
    acme("workspace", "create", "later", "--name", "Made after the backup")
    restored = acme("restore", str(backup), "--yes")
    assert restored.exit_code == 0, restored.output
    slugs = [w["slug"] for w in json.loads(acme("workspace", "list", "--json").output)]
    assert slugs == ["acme"]


def test_restore_asks_before_replacing_everything(acme: Invoke, tmp_path: Path) -> None:
    backup = tmp_path / "backup.bin"
    acme("backup", str(backup))
    acme("workspace", "create", "later", "--name", "Later")
    declined = acme("restore", str(backup), input="n\n")
    assert declined.exit_code == 1
    assert len(json.loads(acme("workspace", "list", "--json").output)) == 2


def test_restore_refuses_a_file_that_is_not_a_backup(acme: Invoke, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all")
    result = acme("restore", str(junk), "--yes")
    assert result.exit_code == 1
    assert "junk.db" in result.output
    assert [w["slug"] for w in json.loads(acme("workspace", "list", "--json").output)] == ["acme"]


def test_database_url_can_come_from_the_environment(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/env.db"
    runner = CliRunner()
    env = {"QUARTERDECK_DATABASE_URL": url}
    assert runner.invoke(app, ["init"], env=env).exit_code == 0
    assert runner.invoke(app, ["workspace", "create", "x", "--name", "X"], env=env).exit_code == 0
    flag = runner.invoke(app, ["--db", url, "workspace", "list", "--json"], env={})
    assert [w["slug"] for w in json.loads(flag.output)] == ["x"]
