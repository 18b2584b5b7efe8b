"""Who may see a stage's endorsements: the one rule every public reader asks.

A stage is `private` (the default) or `public`. While it is private, nothing derived from its
endorsements (names, counts, rates, race rows, live-page payloads) goes to a request that has
neither a signed-in staff session nor a valid API token (any role). Official results are public
either way, and published figures are public by definition (publishing is the announcement).

For a public page or route:

    from endorse.staff.visibility import can_see_endorsements, require_visible

    if await can_see_endorsements(conn, request, slug, "general"):   # "all": every stage
        ... include endorsed names, rates, race rows ...
    await require_visible(conn, request, slug, stage)   # or: 403 naming the stage

An unknown slug or stage counts as visible so the caller's own lookup answers its 404.
"""

from __future__ import annotations

from typing import Literal

import asyncpg
from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException

from endorse.auth.audit import record
from endorse.auth.guards import _bearer
from endorse.auth.tokens import authenticate
from endorse.db.queries import load
from endorse.elections.service import UnknownElection
from endorse.errors import Invalid
from endorse.staff.session import current_staff

Visibility = Literal["private", "public"]
VISIBILITIES: tuple[Visibility, ...] = ("private", "public")
q = load("visibility")


async def stage_visibilities(conn: asyncpg.Connection, slug: str) -> dict[str, Visibility]:
    """{stage kind: visibility} of an election ({} when the slug is unknown)."""
    return {r["kind"]: r["visibility"] for r in await conn.fetch(*q.stage_visibility(slug=slug))}


async def is_public(conn: asyncpg.Connection, slug: str, stage: str) -> bool:
    """Are these endorsements announced? stage "all" asks for every stage of the election."""
    stages = await stage_visibilities(conn, slug)
    if stage == "all":
        return all(v == "public" for v in stages.values())
    return stages.get(stage, "public") == "public"


async def is_staff_or_token(connection: ASGIConnection) -> bool:
    """A signed-in person or a script with a live token (any role) is inside the union."""
    if await current_staff(connection) is not None:
        return True
    token = _bearer(connection)
    return token is not None and await authenticate(connection.app.state.pool, token) is not None


async def can_see_endorsements(
    conn: asyncpg.Connection, connection: ASGIConnection, slug: str, stage: str
) -> bool:
    """May this request see what is derived from the endorsements of `slug`'s `stage`?"""
    return await is_public(conn, slug, stage) or await is_staff_or_token(connection)


async def require_visible(
    conn: asyncpg.Connection, connection: ASGIConnection, slug: str, stage: str
) -> None:
    """403 for an anonymous request about a private stage."""
    if not await can_see_endorsements(conn, connection, slug, stage):
        which = "every stage" if stage == "all" else f"the {stage} stage"
        raise PermissionDeniedException(
            f"stage: the endorsements of {slug} ({which}) are private until announced; "
            f"official results stay public at /api/v1/elections/{slug}/contests"
        )


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
