"""The hiring brief: the advisor's recommendation written up for the people who will hire
or engage the leader. It states the challenge, the scope, the decision rights, how success
is measured, the engagement, the pay benchmarks and the red flags to check, as Markdown and
as sanitized HTML. With contradictory answers it says so and recommends nothing."""

from __future__ import annotations

from quarterdeck.catalog.kpis import KpiCatalog
from quarterdeck.catalog.rights import RightsCatalog
from quarterdeck.catalog.roles import RoleCatalog
from quarterdeck.domain.advisor import Advice, LeaderStatus, Need, Questionnaire
from quarterdeck.domain.rights import AREA_OWNER, Condition, Involvement
from quarterdeck.domain.role_kinds import (
    CompensationBasis,
    CompensationBenchmark,
    Engagement,
    EngagementMode,
    RoleKind,
)
from quarterdeck.domain.workspaces import OrganisationProfile, Stage, validate_name
from quarterdeck.reports.markdown import escape_markdown, render_markdown

__all__ = ["hiring_brief", "hiring_brief_html"]

# The role-catalog kind whose red flags are the checks to make before engaging any
# part-time leader (DOMAIN.md section 2, "red flags before engaging").
PRE_ENGAGEMENT_FLAGS_FROM = "fractional-cto"

_STAGES = {
    Stage.STARTUP: "a startup",
    Stage.SCALE_UP: "a scale-up",
    Stage.ENTERPRISE: "an enterprise",
}
_LEADER = {
    LeaderStatus.NONE: "No technology leader is in place",
    LeaderStatus.STAYING: "The current technology leader is staying",
    LeaderStatus.LEAVING: "The current technology leader is leaving",
    LeaderStatus.ON_LEAVE: "The technology leader is on leave and keeps the post",
}
_BASIS = {
    CompensationBasis.YEARLY: "a year",
    CompensationBasis.HOURLY: "an hour",
    CompensationBasis.DAILY: "a day",
    CompensationBasis.MONTHLY_RETAINER: "a month (retainer)",
}
_RIGHTS = (
    (Involvement.OWNS, "Decides"),
    (Involvement.CO_OWNS, "Decides jointly"),
    (Involvement.INFLUENCES, "Influences"),
    (Involvement.CONSULTED, "Is consulted on"),
    (Involvement.INFORMED, "Is informed of"),
)


def hiring_brief(
    advice: Advice,
    *,
    organisation: str,
    roles: RoleCatalog,
    rights: RightsCatalog,
    kpis: KpiCatalog,
    profile: OrganisationProfile | None = None,
    considered: bool = False,
) -> str:
    """The brief as Markdown. Text that people typed (the organisation's name, its
    industry) is escaped, so it reads as written and never becomes markup. With
    `considered`, the rules that did not fire are listed with what kept them from firing.

    Raises InvalidInput when the organisation name is empty or longer than 120 characters.
    """
    name = escape_markdown(validate_name(organisation))
    if advice.contradictions:
        lines = [f"# Hiring brief for {name}", "", "## The answers contradict each other", ""]
        lines.append("No recommendation is made until these are resolved:")
        lines.append("")
        lines += [f"- **{c.title}**: {c.reason} (rule `{c.rule}`)" for c in advice.contradictions]
        return "\n".join(lines) + "\n"
    if advice.recommended is None:
        lines = [f"# Hiring brief for {name}", "", "## No recommendation", ""]
        lines.append(
            "None of the advisor's rules points to a kind of technology leader for these "
            "answers, so it makes no guess."
        )
        lines += _weighed(advice, roles)
        lines += _considered(advice) if considered else []
        return "\n".join(lines) + "\n"
    kind = roles.kind(advice.recommended)
    lines = [f"# Hiring brief: {kind.name} for {name}", ""]
    lines += _challenge(advice, kind, name, profile)
    lines += _weighed(advice, roles)
    lines += _scope(kind, advice.out_of_scope)
    lines += _decision_rights(advice, rights)
    lines += ["", "## Success measures", ""]
    lines += [
        f"- **{kpis.kpi(key).name}**: {kpis.kpi(key).meaning}" for key in kind.success_measures
    ]
    lines += _engagement(advice, kind, roles)
    lines += _compensation(kind)
    lines += _red_flags(kind, roles)
    lines += _considered(advice) if considered else []
    return "\n".join(lines) + "\n"


