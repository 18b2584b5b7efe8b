"""Creating and reading elections; other domains resolve (slug, stage) through here."""

from __future__ import annotations

import asyncpg
import msgspec

from endorse.auth.audit import record
from endorse.db.queries import load
from endorse.elections.schemas import Election, ElectionCreate
from endorse.errors import Invalid, NotFound

q = load("elections")


class UnknownElection(NotFound):
    """An election slug or stage that does not exist; the message names which."""


def _election(row: asyncpg.Record) -> Election:
    # stages arrive as jsonb (dates as ISO text); convert() parses them back to dates
    return msgspec.convert({**row, "stages": row["stages"] or []}, Election, strict=False)


async def create_election(
    conn: asyncpg.Connection,
    data: ElectionCreate,
    *,
    actor: str,
    demo: bool = False,
    replay_of: int | None = None,
) -> Election:
    """Create an election with its stages (audited). `demo`/`replay_of` mark scratch data
    (endorse.demo): never set from the API."""
    kinds = [s.kind for s in data.stages]
    if not kinds:
        raise Invalid("stages: an election needs at least one stage")
    if len(set(kinds)) != len(kinds):
        raise Invalid("stages: each stage kind may appear once")
    async with conn.transaction():
        if await conn.fetchval(*q.election_id(slug=data.slug)) is not None:
            raise Invalid(f"slug: election {data.slug!r} already exists")
        election_id = await conn.fetchval(
            *q.insert_election(
                slug=data.slug,
                name=data.name,
                jurisdiction=data.jurisdiction,
                election_date=data.election_date,
                demo=demo,
                replay_of=replay_of,
            )
        )
        for stage in data.stages:
            await conn.execute(
                *q.insert_stage(
                    election_id=election_id, kind=stage.kind, election_day=stage.election_day
                )
            )
        created = await get_election(conn, data.slug)
        await record(
            conn,
            actor=actor,
            action="election.create",
            entity="elections",
            entity_id=election_id,
            after=data,
        )
    return created


async def get_election(conn: asyncpg.Connection, slug: str) -> Election:
    row = await conn.fetchrow(*q.election_by_slug(slug=slug))
    if row is None:
        raise UnknownElection(f"election: no election with slug {slug!r}")
    return _election(row)


async def list_elections(conn: asyncpg.Connection) -> list[Election]:
    return [_election(r) for r in await conn.fetch(*q.list_elections())]


async def stage_id(conn: asyncpg.Connection, slug: str, kind: str) -> int:
    """The id of one stage of an election, or UnknownElection naming what is missing."""
    row = await conn.fetchrow(*q.stage_id(slug=slug, kind=kind))
    if row is None:
        raise UnknownElection(f"election: no election with slug {slug!r}")
    if row["stage_id"] is None:
        raise UnknownElection(f"stage: election {slug!r} has no {kind!r} stage")
    return row["stage_id"]
