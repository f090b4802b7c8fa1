"""`quarterdeck assess`: the assessment catalog, taking an assessment as a person (by
prompts or with --rating), its strengths, gaps and development priorities, progress since
the previous sitting, and sharing. A sitting is its taker's own: another person's is not
found, and bad ratings save nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.cli.conftest import Invoke
from tests.cli.portfolio_support import data, has_row, ok, refused

ANA = "ana@acme.example"
BEN = "ben@acme.example"
IT = "it-manager-skills"


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "240")


@pytest.fixture
def people(cli: Invoke) -> Invoke:
    """Ana and Ben have accounts; Ana belongs to acme."""
    ok(cli, "user", "add", ANA, "--name", "Ana", "--generate")
    ok(cli, "user", "add", BEN, "--name", "Ben", "--generate")
    ok(cli, "workspace", "create", "acme", "--name", "Acme", "--owner", ANA)
    return cli


def statements(cli: Invoke, key: str = IT) -> list[tuple[str, str]]:
    """(area key, statement key) of every statement, in the order they are asked."""
    found = next(a for a in data(cli, "assess", "list") if a["key"] == key)
    return [(area["key"], s["key"]) for area in found["areas"] for s in area["statements"]]


def ratings(cli: Invoke, rate: dict[str, int], default: int = 3) -> list[str]:
    """--rating options for every statement: `rate` by area key, else `default`."""
    return [
        option
        for area, statement in statements(cli)
        for option in ("--rating", f"{statement}={rate.get(area, default)}")
    ]


def take(cli: Invoke, *options: str) -> dict[str, Any]:
    taken: dict[str, Any] = data(cli, "assess", "take", IT, "--as", ANA, *options)
    return taken


def history(cli: Invoke, email: str = ANA) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = data(cli, "assess", "history", "--as", email)
    return found


def test_assess_list_shows_the_catalog_and_filters_by_kind(cli: Invoke) -> None:
    every = data(cli, "assess", "list")
    assert {a["key"] for a in every} == {"cto-readiness", "modern-cto-skills", IT}
    assert [a["key"] for a in data(cli, "assess", "list", "--kind", "it-manager")] == [IT]
    assert has_row(ok(cli, "assess", "list"), IT, "IT manager skill sets", "6", "18")
    assert "unknown kind of leader 'wizard'" in refused(cli, "assess", "list", "--kind", "wizard")


def test_taking_with_ratings_gives_strengths_gaps_and_priorities(people: Invoke) -> None:
    keys = [area for area, _ in statements(people)][::3]
    sitting = take(
        people,
        *ratings(people, {keys[0]: 5, keys[1]: 1, keys[2]: 2}),
        "--aiming-for",
        "it-manager",
    )
    assert sitting["id"] == 1
    assert sitting["aiming_for"] == "it-manager"
    assert sitting["strengths"] == [keys[0]]
    assert sitting["gaps"] == [keys[1], keys[2]]
    assert [p["key"] for p in sitting["priorities"]] == [keys[1], keys[2]]
    assert sitting["priorities"][0]["development"]
    assert sitting["since_previous"] is None
    assert sitting["shared_with"] is None


def test_a_second_sitting_shows_the_change_since_the_first(people: Invoke) -> None:
    first_area = statements(people)[0][0]
    take(people, *ratings(people, {}, default=2))
    printed = ok(people, "assess", "take", IT, "--as", ANA, *ratings(people, {first_area: 4}))
    assert "Since the previous sitting: up in" in printed
    assert "Saved as sitting 2" in printed
    latest = data(people, "assess", "show", "--as", ANA)
    assert latest["id"] == 2
    change = latest["since_previous"][0]
    assert (change["key"], change["earlier"], change["later"], change["change"]) == (
        first_area,
        "2.00",
        "4.00",
        "2.00",
    )
    assert data(people, "assess", "show", "1", "--as", ANA)["since_previous"] is None
    assert [s["id"] for s in history(people)] == [1, 2]
    assert has_row(ok(people, "assess", "history", "--as", ANA), "2", "IT manager skill sets")
    assert "6 up, 0 down" in ok(people, "assess", "history", "--as", ANA)
    assert has_row(ok(people, "assess", "history", "--as", ANA, IT), "2", "IT manager skill sets")


def test_without_ratings_every_statement_is_asked_for_and_only_1_to_5_is_taken(
    people: Invoke,
) -> None:
    asked = statements(people)
    answers = ["6", "x", "4"] + ["3"] * (len(asked) - 1)
    result = people("assess", "take", IT, "--as", ANA, "--json", input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    # The test runner echoes typed input to stdout, as a terminal shows it; JSON follows.
    sitting = json.loads(result.stdout[result.stdout.index("{") :])
    assert sitting["ratings"][asked[0][1]] == 4
    assert all(sitting["ratings"][key] == 3 for _, key in asked[1:])
    assert "'6' is not a rating; answer 1, 2, 3, 4 or 5" in result.stderr
    assert f"[1/{len(asked)}] Technical skills:" in result.stderr


def test_stopping_half_way_saves_nothing(people: Invoke) -> None:
    result = people("assess", "take", IT, "--as", ANA, input="3\n4\n")
    assert result.exit_code == 1
    assert "error: stopped after 2 of 18 statements; nothing was saved" in result.output
    assert history(people) == []


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--rating", "charm=3"), "has no statement 'charm'"),
        (("--rating", "FIRST=6"), "is rated 6; ratings run from 1 to 5"),
        (("--rating", "FIRST=high"), "--rating for 'FIRST' must be a whole number"),
        (("--rating", "FIRST"), "--rating must read STATEMENT=N"),
        (("--aiming-for", "wizard"), "unknown kind of leader 'wizard'"),
    ],
)
def test_bad_ratings_are_refused_and_save_nothing(
    people: Invoke, extra: tuple[str, ...], message: str
) -> None:
    every = ratings(people, {})
    first = statements(people)[0][1]
    given = [*every[2:], *(a.replace("FIRST", first) for a in extra)]
    if "--aiming-for" in extra:
        given = [*every, *extra]
    assert message.replace("FIRST", first) in refused(
        people, "assess", "take", IT, "--as", ANA, *given
    )
    assert history(people) == []


def test_a_missing_rating_or_unknown_assessment_or_person_is_refused(people: Invoke) -> None:
    assert "is not rated" in refused(
        people, "assess", "take", IT, "--as", ANA, *ratings(people, {})[2:]
    )
    assert "unknown assessment 'charisma'" in refused(
        people, "assess", "take", "charisma", "--as", ANA
    )
    assert "no account for ghost@acme.example" in refused(
        people, "assess", "take", IT, "--as", "ghost@acme.example"
    )
    assert history(people) == []


def test_a_sitting_is_private_to_its_taker(people: Invoke) -> None:
    take(people, *ratings(people, {}))
    assert "assessment sitting 1 not found" in refused(people, "assess", "show", "1", "--as", BEN)
    assert "assessment sitting 1 not found" in refused(
        people, "assess", "share", "1", "--as", BEN, "--private"
    )
    assert history(people, BEN) == []
    assert "has taken no assessment yet" in refused(people, "assess", "show", "--as", BEN)


def test_a_sitting_is_shared_with_a_workspace_and_taken_back(people: Invoke) -> None:
    take(people, *ratings(people, {}))
    shared = data(people, "assess", "share", "1", "--as", ANA, "--workspace", "acme")
    assert shared["shared_with"] == "acme"
    assert history(people)[0]["shared_with"] == "acme"
    assert "Sitting 1 is private." in ok(people, "assess", "share", "1", "--as", ANA, "--private")
    assert history(people)[0]["shared_with"] is None
    assert "--workspace WORKSPACE or --private" in refused(
        people, "assess", "share", "1", "--as", ANA
    )
    assert "not found" in refused(people, "assess", "share", "1", "--as", ANA, "--workspace", "x")
    assert history(people)[0]["shared_with"] is None
