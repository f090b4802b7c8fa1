"""advise: the role advisor at the command line. From answers about the organisation (or
its workspace profile) to the kind of technology leader it needs and how to engage them,
every reason traced to its rule; answers that contradict each other are named instead.
`--brief` prints the hiring brief."""

# Annotations here are objects, not strings (no `from __future__ import annotations`):
# Typer reads every command's signature at each start, and each string annotation costs
# a compile, about doubling that time. Names imported only for type checking are quoted.

from typing import TYPE_CHECKING, Annotated, Any

import typer

from quarterdeck.cli.leadership_options import checked
from quarterdeck.cli.portfolio_options import listed
from quarterdeck.cli.session import JsonFlag, cli_state, emit_json, fail, say, table

if TYPE_CHECKING:
    from quarterdeck.domain.advisor import Advice
    from quarterdeck.domain.workspaces import OrganisationProfile

__all__ = ["advice_json", "register"]


def _flag(name: str, negative: str, help_: str) -> Any:
    return typer.Option(f"--{name}/--{negative}", help=help_, show_default=False)


def register(app: typer.Typer) -> None:
    app.command("advise")(advise)


def advice_json(advice: "Advice") -> dict[str, Any]:
    from quarterdeck.domain.questionnaires import FIELDS

    def plain(value: Any) -> Any:
        if isinstance(value, frozenset):
            return sorted(str(item) for item in value)
        return value.value if hasattr(value, "value") else value

    engagement = advice.engagement
    return {
        "answers": {name: plain(getattr(advice.answers, name)) for name in FIELDS},
        "contradictions": [
            {"rule": c.rule, "title": c.title, "reason": c.reason} for c in advice.contradictions
        ],
        "recommended": advice.recommended,
        "kinds": [{"kind": s.kind, "score": s.score, "rules": list(s.rules)} for s in advice.kinds],
        "ruled_out": [
            {"kind": s.kind, "score": s.score, "ruled_out_by": list(s.ruled_out_by)}
            for s in advice.ruled_out
        ],
        "plan": None
        if advice.plan is None
        else {
            "key": advice.plan.key,
            "name": advice.plan.name,
            "description": advice.plan.description,
        },
        "engagement": None
        if engagement is None
        else {
            "mode": engagement.mode.value,
            "hours_per_week": None
            if engagement.hours_per_week is None
            else [engagement.hours_per_week.low, engagement.hours_per_week.high],
            "months": None
            if engagement.months is None
            else [engagement.months.low, engagement.months.high],
        },
        "supporting": [f.rule for f in advice.supporting],
        "fired": [
            {
                "rule": f.rule,
                "title": f.title,
                "reason": f.reason,
                "weight": f.weight,
                "kind": f.kind,
                "engagement": f.engagement,
                "rules_out": list(f.rules_out),
            }
            for f in advice.fired
        ],
        "not_fired": [
            {"rule": n.rule, "title": n.title, "unmet": list(n.unmet)} for n in advice.not_fired
        ],
    }


