"""The role advisor as a service: answers as a form, an API or a command gives them (text,
numbers, yes/no, lists) are read into the questionnaire, judged by the shipped rules, and
turned into a hiring brief. Answers can start from a workspace's organisation profile."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from quarterdeck.catalog.advisor import advisor_rules
from quarterdeck.catalog.kpis import kpi_catalog
from quarterdeck.catalog.rights import rights_catalog
from quarterdeck.catalog.roles import role_catalog
from quarterdeck.domain.access import Actor, Permission
from quarterdeck.domain.advisor import Advice, advise
from quarterdeck.domain.errors import InvalidInput
from quarterdeck.domain.questionnaires import FIELDS, FieldKind, Questionnaire
from quarterdeck.domain.workspaces import OrganisationProfile
from quarterdeck.reports.hiring_brief import hiring_brief, hiring_brief_html
from quarterdeck.services.access import authorize
from quarterdeck.storage import UnitOfWork

__all__ = ["brief", "profile_answers", "questionnaire", "run"]

_YES = {"yes", "true", "on", "1"}
_NO = {"no", "false", "off", "0", ""}


def _value(name: str, kind: FieldKind, raw: object) -> object:
    if kind is FieldKind.NUMBER and isinstance(raw, str):
        text = raw.strip().replace(",", "").replace("_", "")
        if not text.lstrip("-").isdigit():
            raise InvalidInput(f"{FIELDS[name].label} must be a whole number; got {raw!r}")
        return int(text)
    if kind is FieldKind.FLAG and isinstance(raw, str):
        text = raw.strip().lower()
        if text not in _YES | _NO:
            raise InvalidInput(f"{FIELDS[name].label}: answer yes or no; got {raw!r}")
        return text in _YES
    if kind is FieldKind.SET:
        if isinstance(raw, str):
            return [part.strip() for part in raw.replace(";", ",").split(",") if part.strip()]
        if isinstance(raw, Iterable):
            return list(raw)
    return raw


def questionnaire(answers: Mapping[str, Any]) -> Questionnaire:
    """The questionnaire from raw answers; InvalidInput names an unknown question or a bad
    answer. Questions left out take the questionnaire's defaults, except stage, headcount
    and engineers, which every questionnaire must answer."""
    unknown = sorted(set(answers) - set(FIELDS))
    if unknown:
        raise InvalidInput(
            f"the advisor asks no question {unknown[0]!r}; it asks {', '.join(FIELDS)}"
        )
    missing = [name for name in ("stage", "headcount", "engineers") if name not in answers]
    if missing:
        raise InvalidInput(f"answer {', '.join(missing)} first")
    values = {name: _value(name, FIELDS[name].kind, raw) for name, raw in answers.items()}
    return Questionnaire(**values)  # type: ignore[arg-type]


def run(answers: Mapping[str, Any]) -> tuple[Questionnaire, Advice]:
    """Judge the answers: contradictions named, or the kind(s) and engagement recommended,
    every reason traced to its rule."""
    given = questionnaire(answers)
    return given, advise(given, advisor_rules())


def brief(
    advice: Advice,
    *,
    organisation: str,
    profile: OrganisationProfile | None = None,
    html: bool = False,
    considered: bool = False,
) -> str:
    """The hiring brief as Markdown, or as sanitized HTML."""
    render = hiring_brief_html if html else hiring_brief
    return render(
        advice,
        organisation=organisation,
        roles=role_catalog(),
        rights=rights_catalog(),
        kpis=kpi_catalog(),
        profile=profile,
        considered=considered,
    )


def profile_answers(uow: UnitOfWork, *, actor: Actor, workspace: str) -> dict[str, Any]:
    """Answers the workspace's organisation profile already gives."""
    ws = authorize(uow, actor, workspace, Permission.READ).workspace
    profile = ws.profile
    answers: dict[str, Any] = {
        "stage": profile.stage.value,
        "engineers": profile.engineering_headcount,
        "product_lines": profile.product_lines,
        "regulated": profile.regulated,
    }
    if profile.headcount:
        answers["headcount"] = profile.headcount
    return answers
