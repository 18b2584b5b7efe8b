"""The LISTEN connection behind the live pages survives being killed (issue 14, item 7).

After pg_terminate_backend on it, the process listens again by itself and tells every client
to re-read (a `results` event naming no election: whatever happened meanwhile was not heard),
then later notifications reach the same, never reconnected, client.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import asyncpg
import httpx

from tests.reliability.pgkill import wait_until

LISTENERS = (
    "select pid from pg_stat_activity where datname = current_database()"
    " and application_name = 'endorse listen'"
)


async def _events(lines: AsyncIterator[str]) -> dict[str, str]:
    """The next SSE event of a stream, as {"event": ..., "data": ...}."""
    event: dict[str, str] = {}
    async for line in lines:
        if not line:
            if "event" in event:
                return event
            continue
        key, _, value = line.partition(": ")
        if key in ("event", "data"):
            event[key] = value
    raise AssertionError("the stream ended")


async def test_a_killed_listen_connection_comes_back_and_resyncs_clients(
    live: str, conn: asyncpg.Connection
) -> None:
    async def listening() -> bool:
        return bool(await conn.fetch(LISTENERS))

    async with (
        httpx.AsyncClient(base_url=live, timeout=30) as client,
        client.stream("GET", "/api/v1/events") as stream,
    ):
        lines = stream.aiter_lines()
        assert (await _events(lines))["event"] == "hello"
        await wait_until(listening, "the app's LISTEN connection")
        before = {r["pid"] for r in await conn.fetch(LISTENERS)}
        await conn.execute(f"select pg_terminate_backend(pid) from ({LISTENERS}) l")

        async def relistening() -> bool:
            now = {r["pid"] for r in await conn.fetch(LISTENERS)}
            return bool(now) and not now & before

        await wait_until(relistening, "a new LISTEN connection")
        resync = await _events(lines)
        assert resync["event"] == "results"
        assert json.loads(resync["data"]) == {"election": None, "contests": [], "resync": True}

        await conn.execute(
            "select pg_notify('results_changed', $1)",
            json.dumps({"election": 7, "contests": [3]}),
        )
        heard = await _events(lines)
        assert heard["event"] == "results"
        assert json.loads(heard["data"])["contests"] == [3]
