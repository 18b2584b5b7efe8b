"""Wire types for tokens, bodies and the audit log."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, UnsetType

from endorse.auth.tokens import Role

BodyKind = Literal["national", "state_federation", "council", "local"]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"^[^\x00]*$")]


class TokenCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Name
    role: Role


class TokenCreated(msgspec.Struct, kw_only=True):
    """The token itself appears here once; only its hash is stored."""

    name: str
    role: Role
    token: str


class Token(msgspec.Struct, kw_only=True):
    name: str
    role: Role
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class Body(msgspec.Struct, kw_only=True):
    id: int
    name: str
    kind: BodyKind
    parent: str | None
    counts_as: str  # the root body: endorsements by any body under it count once, as this
    endorsements: int  # live endorsements made by this body itself


class BodyCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Name
    kind: BodyKind = "state_federation"
    parent: Name | None = None  # the parent body's name; it must rank above this one


class BodyUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: Name | UnsetType = UNSET
    kind: BodyKind | UnsetType = UNSET
    parent: Name | UnsetType | None = UNSET


class AuditEntry(msgspec.Struct, kw_only=True):
    id: int
    at: dt.datetime
    actor: str
    action: str
    entity: str
    entity_id: str | None
    before: Any
    after: Any


class AuditPage(msgspec.Struct, kw_only=True):
    items: list[AuditEntry]
    total: int
    limit: int
    offset: int
