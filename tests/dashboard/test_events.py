"""The live feed: a NOTIFY on results_changed reaches SSE clients, coalesced, after commit."""

from __future__ import annotations

import asyncio
import json

import asyncpg
import httpx
from litestar import Litestar

from endorse.dashboard.events import Broadcaster
from tests.serving import serve


async def _events(url: str, wanted: int) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    event = ""
    async with (
        httpx.AsyncClient(timeout=10) as http,
        http.stream("GET", url + "/api/v1/events") as response,
    ):
        assert response.headers["content-type"].startswith("text/event-stream")
        async for line in response.aiter_lines():
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:"):
                found.append((event, line.split(":", 1)[1].strip()))
                if len(found) >= wanted:
                    return found
    return found


async def test_notify_reaches_sse_client_after_commit(
    app: Litestar, conn: asyncpg.Connection
) -> None:
    payload = json.dumps({"election": "2018-ct-general", "contests": [7]})
    with serve(app) as base:
        reader = asyncio.create_task(_events(base, 2))
        await asyncio.sleep(0.5)  # the client is connected (hello sent)
        async with conn.transaction():
            await conn.execute("select pg_notify('results_changed', $1)", payload)
            await asyncio.sleep(0.3)
            assert not reader.done()  # nothing is delivered before commit
        events = await asyncio.wait_for(reader, 10)
    assert events[0][0] == "hello"
    assert events[1] == (
        "results",
        json.dumps({"election": "2018-ct-general", "contests": [7]}, separators=(",", ":")),
    )


async def test_burst_coalesces_into_one_pending_event() -> None:
    hub = Broadcaster()
    async with hub.subscribe() as box:
        hub.publish({"election": "e", "contests": [1, 2]})
        hub.publish({"election": "e", "contests": [2, 3]})
        assert box.qsize() == 1
        assert await box.get() == {"election": "e", "contests": [1, 2, 3]}
        hub.publish({"election": "e", "contests": [1]})
        hub.publish({"election": "other", "contests": [9]})
        assert await box.get() == {"election": None, "contests": []}
    assert hub.clients == 0


async def test_dashboard_page_is_public_html(app: Litestar) -> None:
    from litestar.testing import AsyncTestClient

    async with AsyncTestClient(app=app) as client:
        response = await client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "No elections yet" in response.text
