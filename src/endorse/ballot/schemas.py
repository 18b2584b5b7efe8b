"""Wire types for contests staff set up before any official results exist."""

from __future__ import annotations

from typing import Annotated

import msgspec

from endorse.elections.schemas import StageKind

Text = Annotated[str, msgspec.Meta(min_length=1, max_length=300)]


class CandidacyCreate(msgspec.Struct, kw_only=True):
    name: Text
    parties: list[Text] = msgspec.field(default_factory=list)
    incumbent: bool = False


class ContestCreate(msgspec.Struct, kw_only=True):
    stage: StageKind = "general"
    office: Text
    district: Annotated[str, msgspec.Meta(max_length=100)] | None = None
    party: Annotated[str, msgspec.Meta(max_length=100)] = ""  # the party of a primary
    seats: Annotated[int, msgspec.Meta(ge=1, le=100)] = 1
    party_cap: Annotated[int, msgspec.Meta(ge=1, le=100)] | None = None
    candidates: list[CandidacyCreate] = msgspec.field(default_factory=list)


class ContestCreated(msgspec.Struct, kw_only=True):
    contest_id: int
    office: str
    level: str
    district: str
    candidacy_ids: list[int]
