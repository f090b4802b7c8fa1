"""Exports pushed by scripts: each kind of file imported whole or not at all, once however
often it is sent, and the delivery figures computed from what was imported."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from quarterdeck.domain.access import TokenScope
from quarterdeck.settings import Settings
from quarterdeck.storage import Database
from quarterdeck.web import create_app
from tests.api.routes import FIXTURES
from tests.api.world import (
    ALPHA,
    BRAVO,
    Browsers,
    World,
    audit_rows_of_request,
    row_counts,
    workspace_state,
)

WS = f"/api/v1/workspaces/{ALPHA}"


def script(browsers: Browsers, world: World, scope: TokenScope = TokenScope.WRITE) -> TestClient:
    """A script pushing exports with one of the workspace's tokens."""
    token = world.alpha.token(scope).secret
    return browsers.open(headers={"Authorization": f"Bearer {token}"})


def push(client: TestClient, path: str, fixture: str, *, slug: str = ALPHA, **query: str) -> object:
    content = (FIXTURES / fixture).read_bytes()
    kind = "text/csv" if fixture.endswith(".csv") else "application/json"
    return client.post(
        f"/api/v1/workspaces/{slug}{path}",
        params={"source": fixture.rsplit("/", 1)[-1], **query},
        content=content,
        headers={"Content-Type": kind},
    )


@dataclass(frozen=True)
class Upload:
    path: str
    fixture: str
    state: str  # the workspace_state entry it fills
    rows: int
    stored: int
    query: tuple[tuple[str, str], ...] = ()


UPLOADS = [
    Upload("/deployments/import", "events/deployments.csv", "deployments", 2, 2),
    Upload("/deployments/import", "events/deployments-events.json", "deployments", 4, 4),
    Upload("/incidents/import", "events/incidents-pagerduty.csv", "incidents", 4, 4),
    Upload("/incidents/import", "events/incidents-opsgenie.csv", "incidents", 2, 2),
    Upload("/tickets/import", "events/tickets-service-desk.csv", "tickets", 4, 4),
    Upload("/tickets/import", "events/tickets-with-targets.csv", "tickets", 2, 2),
    Upload("/costs/import", "events/costs-cloud.csv", "cost_lines", 5, 5),
    Upload("/scans", "scans/trivy-image.json", "scans", 9, 1),
    Upload("/scans", "scans/codeql-python.sarif", "scans", 6, 1),
    Upload("/scans", "scans/grype-image.json", "scans", 5, 1),
    Upload("/scans", "scans/pip-audit.json", "scans", 3, 1, (("target", "billing"),)),
]


@pytest.mark.parametrize("upload", UPLOADS, ids=lambda u: u.fixture)
def test_each_kind_of_export_is_imported_once_however_often_it_is_pushed(
    db: Database, browsers: Browsers, world: World, upload: Upload
) -> None:
    client = script(browsers, world)
    first = push(client, upload.path, upload.fixture, **dict(upload.query))
    assert first.status_code == 200, first.text
    answer = first.json()
    assert answer["source"] == upload.fixture.rsplit("/", 1)[-1]
    assert answer["rows"] == upload.rows
    assert (answer["added"], answer["updated"]) == (upload.stored, 0)
    [row] = audit_rows_of_request(db, first.headers["X-Request-ID"])
    assert row["action"] == f"{answer['kind']}.imported"
    stored = workspace_state(db, ALPHA)
    assert len(stored[upload.state]) == upload.stored
    counts = row_counts(db)

    again = push(client, upload.path, upload.fixture, **dict(upload.query))
    assert again.status_code == 200, again.text
    assert (again.json()["added"], again.json()["updated"]) == (0, 0)
    assert again.json()["unchanged"] == upload.stored
    assert audit_rows_of_request(db, again.headers["X-Request-ID"]) == []
    assert row_counts(db) == counts
    assert workspace_state(db, ALPHA) == stored
    assert workspace_state(db, BRAVO)[upload.state] == []


