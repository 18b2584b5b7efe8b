"""The election-night page (GET /) and its live feed (GET /api/v1/events). Both public."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import msgspec
from litestar import Controller, MediaType, Response, get
from litestar.datastructures import State
from litestar.response import ServerSentEvent, ServerSentEventMessage

from endorse.dashboard.events import Broadcaster

_PAGE = (Path(__file__).parent / "static" / "dashboard.html").read_bytes()
KEEPALIVE_SECONDS = 15.0


class DashboardController(Controller):
    tags = ["dashboard"]

    @get("/", operation_id="dashboard", include_in_schema=False)
    async def page(self) -> Response[bytes]:
        """Public: the live election-night page; it reads the public JSON endpoints."""
        return Response(_PAGE, media_type=MediaType.HTML)

    @get("/api/v1/events", operation_id="events")
    async def events(self, state: State) -> ServerSentEvent:
        """Public: Server-Sent Events, one `results` event per ingest (coalesced per client)."""
        return ServerSentEvent(_stream(state.events))


async def _stream(hub: Broadcaster) -> AsyncIterator[ServerSentEventMessage]:
    async with hub.subscribe() as box:
        # tell the client it is connected so it can show "live" before the first ingest
        yield ServerSentEventMessage(event="hello", data="{}", retry=3000)
        while True:
            try:
                event = await asyncio.wait_for(box.get(), KEEPALIVE_SECONDS)
            except TimeoutError:
                yield ServerSentEventMessage(comment="keep-alive")
                continue
            yield ServerSentEventMessage(event="results", data=msgspec.json.encode(event).decode())
