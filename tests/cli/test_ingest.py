"""`quarterdeck ingest`: git history and files of engineering records go in, each command
says what it added, updated and left, and a bad file or path changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.conftest import Invoke
from tests.ingest.git_support import commit, make_repo, tag

FIXTURES = Path(__file__).resolve().parent.parent / "ingest" / "fixtures"
EVENTS = FIXTURES / "events"
SCANS = FIXTURES / "scans"
INCIDENTS = (
    "incident_id,service,severity,started_at,acknowledged_at,resolved_at\n"
    "INC-1,shop,sev2,2026-03-12T12:00:00Z,2026-03-12T12:30:00Z,2026-03-12T15:00:00Z\n"
)


def shop_repository(root: Path) -> Path:
    """v1.0.0 ships the first commit; v1.1.0 ships two commits made 27 h and 14 h before
    it (one at +01:00), and one commit is not released yet."""
    repo = make_repo(root / "shop")
    commit(repo, "first", authored="2026-03-02T09:00:00+00:00")
    tag(repo, "v1.0.0", at="2026-03-10T10:00:00+00:00")
    commit(repo, "checkout fix", authored="2026-03-11T08:00:00+01:00")
    commit(repo, "faster search", authored="2026-03-11T20:00:00+00:00")
    tag(repo, "v1.1.0", at="2026-03-12T10:00:00+00:00")
    commit(repo, "not yet released", authored="2026-03-13T09:00:00+00:00")
    return repo


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "220")


@pytest.fixture
def acme(cli: Invoke) -> Invoke:
    cli("workspace", "create", "acme", "--name", "Acme", "--time-zone", "Europe/Berlin")
    return cli


def audit_actions(cli: Invoke) -> list[str]:
    return [e["action"] for e in json.loads(cli("audit", "acme", "--json").stdout)]


def test_git_ingest_reports_commits_and_release_tags_then_reads_only_new_ones(
    acme: Invoke, tmp_path: Path
) -> None:
    repo = shop_repository(tmp_path)
    first = acme("ingest", "git", "acme", str(repo), "--release-tags", "v*", "--service", "shop")
    assert first.exit_code == 0, first.output
    assert "Read shop into acme: 4 new commit(s), 2 tag(s)." in first.output
    assert "2 release tag(s) count as production deployments." in first.output
    commit(repo, "later", authored="2026-03-14T09:00:00+00:00")
    again = json.loads(acme("ingest", "git", "acme", str(repo), "--json").stdout)
    # the release rule is kept from the first read
    assert again == {
        "repository": "shop",
        "commits_added": 1,
        "tags": 2,
        "deployments_from_tags": 2,
    }


def test_git_ingest_then_delivery_shows_the_computed_figures(acme: Invoke, tmp_path: Path) -> None:
    repo = shop_repository(tmp_path)
    acme("ingest", "git", "acme", str(repo), "--release-tags", "v*", "--service", "shop")
    incidents = tmp_path / "incidents.csv"
    incidents.write_text(INCIDENTS, encoding="utf-8")
    assert acme("ingest", "incidents", "acme", str(incidents)).exit_code == 0
    window = ("--from", "2026-03-01", "--to", "2026-03-31")
    report = json.loads(acme("scorecard", "delivery", "acme", *window, "--json").stdout)
    overall = report["overall"]
    assert overall["deployment_frequency"]["deployments"] == 2
    assert overall["lead_time"]["median_hours"] == 20.5  # the mean of 27 h and 14 h
    assert overall["lead_time"]["excluded_baseline"] == 1  # v1.0.0 has no predecessor
    assert overall["change_failure_rate"]["rate"] == 0.5  # INC-1 began 2 h after v1.1.0
    assert overall["time_to_restore"]["median_hours"] == 3.0
    assert overall["time_to_acknowledge"]["median_hours"] == 0.5
    assert overall["lead_time"]["band"]["band"] == "elite"
    assert [s["service"] for s in report["services"]] == ["shop"]
    shown = acme("scorecard", "delivery", "acme", *window)
    assert shown.exit_code == 0, shown.output
    for fragment in (
        "Delivery of acme from 2026-03-01 00:00 to 2026-04-01 00:00 (Europe/Berlin), "
        "graded by the DORA 2023 bands.",
        "│ Lead time for changes │ 20.5 h median │ 2 changes",
        "│ Change failure rate   │ 50%           │ 1 of 2 deployments",
        "│ Time to acknowledge   │ 30 min median │ 1 incidents",
        "DORA 2023 band: elite (< 1 day).",
        "1 changes shipped by a service's first deployment are excluded",
        "What the figures count (shop): the same as for all services.",
    ):
        assert fragment in shown.output


def test_git_ingest_without_release_tags_says_how_to_count_deployments(
    acme: Invoke, tmp_path: Path
) -> None:
    result = acme("ingest", "git", "acme", str(shop_repository(tmp_path)), "--name", "web")
    assert result.exit_code == 0, result.output
    assert "Read web into acme: 4 new commit(s), 2 tag(s)." in result.output
    assert "No tag counts as a deployment: give --release-tags" in result.output


def test_a_path_that_is_no_git_repository_is_one_red_line(acme: Invoke, tmp_path: Path) -> None:
    result = acme("ingest", "git", "acme", str(tmp_path))
    assert result.exit_code == 1
    assert result.output == (
        f"error: {tmp_path} is not a git repository (give the folder that holds .git, "
        "or a bare repository)\n"
    )
    missing = acme("ingest", "git", "acme", str(tmp_path / "nowhere"))
    assert missing.exit_code == 1
    assert "nowhere does not exist" in missing.output
    lonely = acme("ingest", "git", "acme", str(tmp_path), "--service", "shop")
    assert "give --release-tags as well" in lonely.output
    assert "git.ingested" not in audit_actions(acme)


def test_deployment_events_from_csv_and_json_are_counted_once(acme: Invoke) -> None:
    result = acme("ingest", "deployments", "acme", str(EVENTS / "deployments.csv"))
    assert result.exit_code == 0, result.output
    assert (
        "deployments.csv into acme (deployments, 2 row(s)): 2 added, 0 updated, 0 unchanged."
        in result.output
    )
    events = acme("ingest", "deployments", "acme", str(EVENTS / "deployments-events.json"))
    assert "note: columns read under other names: commitSha as commit" in events.output
    again = json.loads(
        acme("ingest", "deployments", "acme", str(EVENTS / "deployments.csv"), "--json").stdout
    )
    assert again == {
        "kind": "deployments",
        "source": "deployments.csv",
        "rows": 2,
        "added": 0,
        "updated": 0,
        "unchanged": 2,
        "notes": [],
    }


def test_incident_and_ticket_exports_print_the_readers_notes(acme: Invoke) -> None:
    incidents = acme("ingest", "incidents", "acme", str(EVENTS / "incidents-pagerduty.csv"))
    assert incidents.exit_code == 0, incidents.output
    assert "4 added, 0 updated, 0 unchanged." in incidents.output
    assert "incident_number as incident_id" in incidents.output
    tickets = acme("ingest", "tickets", "acme", str(EVENTS / "tickets-service-desk.csv"))
    assert "tickets-service-desk.csv into acme (tickets, 4 row(s)): 4 added" in tickets.output
    costs = acme("ingest", "costs", "acme", str(EVENTS / "costs-cloud.csv"))
    assert costs.exit_code == 0, costs.output
    assert "note: amounts are in EUR" in costs.output


def test_times_without_a_zone_need_the_workspace_zone(cli: Invoke) -> None:
    cli("workspace", "create", "acme", "--name", "Acme", "--time-zone", "Europe/Berlin")
    cli("workspace", "create", "utc", "--name", "In UTC")
    naive = str(EVENTS / "naive-times.csv")
    refused = cli("ingest", "tickets", "acme", naive)
    assert refused.exit_code == 1
    assert "naive-times.csv line 2: column opened_at: '2024-03-04 09:00' has no time zone" in (
        refused.output
    )
    # 02:30 on 31 March 2024 never happened in Berlin: the clocks went from 02:00 to 03:00
    gap = cli("ingest", "tickets", "acme", naive, "--assume-workspace-zone")
    assert gap.exit_code == 1
    assert "line 3: column opened_at: '2024-03-31T02:30:00' does not exist in Europe/Berlin" in (
        gap.output
    )
    taken = json.loads(
        cli("ingest", "tickets", "utc", naive, "--assume-workspace-zone", "--json").stdout
    )
    assert (taken["added"], taken["rows"]) == (2, 2)


def test_a_malformed_file_names_file_and_line_and_changes_nothing(acme: Invoke) -> None:
    result = acme("ingest", "incidents", "acme", str(EVENTS / "bad-values.csv"))
    assert result.exit_code == 1
    assert result.output.startswith("error: bad-values.csv was not imported: bad-values.csv line 2")
    assert "bad-values.csv line 3: column cause_commit: 'not-a-sha' is not a commit sha" in (
        result.output
    )
    missing = acme("ingest", "deployments", "acme", str(EVENTS / "missing-column.csv"))
    assert "missing-column.csv line 1: missing required column environment" in missing.output
    assert audit_actions(acme) == ["workspace.created"]


def test_scanner_reports_are_recognised_and_a_repeat_adds_nothing(acme: Invoke) -> None:
    trivy = str(SCANS / "trivy-image.json")
    first = acme("ingest", "scan", "acme", trivy)
    assert first.exit_code == 0, first.output
    assert "trivy-image.json into acme (scan, 9 row(s)): 1 added" in first.output
    assert json.loads(acme("ingest", "scan", "acme", trivy, "--json").stdout)["unchanged"] == 1
    untargeted = acme("ingest", "scan", "acme", str(SCANS / "pip-audit.json"))
    assert untargeted.exit_code == 1
    assert "pip-audit.json does not say what was scanned" in untargeted.output
    targeted = acme(
        "ingest", "scan", "acme", str(SCANS / "pip-audit.json"), "--target", "billing-api"
    )
    assert targeted.exit_code == 0, targeted.output
    forced = acme("ingest", "scan", "acme", str(SCANS / "grype-image.json"), "--kind", "sarif")
    assert forced.exit_code == 1
    assert "grype-image.json: this looks like a Grype report, not SARIF" in forced.output
    broken = acme("ingest", "scan", "acme", str(SCANS / "broken-truncated.sarif"))
    assert "broken-truncated.sarif is not valid JSON" in broken.output


def test_missing_unreadable_and_oversized_files_are_refused(
    acme: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = acme("ingest", "costs", "acme", str(tmp_path / "nowhere.csv"))
    assert missing.exit_code == 1
    assert (
        missing.output
        == f"error: cannot read {tmp_path / 'nowhere.csv'}: No such file or directory\n"
    )
    folder = acme("ingest", "deployments", "acme", str(tmp_path))
    assert folder.output == f"error: {tmp_path} is not a file\n"
    big = tmp_path / "big.csv"
    big.write_text("deployment_id\n" + "d-1\n" * 600, encoding="utf-8")
    monkeypatch.setenv("QUARTERDECK_IMPORT_MAX_BYTES", "1024")
    oversized = acme("ingest", "deployments", "acme", str(big))
    assert oversized.exit_code == 1
    assert " ".join(oversized.output.split()) == (
        f"error: {big} is {big.stat().st_size:,} bytes, more than the import limit of 1,024 "
        "bytes (QUARTERDECK_IMPORT_MAX_BYTES)"
    )


def test_a_file_over_eight_mib_is_imported_when_the_limit_is_raised(
    acme: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    item = {
        "deployment_id": "d-1",
        "service": "api",
        "environment": "production",
        "finished_at": "2024-03-04T09:07:31Z",
        "status": "success",
    }
    big = tmp_path / "deployments.json"
    # Whitespace after the document makes a large file that stays quick to read.
    big.write_bytes(json.dumps({"items": [item]}).encode() + b" " * (9 * 2**20))
    monkeypatch.setenv("QUARTERDECK_IMPORT_MAX_BYTES", str(16 * 2**20))
    result = acme("ingest", "deployments", "acme", str(big), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["added"] == 1
    monkeypatch.setenv("QUARTERDECK_IMPORT_MAX_BYTES", str(4 * 2**20))
    refused = acme("ingest", "deployments", "acme", str(big))
    assert refused.exit_code == 1
    assert "more than the import limit of 4,194,304 bytes" in " ".join(refused.output.split())


def test_an_unknown_workspace_is_named(cli: Invoke) -> None:
    result = cli("ingest", "deployments", "nobody", str(EVENTS / "deployments.csv"))
    assert result.exit_code == 1
    assert "workspace 'nobody' not found" in result.output