@pytest.mark.parametrize(
    ("path", "fixture", "named"),
    [
        ("/incidents/import", "events/bad-values.csv", "bad-values.csv line 2: column started_at"),
        (
            "/deployments/import",
            "events/missing-column.csv",
            "missing-column.csv line 1: missing required column environment",
        ),
        ("/tickets/import", "events/naive-times.csv", "naive-times.csv line 2: column opened_at"),
        ("/tickets/import", "events/tickets-latin-1.csv", "not UTF-8 text: line 3"),
        (
            "/tickets/import",
            "events/duplicate-ids.csv",
            "duplicate-ids.csv line 4: column ticket_id",
        ),
        ("/costs/import", "events/formula-cells.csv", "formula-cells.csv line 1: unknown columns"),
        ("/deployments/import", "events/sarif-report.json", "looks like a SARIF report"),
        ("/scans", "scans/broken-truncated.sarif", "broken-truncated.sarif is not valid JSON"),
        ("/scans", "scans/broken-trivy-severity.json", "broken-trivy-severity.json"),
        ("/scans", "scans/pip-audit.json", "pip-audit.json does not say what was scanned"),
    ],
)
def test_a_malformed_export_answers_422_naming_file_and_line_and_stores_nothing(
    db: Database, browsers: Browsers, world: World, path: str, fixture: str, named: str
) -> None:
    before, counts = workspace_state(db, ALPHA), row_counts(db)
    answer = push(script(browsers, world), path, fixture)
    assert answer.status_code == 422
    assert named in answer.json()["detail"]
    assert workspace_state(db, ALPHA) == before
    assert row_counts(db) == counts


def test_one_bad_row_keeps_every_good_row_of_the_file_out(
    db: Database, browsers: Browsers, world: World
) -> None:
    exported = (
        "incident_id,service,severity,started_at,resolved_at\n"
        "INC-1,checkout-api,SEV2,2024-03-04T09:12:44Z,2024-03-04T10:03:19Z\n"
        "INC-2,search,SEV3,2024-03-05T22:40:00+01:00,2024-03-06T01:15:00+01:00\n"
        "INC-3,search,SEV3,yesterday,\n"
    )
    counts = row_counts(db)
    answer = script(browsers, world).post(
        f"{WS}/incidents/import",
        params={"source": "pager.csv"},
        content=exported.encode(),
        headers={"Content-Type": "text/csv"},
    )
    assert answer.status_code == 422
    assert "pager.csv line 4: column started_at" in answer.json()["detail"]
    assert "line 2" not in answer.json()["detail"]
    assert row_counts(db) == counts
    assert workspace_state(db, ALPHA)["incidents"] == []


