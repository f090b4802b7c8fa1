from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import Invoke


@pytest.fixture
def acme(cli: Invoke) -> Invoke:
    cli("workspace", "create", "acme", "--name", "Acme", "--time-zone", "Europe/Berlin")
    return cli


def new(cli: Invoke, title: str, *extra: str) -> str:
    result = cli("decision", "new", "acme", "--title", title, "--area", "architecture", *extra)
    assert result.exit_code == 0, result.output
    return result.output


def test_record_list_show_and_accept(acme: Invoke) -> None:
    assert "Recorded D-1 (proposed)" in new(
        acme,
        "Adopt feature flags",
        "--decider",
        "cto@acme.example",
        "--tag",
        "delivery",
        "--one-way",
        "--spend",
        "1200.50",
        "--revisit-on",
        "2027-01-15",
    )
    listed = json.loads(acme("decision", "list", "acme", "--json").output)
    assert listed["total"] == 1
    shown = json.loads(acme("decision", "show", "acme", "D-1", "--json").output)
    assert shown["content"]["reversibility"] == "one-way"
    assert shown["content"]["estimated_spend"] == "1200.50"
    assert shown["content"]["deciders"] == ["cto@acme.example"]
    assert "accepted" in acme("decision", "accept", "acme", "1").output
    refused = acme("decision", "reject", "acme", "D-1")
    assert refused.exit_code == 1
    assert "cannot become rejected" in refused.output


def test_edit_keeps_history(acme: Invoke) -> None:
    new(acme, "Adopt feature flags")
    assert (
        acme("decision", "edit", "acme", "D-1", "--context", "Releases are risky.").exit_code == 0
    )
    history = json.loads(acme("decision", "history", "acme", "D-1", "--json").output)
    assert [h["revision"] for h in history] == [1, 2]


def test_supersede_and_due(acme: Invoke) -> None:
    new(acme, "Run our own Kafka", "--revisit-on", "2020-01-01")
    new(acme, "Use a managed event bus")
    acme("decision", "accept", "acme", "1")
    assert [d["key"] for d in json.loads(acme("decision", "due", "acme", "--json").output)] == [
        "D-1"
    ]
    acme("decision", "accept", "acme", "2")
    assert acme("decision", "supersede", "acme", "D-1", "--by", "D-2").exit_code == 0
    shown = json.loads(acme("decision", "show", "acme", "1", "--json").output)
    assert shown["status"] == "superseded"
    assert shown["links"][0]["label"] == "superseded by"
    assert json.loads(acme("decision", "due", "acme", "--json").output) == []


def test_bad_numbers_and_missing_decisions_are_one_clear_line(acme: Invoke) -> None:
    assert "not a decision number" in acme("decision", "show", "acme", "X-1").output
    missing = acme("decision", "show", "acme", "D-99")
    assert missing.exit_code == 1
    assert "D-99 not found" in missing.output
    assert (
        "must be a number"
        in acme(
            "decision", "new", "acme", "--title", "t", "--area", "process", "--spend", "lots"
        ).output
    )


FIXTURES = Path(__file__).resolve().parent.parent / "ingest" / "fixtures"


def test_adr_import_dry_run_writes_nothing_then_import_and_export_round_trip(
    acme: Invoke, tmp_path: Path
) -> None:
    source = FIXTURES / "madr4"
    dry = acme("decision", "import-adr", "acme", str(source), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Dry run" in dry.output
    assert json.loads(acme("decision", "list", "acme", "--json").output)["total"] == 0
    done = acme("decision", "import-adr", "acme", str(source))
    assert done.exit_code == 0, done.output
    imported = json.loads(acme("decision", "list", "acme", "--json", "--limit", "500").output)
    assert imported["total"] > 0
    out = tmp_path / "adr"
    assert acme("decision", "export-adr", "acme", str(out), "--format", "madr").exit_code == 0
    acme("workspace", "create", "copy", "--name", "Copy")
    assert acme("decision", "import-adr", "copy", str(out)).exit_code == 0
    again = json.loads(acme("decision", "list", "copy", "--json", "--limit", "500").output)

    def essence(page: dict) -> list:
        return sorted(
            (d["number"], d["status"], d["content"]["title"], d["content"]["context"])
            for d in page["items"]
        )

    assert essence(again) == essence(imported)


def test_adr_import_refuses_everything_when_one_file_is_unreadable(acme: Invoke) -> None:
    result = acme("decision", "import-adr", "acme", str(FIXTURES / "hostile"))
    assert result.exit_code == 1
    assert "nothing was" in result.output
    assert json.loads(acme("decision", "list", "acme", "--json").output)["total"] == 0


def test_demo_has_a_believable_decision_log(cli: Invoke) -> None:
    cli("demo")
    log = json.loads(cli("decision", "list", "harbourline", "--json", "--limit", "500").output)
    statuses = {d["status"] for d in log["items"]}
    assert log["total"] >= 20
    assert statuses == {"proposed", "accepted", "rejected", "deprecated", "superseded"}
    assert len({d["content"]["area"] for d in log["items"]}) >= 10
    assert json.loads(cli("decision", "due", "harbourline", "--json").output)
    cli("demo")  # building it again keeps the log as it is
    again = json.loads(cli("decision", "list", "harbourline", "--json").output)
    assert again["total"] == log["total"]
