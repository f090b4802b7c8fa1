"""Every route of the app, the policy it must have, and a realistic request for it.

A route added to the app without a row here fails `test_every_route_is_classified`, so the
authorization suites below always cover the whole app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from quarterdeck.catalog.kpis import kpi_catalog
from quarterdeck.catalog.rights import rights_catalog
from quarterdeck.domain.rights import WorkspaceRights
from quarterdeck.domain.scorecard import KpiSet
from quarterdeck.domain.workspaces import LeadershipModel
from quarterdeck.services import rights
from quarterdeck.web import policies
from tests.conftest import PASSWORD

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Policy(StrEnum):
    PUBLIC = "public"
    SIGNED_IN = "signed-in"
    READ = "read"
    WRITE = "write"
    ADMINISTER = "administer"


# Strongest first: a workspace policy depends on `signed_in`, so a route's tree holds both.
POLICY_FUNCTIONS: tuple[tuple[Policy, object], ...] = (
    (Policy.ADMINISTER, policies.workspace_admin),
    (Policy.WRITE, policies.workspace_writer),
    (Policy.READ, policies.workspace_reader),
    (Policy.SIGNED_IN, policies.signed_in),
    (Policy.PUBLIC, policies.public),
)


# Every tenant's decision log (tests/api/world.py): D-1 proposed, D-2 and D-3 accepted.
PROPOSED_DECISION, ACCEPTED_DECISION, OTHER_ACCEPTED_DECISION = 1, 2, 3

# Every tenant's portfolio (tests/api/world.py `build_portfolio`): planning quarters, team
# TEAM with PERSON, outcome OUTCOME, intake items IN-1 and IN-2 (IN-2 urgent), each at
# version 1 and ready to plan; no plan accepted yet.
PLAN_QUARTERS = ["2027-Q1", "2027-Q2"]
TEAM, PERSON, OUTCOME = "core", "Ada Lovelace", "activation"
ITEM, URGENT_ITEM = 1, 2


@dataclass(frozen=True)
class Target:
    """What a sample request addresses: a workspace slug and objects inside it."""

    slug: str
    version: int
    member_email: str  # a removable member
    token_id: int
    newcomer_email: str  # an existing account that is not a member


@dataclass(frozen=True)
class Call:
    path: str
    json: dict[str, Any] | None = None
    form: dict[str, str] | None = None
    file: File | None = None  # a file sent as the body itself (the API's uploads)
    upload: tuple[str, File] | None = None  # (file name, file) in a multipart form (pages)


@dataclass(frozen=True)
class File:
    content: bytes
    content_type: str


FIXTURES = Path(__file__).parents[1] / "ingest" / "fixtures"


def fixture(name: str) -> File:
    """A real export from tests/ingest/fixtures, as a script would upload it."""
    content_type = "text/csv" if name.endswith(".csv") else "application/json"
    return File((FIXTURES / name).read_bytes(), content_type)


def _in_a_year() -> datetime:
    return datetime.now(UTC) + timedelta(days=365)


def _path(template: str) -> Callable[[Target], Call]:
    def build(t: Target) -> Call:
        return Call(_fill(template, t))

    return build


def _fill(template: str, t: Target) -> str:
    return template.format(workspace=t.slug, email=t.member_email, token_id=t.token_id)


def _settings_form(t: Target) -> Call:
    return Call(
        f"/w/{t.slug}/settings",
        form={
            "version": str(t.version),
            "name": "Renamed Organisation",
            "time_zone": "Europe/Amsterdam",
            "stage": "scale-up",
            "leadership_model": "cpto",
            "headcount": "240",
            "engineering_headcount": "60",
            "product_lines": "3",
            "industry": "Logistics",
            "regulated": "yes",
        },
    )


UD = "/w/{workspace}/decisions"
ACCEPTED_VERSION = 2  # recorded, then accepted (tests/api/world.py)


def _decision_page(t: Target, number: int, tail: str = "") -> str:
    return f"/w/{t.slug}/decisions/D-{number}{tail}"


def _decision_form(path: str, **extra: str) -> Call:
    """The decision form as a browser posts it: every field, two options filled, two blank."""
    blank_options = {f"option_{i}_{part}": "" for i in (3, 4) for part in ("title", "pros", "cons")}
    return Call(
        path,
        form={
            "title": "Adopt trunk-based development with short-lived branches",
            "area": "process",
            "context": "Long-lived branches cost us **two days** of merging per release.",
            "option_1_title": "Trunk-based development",
            "option_1_pros": "smaller merges\nfaster feedback",
            "option_1_cons": "needs feature flags",
            "option_2_title": "Keep GitFlow",
            "option_2_pros": "familiar",
            "option_2_cons": "merge pain\nslow releases",
            **blank_options,
            "decision": "Every team merges to main at least daily behind flags.",
            "rationale": "Merge pain grows with branch age.",
            "consequences": "- Flags need an owner\n- CI must stay under 10 minutes",
            "deciders": "CTO, VP Engineering",
            "consulted": "Team leads",
            "informed": "Engineering",
            "reversibility": "two-way",
            "estimated_spend": "12000",
            "cross_team": "yes",
            "revisit_on": "2027-01-15",
            "revisit_condition": "when lead time stops improving",
            "tags": "delivery, git",
            "taken_in": "Engineering leadership sync",
            **extra,
        },
    )


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    policy: Policy
    success: int  # what an owner of the addressed workspace gets
    build: Callable[[Target], Call] = field(repr=False)
    audit_actions: tuple[str, ...] = ()  # what a successful call appends to the audit log

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def api(self) -> bool:
        return self.path.startswith("/api/")

    @property
    def workspace_scoped(self) -> bool:
        return "{workspace}" in self.path

    @property
    def writes(self) -> bool:
        return self.method not in SAFE_METHODS


WS = "/api/v1/workspaces/{workspace}"
DS = WS + "/decisions"


def _decision(t: Target, number: int) -> str:
    return f"/api/v1/workspaces/{t.slug}/decisions/{number}"


RS = WS + "/rights"


def _rights_put(t: Target) -> Call:
    """The template the tenants start on (CTO + CPO), with process handed to VP Engineering."""
    template = rights_catalog().template(LeadershipModel.CTO_AND_CPO)
    document = rights.document_of(WorkspaceRights(template.model, template.matrix, template.rules))
    matrix = {
        **document["matrix"],
        "process": {"vp-engineering": "owns", "cto": "consulted", "team-lead": "consulted"},
    }
    return Call(
        _fill(RS, t), json={"expected_version": 0, "matrix": matrix, "rules": document["rules"]}
    )


UR = "/w/{workspace}/rights"


def _template_rights() -> dict[str, Any]:
    template = rights_catalog().template(LeadershipModel.CTO_AND_CPO)
    return rights.document_of(WorkspaceRights(template.model, template.matrix, template.rules))


def _rights_grid(t: Target) -> Call:
    """The matrix editor as a browser posts it: a select per area and role, with process
    handed to VP Engineering."""
    matrix = _template_rights()["matrix"]
    cells = {
        f"cell:{area}:{role}": involvement
        for area, roles in matrix.items()
        for role, involvement in roles.items()
    }
    cells |= {"cell:process:cto": "consulted", "cell:process:vp-engineering": "owns"}
    return Call(_fill(UR, t), form={"version": "0", **cells})


def _rules_form(t: Target) -> Call:
    form = {"version": "0"}
    for index, rule in enumerate(_template_rights()["rules"]):
        form |= {
            f"rule_{index}_name": rule["name"],
            f"rule_{index}_when": rule["when"],
            f"rule_{index}_route_to": rule["route_to"],
            f"rule_{index}_parameter": "50000" if "threshold" in rule else rule.get("area", ""),
        }
    return Call(_fill(UR + "/rules", t), form=form)


DEPLOYMENT_EVENT = {
    "deployment_id": "pipeline-8812",
    "service": "checkout",
    "environment": "production",
    "commit": "3f9c2ab41d7e",
    "finished_at": "2026-11-20T14:05:00+01:00",
    "status": "success",
}

SC = WS + "/scorecard"
# Tracked in every tenant (tests/api/world.py) as starting from a set would: no owner,
# no thresholds, no values, version 1.
TRACKED_METRIC = "escaped-defects"
MEASUREMENTS_CSV = File(
    b"metric,period_end,value,note\n"
    + f"{TRACKED_METRIC},2026-09-30,4,\n{TRACKED_METRIC},2026-10-31,3,two in billing\n".encode(),
    "text/csv",
)


def _metric(t: Target, tail: str = "") -> str:
    return _fill(SC, t) + f"/metrics/{TRACKED_METRIC}{tail}"


def _upload(path: str, file: File) -> Callable[[Target], Call]:
    return lambda t: Call(_fill(WS + path, t), file=file)


US = "/w/{workspace}/scorecard"
UNTRACKED_METRIC = "critical-system-uptime"  # in the catalog, on no tenant's scorecard


def _metric_page(t: Target, tail: str = "") -> str:
    return f"/w/{t.slug}/scorecard/metrics/{TRACKED_METRIC}{tail}"


def _custom_metric_form(t: Target) -> Call:
    """The custom metric form as a browser posts it, thresholds and all."""
    return Call(
        _fill(US + "/metrics/custom", t),
        form={
            "key": "churned-seats",
            "name": "Churned seats",
            "category": "product",
            "unit": "count",
            "direction": "lower-is-better",
            "cadence": "",
            "meaning": "Seats given up at renewal.",
            "owner": "Head of Customer Success",
            "target": "10",
            "warning": "25",
            "critical": "50",
        },
    )


def _delivery_choices_form(t: Target) -> Call:
    return Call(
        _fill(US + "/delivery", t),
        form={
            "version": "0",
            "days": "90",
            "production_environment": "production",
            "commit_time": "committer",
            "bot_patterns": "*[bot]@users.noreply.github.com\nrenovate@*",
            "link_by_service_window": "yes",
            "max_link_gap_hours": "12",
            "bands_edition": "2021",
        },
    )


_CORE_ROUTES: tuple[Route, ...] = (
    # JSON API
    Route("GET", "/api/v1/me", Policy.SIGNED_IN, 200, _path("/api/v1/me")),
    Route("GET", "/api/v1/docs", Policy.PUBLIC, 200, _path("/api/v1/docs")),
    Route("GET", "/api/v1/workspaces", Policy.SIGNED_IN, 200, _path("/api/v1/workspaces")),
    Route(
        "POST",
        "/api/v1/workspaces",
        Policy.SIGNED_IN,
        201,
        lambda t: Call(
            "/api/v1/workspaces",
            json={
                "slug": "harbour-logistics",
                "name": "Harbour Logistics",
                "time_zone": "Europe/Amsterdam",
                "profile": {"stage": "scale-up", "headcount": 180, "engineering_headcount": 45},
            },
        ),
        audit_actions=("workspace.created", "member.added"),
    ),
    Route("GET", WS, Policy.READ, 200, _path(WS)),
    Route(
        "PATCH",
        WS,
        Policy.ADMINISTER,
        200,
        lambda t: Call(
            _fill(WS, t),
            json={
                "version": t.version,
                "name": "Renamed Organisation",
                "time_zone": "Europe/Lisbon",
                "profile": {"headcount": 90, "engineering_headcount": 30, "regulated": True},
            },
        ),
        audit_actions=("workspace.updated",),
    ),
    Route("GET", WS + "/export", Policy.ADMINISTER, 200, _path(WS + "/export")),
    Route("GET", WS + "/members", Policy.READ, 200, _path(WS + "/members")),
    Route(
        "PUT",
        WS + "/members/{email}",
        Policy.ADMINISTER,
        200,
        lambda t: Call(
            f"/api/v1/workspaces/{t.slug}/members/{t.newcomer_email}", {"role": "editor"}
        ),
        audit_actions=("member.added",),
    ),
    Route(
        "DELETE",
        WS + "/members/{email}",
        Policy.ADMINISTER,
        204,
        _path(WS + "/members/{email}"),
        audit_actions=("member.removed",),
    ),
    Route("GET", WS + "/tokens", Policy.ADMINISTER, 200, _path(WS + "/tokens")),
    Route(
        "POST",
        WS + "/tokens",
        Policy.ADMINISTER,
        201,
        lambda t: Call(
            _fill(WS + "/tokens", t),
            json={
                "name": "incident export",
                "scope": "write",
                "expires_at": _in_a_year().isoformat(),
            },
        ),
        audit_actions=("token.created",),
    ),
    Route(
        "DELETE",
        WS + "/tokens/{token_id}",
        Policy.ADMINISTER,
        200,
        _path(WS + "/tokens/{token_id}"),
        audit_actions=("token.revoked",),
    ),
    Route("GET", WS + "/audit", Policy.ADMINISTER, 200, _path(WS + "/audit?limit=50")),
    # The decision log
    Route("GET", DS, Policy.READ, 200, _path(DS + "?status=accepted&sort=title")),
    Route(
        "POST",
        DS,
        Policy.WRITE,
        201,
        lambda t: Call(
            _fill(DS, t),
            json={
                "title": "Split the monolith's billing module",
                "area": "architecture",
                "context": "Billing releases block every other team.",
                "options": [{"title": "Extract a service", "pros": ["own deploys"], "cons": []}],
                "reversibility": "one-way",
                "estimated_spend": "30000",
                "cross_team": True,
                "security_exception": True,
                "revisit_on": "2027-03-01",
                "tags": ["billing"],
                # Outside every tenant member's rights, so it waits for the CTO: not accepted.
                "accept": True,
            },
        ),
        audit_actions=("decision.recorded",),
    ),
    Route("GET", DS + "/due", Policy.READ, 200, _path(DS + "/due?on=2030-01-01")),
    Route("GET", DS + "/queue", Policy.READ, 200, _path(DS + "/queue?role=cto&mine=false")),
    Route("GET", DS + "/signals", Policy.READ, 200, _path(DS + "/signals?window_days=30")),
    Route(
        "GET", DS + "/{number}", Policy.READ, 200, lambda t: Call(_decision(t, ACCEPTED_DECISION))
    ),
    Route(
        "PUT",
        DS + "/{number}",
        Policy.WRITE,
        200,
        lambda t: Call(
            _decision(t, PROPOSED_DECISION),
            json={"version": 1, "title": "Adopt trunk-based development now", "area": "process"},
        ),
        audit_actions=("decision.edited",),
    ),
    Route(
        "POST",
        DS + "/{number}/status",
        Policy.WRITE,
        200,
        lambda t: Call(
            _decision(t, PROPOSED_DECISION) + "/status", json={"version": 1, "status": "accepted"}
        ),
        audit_actions=("decision.accepted",),
    ),
    Route(
        "POST",
        DS + "/{number}/superseded-by",
        Policy.WRITE,
        200,
        lambda t: Call(
            _decision(t, ACCEPTED_DECISION) + "/superseded-by",
            json={"other": OTHER_ACCEPTED_DECISION},
        ),
        audit_actions=("decision.superseded",),
    ),
    Route(
        "POST",
        DS + "/{number}/amended-by",
        Policy.WRITE,
        200,
        lambda t: Call(
            _decision(t, ACCEPTED_DECISION) + "/amended-by", json={"other": OTHER_ACCEPTED_DECISION}
        ),
        audit_actions=("decision.linked.amends",),
    ),
    Route(
        "POST",
        DS + "/{number}/relates-to",
        Policy.WRITE,
        200,
        lambda t: Call(
            _decision(t, PROPOSED_DECISION) + "/relates-to", json={"other": ACCEPTED_DECISION}
        ),
        audit_actions=("decision.linked.relates-to",),
    ),
    Route(
        "GET",
        DS + "/{number}/history",
        Policy.READ,
        200,
        lambda t: Call(_decision(t, ACCEPTED_DECISION) + "/history"),
    ),
    Route(
        "GET",
        DS + "/{number}/diff",
        Policy.READ,
        200,
        lambda t: Call(_decision(t, ACCEPTED_DECISION) + "/diff?old=1&new=2"),
    ),
    # Decision rights
    Route("GET", RS, Policy.READ, 200, _path(RS)),
    Route("PUT", RS, Policy.ADMINISTER, 200, _rights_put, audit_actions=("rights.changed",)),
    Route(
        "POST",
        RS + "/template",
        Policy.ADMINISTER,
        200,
        lambda t: Call(_fill(RS + "/template", t), json={"model": "cpto", "expected_version": 0}),
        audit_actions=("rights.template_applied",),
    ),
    Route(
        "POST",
        RS + "/areas",
        Policy.ADMINISTER,
        201,
        lambda t: Call(
            _fill(RS + "/areas", t),
            json={
                "key": "payments-platform",
                "name": "Payments platform",
                "description": "The ledger, payment providers and payouts.",
                "owner": "vp-engineering",
                "expected_version": 0,
            },
        ),
        audit_actions=("rights.area_added",),
    ),
    Route(
        "POST",
        RS + "/roles",
        Policy.ADMINISTER,
        201,
        lambda t: Call(
            _fill(RS + "/roles", t),
            json={"key": "head-of-data", "name": "Head of Data", "expected_version": 0},
        ),
        audit_actions=("rights.role_added",),
    ),
    Route(
        "PUT",
        WS + "/members/{email}/leadership-roles",
        Policy.ADMINISTER,
        200,
        lambda t: Call(
            _fill(WS + "/members/{email}/leadership-roles", t), json={"roles": ["team-lead"]}
        ),
        audit_actions=("member.leadership_roles_changed",),
    ),
    # Engineering data
    Route(
        "POST",
        WS + "/deployments",
        Policy.WRITE,
        201,
        lambda t: Call(_fill(WS + "/deployments", t), json=DEPLOYMENT_EVENT),
        audit_actions=("deployments.recorded",),
    ),
    Route(
        "POST",
        WS + "/deployments/import",
        Policy.WRITE,
        200,
        _upload("/deployments/import?source=deployments.csv", fixture("events/deployments.csv")),
        audit_actions=("deployments.imported",),
    ),
    Route(
        "POST",
        WS + "/incidents/import",
        Policy.WRITE,
        200,
        _upload(
            "/incidents/import?source=pagerduty.csv", fixture("events/incidents-pagerduty.csv")
        ),
        audit_actions=("incidents.imported",),
    ),
    Route(
        "POST",
        WS + "/tickets/import",
        Policy.WRITE,
        200,
        _upload(
            "/tickets/import?source=desk.csv&assume_workspace_zone=true",
            fixture("events/tickets-service-desk.csv"),
        ),
        audit_actions=("tickets.imported",),
    ),
    Route(
        "POST",
        WS + "/costs/import",
        Policy.WRITE,
        200,
        _upload("/costs/import?source=cloud.csv", fixture("events/costs-cloud.csv")),
        audit_actions=("costs.imported",),
    ),
    Route(
        "POST",
        WS + "/scans",
        Policy.WRITE,
        200,
        _upload("/scans?source=trivy.json&kind=trivy", fixture("scans/trivy-image.json")),
        audit_actions=("scan.imported",),
    ),
    # Scorecard and delivery figures
    Route("GET", "/api/v1/kpis", Policy.SIGNED_IN, 200, _path("/api/v1/kpis?category=delivery")),
    Route("GET", SC, Policy.READ, 200, _path(SC)),
    Route(
        "POST",
        SC + "/start",
        Policy.WRITE,
        200,
        lambda t: Call(_fill(SC + "/start", t), json={"set": "quick-starter"}),
        audit_actions=tuple(
            "metric.added"
            for kpi in kpi_catalog().in_set(KpiSet.QUICK_STARTER)
            if kpi.key != TRACKED_METRIC
        ),
    ),
    Route("GET", SC + "/metrics", Policy.READ, 200, _path(SC + "/metrics")),
    Route(
        "POST",
        SC + "/metrics",
        Policy.WRITE,
        201,
        lambda t: Call(
            _fill(SC + "/metrics", t),
            json={
                "key": "mfa-coverage",
                "owner": "CISO",
                "cadence": "monthly",
                "thresholds": {"target": 100, "warning": "95", "critical": 90},
            },
        ),
        audit_actions=("metric.added",),
    ),
    Route("GET", SC + "/metrics/{key}", Policy.READ, 200, lambda t: Call(_metric(t))),
    Route(
        "PATCH",
        SC + "/metrics/{key}",
        Policy.WRITE,
        200,
        lambda t: Call(
            _metric(t),
            json={
                "expected_version": 1,
                "owner": "Head of QA",
                "thresholds": {"target": 2, "warning": 5, "critical": 10},
            },
        ),
        audit_actions=("metric.configured",),
    ),
    Route(
        "DELETE",
        SC + "/metrics/{key}",
        Policy.WRITE,
        204,
        lambda t: Call(_metric(t)),
        audit_actions=("metric.removed",),
    ),
    Route(
        "GET",
        SC + "/metrics/{key}/measurements",
        Policy.READ,
        200,
        lambda t: Call(_metric(t, "/measurements")),
    ),
    Route(
        "POST",
        SC + "/metrics/{key}/measurements",
        Policy.WRITE,
        201,
        lambda t: Call(
            _metric(t, "/measurements"),
            json={"period_end": "2026-10-31", "value": 3, "note": "two in billing"},
        ),
        audit_actions=("measurement.recorded",),
    ),
    Route(
        "POST",
        SC + "/measurements/import",
        Policy.WRITE,
        200,
        lambda t: Call(
            _fill(SC + "/measurements/import?source=quality.csv", t), file=MEASUREMENTS_CSV
        ),
        audit_actions=("measurements.imported",),
    ),
    Route(
        "PUT",
        SC + "/categories/{category}/owner",
        Policy.WRITE,
        200,
        lambda t: Call(
            _fill(SC + "/categories/delivery/owner", t),
            json={"expected_version": 0, "owner": "VP Eng"},
        ),
        audit_actions=("scorecard.category_owner_set",),
    ),
    Route("GET", WS + "/delivery", Policy.READ, 200, _path(WS + "/delivery?days=90")),
    Route("GET", WS + "/delivery/choices", Policy.READ, 200, _path(WS + "/delivery/choices")),
    Route(
        "PUT",
        WS + "/delivery/choices",
        Policy.WRITE,
        200,
        lambda t: Call(
            _fill(WS + "/delivery/choices", t),
            json={
                "expected_version": 0,
                "production_environment": "production",
                "commit_time": "committer",
                "bot_patterns": ["*[bot]@users.noreply.github.com"],
                "link_by_service_window": True,
                "max_link_gap_hours": 12,
                "bands_edition": "2021",
            },
        ),
        audit_actions=("delivery.choices_changed",),
    ),
    # Server-rendered pages
    Route("GET", "/healthz", Policy.PUBLIC, 200, _path("/healthz")),
    Route("GET", "/login", Policy.PUBLIC, 200, _path("/login?next=/")),
    Route(
        "POST",
        "/login",
        Policy.PUBLIC,
        303,
        lambda t: Call("/login", form={"email": "someone@example.com", "password": "not it"}),
    ),
    Route("POST", "/logout", Policy.SIGNED_IN, 303, _path("/logout")),
    Route("GET", "/account", Policy.SIGNED_IN, 200, _path("/account")),
    Route(
        "POST",
        "/account/password",
        Policy.SIGNED_IN,
        200,
        lambda t: Call(
            "/account/password",
            form={
                "current": PASSWORD,
                "new": "a brand new passphrase",
                "repeat": "a brand new passphrase",
            },
        ),
    ),
    Route("GET", "/", Policy.SIGNED_IN, 200, _path("/")),
    Route(
        "POST",
        "/workspaces",
        Policy.SIGNED_IN,
        303,
        lambda t: Call(
            "/workspaces",
            form={
                "name": "Harbour Logistics",
                "slug": "harbour-logistics",
                "time_zone": "Europe/Amsterdam",
                "stage": "startup",
                "leadership_model": "fractional-cto",
                "headcount": "40",
                "engineering_headcount": "12",
                "product_lines": "1",
                "industry": "Shipping",
            },
        ),
        audit_actions=("workspace.created", "member.added"),
    ),
    Route("GET", "/w/{workspace}", Policy.READ, 200, _path("/w/{workspace}")),
    Route(
        "GET", "/w/{workspace}/settings", Policy.ADMINISTER, 200, _path("/w/{workspace}/settings")
    ),
    Route(
        "POST",
        "/w/{workspace}/settings",
        Policy.ADMINISTER,
        303,
        _settings_form,
        audit_actions=("workspace.updated",),
    ),
    Route("GET", "/w/{workspace}/members", Policy.READ, 200, _path("/w/{workspace}/members")),
    Route(
        "POST",
        "/w/{workspace}/members",
        Policy.ADMINISTER,
        303,
        lambda t: Call(f"/w/{t.slug}/members", form={"email": t.newcomer_email, "role": "editor"}),
        audit_actions=("member.added",),
    ),
    Route(
        "POST",
        "/w/{workspace}/members/remove",
        Policy.ADMINISTER,
        303,
        lambda t: Call(f"/w/{t.slug}/members/remove", form={"email": t.member_email}),
        audit_actions=("member.removed",),
    ),
    Route("GET", "/w/{workspace}/tokens", Policy.ADMINISTER, 200, _path("/w/{workspace}/tokens")),
    Route(
        "POST",
        "/w/{workspace}/tokens",
        Policy.ADMINISTER,
        201,
        lambda t: Call(
            f"/w/{t.slug}/tokens",
            form={
                "name": "scanner import",
                "scope": "read",
                "expires": _in_a_year().date().isoformat(),
            },
        ),
        audit_actions=("token.created",),
    ),
    Route(
        "POST",
        "/w/{workspace}/tokens/{token_id}/revoke",
        Policy.ADMINISTER,
        303,
        _path("/w/{workspace}/tokens/{token_id}/revoke"),
        audit_actions=("token.revoked",),
    ),
    Route("GET", "/w/{workspace}/audit", Policy.ADMINISTER, 200, _path("/w/{workspace}/audit")),
    Route(
        "GET",
        UD,
        Policy.READ,
        200,
        lambda t: Call(f"/w/{t.slug}/decisions?status=accepted&area=process&q=billing&sort=title"),
    ),
    Route("GET", UD + "/new", Policy.WRITE, 200, _path(UD + "/new")),
    Route(
        "POST",
        UD,
        Policy.WRITE,
        303,
        lambda t: _decision_form(_fill(UD, t)),
        audit_actions=("decision.recorded",),
    ),
    Route("GET", UD + "/due", Policy.READ, 200, _path(UD + "/due")),
    Route("GET", UD + "/queue", Policy.READ, 200, _path(UD + "/queue")),
    Route("GET", UR, Policy.READ, 200, _path(UR)),
    Route("POST", UR, Policy.ADMINISTER, 303, _rights_grid, audit_actions=("rights.changed",)),
    Route(
        "POST",
        UR + "/rules",
        Policy.ADMINISTER,
        303,
        _rules_form,
        audit_actions=("rights.rules_changed",),
    ),
    Route(
        "POST",
        UR + "/template",
        Policy.ADMINISTER,
        303,
        lambda t: Call(_fill(UR + "/template", t), form={"version": "0", "model": "cpto"}),
        audit_actions=("rights.template_applied",),
    ),
    Route(
        "POST",
        UR + "/areas",
        Policy.ADMINISTER,
        303,
        lambda t: Call(
            _fill(UR + "/areas", t),
            form={"version": "0", "key": "field-ops", "name": "Field operations", "owner": "cto"},
        ),
        audit_actions=("rights.area_added",),
    ),
    Route(
        "POST",
        UR + "/roles",
        Policy.ADMINISTER,
        303,
        lambda t: Call(
            _fill(UR + "/roles", t),
            form={"version": "0", "key": "head-of-data", "name": "Head of Data"},
        ),
        audit_actions=("rights.role_added",),
    ),
    Route(
        "POST",
        UR + "/members",
        Policy.ADMINISTER,
        303,
        lambda t: Call(
            _fill(UR + "/members", t),
            form={"email": t.member_email, "role:cto": "yes", "role:team-lead": "yes"},
        ),
        audit_actions=("member.leadership_roles_changed",),
    ),
    Route(
        "GET",
        UD + "/{number}",
        Policy.READ,
        200,
        lambda t: Call(_decision_page(t, ACCEPTED_DECISION)),
    ),
    Route(
        "GET",
        UD + "/{number}/edit",
        Policy.WRITE,
        200,
        lambda t: Call(_decision_page(t, PROPOSED_DECISION, "/edit")),
    ),
    Route(
        "POST",
        UD + "/{number}/edit",
        Policy.WRITE,
        303,
        lambda t: _decision_form(_decision_page(t, PROPOSED_DECISION, "/edit"), version="1"),
        audit_actions=("decision.edited",),
    ),
    Route(
        "POST",
        UD + "/{number}/status",
        Policy.WRITE,
        303,
        lambda t: Call(
            _decision_page(t, PROPOSED_DECISION, "/status"), form={"version": "1", "to": "accepted"}
        ),
        audit_actions=("decision.accepted",),
    ),
    Route(
        "POST",
        UD + "/{number}/superseded-by",
        Policy.WRITE,
        303,
        lambda t: Call(
            _decision_page(t, ACCEPTED_DECISION, "/superseded-by"),
            form={"version": str(ACCEPTED_VERSION), "other": f"D-{OTHER_ACCEPTED_DECISION}"},
        ),
        audit_actions=("decision.superseded",),
    ),
    Route(
        "POST",
        UD + "/{number}/amended-by",
        Policy.WRITE,
        303,
        lambda t: Call(
            _decision_page(t, ACCEPTED_DECISION, "/amended-by"),
            form={"version": str(ACCEPTED_VERSION), "other": str(OTHER_ACCEPTED_DECISION)},
        ),
        audit_actions=("decision.linked.amends",),
    ),
    Route(
        "POST",
        UD + "/{number}/relates-to",
        Policy.WRITE,
        303,
        lambda t: Call(
            _decision_page(t, PROPOSED_DECISION, "/relates-to"),
            form={"version": "1", "other": f"D-{ACCEPTED_DECISION}"},
        ),
        audit_actions=("decision.linked.relates-to",),
    ),
    Route(
        "GET",
        UD + "/{number}/diff",
        Policy.READ,
        200,
        lambda t: Call(_decision_page(t, ACCEPTED_DECISION, "/diff?old=1&new=2")),
    ),
    # Scorecard pages
    Route("GET", US, Policy.READ, 200, _path(US)),
    Route(
        "POST",
        US + "/start",
        Policy.WRITE,
        303,
        lambda t: Call(_fill(US + "/start", t), form={"set": "quick-starter"}),
        audit_actions=tuple(
            "metric.added"
            for kpi in kpi_catalog().in_set(KpiSet.QUICK_STARTER)
            if kpi.key != TRACKED_METRIC
        ),
    ),
    Route(
        "POST",
        US + "/owners",
        Policy.WRITE,
        303,
        lambda t: Call(
            _fill(US + "/owners", t),
            form={"version": "0", "category": "delivery", "owner": "VP Engineering"},
        ),
        audit_actions=("scorecard.category_owner_set",),
    ),
    Route(
        "POST",
        US + "/metrics",
        Policy.WRITE,
        303,
        lambda t: Call(_fill(US + "/metrics", t), form={"key": UNTRACKED_METRIC}),
        audit_actions=("metric.added",),
    ),
    Route(
        "POST",
        US + "/metrics/custom",
        Policy.WRITE,
        303,
        _custom_metric_form,
        audit_actions=("metric.added",),
    ),
    Route(
        "POST",
        US + "/measurements/import",
        Policy.WRITE,
        303,
        lambda t: Call(
            _fill(US + "/measurements/import", t), upload=("quality.csv", MEASUREMENTS_CSV)
        ),
        audit_actions=("measurements.imported",),
    ),
    Route("GET", US + "/metrics/{key}", Policy.READ, 200, lambda t: Call(_metric_page(t))),
    Route(
        "POST",
        US + "/metrics/{key}/measurements",
        Policy.WRITE,
        303,
        lambda t: Call(
            _metric_page(t, "/measurements"),
            form={"period_end": "2026-01-31", "value": "3", "note": "two in billing"},
        ),
        audit_actions=("measurement.recorded",),
    ),
    Route(
        "POST",
        US + "/metrics/{key}/configure",
        Policy.WRITE,
        303,
        lambda t: Call(
            _metric_page(t, "/configure"),
            form={
                "version": "1",
                "owner": "Head of QA",
                "cadence": "weekly",
                "target": "2",
                "warning": "5",
                "critical": "10",
            },
        ),
        audit_actions=("metric.configured",),
    ),
    Route(
        "POST",
        US + "/metrics/{key}/remove",
        Policy.WRITE,
        303,
        lambda t: Call(_metric_page(t, "/remove")),
        audit_actions=("metric.removed",),
    ),
    Route(
        "GET",
        US + "/delivery",
        Policy.READ,
        200,
        lambda t: Call(_fill(US + "/delivery?days=30", t)),
    ),
    Route(
        "POST",
        US + "/delivery",
        Policy.WRITE,
        303,
        _delivery_choices_form,
        audit_actions=("delivery.choices_changed",),
    ),
)


def routes(**conditions: Any) -> list[Route]:
    """The rows of the table whose properties equal `conditions` (api=True, writes=False, ...)."""
    return [r for r in ROUTES if all(getattr(r, k) == v for k, v in conditions.items())]


def ids(routes_: list[Route]) -> list[str]:
    return [r.id for r in routes_]


# The portfolio's and the leadership layer's routes are classified in their own modules,
# which build on the types above.
from tests.api import (  # noqa: E402
    routes_leadership_api,
    routes_leadership_pages,
    routes_leadership_records_pages,
    routes_planning_pages,
    routes_portfolio_api,
    routes_portfolio_pages,
)

ROUTES: tuple[Route, ...] = (
    *_CORE_ROUTES,
    *routes_portfolio_pages.ROUTES,
    *routes_planning_pages.ROUTES,
    *routes_portfolio_api.ROUTES,
    *routes_leadership_pages.ROUTES,
    *routes_leadership_records_pages.ROUTES,
    *routes_leadership_api.ROUTES,
)
BY_ID = {route.id: route for route in ROUTES}


def app_routes(app: FastAPI) -> dict[str, Any]:
    """Every APIRoute the app really serves, with its effective dependency tree, by "METHOD path".

    Routers are included lazily (fastapi.routing._IncludedRouter), so `app.routes` alone does not
    list them; `iter_route_contexts` resolves the prefixes and the inherited dependencies.
    """
    found: dict[str, Any] = {}
    for context in iter_route_contexts(app.routes):
        if not isinstance(context.original_route, APIRoute):
            continue
        for method in sorted(context.methods or ()):
            found[f"{method} {context.path}"] = context.dependant
    return found


def declared_policy(dependant: Any) -> Policy | None:
    """The strongest policy in a route's dependency tree, or None when it has none."""
    calls = set()
    stack = [dependant]
    for _ in range(10_000):  # dependency trees are small; the bound only guards against a cycle
        if not stack:
            break
        current = stack.pop()
        calls.add(current.call)
        stack.extend(current.dependencies)
    for policy, function in POLICY_FUNCTIONS:
        if function in calls:
            return policy
    return None


def send(
    client: TestClient,
    route: Route,
    call: Call,
    *,
    csrf: str | None = None,
    bearer: str | None = None,
) -> httpx.Response:
    """Send a sample request as a browser form, a cookie-authenticated API call or a script."""
    headers: dict[str, str] = {}
    form = dict(call.form) if call.form is not None else None
    if bearer is not None:
        headers["Authorization"] = f"Bearer {bearer}"
    if csrf is not None and route.writes:
        if route.api:
            headers["X-CSRF-Token"] = csrf
        else:
            form = {**(form or {}), "csrf_token": csrf}
    if call.file is not None:
        headers["Content-Type"] = call.file.content_type
    files = None
    if call.upload is not None:
        name, upload = call.upload
        files = {"file": (name, upload.content, upload.content_type)}
    return client.request(
        route.method,
        call.path,
        json=call.json,
        data=form,
        files=files,
        content=None if call.file is None else call.file.content,
        headers=headers,
        follow_redirects=False,
    )
