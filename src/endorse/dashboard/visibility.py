"""The one question every endorsement-derived read of the night page asks first.

Endorsements are confidential until announced: a private stage shows anonymous visitors the
official results only. The page, its live fragments and its event stream all call
`shows_endorsements`; nothing else in dashboard/ decides it.
"""

from __future__ import annotations

import asyncpg
from litestar.connection import ASGIConnection

from endorse.elections.guards import can_see_endorsements


async def shows_endorsements(
    connection: ASGIConnection, conn: asyncpg.Connection, slug: str, stage: str
) -> bool:
    """May this request see what the union's endorsements say about this stage?"""
    return await can_see_endorsements(conn, connection, slug, stage)
