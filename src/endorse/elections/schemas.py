"""Wire types for elections and stages."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, get_args

import msgspec

StageKind = Literal["primary", "general", "special", "runoff", "adjourned"]
STAGE_KINDS: tuple[str, ...] = get_args(StageKind)  # for CLI choices; the Literal is the source
# PostgreSQL text cannot hold NUL; refusing it at the edge makes it a 400 naming the field, not
# a 500. Shared by every part's wire types and query parameters.
NO_NUL = r"^[^\x00]*$"
Slug = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]


class Stage(msgspec.Struct):
    kind: StageKind
    election_day: dt.date


class ElectionCreate(msgspec.Struct):
    slug: Slug
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    election_date: dt.date
    stages: list[Stage]
    jurisdiction: str = "CT"


class Election(msgspec.Struct):
    id: int
    slug: str
    name: str
    jurisdiction: str
    election_date: dt.date
    stages: list[Stage]
    # Not real work: the fictional night `make run` starts (pages show a DEMO banner) ...
    demo: bool = False
    # ... or a scratch copy of a past night made by `endorse replay` (the slug it replays).
    replay_of: str | None = None
