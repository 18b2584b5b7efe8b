"""The asyncpg pool: json/jsonb decoded to Python values on every connection."""

from __future__ import annotations

import json
from typing import Any

import asyncpg

# What a request meets while the database is away (stopped, restarting, connections killed):
# the service answers 503 and retries later, it is not a bug in the request or in us.
DB_UNAVAILABLE: tuple[type[BaseException], ...] = (
    OSError,  # refused, reset, or the socket file gone (a stopped embedded server)
    asyncpg.PostgresConnectionError,  # SQLSTATE class 08
    asyncpg.CannotConnectNowError,  # 57P03: starting up or shutting down
    asyncpg.AdminShutdownError,  # 57P01: terminated by the administrator or a shutdown
    asyncpg.CrashShutdownError,
    asyncpg.ConnectionDoesNotExistError,  # the connection went away mid-query
)


def _dumps(value: Any) -> str:
    # dates and decimals in audit before/after images become their ISO/str forms
    return json.dumps(value, default=str)


async def _init(conn: asyncpg.Connection) -> None:
    for typ in ("json", "jsonb"):
        await conn.set_type_codec(typ, encoder=_dumps, decoder=json.loads, schema="pg_catalog")


async def create_pool(url: str, *, min_size: int = 1, max_size: int = 10) -> asyncpg.Pool:
    pool = await asyncpg.create_pool(
        url, min_size=min_size, max_size=max_size, init=_init, command_timeout=60
    )
    assert pool is not None
    return pool


async def connect(url: str, *, application_name: str | None = None) -> asyncpg.Connection:
    """A single connection with the same codecs as the pool (CLI commands, LISTEN)."""
    settings = {"application_name": application_name} if application_name else None
    conn = await asyncpg.connect(url, server_settings=settings)
    await _init(conn)
    return conn
