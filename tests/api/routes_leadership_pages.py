"""The routes of the role catalog, advisor and set-up pages, the policy each must have,
and a realistic request for each (see tests/api/routes.py)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from tests.api.routes import Call, Policy, Route, Target

UA = "/w/{workspace}/advisor"
US = "/w/{workspace}/setup"
# A 40-person startup with eight engineers, no budget for a full-time executive and no
# technology leader, that needs a foundation and product outcomes: a fractional CTO.
ANSWERS = urlencode(
    [
        ("stage", "startup"),
        ("headcount", "40"),
        ("engineers", "8"),
        ("technology_leader", "none"),
        ("needs", "foundation"),
        ("needs", "product-outcomes"),
    ]
)


def _fill(template: str, t: Target) -> str:
    return template.format(workspace=t.slug)


def _path(template: str) -> Callable[[Target], Call]:
    def build(t: Target) -> Call:
        return Call(_fill(template, t))

    return build


def _answered(template: str, **extra: str) -> Callable[[Target], Call]:
    def build(t: Target) -> Call:
        query = f"{ANSWERS}&{urlencode(extra)}" if extra else ANSWERS
        return Call(f"{_fill(template, t)}?{query}")

    return build


def _install(t: Target) -> Call:
    """The set-up form as a browser posts it: another model than the profile's, the
    decision-rights template ticked, the playbooks' start."""
    return Call(
        _fill(US, t),
        form={
            "model": "fractional-cto",
            "accept": "rights",
            "playbooks_start": "2027-01-04",
        },
    )


ROUTES: tuple[Route, ...] = (
    # Role catalog
    Route("GET", "/roles", Policy.SIGNED_IN, 200, _path("/roles")),
    Route(
        "GET",
        "/roles/compare",
        Policy.SIGNED_IN,
        200,
        _path("/roles/compare?kinds=fractional-cto&kinds=interim-cto&kinds=cpto"),
    ),
    Route("GET", "/roles/{kind}", Policy.SIGNED_IN, 200, _path("/roles/fractional-cto")),
    # Advisor
    Route("GET", "/advisor", Policy.SIGNED_IN, 200, _answered("/advisor", organisation="Acme")),
    Route(
        "GET",
        "/advisor/brief.md",
        Policy.SIGNED_IN,
        200,
        _answered("/advisor/brief.md", organisation="Acme"),
    ),
    Route(
        "GET",
        "/advisor/brief.html",
        Policy.SIGNED_IN,
        200,
        _answered("/advisor/brief.html", organisation="Acme"),
    ),
    Route("GET", UA, Policy.READ, 200, _answered(UA)),
    Route("GET", UA + "/brief.md", Policy.READ, 200, _answered(UA + "/brief.md")),
    Route("GET", UA + "/brief.html", Policy.READ, 200, _answered(UA + "/brief.html")),
    # Set-up
    Route("GET", US, Policy.READ, 200, _path(US)),
    Route(
        "POST",
        US,
        Policy.ADMINISTER,
        303,
        _install,
        audit_actions=("workspace.updated", "rights.template_applied", "workspace.set_up"),
    ),
)
