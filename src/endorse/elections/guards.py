"""The request side of stage visibility (endorse.elections.visibility): every public reader of
endorsement-derived data asks it first.

    from endorse.elections.guards import can_see_endorsements, require_visible

    if await can_see_endorsements(conn, request, slug, "general"):   # "all": every stage
        ... include endorsed names, rates, race rows ...
    await require_visible(conn, request, slug, stage)   # or: 403 naming the stage
    await require_visible_when(public, request, slug, stage)   # is_public() already read
"""

from __future__ import annotations

import asyncpg
from litestar.connection import ASGIConnection
from litestar.exceptions import PermissionDeniedException

from endorse.auth.guards import _bearer, token_principal
from endorse.auth.sessions import current_staff
from endorse.elections.visibility import is_public


async def is_staff_or_token(connection: ASGIConnection) -> bool:
    """A signed-in person or a script with a live token (any role) is inside the union."""
    if await current_staff(connection) is not None:
        return True
    token = _bearer(connection)
    return token is not None and await token_principal(connection, token) is not None


async def can_see_endorsements(
    conn: asyncpg.Connection, connection: ASGIConnection, slug: str, stage: str
) -> bool:
    """May this request see what is derived from the endorsements of `slug`'s `stage`?"""
    return await is_public(conn, slug, stage) or await is_staff_or_token(connection)


async def require_visible(
    conn: asyncpg.Connection, connection: ASGIConnection, slug: str, stage: str
) -> None:
    """403 for an anonymous request about a private stage."""
    await require_visible_when(await is_public(conn, slug, stage), connection, slug, stage)


async def require_visible_when(
    public: bool, connection: ASGIConnection, slug: str, stage: str
) -> None:
    """require_visible() with is_public() already read, e.g. in the snapshot of a cached answer
    (endorse.figures.cache): the database is asked only who the request is, and only when the
    stage is private."""
    if not public and not await is_staff_or_token(connection):
        which = "every stage" if stage == "all" else f"the {stage} stage"
        raise PermissionDeniedException(
            f"stage: the endorsements of {slug} ({which}) are private until announced; "
            f"official results stay public at /api/v1/elections/{slug}/contests"
        )
