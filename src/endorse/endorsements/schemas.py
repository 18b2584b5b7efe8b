"""Wire types of the endorsement registry: what staff send and what they get back."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, UnsetType

from endorse.elections.schemas import NO_NUL, Slug, StageKind

Text = Annotated[str, msgspec.Meta(min_length=1, max_length=300, pattern=NO_NUL)]
Short = Annotated[str, msgspec.Meta(max_length=100, pattern=NO_NUL)]
Notes = Annotated[str, msgspec.Meta(max_length=4000, pattern=NO_NUL)]


class Endorsement(msgspec.Struct, kw_only=True):
    """One endorsement as it stands now; `etag` is what If-Match must echo to change it."""

    id: int
    version: int
    etag: str
    election: str
    stage: StageKind
    election_day: dt.date
    office: str  # canonical (endorse.vocab)
    office_typed: str | None  # as staff last typed it
    district: str  # normalized: '1', not 'District 001'
    candidate: str  # as staff typed it, spaces collapsed
    party: str
    endorsed_by: str
    counts_as: str | None  # the root body this endorsement counts as in every rate
    endorsed_on: dt.date
    late_ok: bool  # dated on/after election day and kept anyway: does not count for the stage
    rescinded_on: dt.date | None
    rescind_reason: str | None
    notes: str
    matched: bool
    candidacy_id: int | None
    match_method: str | None
    created_by: str
    updated_by: str
    created_at: dt.datetime
    updated_at: dt.datetime
    outcome: str | None = None  # only in lists that ask for it (service.list_page with_outcome)
    incumbent: bool | None = None  # the import's incumbent column (null: not stated), sql/0080


class EndorsementCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    election: Slug
    stage: StageKind
    office: Text
    candidate: Text
    endorsed_by: Text
    endorsed_on: dt.date
    district: Short = ""
    party: Short = ""
    notes: Notes = ""
    late_ok: bool = False  # store an endorsement dated on/after election day (it will not count)


class EndorsementReplace(EndorsementCreate, kw_only=True, forbid_unknown_fields=True):
    """PUT: the whole editable endorsement; leaving rescinded_on out un-rescinds it."""

    rescinded_on: dt.date | None = None
    rescind_reason: Notes | None = None


class EndorsementUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """PATCH: only the fields given change."""

    election: Slug | UnsetType = UNSET
    stage: StageKind | UnsetType = UNSET
    office: Text | UnsetType = UNSET
    candidate: Text | UnsetType = UNSET
    endorsed_by: Text | UnsetType = UNSET
    endorsed_on: dt.date | UnsetType = UNSET
    district: Short | UnsetType = UNSET
    party: Short | UnsetType = UNSET
    notes: Notes | UnsetType = UNSET
    late_ok: bool | UnsetType = UNSET
    rescinded_on: dt.date | UnsetType | None = UNSET
    rescind_reason: Notes | UnsetType | None = UNSET


class Rescind(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    rescinded_on: dt.date
    reason: Text


class EndorsementPage(msgspec.Struct, kw_only=True):
    items: list[Endorsement]
    total: int  # rows matching the filters, not just this page
    limit: int
    offset: int


class EndorsementVersion(msgspec.Struct, kw_only=True):
    """One entry of an endorsement's history: the whole row as of that version."""

    version: int
    op: Literal["create", "update", "rescind", "match", "delete", "restore", "purge"]
    changed_by: str
    changed_at: dt.datetime
    data: dict[str, Any]


RowStatus = Literal["created", "updated", "unchanged", "error"]


class CellError(msgspec.Struct, kw_only=True):
    column: str
    reason: str


class RowResult(msgspec.Struct, kw_only=True, omit_defaults=True):
    row: int  # as the spreadsheet numbers it: the header is row 1
    status: RowStatus
    id: int | None = None  # the endorsement (not given for rows a dry run would create)
    errors: list[CellError] = msgspec.field(default_factory=list)


class ImportReport(msgspec.Struct, kw_only=True):
    dry_run: bool
    ok: bool  # no row has an error; a real run wrote everything, else nothing
    written: bool
    rows: int
    created: int
    updated: int
    unchanged: int
    errors: int
    bodies_created: list[str]
    results: list[RowResult]