def hiring_brief_html(
    advice: Advice,
    *,
    organisation: str,
    roles: RoleCatalog,
    rights: RightsCatalog,
    kpis: KpiCatalog,
    profile: OrganisationProfile | None = None,
    considered: bool = False,
) -> str:
    """The brief as sanitized HTML (see `hiring_brief`)."""
    return render_markdown(
        hiring_brief(
            advice,
            organisation=organisation,
            roles=roles,
            rights=rights,
            kpis=kpis,
            profile=profile,
            considered=considered,
        )
    )


def _challenge(
    advice: Advice, kind: RoleKind, name: str, profile: OrganisationProfile | None
) -> list[str]:
    answers = advice.answers
    lines = ["## The challenge", "", _situation(answers, name, profile), ""]
    if answers.needs:
        lines += ["What the organisation needs led:", ""]
        lines += [f"- {need.label}" for need in Need if need in answers.needs]
        lines.append("")
    lines += [f"### Why a {kind.name}", ""]
    for fired in advice.supporting:
        lines.append(f"- {fired.reason} (rule `{fired.rule}`, weight {fired.weight:+d})")
    return lines


def _situation(answers: Questionnaire, name: str, profile: OrganisationProfile | None) -> str:
    industry = profile.industry.strip() if profile else ""
    where = f" in {escape_markdown(industry)}" if industry else ""
    sentences = [
        f"{name} is {_STAGES[answers.stage]} of {answers.headcount:,} people{where}, "
        f"{answers.engineers:,} of them engineers."
    ]
    if answers.growth:
        change = "grow" if answers.growth > 0 else "shrink"
        sentences.append(
            f"Headcount is expected to {change} by {abs(answers.growth)}% over the next 12 months."
        )
    if answers.product_lines:
        lines = "line" if answers.product_lines == 1 else "lines"
        sentences.append(
            f"It sells {answers.product_lines:,} software product {lines}, with product and "
            f"technology {answers.coupling.value}ly coupled."
        )
    else:
        sentences.append("It sells no software of its own.")
    vacant = " and the post is vacant" if answers.position_vacant else ""
    sentences.append(f"{_LEADER[answers.technology_leader]}{vacant}.")
    for flag, sentence in (
        (answers.regulated, "It is heavily regulated."),
        (answers.reliability_critical, "An outage would threaten the business."),
        (answers.m_and_a, "A merger, acquisition or platform integration is under way or ahead."),
        (answers.diligence_ahead, "Fundraising diligence is ahead."),
    ):
        if flag:
            sentences.append(sentence)
    budget = "There is" if answers.full_time_budget else "There is no"
    sentences.append(f"{budget} budget for a full-time executive; urgency is {answers.urgency}.")
    return " ".join(sentences)


def _weighed(advice: Advice, roles: RoleCatalog) -> list[str]:
    supporting = {fired.rule for fired in advice.supporting}
    items = [f"- {roles.kind(s.kind).name} scored {s.score}" for s in advice.kinds[1:]] + [
        f"- {roles.kind(s.kind).name} scored {s.score} but was set aside by "
        + ", ".join(f"`{rule}`" for rule in s.ruled_out_by)
        for s in advice.ruled_out
    ]
    items += [
        f"- {fired.reason} (rule `{fired.rule}`, weight {fired.weight:+d})"
        for fired in advice.fired
        if fired.rule not in supporting
    ]
    return ["", "### Also weighed", "", *items] if items else []


def _scope(kind: RoleKind, out_of_scope: tuple[str, ...]) -> list[str]:
    lines = ["", "## Scope", "", kind.focus, ""]
    for title, items in (
        ("Owns", kind.owns),
        ("Shares (co-owns)", kind.co_owns),
        ("Influences but does not decide", kind.influences),
        ("Does not own", out_of_scope),
    ):
        if items:
            lines += [f"**{title}:**", "", *[f"- {item}" for item in items], ""]
    return lines[:-1]


