"""Bodies of the set-up API: what setting a workspace up for a leadership model would
install, what the owner accepts, and the record of what was installed and skipped."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from quarterdeck.domain.leadership_records import SetupRecord
from quarterdeck.domain.workspaces import LeadershipModel
from quarterdeck.services.leadership_setup import Suggestion

__all__ = ["SetupIn", "SetupOut", "SetupProposalOut", "SuggestionOut"]


class SuggestionOut(BaseModel):
    id: str = Field(description="Accept it under this id (rights, cadence:<key>, ...).")
    title: str
    why: str
    in_place: bool = Field(description="Already installed: accepting it changes nothing.")

    @classmethod
    def of(cls, s: Suggestion) -> SuggestionOut:
        return cls(id=s.id, title=s.title, why=s.why, in_place=s.in_place)


class SetupProposalOut(BaseModel):
    model: LeadershipModel
    model_label: str
    leader_kind: str = Field(description="The kind of leader the model puts at the helm.")
    suggestions: list[SuggestionOut]


class SetupIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    model: LeadershipModel | None = Field(
        default=None,
        description="Default: the profile's. Another model becomes the profile's as well.",
    )
    accept: Annotated[list[Annotated[str, Field(max_length=80)]], Field(max_length=50)] = Field(
        description="The ids of the suggestions to install; the others are recorded as "
        "skipped. An id the set-up does not suggest answers 422."
    )
    playbooks_start: date | None = Field(
        default=None, description="Day 0 of the playbooks it starts. Default: today."
    )


class SetupEntryOut(BaseModel):
    id: str
    title: str
    why: str
    outcome: str = Field(description="installed, already in place or skipped.")


class SetupOut(BaseModel):
    id: int
    leadership_model: str
    installed: list[SetupEntryOut] = Field(description="Every suggestion and what became of it.")
    done_by: str
    done_at: datetime

    @classmethod
    def of(cls, record: SetupRecord) -> SetupOut:
        entries: list[dict[str, Any]] = record.installed
        return cls(
            id=record.id,
            leadership_model=record.leadership_model,
            installed=[SetupEntryOut.model_validate(entry) for entry in entries],
            done_by=record.done_by,
            done_at=record.done_at,
        )