def test_times_without_a_zone_are_read_in_the_workspace_zone_only_when_asked(
    db: Database, browsers: Browsers, world: World
) -> None:
    answer = push(
        script(browsers, world),
        "/tickets/import",
        "events/naive-times.csv",
        assume_workspace_zone="true",
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["added"] == 2
    [note] = answer.json()["notes"]
    assert "times without a zone were read as UTC time" in note  # the tenants' zone
    assert len(workspace_state(db, ALPHA)["tickets"]) == 2


def test_a_scan_is_read_as_the_kind_given_or_refused(browsers: Browsers, world: World) -> None:
    client = script(browsers, world)
    wrong = push(client, "/scans", "scans/trivy-image.json", kind="grype")
    assert wrong.status_code == 422
    assert wrong.json()["detail"] == "trivy-image.json: this looks like a Trivy report, not Grype"
    unknown = push(client, "/scans", "scans/trivy-image.json", kind="nessus")
    assert unknown.status_code == 422
    assert "kind" in unknown.json()["detail"]
    named = push(client, "/scans", "scans/trivy-image.json", kind="trivy", target="payments-api")
    assert named.status_code == 200
    assert named.json()["rows"] == 9


def test_an_upload_must_be_the_file_itself_and_name_its_source(
    db: Database, browsers: Browsers, world: World
) -> None:
    client, counts = script(browsers, world), row_counts(db)
    as_form = client.post(
        f"{WS}/deployments/import",
        params={"source": "deployments.csv"},
        files={"file": ("deployments.csv", (FIXTURES / "events/deployments.csv").read_bytes())},
    )
    assert as_form.status_code == 422
    assert "not as a form" in as_form.json()["detail"]
    unnamed = client.post(
        f"{WS}/deployments/import",
        content=(FIXTURES / "events/deployments.csv").read_bytes(),
        headers={"Content-Type": "text/csv"},
    )
    assert unnamed.status_code == 422
    assert "source" in unnamed.json()["detail"]
    empty = client.post(
        f"{WS}/deployments/import",
        params={"source": "nothing.csv"},
        content=b"",
        headers={"Content-Type": "text/csv"},
    )
    assert empty.status_code == 422
    assert "nothing.csv is empty" in empty.json()["detail"]
    assert row_counts(db) == counts


def test_a_file_beyond_the_import_limit_is_refused_unread(
    settings: Settings, db: Database, world: World
) -> None:
    small = create_app(settings.model_copy(update={"import_max_bytes": 1024}), database=db)
    token = world.alpha.write_token.secret
    counts = row_counts(db)
    with TestClient(small, headers={"Authorization": f"Bearer {token}"}) as client:
        rows = "".join(f"d-{n},api,production,,2024-03-04T09:00:00Z,success\n" for n in range(60))
        content = ("deployment_id,service,environment,commit,finished_at,status\n" + rows).encode()
        answer = client.post(
            f"{WS}/deployments/import",
            params={"source": "big.csv"},
            content=content,
            headers={"Content-Type": "text/csv"},
        )
    assert answer.status_code == 422
    assert answer.json()["detail"] == (
        f"big.csv is {len(content):,} bytes, more than the import limit of 1,024 bytes "
        "(QUARTERDECK_IMPORT_MAX_BYTES)"
    )
    assert row_counts(db) == counts


def test_a_body_sent_in_chunks_is_refused_once_it_passes_the_limit(
    settings: Settings, db: Database, world: World
) -> None:
    small = create_app(settings.model_copy(update={"import_max_bytes": 1024}), database=db)
    token = world.alpha.write_token.secret
    with TestClient(small, headers={"Authorization": f"Bearer {token}"}) as client:
        answer = client.post(
            f"{WS}/costs/import",
            params={"source": "costs.csv"},
            content=iter([b"month,category,cost\n", b"2024-01,compute,10\n" * 100]),
            headers={"Content-Type": "text/csv"},
        )
    assert answer.status_code == 422
    assert answer.json()["detail"] == (
        "costs.csv is more than the import limit of 1,024 bytes (QUARTERDECK_IMPORT_MAX_BYTES)"
    )


def test_a_read_token_cannot_push_and_another_workspace_is_not_found(
    db: Database, browsers: Browsers, world: World
) -> None:
    counts = row_counts(db)
    reader = script(browsers, world, TokenScope.READ)
    assert push(reader, "/costs/import", "events/costs-cloud.csv").status_code == 403
    writer = script(browsers, world)
    assert push(writer, "/costs/import", "events/costs-cloud.csv", slug=BRAVO).status_code == 404
    assert row_counts(db) == counts


def test_delivery_figures_follow_the_imported_deployments_and_incidents(
    browsers: Browsers, world: World
) -> None:
    client = script(browsers, world)
    assert push(client, "/deployments/import", "events/deployments-events.json").status_code == 200
    assert push(client, "/incidents/import", "events/incidents-pagerduty.csv").status_code == 200
    report = client.get(f"{WS}/delivery", params={"start": "2024-03-01", "end": "2024-03-31"})
    assert report.status_code == 200, report.text
    found = report.json()
    assert (found["start"], found["end"]) == ("2024-03-01T00:00:00Z", "2024-04-01T00:00:00Z")
    overall = found["overall"]
    # Two successful production deployments: gha-8812240 counts once, the staging one not.
    assert overall["frequency"]["count"] == 2
    assert overall["frequency"]["band"]["edition"] == "2023"
    assert overall["frequency"]["band"]["band"] == "medium"
    failure = overall["change_failure_rate"]
    # Incident 1847 names the commit that gha-8812231 deployed.
    assert (failure["failed"], failure["deployments"], failure["rate"]) == (1, 2, 0.5)
    assert failure["unlinked_by_rule"] == {"no-earlier-deployment": 2, "unresolved-cause": 1}
    assert "divides by deployments, never by changes" in failure["notes"][0]
    restore = overall["time_to_restore"]
    assert (restore["count"], restore["unresolved"]) == (3, 1)
    assert restore["median_hours"] == pytest.approx(50 / 60 + 35 / 3600)
    assert restore["band"]["band"] == "elite"
    assert overall["time_to_acknowledge"]["count"] == 3
    assert overall["lead_time"]["count"] == 0
    assert overall["lead_time"]["band"]["band"] is None
    assert "no figure in the window" in overall["lead_time"]["band"]["note"]
    assert [s["service"] for s in found["services"]] == ["checkout-api"]

    choices = client.get(f"{WS}/delivery/choices").json()
    changed = client.put(
        f"{WS}/delivery/choices",
        json={
            **{
                k: v for k, v in choices.items() if k not in {"version", "start_points", "releases"}
            },
            "expected_version": choices["version"],
            "bands_edition": "2021",
        },
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["version"] == choices["version"] + 1
    regraded = client.get(f"{WS}/delivery", params={"start": "2024-03-01", "end": "2024-03-31"})
    frequency = regraded.json()["overall"]["frequency"]
    assert frequency["band"]["edition"] == "2021"
    assert frequency["band"]["note"].startswith("DORA 2021 band:")
