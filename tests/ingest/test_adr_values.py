"""How statuses, dates, numbers, areas and links written in many ways are read."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from quarterdeck.domain.decisions import DecisionStatus, LinkKind
from quarterdeck.ingest.adr import read_adr_directory
from tests.ingest.adr_support import read_one


def madr2(status: str = "accepted", when: str = "2020-11-27", extra: str = "") -> str:
    return (
        f"# Use a queue for order events\n\n* Status: {status}\n* Date: {when}\n{extra}\n"
        "## Context and Problem Statement\n\nOrders are lost when the mailer is down.\n"
    )


@pytest.mark.parametrize(
    ("written", "status"),
    [
        ("accepted", DecisionStatus.ACCEPTED),
        ("Accepted", DecisionStatus.ACCEPTED),
        ("✅ Accepted", DecisionStatus.ACCEPTED),
        ("**Proposed**", DecisionStatus.PROPOSED),
        ("_Rejected_", DecisionStatus.REJECTED),
        ("Deprecated 🗑", DecisionStatus.DEPRECATED),
        ("Accepted on 2021-01-02", DecisionStatus.ACCEPTED),
        ("superseded", DecisionStatus.SUPERSEDED),
        ("Superceded", DecisionStatus.SUPERSEDED),
        ("approved", DecisionStatus.ACCEPTED),
        ("draft", DecisionStatus.PROPOSED),
        ("in review", DecisionStatus.PROPOSED),
        ("[proposed | rejected | accepted | deprecated]", DecisionStatus.PROPOSED),
    ],
)
def test_statuses_are_read_however_they_are_decorated(
    tmp_path: Path, written: str, status: DecisionStatus
) -> None:
    assert read_one(tmp_path, madr2(status=written)).status is status


@pytest.mark.parametrize(
    ("written", "note"),
    [
        ("draft", "status 'draft' is not a Quarterdeck status; taken as proposed"),
        ("In review", "status 'In review' is not a Quarterdeck status; taken as proposed"),
        ("approved", "status 'approved' read as accepted"),
    ],
)
def test_a_status_that_is_not_quarterdecks_is_noted(
    tmp_path: Path, written: str, note: str
) -> None:
    assert note in read_one(tmp_path, madr2(status=written)).notes


def test_a_status_with_a_date_gives_the_date_when_there_is_no_other(tmp_path: Path) -> None:
    text = madr2(status="Accepted on 2021-01-02").replace("* Date: 2020-11-27\n", "")
    assert read_one(tmp_path, text).decided_on == date(2021, 1, 2)


def test_without_any_status_a_record_is_proposed_and_the_report_says_so(tmp_path: Path) -> None:
    (tmp_path / "0001-x.md").write_text("# 1. A bare record\n", encoding="utf-8")
    result = read_adr_directory(tmp_path)
    (record,) = result.records
    assert record.status is DecisionStatus.PROPOSED
    assert "no status found; taken as proposed" in record.notes
    assert result.report[0].problems == (
        "no status",
        "no date",
        "no Context section",
        "no Decision section",
        "no Consequences section",
    )


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2020-11-27", date(2020, 11, 27)),
        ("2020/11/27", date(2020, 11, 27)),
        ("27/11/2020", date(2020, 11, 27)),
        ("27.11.2020", date(2020, 11, 27)),
        ("27-11-2020", date(2020, 11, 27)),
        ("November 27, 2020", date(2020, 11, 27)),
        ("Nov 27 2020", date(2020, 11, 27)),
        ("27 November 2020", date(2020, 11, 27)),
        ("27th Nov. 2020", date(2020, 11, 27)),
        ("2020-11-27T09:30:00Z", date(2020, 11, 27)),
        ("11/27/2020", date(2020, 11, 27)),
        ("04/03/2021", date(2021, 3, 4)),
    ],
)
def test_dates_are_read_in_the_ways_people_write_them(
    tmp_path: Path, written: str, expected: date
) -> None:
    assert read_one(tmp_path, madr2(when=written)).decided_on == expected


def test_an_ambiguous_date_is_read_day_first_and_said(tmp_path: Path) -> None:
    record = read_one(tmp_path, madr2(when="04/03/2021"))
    assert "date '04/03/2021' read as day/month/year" in record.notes


def test_a_date_that_cannot_be_read_is_left_empty_and_reported(tmp_path: Path) -> None:
    (tmp_path / "0001-x.md").write_text(madr2(when="sometime in spring"), encoding="utf-8")
    result = read_adr_directory(tmp_path)
    assert result.records[0].decided_on is None
    assert "date sometime in spring not understood; left empty" in result.report[0].problems


def test_a_date_and_status_on_one_line_are_both_read(tmp_path: Path) -> None:
    text = "# 3. Count logins in the database\n\nDate: 2026-11-25 · Status: accepted\n\nBody.\n"
    record = read_one(tmp_path, text, name="0003-count-logins.md")
    assert (record.number, record.status, record.decided_on) == (
        3,
        DecisionStatus.ACCEPTED,
        date(2026, 11, 25),
    )
    assert record.content.context == "Body."


@pytest.mark.parametrize(
    ("name", "title", "number", "shown"),
    [
        ("0012-adopt-grpc.md", "# 12. Adopt gRPC", 12, "Adopt gRPC"),
        ("ADR-012-adopt-grpc.md", "# ADR-012: Adopt gRPC", 12, "Adopt gRPC"),
        ("adopt-grpc.md", "# ADR 12 - Adopt gRPC", 12, "Adopt gRPC"),
        ("0012-adopt-grpc.md", "# 2024 plan for gRPC", 12, "2024 plan for gRPC"),
        ("0012-adopt-grpc.md", "# 11. Adopt gRPC", 12, "11. Adopt gRPC"),
    ],
)
def test_numbers_come_from_the_file_name_then_the_title(
    tmp_path: Path, name: str, title: str, number: int, shown: str
) -> None:
    record = read_one(tmp_path, f"{title}\n\n* Status: accepted\n", name=name)
    assert (record.number, record.content.title) == (number, shown)


def test_adr_zero_is_renumbered_after_the_others(tmp_path: Path) -> None:
    for name in ("0000-use-madr.md", "0001-use-kafka.md", "0002-use-go.md"):
        (tmp_path / name).write_text(f"# {name}\n\n* Status: accepted\n", encoding="utf-8")
    result = read_adr_directory(tmp_path)
    numbers = {record.source: record.number for record in result.records}
    assert numbers == {"0000-use-madr.md": 3, "0001-use-kafka.md": 1, "0002-use-go.md": 2}
    zero = next(record for record in result.records if record.number == 3)
    assert "ADR 0 cannot keep its number: decision numbers start at 1; numbered 3" in zero.notes


def test_numbers_are_assigned_the_same_way_every_time(tmp_path: Path) -> None:
    for name in ("b/0002-x.md", "a/0002-y.md", "0002-z.md", "no-number.md", "c/0005-w.md"):
        path = tmp_path / name
        path.parent.mkdir(exist_ok=True)
        path.write_text("# Something\n\n* Status: accepted\n", encoding="utf-8")
    first = [(r.source, r.number) for r in read_adr_directory(tmp_path).records]
    assert first == [
        ("0002-z.md", 2),
        ("c/0005-w.md", 5),
        ("a/0002-y.md", 6),
        ("b/0002-x.md", 7),
        ("no-number.md", 8),
    ]
    assert first == [(r.source, r.number) for r in read_adr_directory(tmp_path).records]


@pytest.mark.parametrize(
    ("hint", "area"),
    [
        ("category: Security", "security"),
        ("category: pricing & packaging", "pricing-packaging"),
        ("area: data/AI", "data-ai"),
        ("area: build-vs-buy", "build-vs-buy"),
        ("tags: [sre, backend]", "reliability"),
        ("tags: hiring, teams", "hiring-structure"),
        ("tags: [frontend]", "architecture"),
        ("category: gardening", "architecture"),
    ],
)
def test_an_area_is_taken_from_category_area_or_tags(tmp_path: Path, hint: str, area: str) -> None:
    text = f"---\nstatus: accepted\n{hint}\n---\n# Pick a thing\n"
    assert read_one(tmp_path, text).content.area == area


def test_an_area_the_workspace_does_not_have_is_not_used(tmp_path: Path) -> None:
    (tmp_path / "0001-x.md").write_text("---\ncategory: security\n---\n# X\n", encoding="utf-8")
    result = read_adr_directory(tmp_path, areas=("architecture", "process"))
    assert result.records[0].content.area == "architecture"
    assert "'security' is not a decision area here; filed under architecture" in (
        result.records[0].notes
    )


@pytest.mark.parametrize("flag", ["cross_team", "security_exception"])
def test_quarterdeck_flags_are_read_and_a_value_that_is_not_true_or_false_is_reported(
    tmp_path: Path, flag: str
) -> None:
    kept = read_one(tmp_path / "kept", f"---\nquarterdeck:\n  {flag}: true\n---\n# X\n")
    assert getattr(kept.content, flag) is True

    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "0001-x.md").write_text(
        f"---\nquarterdeck:\n  {flag}: maybe\n---\n# X\n", encoding="utf-8"
    )
    result = read_adr_directory(tmp_path / "bad")
    assert getattr(result.records[0].content, flag) is False
    assert f"front matter: quarterdeck.{flag} = 'maybe' not understood; not kept" in (
        result.report[0].problems
    )


def test_links_to_files_outside_the_import_are_reported_and_dropped(tmp_path: Path) -> None:
    text = (
        "# 2. Use Kafka\n\n## Status\n\nAccepted\n\n"
        "Supersedes [1. Use RabbitMQ](0001-use-rabbitmq.md)\n"
    )
    (tmp_path / "0002-use-kafka.md").write_text(text, encoding="utf-8")
    result = read_adr_directory(tmp_path)
    assert result.records[0].links == ()
    assert (
        "line 7: link 'supersedes 1. Use RabbitMQ' points to no ADR in this directory; not kept"
    ) in result.report[0].problems


def test_relates_to_written_on_both_records_is_kept_once(tmp_path: Path) -> None:
    for number, other in ((1, 2), (2, 1)):
        (tmp_path / f"000{number}-x.md").write_text(
            f"# {number}. X{number}\n\n## Status\n\nAccepted\n\n"
            f"Relates to [{other}. X{other}](000{other}-x.md)\n",
            encoding="utf-8",
        )
    records = read_adr_directory(tmp_path).records
    assert [record.links for record in records] == [((LinkKind.RELATES_TO, 2),), ()]


def test_web_links_and_sentences_that_mention_an_adr_stay_in_the_text(tmp_path: Path) -> None:
    text = (
        "# 1. Use Kafka\n\n* Status: accepted\n\n## Links\n\n"
        "* Background: [Kafka docs](https://kafka.apache.org/documentation/)\n"
        "* See [ADR-0002](0002-y.md) for the retention settings we chose.\n"
    )
    record = read_one(tmp_path, text)
    assert record.links == ()
    assert record.content.consequences.startswith("## Links\n\n* Background: [Kafka docs]")
    assert "for the retention settings we chose." in record.content.consequences


def test_a_status_template_placeholder_is_proposed_with_a_note(tmp_path: Path) -> None:
    record = read_one(tmp_path, madr2(status="[proposed | rejected | accepted | deprecated]"))
    assert record.status is DecisionStatus.PROPOSED
    assert any("is not a Quarterdeck status; taken as proposed" in note for note in record.notes)


def test_files_ending_in_markdown_are_read_too(tmp_path: Path) -> None:
    record = read_one(tmp_path, madr2(), name="0004-use-a-queue.markdown")
    assert (record.number, record.content.title) == (4, "Use a queue for order events")


def test_template_files_are_skipped_but_records_about_templates_are_not(tmp_path: Path) -> None:
    names = (
        "0000-template.md",
        "adr-template-minimal.md",
        "0009-use-templates-for-emails.md",
        "0010-choose-an-email-template-engine.md",
    )
    for name in names:
        (tmp_path / name).write_text("# Something\n\n* Status: accepted\n", encoding="utf-8")
    outcomes = {entry.source: entry.outcome for entry in read_adr_directory(tmp_path).report}
    assert outcomes == {
        "0000-template.md": "skipped",
        "adr-template-minimal.md": "skipped",
        "0009-use-templates-for-emails.md": "imported",
        "0010-choose-an-email-template-engine.md": "imported",
    }
