"""The live feed: a NOTIFY on results_changed reaches SSE clients, coalesced, after commit."""

from __future__ import annotations

import asyncio
import json

import asyncpg
import httpx
import pytest
from litestar import Litestar

from endorse.dashboard import events
from endorse.dashboard.events import END, KEEPALIVE, Broadcaster, frame
from endorse.dashboard.mailbox import Mailbox
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


async def _next(box: Mailbox[dict[str, object]]) -> bytes:
    """The frame a stream would write next: what it takes from its mailbox."""
    _, data = await box.take()
    return data


async def test_burst_coalesces_into_one_pending_event() -> None:
    hub = Broadcaster()
    async with hub.subscribe() as box:
        hub.publish({"election": "e", "contests": [1, 2]})
        hub.publish({"election": "e", "contests": [2, 3]})
        assert box.pending == {"election": "e", "contests": [1, 2, 3]}
        assert await _next(box) == frame({"election": "e", "contests": [1, 2, 3]})
        assert box.data is None  # taken: nothing pending
        hub.publish({"election": "e", "contests": [1]})
        hub.publish({"election": "other", "contests": [9]})
        assert await _next(box) == frame({"election": None, "contests": []})
    assert hub.clients == 0


async def test_each_client_gets_its_own_merge_of_what_it_missed() -> None:
    """The frame is encoded once per publish, but a client still holding an earlier event
    gets the union of the two, and a client that had taken it gets only the new one."""
    hub = Broadcaster()
    async with hub.subscribe() as slow, hub.subscribe() as quick:
        hub.publish({"election": "e", "contests": [1]})
        assert await _next(quick) == frame({"election": "e", "contests": [1]})
        hub.publish({"election": "e", "contests": [2]})
        assert (
            await _next(quick) == b'event: results\r\ndata: {"election":"e","contests":[2]}\r\n\r\n'
        )
        assert await _next(slow) == frame({"election": "e", "contests": [1, 2]})


async def test_keep_alive_fills_only_empty_mailboxes_and_end_all_ends_every_stream() -> None:
    hub = Broadcaster()
    async with hub.subscribe() as idle, hub.subscribe() as busy:
        hub.publish({"election": "e", "contests": [1]})
        assert await _next(idle) == frame({"election": "e", "contests": [1]})
        hub.keep_alive()
        assert busy.data == frame({"election": "e", "contests": [1]})  # an event is news enough
        assert await _next(idle) == KEEPALIVE
        hub.keep_alive()
        hub.publish({"election": "e", "contests": [2]})  # an event replaces a pending comment
        assert await _next(idle) == frame({"election": "e", "contests": [2]})
        waiting = asyncio.create_task(_next(idle))
        await asyncio.sleep(0)
        hub.end_all()
        assert await asyncio.wait_for(waiting, 5) == END
        assert await _next(busy) == END
        hub.publish({"election": "e", "contests": [3]})
        hub.keep_alive()
        assert idle.data is None and busy.data is None  # ended: nothing more is sent


async def _raw_lines(url: str, until: str) -> list[str]:
    """The lines of /api/v1/events, as sent, up to the first line starting with `until`."""
    seen: list[str] = []
    async with (
        httpx.AsyncClient(timeout=10) as http,
        http.stream("GET", url + "/api/v1/events") as response,
    ):
        assert response.headers["cache-control"] == "no-cache"
        assert response.headers["x-accel-buffering"] == "no"
        async for line in response.aiter_lines():
            seen.append(line)
            if line.startswith(until):
                return seen
    return seen


async def test_idle_streams_get_hello_first_then_keep_alive_comments(
    app: Litestar, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(events, "KEEPALIVE_SECONDS", 0.2)  # read when the app starts
    with serve(app) as base:
        lines = await asyncio.wait_for(_raw_lines(base, ": keep-alive"), 10)
    assert lines[:4] == ["event: hello", "data: {}", "retry: 3000", ""]
    assert lines[-1] == ": keep-alive"


async def test_end_streams_ends_open_event_streams(app: Litestar) -> None:
    """What endorse.serving does on SIGTERM: every open stream ends (the client reconnects)."""
    with serve(app) as base:
        reader = asyncio.create_task(_raw_lines(base, "never"))
        await asyncio.sleep(0.5)  # connected, hello sent
        assert app.state.events.clients == 1
        app.state.night.loop.call_soon_threadsafe(app.state.end_streams)
        lines = await asyncio.wait_for(reader, 10)  # the stream ended by itself
    assert lines[0] == "event: hello"


async def test_dashboard_page_is_public_html(app: Litestar) -> None:
    from litestar.testing import AsyncTestClient

    async with AsyncTestClient(app=app) as client:
        response = await client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "No elections yet" in response.text
