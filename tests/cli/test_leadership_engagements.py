"""`quarterdeck engagement`: recording how a fractional leader is engaged with a client
workspace, the red-flag verdict it prints, and the leader's own overview of their clients,
which the operator reads by acting for that person and which never shows a client the
leader does not belong to."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.cli.conftest import Invoke
from tests.cli.portfolio_support import data, has_row, ok, refused

LEADER = "frankie@leader.example"
SOON = (date.today() + timedelta(days=30)).isoformat()
TERMS = (
    *("--leader", LEADER, "--model", "operating-retainer", "--start", "2026-01-05"),
    *("--hours", "16", "--pricing", "retainer", "--amount", "12000", "--currency", "usd"),
    *("--sponsor", "CEO", "--owns", "technology direction", "--owns", "execution system"),
    *("--not-own", "IT administration", "--out-of-scope", "hands-on coding"),
    *("--right", "architecture", "--milestone", f"Action plan={SOON}"),
)


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "240")


@pytest.fixture
def clients(cli: Invoke) -> Invoke:
    """Frankie is a member of client-a and client-b; client-c has only its own people."""
    ok(cli, "user", "add", LEADER, "--name", "Frankie Fractional", "--generate")
    ok(cli, "user", "add", "someone@c.example", "--name", "Someone", "--generate")
    for slug in ("client-a", "client-b", "client-c"):
        ok(cli, "workspace", "create", slug, "--name", slug.replace("-", " ").title())
    ok(cli, "member", "add", "client-a", LEADER, "--role", "editor")
    ok(cli, "member", "add", "client-b", LEADER, "--role", "editor")
    ok(cli, "member", "add", "client-c", "someone@c.example", "--role", "owner")
    return cli


def engaged(cli: Invoke, slug: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = data(cli, "engagement", "show", slug)
    return found


def test_an_engagement_is_recorded_with_its_terms_and_a_go_verdict(clients: Invoke) -> None:
    saved = data(clients, "engagement", "set", "client-a", *TERMS)
    assert saved["version"] == 1
    assert saved["leader"] == LEADER
    assert saved["currency"] == "USD"
    assert saved["owns"] == ["technology direction", "execution system"]
    assert saved["does_not_own"] == ["IT administration"]
    assert saved["decision_rights"] == ["architecture"]
    assert saved["milestones"] == [{"title": "Action plan", "due": SOON}]
    assert saved["check"]["verdict"] == "go"
    assert engaged(clients, "client-a") == [saved]
    shown = ok(clients, "engagement", "show", "client-a")
    assert has_row(shown, "Leader", f"Frankie Fractional ({LEADER})")
    assert has_row(shown, "Price", "12,000 USD (retainer)")


def test_setting_again_against_the_version_replaces_the_terms_and_prints_the_verdict(
    clients: Invoke,
) -> None:
    ok(clients, "engagement", "set", "client-a", *TERMS)
    printed = ok(
        clients,
        *("engagement", "set", "client-a", "--leader", LEADER, "--model", "time-boxed-execution"),
        *("--start", "2026-01-05", "--end", "2026-03-31", "--hours", "20", "--pricing"),
        *("day-rate", "--amount", "1500", "--currency", "EUR", "--flag", "hero-wanted,"),
        *("--flag", "everything-urgent", "--version", "1"),
    )
    assert "(version 2)" in printed
    assert "do not engage as scoped" in printed
    assert "no-sponsor: no sponsor is named" in printed
    assert "hero-wanted: answered yes" in printed
    (after,) = engaged(clients, "client-a")
    assert after["model"] == "time-boxed-execution"
    assert after["check"]["verdict"] == "do-not-engage"
    assert after["red_flag_answers"]["hero-wanted"] is True
    assert after["red_flag_answers"]["no-sponsor"] is False


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--leader", "someone@c.example"), "is not a member of 'client-a'"),
        (("--model", "hostage"), "model is one of"),
        (("--start", "soon"), "--start 'soon' is not a date"),
        (("--hours", "80"), "hours per week must be above 0 and at most 60"),
        (("--currency", "dollars"), "three-letter code"),
        (("--right", "everything"), "unknown decision area 'everything'"),
        (("--flag", "bad-vibes"), "red flags are"),
        (("--milestone", "Action plan"), "--milestone must read TITLE=DATE"),
        (("--milestone", "Action plan=someday"), "milestone 2 needs a title and a due date"),
        (("--model", "interim"), "needs its planned end"),
        (("--version", "3"), "has no engagement with 'client-a'"),
    ],
)
def test_bad_terms_are_refused_and_save_nothing(
    clients: Invoke, args: tuple[str, ...], message: str
) -> None:
    assert message in refused(clients, "engagement", "set", "client-a", *TERMS, *args)
    assert engaged(clients, "client-a") == []


def test_a_stale_version_is_refused_and_the_terms_stay(clients: Invoke) -> None:
    ok(clients, "engagement", "set", "client-a", *TERMS)
    before = engaged(clients, "client-a")
    assert "already has an engagement" in refused(
        clients, "engagement", "set", "client-a", *TERMS, "--hours", "30"
    )
    ok(clients, "engagement", "set", "client-a", *TERMS, "--hours", "30", "--version", "1")
    assert "changed by someone else since version 1" in refused(
        clients, "engagement", "set", "client-a", *TERMS, "--hours", "40", "--version", "1"
    )
    (after,) = engaged(clients, "client-a")
    assert after["hours_per_week"] == "30"
    assert after["version"] == before[0]["version"] + 1


def test_the_overview_shows_only_the_leaders_own_clients(clients: Invoke) -> None:
    ok(clients, "engagement", "set", "client-a", *TERMS)
    ok(clients, "engagement", "set", "client-b", *TERMS, "--hours", "4", "--sponsor", "")
    ok(clients, "member", "add", "client-c", LEADER, "--role", "viewer")
    ok(clients, "engagement", "set", "client-c", *TERMS)
    ok(clients, "member", "remove", "client-c", LEADER)
    overview = data(clients, "engagement", "overview", "--as", LEADER)
    assert [c["workspace"] for c in overview["clients"]] == ["client-a", "client-b"]
    assert overview["hours_per_week"] == "20"
    assert overview["red_flags"] == 1
    assert overview["clients"][0]["next_milestone"] == {"title": "Action plan", "due": SOON}
    shown = ok(clients, "engagement", "overview", "--as", LEADER)
    assert has_row(shown, "Client A (client-a)", "operating-retainer", "16")
    assert "2 client(s), 20 hours a week, 1 red flag(s) raised." in shown
    assert "client-c" not in shown
    nobody = data(clients, "engagement", "overview", "--as", "someone@c.example")
    assert nobody["clients"] == []


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("ghost@leader.example", "no account for ghost@leader.example"),
        ("not-an-address", "'not-an-address' is not a valid email address"),
    ],
)
def test_the_overview_refuses_unknown_people(clients: Invoke, email: str, message: str) -> None:
    assert message in refused(clients, "engagement", "overview", "--as", email)