def _decision_rights(advice: Advice, rights: RightsCatalog) -> list[str]:
    assert advice.seat is not None
    template = rights.template(advice.seat.model)
    lines = ["", "## Decision rights", "", f"Starting template: **{template.name}**. "]
    lines[-1] += template.description
    seat = advice.seat.role
    if seat is None:
        lines += [
            "",
            "This leader advises and holds no seat of its own: the decision rights stay "
            "with the people who hold them in this template.",
        ]
        return lines
    role = rights.role(seat).name
    matrix = template.matrix
    lines += ["", f"Sitting as **{role}**, the leader:", ""]
    for involvement, label in _RIGHTS:
        areas = [a for a in rights.areas if matrix.involvement(a.key, seat) is involvement]
        if not areas:
            continue
        shown = []
        for area in areas:
            others = [rights.role(r).name for r in matrix.owners(area.key) if r != seat]
            joint = f" (with {', '.join(others)})" if involvement is Involvement.CO_OWNS else ""
            shown.append(f"{area.name}{joint}")
        lines.append(f"- **{label}**: {'; '.join(shown)}")
    idle = [a.name for a in rights.areas if matrix.involvement(a.key, seat) is None]
    if idle:
        lines.append(f"- **Has no part in**: {'; '.join(idle)}")
    lines += ["", "What goes up for approval:", ""]
    for rule in template.rules:
        to = (
            "the owner of the area"
            if rule.route_to == AREA_OWNER
            else rights.role(rule.route_to).name
        )
        above = f" above {rule.parameter:,}" if rule.condition is Condition.SPEND_ABOVE else ""
        lines.append(f"- {rule.name}{above}: to {to}")
    return lines


def _engagement(advice: Advice, kind: RoleKind, roles: RoleCatalog) -> list[str]:
    assert advice.plan is not None
    assert advice.engagement is not None
    lines = ["", "## Engagement and time commitment", ""]
    lines.append(f"- **{advice.plan.name}**: {advice.plan.description}")
    lines.append(f"- **Time commitment**: {_commitment(advice.engagement)}")
    if advice.engagement.note:
        lines.append(f"- {advice.engagement.note}")
    playbooks = roles.playbooks_for(kind.key)
    if playbooks:
        lines.append(f"- **Playbooks to start from**: {'; '.join(p.name for p in playbooks)}")
    return lines


def _commitment(engagement: Engagement) -> str:
    parts = [engagement.mode.value]
    if engagement.mode is EngagementMode.FULL_TIME:
        parts = ["full-time, every working day"]
    if engagement.hours_per_week is not None:
        hours = engagement.hours_per_week
        parts.append(f"{hours.low}-{hours.high} hours a week")
    if engagement.months is not None:
        parts.append(f"for {engagement.months.low}-{engagement.months.high} months")
    return ", ".join(parts)


def _compensation(kind: RoleKind) -> list[str]:
    lines = ["", "## Compensation benchmarks", ""]
    if not kind.compensation:
        lines.append(
            f"The catalog holds no compensation benchmark for the {kind.name}; price the "
            "role from the market when you hire."
        )
        return lines
    lines += [f"- {_benchmark(b)}" for b in kind.compensation]
    lines += ["", "Figures are market benchmarks at the date given, not offers."]
    return lines


def _benchmark(b: CompensationBenchmark) -> str:
    figures = []
    if b.low is not None and b.high is not None:
        figures.append(f"{b.currency} {b.low:,}-{b.high:,}")
    elif b.low is not None:
        figures.append(f"from {b.currency} {b.low:,}")
    elif b.high is not None:
        figures.append(f"up to {b.currency} {b.high:,}")
    if b.average is not None:
        figures.append(f"average {b.currency} {b.average:,}")
    if b.median is not None:
        figures.append(f"median {b.currency} {b.median:,}")
    dated = f"as of {b.as_of:%B %Y}" if b.as_of else "undated"
    note = f"; {b.note}" if b.note else ""
    return f"{b.region}: {', '.join(figures)} {_BASIS[b.basis]} ({dated}; {b.source}{note})"


def _red_flags(kind: RoleKind, roles: RoleCatalog) -> list[str]:
    lines = ["", "## Red flags to check", ""]
    part_time = kind.engagement.mode in (EngagementMode.FRACTIONAL, EngagementMode.PART_TIME)
    if part_time:
        lines += ["Before engaging:", ""]
        lines += [f"- {flag}" for flag in roles.kind(PRE_ENGAGEMENT_FLAGS_FROM).red_flags]
        if kind.key == PRE_ENGAGEMENT_FLAGS_FROM:
            return lines
        lines += ["", "Once in the role:", ""]
    lines += [f"- {flag}" for flag in kind.red_flags]
    return lines


def _considered(advice: Advice) -> list[str]:
    if not advice.not_fired:
        return []
    lines = ["", "## Rules that did not fire", ""]
    for missed in advice.not_fired:
        lines.append(f"- `{missed.rule}` ({missed.title}): {'; '.join(missed.unmet)}")
    return lines
