"""Who may see a stage's endorsements: the stored rule, and switching it (audited).

A stage is `private` (the default) or `public`. While it is private, nothing derived from its
endorsements (names, counts, rates, race rows, live-page payloads) goes to a request that has
neither a signed-in staff session nor a valid API token (any role). Official results are public
either way, and published figures are public by definition (publishing is the announcement).
The request side of the rule (is this request staff?) is endorse.elections.guards.
"""

from __future__ import annotations

from typing import Literal

import asyncpg

from endorse.auth.audit import record
from endorse.db.queries import load
from endorse.elections.service import UnknownElection
from endorse.errors import Invalid

Visibility = Literal["private", "public"]
VISIBILITIES: tuple[Visibility, ...] = ("private", "public")
q = load("visibility")


async def stage_visibilities(conn: asyncpg.Connection, slug: str) -> dict[str, Visibility]:
    """{stage kind: visibility} of an election ({} when the slug is unknown)."""
    return {r["kind"]: r["visibility"] for r in await conn.fetch(*q.stage_visibility(slug=slug))}


async def is_public(conn: asyncpg.Connection, slug: str, stage: str) -> bool:
    """Are these endorsements announced? stage "all" asks for every stage of the election.
    An unknown slug or stage counts as public so the caller's own lookup answers its 404."""
    stages = await stage_visibilities(conn, slug)
    if stage == "all":
        return all(v == "public" for v in stages.values())
    return stages.get(stage, "public") == "public"


async def set_visibility(
    conn: asyncpg.Connection, slug: str, stage: str, visibility: str, *, actor: str
) -> bool:
    """Switch a stage private or public (audited); False when it already was."""
    if visibility not in VISIBILITIES:
        raise Invalid(f"visibility: must be one of {', '.join(VISIBILITIES)}")
    async with conn.transaction():
        row = await conn.fetchrow(*q.lock_stage_visibility(slug=slug, kind=stage))
        if row is None:
            if not await stage_visibilities(conn, slug):
                raise UnknownElection(f"election: no election with slug {slug!r}")
            raise UnknownElection(f"stage: election {slug!r} has no {stage!r} stage")
        if row["visibility"] == visibility:
            return False
        await conn.execute(*q.set_stage_visibility(id=row["id"], visibility=visibility))
        await record(
            conn,
            actor=actor,
            action="stage.visibility",
            entity="stages",
            entity_id=row["id"],
            before={"election": slug, "stage": stage, "visibility": row["visibility"]},
            after={"election": slug, "stage": stage, "visibility": visibility},
        )
    return True
