"""`quarterdeck scorecard`: the scorecard by category in colour, ready-made sets, category
owners, the delivery figures over a window and the choices behind them (release rules and
start points included), changed against the settings version read."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.cli.conftest import Invoke
from tests.cli.test_ingest import shop_repository
from tests.ingest.git_support import git

MTTR_LINES = ("--target", "12", "--warning", "24", "--critical", "48")
WINDOW = ("--from", "2026-03-01", "--to", "2026-03-31")


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "220")


@pytest.fixture
def acme(cli: Invoke) -> Invoke:
    cli("workspace", "create", "acme", "--name", "Acme", "--time-zone", "Europe/Berlin")
    return cli


def today() -> date:
    return datetime.now(ZoneInfo("Europe/Berlin")).date()


def ok(cli: Invoke, *args: str) -> str:
    result = cli(*args)
    assert result.exit_code == 0, result.output
    return result.output


def refused(cli: Invoke, *args: str) -> str:
    result = cli(*args)
    assert result.exit_code == 1, result.output
    assert result.output.startswith("error: ")
    assert result.output.count("\n") == 1, "one line"
    return result.output


def days_ago(days: int) -> str:
    return (today() - timedelta(days=days)).isoformat()


def test_an_empty_scorecard_says_how_to_start(acme: Invoke) -> None:
    assert ok(acme, "scorecard", "show", "acme") == (
        "The scorecard of acme has no metrics yet: start with "
        "`quarterdeck scorecard start acme --set quick-starter`.\n"
    )
    assert json.loads(ok(acme, "scorecard", "show", "acme", "--json")) == {
        "workspace": "acme",
        "settings_version": 0,
        "categories": [],
    }


def test_a_set_starts_the_scorecard_once(acme: Invoke) -> None:
    started = ok(acme, "scorecard", "start", "acme", "--set", "quick-starter")
    assert started.startswith(
        "Added 10 metric(s) of the Quick starter set to acme: activation-rate, retention-rate,"
    )
    assert "quarterdeck metric set acme KEY --target" in started
    assert ok(acme, "scorecard", "start", "acme", "--set", "quick-starter") == (
        "Every metric of the Quick starter set is already on the scorecard of acme.\n"
    )
    more = ok(acme, "scorecard", "start", "acme", "--set", "it-service")
    assert "mttr" not in more.split(":", 1)[1]  # already there from the quick starter
    assert "--set must be one of quick-starter, it-service; got 'big'" in refused(
        acme, "scorecard", "start", "acme", "--set", "big"
    )


def test_show_puts_status_value_target_trend_and_reason_in_category_tables(
    acme: Invoke,
) -> None:
    ok(acme, "metric", "add", "acme", "mttr", "--cadence", "weekly", *MTTR_LINES)
    ok(acme, "metric", "record", "acme", "mttr", "30", "--period-end", days_ago(7))
    ok(acme, "metric", "record", "acme", "mttr", "38", "--period-end", days_ago(0))
    ok(acme, "metric", "add", "acme", "patch-compliance", "--cadence", "weekly")
    ok(acme, "metric", "record", "acme", "patch-compliance", "97", "--period-end", days_ago(40))
    ok(acme, "scorecard", "owner", "acme", "reliability", "sre@acme.example")
    shown = ok(acme, "scorecard", "show", "acme")
    for fragment in (
        "Reliability and operations (owner sre@acme.example)",
        "Security and risk (no owner)",
        f"│ Time to restore (MTTR) │ ● amber │ 38 h  │ 12 h   │ ↑ +8 h │ {days_ago(0)} │ "
        "38 h is above the warning line of 24 h (target 12 h)",
        f"│ ● unknown ⌛ stale │ 97%   │ —      │ —     │ {days_ago(40)} │ stale: last measured",
    ):
        assert fragment in shown, shown
    data = json.loads(ok(acme, "scorecard", "show", "acme", "--json"))
    reliability = data["categories"][0]
    assert (reliability["category"], reliability["name"], reliability["owner"]) == (
        "reliability",
        "Reliability and operations",
        "sre@acme.example",
    )
    [card] = reliability["metrics"]
    assert card["status"]["level"] == "amber"
    assert card["trend"]["direction"] == "worsening"
    assert [p["value"] for p in card["series"]] == ["30", "38"]
    stale = data["categories"][1]["metrics"][0]
    assert stale["status"]["stale"] is True
    assert stale["status"]["level"] == "unknown"


def test_show_colours_the_status_in_a_terminal(
    acme: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(acme, "metric", "add", "acme", "mttr", *MTTR_LINES)
    slo_lines = ("--target", "99.5", "--warning", "99", "--critical", "97")
    ok(acme, "metric", "add", "acme", "slo-attainment", *slo_lines)
    ok(acme, "metric", "record", "acme", "mttr", "60")
    ok(acme, "metric", "record", "acme", "slo-attainment", "99.7")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    shown = ok(acme, "scorecard", "show", "acme")
    assert "\x1b[1;31m● \x1b[0m\x1b[1;31mred\x1b[0m" in shown
    assert "\x1b[1;32m● \x1b[0m\x1b[1;32mgreen\x1b[0m" in shown


def test_a_category_owner_is_named_and_cleared(acme: Invoke) -> None:
    assert ok(acme, "scorecard", "owner", "acme", "delivery", "cto@acme.example") == (
        "Delivery in acme: cto@acme.example answers for it (settings version 1).\n"
    )
    assert ok(acme, "scorecard", "owner", "acme", "Delivery", "") == (
        "Delivery in acme: nobody answers for it (settings version 2).\n"
    )
    assert "CATEGORY must be one of product, delivery, reliability" in refused(
        acme, "scorecard", "owner", "acme", "people", "x"
    )


def test_an_owner_given_against_a_stale_version_is_refused(acme: Invoke) -> None:
    read = json.loads(ok(acme, "scorecard", "show", "acme", "--json"))["settings_version"]
    named = ("scorecard", "owner", "acme", "cost", "cfo@acme.example", "--version", str(read))
    assert ok(acme, *named).endswith("(settings version 1).\n")
    ok(acme, "scorecard", "choices", "acme", "--bands", "2021")  # the same version moves on
    assert "the scorecard settings were changed by someone else" in refused(
        acme, "scorecard", "owner", "acme", "cost", "ciso@acme.example", "--version", "1"
    )
    assert "--version" in acme("scorecard", "owner", "acme", "cost", "x", "--version", "-1").output
    after = json.loads(ok(acme, "scorecard", "show", "acme", "--json"))
    assert after["settings_version"] == 2
    assert json.loads(ok(acme, "scorecard", "choices", "acme", "--json"))["version"] == 2


def test_delivery_window_options_are_checked(acme: Invoke) -> None:
    for args, message in (
        (("--days", "30", "--from", "2026-03-01", "--to", "2026-03-02"), "not both"),
        (("--from", "2026-03-01"), "--from and --to go together"),
        (("--from", "2026-03-10", "--to", "2026-03-01"), "--to must not be before --from"),
        (("--from", "March", "--to", "2026-03-01"), "--from 'March' is not a date"),
        (("--days", "0"), "--days must be between 1 and 3660"),
    ):
        assert message in refused(acme, "scorecard", "delivery", "acme", *args)
    assert "workspace 'nobody' not found" in refused(acme, "scorecard", "delivery", "nobody")


def test_delivery_without_records_says_where_they_come_from(acme: Invoke) -> None:
    shown = ok(acme, "scorecard", "delivery", "acme", "--days", "30", "--no-notes")
    assert "│ Deployment frequency  │ 0 per week │ 0 deployments in 30 days │ low" in shown
    assert "│ Lead time for changes │ —          │ 0 changes                │ —  " in shown
    assert "No deployment in the window" in shown
    assert "What the figures count" not in shown
    report = json.loads(ok(acme, "scorecard", "delivery", "acme", "--json"))
    assert report["overall"]["deployment_frequency"]["days"] == 90
    assert report["overall"]["lead_time"]["median_hours"] is None
    assert report["services"] == []


def test_delivery_choices_are_shown_then_changed_and_the_figures_follow(
    acme: Invoke, tmp_path: Path
) -> None:
    repo = shop_repository(tmp_path)
    ok(acme, "ingest", "git", "acme", str(repo), "--release-tags", "v*", "--service", "shop")
    shown = ok(acme, "scorecard", "choices", "acme")
    for fragment in (
        "│ production environment    ",
        "│ commit time for lead time ",
        "│ release tags of shop      ",
        "v* deploy shop",
        "yes, at most 24 h after the deployment",
    ):
        assert fragment in shown
    before = json.loads(ok(acme, "scorecard", "choices", "acme", "--json"))
    assert (before["bands_edition"], before["commit_time"]) == ("2023", "author")
    changed = ok(
        acme,
        "scorecard",
        "choices",
        "acme",
        "--bands",
        "2021",
        "--bot",
        "*@example.com",
        "--no-link-window",
        "--gap-hours",
        "12",
    )
    assert changed.startswith("Saved the delivery choices of acme; the computed figures follow")
    after = json.loads(ok(acme, "scorecard", "choices", "acme", "--json"))
    assert after["bot_patterns"] == ["*@example.com"]
    assert (after["bands_edition"], after["link_by_service_window"]) == ("2021", False)
    assert (after["max_link_gap_hours"], after["version"]) == (12.0, before["version"] + 1)
    report = json.loads(ok(acme, "scorecard", "delivery", "acme", *WINDOW, "--json"))
    lead = report["overall"]["lead_time"]
    assert report["bands_edition"] == "2021"
    assert (lead["median_hours"], lead["excluded_bots"]) == (None, 2)  # every author matches
    ok(acme, "scorecard", "choices", "acme", "--clear-bots", "--commit-time", "committer")
    again = json.loads(ok(acme, "scorecard", "choices", "acme", "--json"))
    assert (again["bot_patterns"], again["commit_time"]) == ([], "committer")


def test_bad_choices_are_refused_and_change_nothing(acme: Invoke) -> None:
    before = json.loads(ok(acme, "scorecard", "choices", "acme", "--json"))
    for args, message in (
        (("--bands", "2022"), "--bands must be one of 2021, 2023; got '2022'"),
        (("--commit-time", "merge"), "--commit-time must be one of author, committer"),
        (("--gap-hours", "0"), "the linking gap must be above 0 and at most 720 hours"),
        (("--production", " "), "the production environment needs a name of 1-64 characters"),
        (("--bot", "x", "--clear-bots"), "give --bot or --clear-bots, not both"),
    ):
        assert message in refused(acme, "scorecard", "choices", "acme", *args)
    assert json.loads(ok(acme, "scorecard", "choices", "acme", "--json")) == before


def test_release_rules_and_start_points_are_set_and_removed(acme: Invoke, tmp_path: Path) -> None:
    repo = shop_repository(tmp_path)
    ok(acme, "ingest", "git", "acme", str(repo))
    first = git(repo, "rev-list", "--max-parents=0", "HEAD")
    changed = ok(
        acme,
        "scorecard",
        "choices",
        "acme",
        "--release",
        "shop=v*:storefront",
        "--start-point",
        f"storefront={first[:7]}",
    )
    assert "│ release tags of shop " in changed
    assert "v* deploy storefront" in changed
    assert re.search(rf"│ start point of storefront +│ {first}", changed), changed
    stored = json.loads(ok(acme, "scorecard", "choices", "acme", "--json"))
    assert stored["releases"] == {"shop": {"pattern": "v*", "service": "storefront"}}
    assert stored["start_points"] == {"storefront": first}
    report = json.loads(ok(acme, "scorecard", "delivery", "acme", *WINDOW, "--json"))
    assert [s["service"] for s in report["services"]] == ["storefront"]
    ok(acme, "scorecard", "choices", "acme", "--release", "shop=release-*")
    renamed = json.loads(ok(acme, "scorecard", "choices", "acme", "--json"))
    assert renamed["releases"] == {"shop": {"pattern": "release-*", "service": "shop"}}
    assert renamed["start_points"] == {"storefront": first}  # not touched: kept
    ok(
        acme,
        "scorecard",
        "choices",
        "acme",
        "--remove-release",
        "shop",
        "--remove-start-point",
        "storefront",
        "--version",
        str(renamed["version"]),
    )
    cleared = json.loads(ok(acme, "scorecard", "choices", "acme", "--json"))
    assert (cleared["releases"], cleared["start_points"]) == ({}, {})


def test_bad_release_rules_and_start_points_are_refused_and_change_nothing(
    acme: Invoke, tmp_path: Path
) -> None:
    ok(acme, "ingest", "git", "acme", str(shop_repository(tmp_path)))
    before = json.loads(ok(acme, "scorecard", "choices", "acme", "--json"))
    for args, message in (
        (("--release", "shop"), "--release must read REPO=PATTERN:SERVICE"),
        (("--release", "shop=v*:"), "--release must read REPO=PATTERN:SERVICE"),
        (("--release", "billing=v*"), "repository 'billing' is not read into 'acme'"),
        (("--release", f"shop={'v' * 101}"), "needs 1-100 characters"),
        (("--release", "shop=v*", "--release", "shop=r*"), "--release shop: give one change"),
        (("--release", "shop=v*", "--remove-release", "shop"), "give one change for it"),
        (("--remove-release", "billing"), "there is no release rule for 'billing' to remove"),
        (("--start-point", "shop"), "--start-point must read SERVICE=SHA"),
        (("--start-point", "shop=xyz"), "must be a commit sha of 4-64 hex characters"),
        (("--start-point", "shop=abc"), "must be a commit sha of 4-64 hex characters"),
        (("--remove-start-point", "shop"), "there is no start point for 'shop' to remove"),
        (("--bands", "2021", "--version", "7"), "changed by someone else"),
    ):
        assert message in refused(acme, "scorecard", "choices", "acme", *args)
    assert json.loads(ok(acme, "scorecard", "choices", "acme", "--json")) == before
