"""Importing scorecard values from a file: every row is stored with the file as its source, a
second import of the same file replaces the values of the same periods, and any bad row
stops the whole import with a message naming the file and line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from quarterdeck.domain.access import Actor
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.services import scorecard
from quarterdeck.storage import Database, make_engine
from tests.conftest import Factory

NOW = datetime(2026, 3, 16, 12, 0, tzinfo=UTC)  # the workspace lives in UTC: today is 16 March
HEADER = "metric,period_end,value,note\n"
VALUES = (
    HEADER
    + "escaped-defects,2026-02-28,4,two from the billing release\n"
    + "escaped-defects,2026-03-31,1,\n"
    + "audit-findings,2026-03-31,3,ISO surveillance audit\n"
).encode()


@pytest.fixture
def clocked(database_url: str, make: Factory, operator: Actor) -> Iterator[Database]:
    """The same database on a clock stopped at NOW, with two hand-entered count metrics."""
    make.workspace("acme")
    database = Database(make_engine(database_url), clock=lambda: NOW)
    with database.unit_of_work(write=True) as uow:
        for key in ("escaped-defects", "audit-findings"):
            scorecard.add_metric(uow, actor=operator, workspace="acme", key=key)
    yield database
    database.dispose()


def stored(database: Database, operator: Actor) -> dict[tuple[str, date], tuple[Decimal, str, str]]:
    """Every stored value as {(metric, period end): (value, source, note)}."""
    with database.unit_of_work(write=False) as uow:
        found = {}
        for key in ("escaped-defects", "audit-findings"):
            detail = scorecard.detail(uow, actor=operator, workspace="acme", key=key)
            for m in detail.measurements:
                found[key, m.period_end] = (m.value, m.source, m.note)
        return found


def import_file(
    database: Database, operator: Actor, data: bytes, source: str
) -> scorecard.MeasurementImport:
    with database.unit_of_work(write=True) as uow:
        return scorecard.import_measurements(
            uow, actor=operator, workspace="acme", data=data, source=source
        )


def test_every_row_is_stored_with_the_file_as_its_source(
    clocked: Database, operator: Actor
) -> None:
    result = import_file(clocked, operator, VALUES, "quality.csv")
    assert result == scorecard.MeasurementImport(rows=3, added=3, replaced=0)
    assert stored(clocked, operator) == {
        ("escaped-defects", date(2026, 2, 28)): (
            Decimal(4),
            "import:quality.csv",
            "two from the billing release",
        ),
        ("escaped-defects", date(2026, 3, 31)): (Decimal(1), "import:quality.csv", ""),
        ("audit-findings", date(2026, 3, 31)): (
            Decimal(3),
            "import:quality.csv",
            "ISO surveillance audit",
        ),
    }
    with clocked.unit_of_work(write=False) as uow:
        ws = uow.workspaces.by_slug("acme")
        assert ws is not None
        [entry] = [e for e in uow.audit.all_for(ws.id) if e.action == "measurements.imported"]
    assert (entry.entity_id, entry.after) == (
        "quality.csv",
        {"rows": 3, "added": 3, "replaced": 0},
    )


def test_a_second_import_replaces_the_values_of_the_same_period(
    clocked: Database, operator: Actor
) -> None:
    import_file(clocked, operator, VALUES, "quality.csv")
    corrected = (HEADER + "escaped-defects,2026-03-31,2,one more found late\n").encode()
    result = import_file(clocked, operator, corrected, "quality.csv")
    assert result == scorecard.MeasurementImport(rows=1, added=0, replaced=1)
    values = stored(clocked, operator)
    assert len(values) == 3  # replaced, not added beside the first value
    assert values["escaped-defects", date(2026, 3, 31)] == (
        Decimal(2),
        "import:quality.csv",
        "one more found late",
    )
    assert values["escaped-defects", date(2026, 2, 28)][0] == Decimal(4)  # other periods stay
    with clocked.unit_of_work(write=False) as uow:
        [card] = [
            c
            for c in scorecard.show(uow, actor=operator, workspace="acme").cards
            if c.metric.key == "escaped-defects"
        ]
    assert card.latest is not None
    assert card.latest.value == Decimal(2)


@pytest.mark.parametrize(
    ("bad_row", "message"),
    [
        ("lead-time-typo,2026-03-31,5,", r"bad\.csv line 3: metric 'lead-time-typo' is not on"),
        (
            "escaped-defects,2026-03-31,-1,",
            r"bad\.csv line 3: escaped-defects: .*cannot be negative",
        ),
        ("audit-findings,2026-05-01,2,", r"bad\.csv line 3: audit-findings: .*more than a month"),
        ("audit-findings,31/03/2026,2,", r"bad\.csv line 3: column period_end: .*not a date"),
    ],
    ids=["unknown metric", "negative count", "period too far ahead", "malformed date"],
)
def test_a_bad_row_is_named_and_nothing_is_stored(
    clocked: Database, operator: Actor, bad_row: str, message: str
) -> None:
    data = (HEADER + "escaped-defects,2026-02-28,4,a good row first\n" + bad_row + "\n").encode()
    with pytest.raises(InvalidInput, match=message):
        import_file(clocked, operator, data, "bad.csv")
    assert stored(clocked, operator) == {}


def test_every_refused_row_is_listed_in_one_message(clocked: Database, operator: Actor) -> None:
    data = (HEADER + "nothing-like-it,2026-03-31,1,\n" + "audit-findings,2026-03-31,-2,\n").encode()
    with pytest.raises(InvalidInput) as refused:
        import_file(clocked, operator, data, "two.csv")
    assert "two.csv line 2" in refused.value.message
    assert "two.csv line 3" in refused.value.message
    assert refused.value.message.startswith("nothing was imported")
    assert stored(clocked, operator) == {}


def test_a_json_file_is_imported_too(clocked: Database, operator: Actor) -> None:
    document = {
        "kind": "measurements",
        "items": [
            {"metric": "audit-findings", "period_end": "2026-02-28", "value": 5},
            {"metric": "audit-findings", "period_end": "2026-03-31", "value": "2", "note": "ok"},
        ],
    }
    result = import_file(clocked, operator, json.dumps(document).encode(), "audit.json")
    assert result == scorecard.MeasurementImport(rows=2, added=2, replaced=0)
    assert stored(clocked, operator) == {
        ("audit-findings", date(2026, 2, 28)): (Decimal(5), "import:audit.json", ""),
        ("audit-findings", date(2026, 3, 31)): (Decimal(2), "import:audit.json", "ok"),
    }


def test_a_file_over_the_limit_it_is_given_is_refused(clocked: Database, operator: Actor) -> None:
    limit = len(VALUES) - 1
    with pytest.raises(InvalidInput) as refused, clocked.unit_of_work(write=True) as uow:
        scorecard.import_measurements(
            uow, actor=operator, workspace="acme", data=VALUES, source="q.csv", max_bytes=limit
        )
    assert refused.value.message == (
        f"q.csv was not imported: q.csv is {len(VALUES):,} bytes, more than the import limit "
        f"of {limit:,} bytes (QUARTERDECK_IMPORT_MAX_BYTES)"
    )
    assert stored(clocked, operator) == {}
