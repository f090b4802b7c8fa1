"""`quarterdeck roadmap` and `quarterdeck cba`: outcomes under themes with the initiatives
serving them, the tech roadmap and what serves nothing yet; an initiative's cost-benefit
with the pessimistic case beside the expected one, its caution and its notes."""

from __future__ import annotations

import pytest

from tests.cli.conftest import Invoke
from tests.cli.portfolio_support import add, data, has_row, ok, refused, start_portfolio

OUTCOME = (
    *("--theme", "Growth", "--title", "Checkout converts better"),
    *("--metric", "conversion-rate", "--target", "3.5 %", "--quarter", "2027-Q2"),
)
FLOWS = ("--rate", "8", "--costs", "100,20,20", "--benefits", "0,80,90")


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "220")


@pytest.fixture
def acme(cli: Invoke) -> Invoke:
    return start_portfolio(cli)


def test_the_roadmap_holds_themes_outcomes_initiatives_and_the_tech_roadmap(
    acme: Invoke,
) -> None:
    assert "has no outcomes yet" in ok(acme, "roadmap", "show", "acme")
    added = data(acme, "roadmap", "outcome", "acme", "faster-checkout", *OUTCOME)
    assert added == {
        "key": "faster-checkout",
        "theme": "Growth",
        "title": "Checkout converts better",
        "metric": "conversion-rate",
        "target": "3.5 %",
        "quarter": "2027-Q2",
        "version": 1,
    }
    changed = data(
        acme, "roadmap", "outcome", "acme", "faster-checkout", "--version", "1", "--target", "4 %"
    )
    assert (changed["target"], changed["title"], changed["version"]) == (
        "4 %",
        "Checkout converts better",
        2,
    )
    add(
        acme,
        *("One-page checkout", "--outcome", "faster-checkout"),
        *("--primary-metric", "conversion-rate", "--guardrail-metric", "error-rate"),
    )
    add(acme, "Payments platform", "--kind", "platform-investment", "--outcome", "faster-checkout")
    add(acme, "Loose idea")
    ok(
        acme,
        *("intake", "checkpoint", "acme", "IN-1", "problem-validated", "--version", "1"),
        *("--note", "interviews"),
    )
    found = data(acme, "roadmap", "show", "acme")
    [theme] = found["themes"]
    [outcome] = theme["outcomes"]
    assert (theme["name"], outcome["key"], outcome["target"]) == (
        "Growth",
        "faster-checkout",
        "4 %",
    )
    first = outcome["initiatives"][0]
    assert (first["key"], first["primary_metric"], first["guardrail_metric"]) == (
        "IN-1",
        "conversion-rate",
        "error-rate",
    )
    assert first["checkpoints"] == {
        "problem-validated": True,
        "experiment-plan": False,
        "post-launch": False,
    }
    assert [i["key"] for i in found["tech"]] == ["IN-2"]
    assert [i["key"] for i in found["unlinked"]] == ["IN-3"]
    shown = ok(acme, "roadmap", "show", "acme")
    assert "Theme: Growth" in shown
    assert has_row(
        shown,
        "faster-checkout: Checkout converts better",
        "conversion-rate 4 % by 2027-Q2",
        "IN-1 One-page checkout",
        "proposed",
        "—",
        "primary conversion-rate, guardrail error-rate",
        "1 of 3 done: problem-validated",
    )
    assert has_row(
        shown, "IN-2 Payments platform", "faster-checkout: Checkout converts better (Growth)"
    )
    assert has_row(shown, "IN-3 Loose idea", "product-bet", "proposed", "—")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("x", "--theme", "Growth"), "a new outcome needs --title, --metric, --target, --quarter"),
        (("Bad Key", *OUTCOME), "outcome key 'Bad Key' must be lower-case words"),
        (("late", *OUTCOME[:-1], "someday"), "quarter 'someday' is not a quarter like 2027-Q1"),
        (("nowhere", "--version", "1", "--target", "5"), "outcome 'nowhere' not found"),
        (("faster-checkout", *OUTCOME), "there is already an outcome 'faster-checkout'"),
        (("faster-checkout", "--version", "4", "--target", "5"), "changed by someone else"),
    ],
)
def test_bad_outcomes_are_refused_and_save_nothing(
    acme: Invoke, args: tuple[str, ...], message: str
) -> None:
    ok(acme, "roadmap", "outcome", "acme", "faster-checkout", *OUTCOME)
    before = data(acme, "roadmap", "show", "acme")
    assert message in refused(acme, "roadmap", "outcome", "acme", *args)
    assert data(acme, "roadmap", "show", "acme") == before