def advise(
    ctx: typer.Context,
    stage: Annotated[
        str | None, typer.Option(help="startup, scale-up or enterprise.", show_default=False)
    ] = None,
    headcount: Annotated[
        str | None, typer.Option(help="People in the organisation.", show_default=False)
    ] = None,
    engineers: Annotated[
        str | None,
        typer.Option(help="People who build or run its software.", show_default=False),
    ] = None,
    growth: Annotated[
        str | None,
        typer.Option(
            help="Expected headcount growth over the next 12 months, in %.", show_default=False
        ),
    ] = None,
    coupling: Annotated[
        str | None,
        typer.Option(
            help="tight or loose: how much product and technology calls depend on each other.",
            show_default=False,
        ),
    ] = None,
    product_lines: Annotated[
        str | None,
        typer.Option(
            help="Software products or lines it sells; 0 for a business that sells none.",
            show_default=False,
        ),
    ] = None,
    regulated: Annotated[
        bool | None, _flag("regulated", "not-regulated", "Heavily regulated or not.")
    ] = None,
    reliability_critical: Annotated[
        bool | None,
        _flag(
            "reliability-critical",
            "not-reliability-critical",
            "Whether reliability is existential for the business.",
        ),
    ] = None,
    m_and_a: Annotated[
        bool | None,
        _flag("m-and-a", "no-m-and-a", "Mergers, acquisitions or multi-platform integration."),
    ] = None,
    full_time_budget: Annotated[
        bool | None,
        _flag(
            "full-time-budget", "no-full-time-budget", "Budget for a full-time executive or not."
        ),
    ] = None,
    wants_full_time: Annotated[
        bool | None,
        _flag("wants-full-time", "not-wants-full-time", "Whether it asks for a full-time hire."),
    ] = None,
    urgency: Annotated[str | None, typer.Option(help="low, normal or high.")] = None,
    technology_leader: Annotated[
        str | None,
        typer.Option(
            help="The current technology leader: none, staying, leaving or on-leave.",
            show_default=False,
        ),
    ] = None,
    position_vacant: Annotated[
        bool | None,
        _flag(
            "position-vacant",
            "position-filled",
            "Whether the technology leader's post is empty.",
        ),
    ] = None,
    diligence_ahead: Annotated[
        bool | None,
        _flag("diligence-ahead", "no-diligence-ahead", "Whether fundraising diligence lies ahead."),
    ] = None,
    need: Annotated[
        list[str] | None,
        typer.Option(
            "--need",
            metavar="NEED",
            help="What it needs led: foundation, product-outcomes, platform, transformation, "
            "ai, customer-facing, coaching, it-operations, diligence; repeat for several.",
            show_default=False,
        ),
    ] = None,
    from_workspace: Annotated[
        str | None,
        typer.Option(
            "--from-workspace",
            help="Start from this workspace's organisation profile (stage, headcount, "
            "engineers, product lines, regulated); options given override it.",
            metavar="WORKSPACE",
            show_default=False,
        ),
    ] = None,
    brief: Annotated[
        str | None,
        typer.Option(
            help="Print the hiring brief instead: md (Markdown) or html.", show_default=False
        ),
    ] = None,
    organisation: Annotated[
        str | None,
        typer.Option(
            help="The organisation's name in the brief (default: the workspace's name).",
            show_default=False,
        ),
    ] = None,
    considered: Annotated[
        bool,
        typer.Option("--considered", help="Also list the rules that did not fire, and why not."),
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Which kind of technology leader the organisation needs and how to engage them, with
    the rules behind it; answers that contradict each other are named and nothing is
    recommended. Stage, headcount and engineers must be answered (or come from
    --from-workspace)."""
    from quarterdeck.services import advisor, workspaces

    if brief not in (None, "md", "html"):
        fail(f"--brief is md or html, not {brief!r}")
    state = cli_state(ctx)
    profile: OrganisationProfile | None = None
    answers: dict[str, Any] = {}
    if from_workspace is not None:

        def read(uow: Any) -> "tuple[dict[str, Any], OrganisationProfile, str]":
            ws = workspaces.show(uow, actor=state.operator, workspace=from_workspace).workspace
            found = advisor.profile_answers(uow, actor=state.operator, workspace=from_workspace)
            return found, ws.profile, ws.name

        answers, profile, ws_name = state.run(read, write=False)
        organisation = organisation if organisation is not None else ws_name
    given = {
        "stage": stage,
        "headcount": headcount,
        "engineers": engineers,
        "growth": growth,
        "coupling": coupling,
        "product_lines": product_lines,
        "regulated": regulated,
        "reliability_critical": reliability_critical,
        "m_and_a": m_and_a,
        "full_time_budget": full_time_budget,
        "wants_full_time": wants_full_time,
        "urgency": urgency,
        "technology_leader": technology_leader,
        "position_vacant": position_vacant,
        "diligence_ahead": diligence_ahead,
        "needs": listed(need) if need else None,
    }
    answers.update({name: value for name, value in given.items() if value is not None})
    missing = [f"--{name}" for name in ("stage", "headcount", "engineers") if name not in answers]
    if missing:
        where = f" (the profile of {from_workspace} does not give it)" if from_workspace else ""
        fail(f"answer {', '.join(missing)}{where}")
    _, advice = checked(lambda: advisor.run(answers))
    if advice.contradictions:
        named = "; ".join(f"{c.title} ({c.rule}): {c.reason}" for c in advice.contradictions)
        fail(f"the answers contradict each other, so nothing is recommended: {named}")
    if brief is not None:
        if organisation is None:
            fail("--brief needs --organisation NAME (or --from-workspace)")
        named_as: str = organisation
        text = checked(
            lambda: advisor.brief(
                advice,
                organisation=named_as,
                profile=profile,
                html=brief == "html",
                considered=considered,
            )
        )
        if as_json:
            emit_json({**advice_json(advice), "brief": text, "format": brief})
        else:
            typer.echo(text.rstrip("\n"))
        return
    if as_json:
        emit_json(advice_json(advice))
        return
    _print(advice, considered)


def _print(advice: "Advice", considered: bool) -> None:
    from quarterdeck.catalog.roles import role_catalog
    from quarterdeck.cli.roles import engagement_text

    roles = role_catalog()
    if advice.recommended is None:
        say("No recommendation: none of the advisor's rules points to a kind of leader here.")
    else:
        kind = roles.kind(advice.recommended)
        say(f"Recommended: {kind.name} ({kind.key})")
        if advice.plan is not None:
            say(f"Engagement: {advice.plan.name} ({advice.plan.key}). {advice.plan.description}")
        if advice.engagement is not None:
            say(f"Usual engagement: {engagement_text(advice.engagement)}")
        table(
            "Why",
            ["Rule", "Weight", "Reason"],
            [(f.rule, f"{f.weight:+d}", f.reason) for f in advice.supporting],
        )
    table(
        "Kinds weighed",
        ["Kind", "Score", "Rules", "Set aside by"],
        [
            (s.kind, s.score, ", ".join(s.rules), ", ".join(s.ruled_out_by) or None)
            for s in (*advice.kinds, *advice.ruled_out)
        ],
    )
    if considered:
        table(
            "Rules that did not fire",
            ["Rule", "What kept it from firing"],
            [(n.rule, "; ".join(n.unmet)) for n in advice.not_fired],
        )
