"""`quarterdeck role` and `quarterdeck advise`: the kinds of technology leader from the
catalog, shown one at a time or side by side, and the advisor's recommendation with the
rules behind it, its hiring brief, and contradictory answers named instead of a guess."""

from __future__ import annotations

import pytest

from tests.cli.conftest import Invoke
from tests.cli.portfolio_support import data, ok, refused

STARTUP = (
    *("--stage", "startup", "--headcount", "40", "--engineers", "8"),
    *("--no-full-time-budget", "--technology-leader", "none"),
    *("--need", "foundation", "--need", "product-outcomes"),
)


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "240")


def test_role_list_names_the_kinds_and_only_with_neighbours_the_neighbouring_roles(
    cli: Invoke,
) -> None:
    kinds = data(cli, "role", "list")
    keys = [k["key"] for k in kinds]
    assert "fractional-cto" in keys
    assert "it-manager" in keys
    assert "cio" not in keys
    assert not any(k["neighbour"] for k in kinds)
    everyone = data(cli, "role", "list", "--neighbours")
    assert {"cio", "vp-engineering", "head-of-engineering", "cpo"} <= {k["key"] for k in everyone}
    assert "Fractional CTO" in ok(cli, "role", "list")


def test_role_show_gives_ownership_measures_engagement_pay_flags_and_playbooks(
    cli: Invoke,
) -> None:
    kind = data(cli, "role", "show", "fractional-cto")
    assert kind["name"] == "Fractional CTO"
    assert "technology direction" in kind["owns"]
    assert {"key": "lead-time", "name": "Lead time for changes"} in kind["success_measures"]
    assert kind["engagement"]["mode"] == "fractional"
    assert kind["engagement"]["hours_per_week"] == {"low": 15, "high": 20}
    hourly = next(b for b in kind["compensation"] if b["basis"] == "hourly")
    assert hourly["as_of"] == "2026-02"
    assert hourly["source"]
    assert "no real sponsor" in kind["red_flags"]
    assert {"key": "fractional-engagement", "name": "Fractional engagement"} in kind["playbooks"]
    shown = ok(cli, "role", "show", "fractional-cto")
    assert "Lead time for changes (lead-time)" in shown
    assert "as of 2026-02; source:" in shown
    assert "Fractional engagement (fractional-engagement)" in shown


def test_role_compare_puts_kinds_side_by_side_in_the_order_given(cli: Invoke) -> None:
    compared = data(cli, "role", "compare", "cpto", "scaleup-cto", "cpo")
    assert [k["key"] for k in compared] == ["cpto", "scaleup-cto", "cpo"]
    shown = ok(cli, "role", "compare", "cpto", "scaleup-cto")
    assert shown.index("CPTO (product-led CTO)") < shown.index("Scale-up CTO")
    assert "Success measures" in shown


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("role", "show", "chief-wizard"), "unknown kind of leader 'chief-wizard'"),
        (("role", "compare", "cpto"), "compare 2 to 4 kinds of leader, not 1"),
        (
            ("role", "compare", "cpto", "cpo", "cio", "it-manager", "interim-cto"),
            "compare 2 to 4 kinds of leader, not 5",
        ),
        (("role", "compare", "cpto", "cpto"), "cpto given more than once"),
        (("role", "compare", "cpto", "chief-wizard"), "unknown kind of leader 'chief-wizard'"),
    ],
)
def test_bad_kinds_are_refused_by_name(cli: Invoke, args: tuple[str, ...], message: str) -> None:
    assert message in refused(cli, *args)


def test_advise_recommends_a_kind_and_plan_with_the_rules_behind_them(cli: Invoke) -> None:
    advice = data(cli, "advise", *STARTUP)
    assert advice["recommended"] == "fractional-cto"
    assert advice["plan"]["key"] == "assessment-sprint"
    assert "fractional-no-full-time-budget" in advice["supporting"]
    assert advice["answers"]["needs"] == ["foundation", "product-outcomes"]
    assert advice["answers"]["full_time_budget"] is False
    assert advice["contradictions"] == []
    shown = ok(cli, "advise", *STARTUP, "--considered")
    assert "Recommended: Fractional CTO (fractional-cto)" in shown
    assert "fractional-no-full-time-budget" in shown
    assert "Rules that did not fire" in shown


def test_advise_prints_the_hiring_brief_as_markdown_or_html(cli: Invoke) -> None:
    brief = ok(cli, "advise", *STARTUP, "--brief", "md", "--organisation", "Acme <b>Ltd</b>")
    assert brief.startswith("# Hiring brief: Fractional CTO for Acme \\<b\\>Ltd\\</b\\>")
    html = ok(cli, "advise", *STARTUP, "--brief", "html", "--organisation", "Acme <b>Ltd</b>")
    assert html.startswith("<h1>Hiring brief: Fractional CTO for Acme")
    assert "<b>" not in html
    as_json = data(cli, "advise", *STARTUP, "--brief", "md", "--organisation", "Acme")
    assert as_json["format"] == "md"
    assert as_json["brief"].startswith("# Hiring brief: Fractional CTO for Acme")


def test_advise_starts_from_the_workspace_profile_and_options_override_it(cli: Invoke) -> None:
    ok(
        cli,
        *("workspace", "create", "acme", "--name", "Acme Bank", "--stage", "scale-up"),
        *("--headcount", "240", "--engineering-headcount", "60", "--product-lines", "3"),
        "--regulated",
    )
    advice = data(cli, "advise", "--from-workspace", "acme", "--not-regulated")
    assert advice["answers"]["stage"] == "scale-up"
    assert advice["answers"]["headcount"] == 240
    assert advice["answers"]["product_lines"] == 3
    assert advice["answers"]["regulated"] is False
    brief = ok(cli, "advise", "--from-workspace", "acme", "--brief", "md")
    assert "Acme Bank" in brief.splitlines()[0]


def test_contradictory_answers_are_named_and_nothing_is_recommended(cli: Invoke) -> None:
    message = refused(
        cli,
        "advise",
        "--stage",
        "startup",
        "--headcount",
        "40",
        "--engineers",
        "0",
        "--need",
        "platform",
    )
    assert "contradict" in message
    assert "platform-need-without-engineers" in message
    assert "A platform need with no engineers" in message


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--engineers", "eight"), "engineers must be a whole number; got 'eight'"),
        (("--engineers", "8", "--need", "world-peace"), "needs must be one of"),
        (("--engineers", "8", "--coupling", "sideways"), "coupling must be one of"),
        (("--engineers", "8", "--brief", "pdf"), "--brief is md or html, not 'pdf'"),
        (("--engineers", "8", "--brief", "md"), "--brief needs --organisation"),
        ((), "answer --engineers"),
    ],
)
def test_bad_advisor_answers_are_named(cli: Invoke, extra: tuple[str, ...], message: str) -> None:
    assert message in refused(cli, "advise", "--stage", "startup", "--headcount", "40", *extra)


def test_advising_from_an_unknown_workspace_is_refused(cli: Invoke) -> None:
    assert "not found" in refused(cli, "advise", "--from-workspace", "nowhere")


def test_answers_the_profile_does_not_give_are_asked_for(cli: Invoke) -> None:
    ok(cli, "workspace", "create", "acme", "--name", "Acme", "--engineering-headcount", "5")
    message = refused(cli, "advise", "--from-workspace", "acme")
    assert "answer --headcount (the profile of acme does not give it)" in message
    assert (
        data(cli, "advise", "--from-workspace", "acme", "--headcount", "30")["answers"]["engineers"]
        == 5
    )
