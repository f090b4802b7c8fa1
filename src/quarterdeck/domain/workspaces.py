"""Workspaces and the organisation profile that shapes them."""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

from quarterdeck.domain.errors import InvalidInput

__all__ = [
    "LeadershipModel",
    "OrganisationProfile",
    "Stage",
    "Workspace",
    "parse_profile",
    "validate_name",
    "validate_slug",
    "validate_time_zone",
]

_E = TypeVar("_E", bound=StrEnum)
MAX_HEADCOUNT = 10_000_000
MAX_PRODUCT_LINES = 10_000
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$")


class Stage(StrEnum):
    STARTUP = "startup"
    SCALE_UP = "scale-up"
    ENTERPRISE = "enterprise"


class LeadershipModel(StrEnum):
    CTO_AND_CPO = "cto-cpo"
    CPTO = "cpto"
    FRACTIONAL_CTO = "fractional-cto"
    INTERIM_CTO = "interim-cto"
    IT_MANAGER_UNDER_CIO = "it-manager-cio"

    @property
    def label(self) -> str:
        return _MODEL_LABELS[self]


_MODEL_LABELS = {
    LeadershipModel.CTO_AND_CPO: "CTO + CPO",
    LeadershipModel.CPTO: "CPTO (combined product and technology)",
    LeadershipModel.FRACTIONAL_CTO: "Fractional CTO with a sponsor",
    LeadershipModel.INTERIM_CTO: "Interim CTO",
    LeadershipModel.IT_MANAGER_UNDER_CIO: "IT manager under a CIO",
}


@dataclass(frozen=True, slots=True)
class OrganisationProfile:
    """What kind of organisation a workspace runs; later capabilities read it for defaults."""

    stage: Stage = Stage.STARTUP
    headcount: int = 0
    engineering_headcount: int = 0
    industry: str = ""
    regulated: bool = False
    product_lines: int = 1
    leadership_model: LeadershipModel = LeadershipModel.CTO_AND_CPO

    def __post_init__(self) -> None:
        for name, label in (
            ("headcount", "headcount"),
            ("engineering_headcount", "engineering headcount"),
        ):
            value = getattr(self, name)
            if value < 0:
                raise InvalidInput(f"{label} must be zero or more")
            if value > MAX_HEADCOUNT:
                raise InvalidInput(f"{label} must be at most {MAX_HEADCOUNT:,}")
        if self.headcount and self.engineering_headcount > self.headcount:
            raise InvalidInput("engineering headcount cannot exceed headcount")
        if self.product_lines < 0:
            raise InvalidInput("number of product lines must be zero or more")
        if self.product_lines > MAX_PRODUCT_LINES:
            raise InvalidInput(f"number of product lines must be at most {MAX_PRODUCT_LINES:,}")
        if len(self.industry) > 120:
            raise InvalidInput("industry must be at most 120 characters")


@dataclass(frozen=True, slots=True)
class Workspace:
    id: int
    slug: str
    name: str
    time_zone: str
    profile: OrganisationProfile
    demo: bool
    version: int
    created_at: datetime

    def local(self, moment: datetime) -> datetime:
        """A stored UTC time shown in the workspace's time zone."""
        return moment.astimezone(zoneinfo.ZoneInfo(self.time_zone))


def validate_slug(slug: str) -> str:
    if not _SLUG.fullmatch(slug):
        raise InvalidInput(
            f"slug {slug!r} must be 1-48 lowercase letters, digits or hyphens, "
            "starting and ending with a letter or digit"
        )
    return slug


def validate_name(name: str) -> str:
    cleaned = name.strip()
    if not cleaned or len(cleaned) > 120:
        raise InvalidInput("name must be 1-120 characters")
    return cleaned


def validate_time_zone(time_zone: str) -> str:
    try:
        zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"time zone {time_zone!r} is not a known IANA time zone") from None
    return time_zone


def _as_int(field_name: str, value: object) -> int:
    if isinstance(value, bool):
        raise InvalidInput(f"{field_name} must be a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    raise InvalidInput(f"{field_name} must be a whole number, got {value!r}")


def _as_bool(field_name: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {
        "yes",
        "true",
        "1",
        "on",
        "no",
        "false",
        "0",
        "off",
    }:
        return value.strip().lower() in {"yes", "true", "1", "on"}
    raise InvalidInput(f"{field_name} must be yes or no, got {value!r}")


def _as_choice(field_name: str, value: object, kind: type[_E]) -> _E:
    try:
        return kind(str(value))
    except ValueError:
        choices = ", ".join(member.value for member in kind)
        raise InvalidInput(f"{field_name} must be one of {choices}; got {value!r}") from None


def parse_profile(
    changes: Mapping[str, object], base: OrganisationProfile | None = None
) -> OrganisationProfile:
    """A profile from loosely typed input (form, JSON, CLI), naming the field at fault."""
    base = base or OrganisationProfile()
    unknown = set(changes) - set(OrganisationProfile.__dataclass_fields__)
    if unknown:
        raise InvalidInput(f"unknown profile field(s): {', '.join(sorted(unknown))}")
    values: dict[str, object] = {}
    for key, value in changes.items():
        if key == "stage":
            values[key] = _as_choice(key, value, Stage)
        elif key == "leadership_model":
            values[key] = _as_choice(key, value, LeadershipModel)
        elif key == "regulated":
            values[key] = _as_bool(key, value)
        elif key == "industry":
            if not isinstance(value, str):
                raise InvalidInput("industry must be text")
            values[key] = value.strip()
        else:
            values[key] = _as_int(key, value)
    return replace(base, **values)  # type: ignore[arg-type]
