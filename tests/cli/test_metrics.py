"""`quarterdeck metric`: the catalog, putting metrics on the scorecard with owners, cadence
and thresholds, recording and importing values; bad input is one red line and changes
nothing."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.cli.conftest import Invoke

MTTR_LINES = ("--target", "12", "--warning", "24", "--critical", "48")


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


def tracked(cli: Invoke) -> dict[str, dict]:
    return {m["key"]: m for m in json.loads(ok(cli, "metric", "list", "acme", "--json"))}


def test_the_catalog_lists_a_set_or_a_category(cli: Invoke) -> None:
    starter = json.loads(ok(cli, "metric", "catalog", "--set", "quick-starter", "--json"))
    assert len(starter) == 10
    lead = next(k for k in starter if k["key"] == "lead-time")
    assert lead["computed_by"] == "delivery.lead-time"
    assert lead["unit"] == "hours"
    assert {"meaning", "reading", "trap", "review", "sets"} <= set(lead)
    both = json.loads(
        ok(cli, "metric", "catalog", "--set", "quick-starter", "--category", "delivery", "--json")
    )
    assert [k["key"] for k in both] == ["lead-time", "predictability", "escaped-defects"]
    shown = ok(cli, "metric", "catalog", "--category", "leadership")
    assert "KPI catalog (3 metrics)" in shown
    assert "stakeholder-satisfaction" in shown


def test_the_catalog_names_an_unknown_set_or_category(cli: Invoke) -> None:
    assert "unknown metric set 'big'; known: quick-starter, it-service" in refused(
        cli, "metric", "catalog", "--set", "big"
    )
    assert "unknown metric category 'people'" in refused(
        cli, "metric", "catalog", "--category", "people"
    )


def test_a_metric_with_thresholds_is_judged_and_trends(acme: Invoke) -> None:
    added = ok(
        acme,
        "metric",
        "add",
        "acme",
        "mttr",
        "--owner",
        "ops@acme.example",
        "--cadence",
        "weekly",
        *MTTR_LINES,
    )
    assert added == (
        "Added to the scorecard of acme: Time to restore (MTTR) (mttr): owner "
        "ops@acme.example, reviewed weekly, thresholds target 12 h, warning 24 h, "
        "critical 48 h.\nIts values are computed from the workspace's engineering records.\n"
    )
    last_week = (today() - timedelta(days=7)).isoformat()
    ok(acme, "metric", "record", "acme", "mttr", "30", "--period-end", last_week)
    recorded = ok(acme, "metric", "record", "acme", "mttr", "38", "--note", "one long outage")
    assert f"Recorded mttr = 38 h for the period ending {today().isoformat()} in acme." in recorded
    assert "Status: amber: 38 h is above the warning line of 24 h (target 12 h)." in recorded
    shown = json.loads(ok(acme, "metric", "show", "acme", "mttr", "--json"))
    assert shown["status"] == {
        "level": "amber",
        "reason": "38 h is above the warning line of 24 h (target 12 h)",
        "stale": False,
    }
    assert shown["trend"] == {
        "direction": "worsening",
        "change": "8",
        "latest": "38",
        "baseline": "30",
    }
    assert shown["thresholds"] == {"target": "12", "warning": "24", "critical": "48"}
    assert [m["value"] for m in shown["measurements"]] == ["38", "30"]
    assert shown["measurements"][0]["note"] == "one long outage"
    assert shown["latest"]["source"] == "manual"
    text = ok(acme, "metric", "show", "acme", "mttr")
    for fragment in (
        "Time to restore (MTTR) (mttr)",
        "│ meaning    │ How fast service comes back after something breaks.",
        "│ thresholds │ target 12 h, warning 24 h, critical 48 h",
        "│ trend      │ ↑ +8 h, worsening (against 30 h)",
        "Measurements of mttr, newest period first",
        f"│ {today().isoformat()} │ 38 h  │ manual │ one long outage │",
    ):
        assert fragment in text


def test_list_shows_owner_cadence_thresholds_latest_and_status(acme: Invoke) -> None:
    ok(acme, "metric", "add", "acme", "mttr", *MTTR_LINES)
    ok(acme, "metric", "add", "acme", "nps")
    ok(acme, "metric", "record", "acme", "mttr", "10")
    listed = ok(acme, "metric", "list", "acme")
    assert "Metrics of acme (2)" in listed
    assert (
        "│ mttr │ Time to restore (MTTR) │ reliability │ —     │ biweekly │ target 12 h" in listed
    )
    assert "│ 10 h   │ green   │" in listed
    cards = tracked(acme)
    assert cards["nps"]["status"]["reason"] == "no value recorded yet"
    assert cards["mttr"]["status"]["level"] == "green"
    assert cards["mttr"]["series"] == [{"period_end": today().isoformat(), "value": "10"}]
    assert set(cards["mttr"]) >= {
        "key",
        "name",
        "category",
        "owner",
        "cadence",
        "thresholds",
        "latest",
        "status",
        "trend",
        "series",
        "custom",
        "version",
    }


def test_a_custom_metric_with_a_band(acme: Invoke) -> None:
    added = ok(
        acme,
        "metric",
        "add",
        "acme",
        "--custom",
        "spend-vs-plan",
        "--name",
        "Spend against plan",
        "--category",
        "cost",
        "--unit",
        "percent",
        "--direction",
        "target-band",
        "--meaning",
        "Whether we spend what we planned.",
        "--low",
        "90",
        "--high",
        "110",
        "--critical-high",
        "130",
    )
    assert "thresholds band 90% to 110%, critical at 130% or above." in added
    ok(acme, "metric", "record", "acme", "spend-vs-plan", "120")
    card = tracked(acme)["spend-vs-plan"]
    assert card["custom"] is True
    assert card["cadence"] == "monthly"  # the cost category's review cadence
    assert card["status"]["level"] == "amber"
    assert card["thresholds"] == {
        "low": "90",
        "high": "110",
        "critical_low": None,
        "critical_high": "130",
    }


def test_a_custom_metric_is_reviewed_at_its_categorys_cadence(acme: Invoke) -> None:
    custom = ("--custom", "flaky-tests", "--name", "Flaky tests", "--category", "delivery")
    added = ok(
        acme, "metric", "add", "acme", *custom, "--unit", "count", "--direction", "lower-is-better"
    )
    assert "Flaky tests (flaky-tests): no owner, reviewed biweekly, thresholds none set." in added
    assert "quarterdeck metric set acme flaky-tests --target ..." in added


def test_a_score_may_be_negative_after_a_double_dash(acme: Invoke) -> None:
    ok(acme, "metric", "add", "acme", "nps")
    assert "Recorded nps = -12" in ok(acme, "metric", "record", "acme", "nps", "--", "-12")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("mttr", "--target", "48", "--warning", "24", "--critical", "12"),
            "for a lower-is-better metric the target (48) must be below the warning line (24)",
        ),
        (("mttr", "--target", "12"), "thresholds need warning and critical as well"),
        (("mttr", "--low", "1", "--high", "2"), "a lower-is-better metric takes no high, low"),
        (("mttr", *MTTR_LINES[:-1], "lots"), "critical must be a number; got 'lots'"),
        (("mttr", "--cadence", "daily"), "--cadence must be one of weekly, biweekly, monthly"),
        (("uptime-ish",), "'uptime-ish' is not in the metric catalog"),
        ((), "give a catalog KEY, or --custom KEY"),
        (("mttr", "--custom", "mine"), "give a catalog KEY, or --custom KEY"),
        (("mttr", "--name", "Mine"), "--name describe a custom metric; add it with --custom KEY"),
        (
            ("--custom", "mine", "--name", "Mine", "--unit", "hours"),
            "a custom metric needs --category, --direction",
        ),
        (
            (
                "--custom",
                "mine",
                "--name",
                "M",
                "--category",
                "x",
                "--unit",
                "h",
                "--direction",
                "up",
            ),
            "--category must be one of product, delivery",
        ),
        (
            (
                *("--custom", "lead-time", "--name", "L", "--category", "delivery"),
                *("--unit", "hours", "--direction", "lower-is-better"),
            ),
            "'lead-time' is a catalog metric",
        ),
    ],
)
def test_bad_additions_are_refused_and_add_nothing(
    acme: Invoke, args: tuple[str, ...], message: str
) -> None:
    assert message in refused(acme, "metric", "add", "acme", *args)
    assert tracked(acme) == {}


def test_a_metric_is_added_once(acme: Invoke) -> None:
    ok(acme, "metric", "add", "acme", "mttr")
    assert "'mttr' is already on the scorecard" in refused(acme, "metric", "add", "acme", "mttr")


def test_set_changes_what_is_given_and_keeps_the_rest(acme: Invoke) -> None:
    ok(acme, "metric", "add", "acme", "mttr", *MTTR_LINES)
    saved = ok(acme, "metric", "set", "acme", "mttr", "--owner", "sre@acme.example")
    assert saved == (
        "Saved Time to restore (MTTR) (mttr): owner sre@acme.example, reviewed biweekly, "
        "thresholds target 12 h, warning 24 h, critical 48 h.\n"
    )
    out_of_order = refused(
        acme, "metric", "set", "acme", "mttr", "--target", "5", "--warning", "4", "--critical", "9"
    )
    assert "the target (5) must be below the warning line (4)" in out_of_order
    assert tracked(acme)["mttr"]["thresholds"]["target"] == "12"
    cleared = ok(acme, "metric", "set", "acme", "mttr", "--clear-thresholds", "--cadence", "weekly")
    assert "reviewed weekly, thresholds none set." in cleared
    card = tracked(acme)["mttr"]
    assert (card["thresholds"], card["owner"], card["version"]) == (None, "sre@acme.example", 3)
    assert "nothing to change" in refused(acme, "metric", "set", "acme", "mttr")
    both = refused(acme, "metric", "set", "acme", "mttr", "--clear-thresholds", *MTTR_LINES)
    assert "not both" in both
    assert "metric 'nps' is not on the scorecard of 'acme'" in refused(
        acme, "metric", "set", "acme", "nps", "--owner", "x"
    )


def test_bad_values_and_dates_record_nothing(acme: Invoke) -> None:
    ok(acme, "metric", "add", "acme", "mttr")
    assert "the value must be a number; got 'fast'" in refused(
        acme, "metric", "record", "acme", "mttr", "fast"
    )
    assert "--period-end '2026-13-01' is not a date like 2027-03-31" in refused(
        acme, "metric", "record", "acme", "mttr", "3", "--period-end", "2026-13-01"
    )
    assert "mttr: the value cannot be negative (-3)" in refused(
        acme, "metric", "record", "acme", "mttr", "--", "-3"
    )
    far = (today() + timedelta(days=90)).isoformat()
    assert "more than a month from today" in refused(
        acme, "metric", "record", "acme", "mttr", "3", "--period-end", far
    )
    assert "metric 'uptime' is not on the scorecard" in refused(
        acme, "metric", "record", "acme", "uptime", "3"
    )
    assert tracked(acme)["mttr"]["latest"] is None


def test_import_adds_then_replaces_values(acme: Invoke, tmp_path: Path) -> None:
    ok(acme, "metric", "add", "acme", "mttr")
    ok(acme, "metric", "add", "acme", "slo-attainment")
    values = tmp_path / "values.csv"
    week = (today() - timedelta(days=7)).isoformat()
    values.write_text(
        f"metric,period_end,value,note\nmttr,{week},14,from the on-call log\n"
        f"slo-attainment,{week},99.7,\n",
        encoding="utf-8",
    )
    assert ok(acme, "metric", "import", "acme", str(values)) == (
        "Imported 2 value(s) from values.csv into acme: 2 added, 0 replaced.\n"
    )
    again = json.loads(ok(acme, "metric", "import", "acme", str(values), "--json"))
    assert again == {"rows": 2, "added": 0, "replaced": 2}
    latest = tracked(acme)["mttr"]["latest"]
    assert (latest["value"], latest["source"]) == ("14", "import:values.csv")


def test_a_malformed_import_names_file_and_line_and_imports_nothing(
    acme: Invoke, tmp_path: Path
) -> None:
    ok(acme, "metric", "add", "acme", "mttr")
    values = tmp_path / "values.csv"
    week = (today() - timedelta(days=7)).isoformat()
    values.write_text(
        f"metric,period_end,value\nmttr,{week},14\nmttr,last week,about 3\nuptime,{week},99\n",
        encoding="utf-8",
    )
    message = refused(acme, "metric", "import", "acme", str(values))
    assert "values.csv line 3: column period_end" in message
    assert "values.csv line 3: column value" in message
    unknown = tmp_path / "unknown.csv"
    unknown.write_text(f"metric,period_end,value\nmttr,{week},14\nuptime,{week},99\n")
    assert "unknown.csv line 3: metric 'uptime' is not on the scorecard" in refused(
        acme, "metric", "import", "acme", str(unknown)
    )
    assert tracked(acme)["mttr"]["latest"] is None
    assert "No such file or directory" in refused(
        acme, "metric", "import", "acme", str(tmp_path / "nowhere.csv")
    )


def test_removing_a_metric_keeps_its_history(acme: Invoke) -> None:
    ok(acme, "metric", "add", "acme", "mttr")
    ok(acme, "metric", "record", "acme", "mttr", "5")
    assert ok(acme, "metric", "remove", "acme", "mttr") == (
        "Removed mttr from the scorecard of acme; its measurements are kept.\n"
    )
    assert tracked(acme) == {}
    assert "metric 'mttr' is not on the scorecard" in refused(
        acme, "metric", "remove", "acme", "mttr"
    )
    ok(acme, "metric", "add", "acme", "mttr")
    assert tracked(acme)["mttr"]["latest"]["value"] == "5"
