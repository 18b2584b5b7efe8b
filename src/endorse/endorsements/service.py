"""Reading endorsements: one, a filtered page, an endorsement's history; ETags.

An ETag names a version of an endorsement, W/"<id>-<version>" (weak: the JSON around it, such
as the root body's name, can change without a new version). If-Match is compared on the tag
alone, and `*` matches any live version, as RFC 9110 allows.
"""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec

from endorse.db.queries import load
from endorse.endorsements import rules
from endorse.endorsements.schemas import Endorsement, EndorsementPage, EndorsementVersion
from endorse.errors import Invalid, NotFound, PreconditionFailed, PreconditionRequired
from endorse.vocab import canonical_office

q = load("endorsements")


def etag(endorsement_id: int, version: int) -> str:
    return f'W/"{endorsement_id}-{version}"'


def check_if_match(header: str | None, endorsement_id: int, version: int) -> None:
    """428 without If-Match, 412 when it names another version than the current one."""
    if header is None or not header.strip():
        raise PreconditionRequired(
            "If-Match: required to change an endorsement; send the ETag of the version you "
            "read (GET it first), so two people editing it cannot overwrite each other"
        )
    wanted = f'"{endorsement_id}-{version}"'
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    if "*" not in tags and wanted not in tags:
        raise PreconditionFailed(
            f"If-Match: endorsement {endorsement_id} has changed since you read it (it is now "
            f"version {version}); reload it and make your change again",
            etag=etag(endorsement_id, version),
        )


def to_endorsement(row: dict[str, Any]) -> Endorsement:
    """An Endorsement from a jsonb image of an endorsement_details row."""
    view = {
        **row,
        "etag": etag(row["id"], row["version"]),
        "matched": row["candidacy_id"] is not None,
    }
    return msgspec.convert(view, Endorsement, strict=False)


async def row_of(conn: asyncpg.Connection, endorsement_id: int) -> dict[str, Any]:
    """The live endorsement's image (the same shape the audit log keeps), or 404."""
    row = await conn.fetchval(*q.endorsement_by_id(id=endorsement_id))
    if row is None:
        raise NotFound(f"endorsement: no endorsement with id {endorsement_id}")
    return row


async def get(conn: asyncpg.Connection, endorsement_id: int) -> Endorsement:
    return to_endorsement(await row_of(conn, endorsement_id))


async def list_page(
    conn: asyncpg.Connection,
    *,
    election: str | None = None,
    stage: str | None = None,
    body: str | None = None,
    office: str | None = None,
    matched: bool | None = None,
    rescinded: bool | None = None,
    candidate: str | None = None,
    level: str | None = None,
    outcome: str | None = None,
    with_outcome: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> EndorsementPage:
    """Live endorsements by filters; `body` includes the bodies under it (a federation's locals).

    `level` is the office level (endorse.vocab); `with_outcome` adds each endorsement's outcome
    for its stage (the figures' rules; costs one outcome computation per stage listed), and
    `outcome` filters on it ("NOT_COUNTED" for endorsements the stage does not count)."""
    if election is not None and not await conn.fetchval(*q.election_exists(slug=election)):
        raise Invalid(f"election: no election with slug {election!r}")
    body_ids = None
    if body is not None:
        body_ids = await conn.fetchval(*q.body_and_descendants(name=rules.collapse(body)))
        if body_ids is None:
            raise Invalid(f"body: no body named {body!r}")
    row = await conn.fetchrow(
        *q.list_endorsements(
            election=election,
            stage=stage,
            office=None if office is None else rules.office(office),
            body_ids=body_ids,
            matched=matched,
            rescinded=rescinded,
            candidate=None if candidate is None else rules.collapse(candidate),
            offices=None if level is None else await _offices_at(conn, election, stage, level),
            with_outcome=with_outcome or outcome is not None,
            outcome=outcome,
            limit=limit,
            offset=offset,
        )
    )
    return EndorsementPage(
        items=[to_endorsement(r) for r in row["items"]],
        total=row["total"],
        limit=limit,
        offset=offset,
    )


async def _offices_at(
    conn: asyncpg.Connection, election: str | None, stage: str | None, level: str
) -> list[str]:
    """The endorsed offices at an office level, by the one vocabulary rule (endorse.vocab)."""
    rows = await conn.fetch(*q.stage_offices(election=election, stage=stage))
    return [r["office"] for r in rows if canonical_office(r["office"])[1] == level]


async def history(conn: asyncpg.Connection, endorsement_id: int) -> list[EndorsementVersion]:
    """Every version, deleted endorsements included (that is what history is for)."""
    rows = await conn.fetch(*q.endorsement_history(id=endorsement_id))
    if not rows:
        raise NotFound(f"endorsement: no endorsement with id {endorsement_id}")
    return [msgspec.convert(dict(r), EndorsementVersion, strict=False) for r in rows]