def test_cost_benefit_shows_the_pessimistic_case_beside_the_expected_one(acme: Invoke) -> None:
    add(acme, "Checkout")
    assert "IN-1 has no cost-benefit analysis yet" in ok(acme, "cba", "acme", "IN-1")
    assert data(acme, "cba", "acme", "IN-1")["appraisal"] is None
    saved = data(acme, "cba", "acme", "IN-1", "--version", "1", *FLOWS)
    assert saved["version"] == 2
    appraisal = saved["appraisal"]
    assert set(appraisal["cases"]) == {"pessimistic", "expected"}
    expected = appraisal["cases"]["expected"]
    # -100 + 60 / 1.08 + 70 / 1.08^2
    assert (expected["npv"], expected["roi_percent"], expected["payback"]) == (
        "15.57",
        "11.48",
        "2.57",
    )
    assert expected["discounted_payback"] == "2.74"
    assert appraisal["cases"]["pessimistic"]["npv"] == "-56.16"
    assert appraisal["caution"] == (
        "IN-1 loses money in the pessimistic case (NPV -56.16); it pays only if the expected "
        "case holds."
    )
    assert appraisal["discount_rate_percent"] == "8"
    assert appraisal["notes"][0].startswith("Discounted at 8 % a year, compounded per year")
    everything = data(acme, "cba", "acme", "IN-1", "--all")["appraisal"]
    assert everything["cases"]["optimistic"]["npv"] == "37.48"
    shown = ok(acme, "cba", "acme", "IN-1")
    assert "Cost-benefit of IN-1 Checkout: per year, discounted at 8 % a year" in shown
    assert "┃ Figure" in shown
    assert has_row(shown, "NPV", "-56.16", "15.57")
    assert has_row(shown, "Payback", "does not pay back", "2.57 years")
    assert has_row(shown, "1", "100", "0", "-100")
    assert "Caution: IN-1 loses money in the pessimistic case" in shown
    assert "Optimistic" not in shown

    wider = data(
        acme, "cba", "acme", "IN-1", "--version", "2", "--pessimistic", "0.5,1.5", "--rate", "0"
    )["appraisal"]
    assert wider["cases"]["expected"]["npv"] == "30.00"  # the costs and benefits are kept
    assert wider["cases"]["pessimistic"]["made_from"] == "expected benefits x 0.5, costs x 1.5"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (FLOWS, "give --version"),
        (("--version", "1", "--rate", "8"), "a first cost-benefit analysis needs --rate"),
        (
            ("--version", "1", *FLOWS[:4], "--benefits", "0,80"),
            "costs list 3 periods and benefits 2",
        ),
        (("--version", "1", *FLOWS[:4], "--benefits", "0,-80,90"), "must not be below 0"),
        (
            ("--version", "1", "--period", "week", *FLOWS),
            "period 'week' is one of month, quarter, year",
        ),
        (
            ("--version", "1", *FLOWS, "--pessimistic", "1.2,1"),
            "must be no better than the expected",
        ),
        (
            ("--version", "1", *FLOWS, "--optimistic", "1.1"),
            "--optimistic must read BENEFITS,COSTS",
        ),
        (("--version", "1", "--rate", "150", *FLOWS[2:]), "a yearly percentage below 100, not 150"),
        (("--version", "9", *FLOWS), "changed by someone else since version 9"),
    ],
)
def test_bad_cost_benefit_input_is_refused_and_saves_nothing(
    acme: Invoke, options: tuple[str, ...], message: str
) -> None:
    add(acme, "Checkout")
    assert message in refused(acme, "cba", "acme", "IN-1", *options)
    assert data(acme, "cba", "acme", "IN-1") == {
        "key": "IN-1",
        "title": "Checkout",
        "version": 1,
        "appraisal": None,
    }


def test_cost_benefit_of_an_unknown_item_is_refused(acme: Invoke) -> None:
    assert "intake item IN-4 not found" in refused(acme, "cba", "acme", "IN-4")
