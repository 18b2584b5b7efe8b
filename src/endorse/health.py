"""GET /health: is the service up and can it reach its database."""

from __future__ import annotations

import asyncio

import msgspec
from litestar import Response, get
from litestar.datastructures import State


class Health(msgspec.Struct):
    status: str
    database: str
    detail: str | None = None


@get("/health", operation_id="health", tags=["system"])
async def health(state: State) -> Response[Health]:
    try:
        async with asyncio.timeout(2):
            async with state.pool.acquire() as conn:
                await conn.fetchval("select 1")
    except Exception as exc:
        return Response(Health("degraded", "down", type(exc).__name__), status_code=503)
    return Response(Health("ok", "up"))
