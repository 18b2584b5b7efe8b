"""A cap on Server-Sent Event streams per process (issue 14, item 8): past it a new stream is
refused with 503, a slot comes back when a stream ends, and the night page polls instead."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Page, expect

from endorse.settings import Settings
from tests.dashboard.conftest import Scenario, scenario
from tests.results.conftest import fixture_server, http, night, stage

__all__ = ["fixture_server", "http", "night", "scenario", "stage"]  # fixtures used here

CAP = 2


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", sse_max_clients=CAP)


@asynccontextmanager
async def stream(client: httpx.AsyncClient, path: str) -> AsyncIterator[httpx.Response]:
    """An open event stream that has sent its first event (so it holds its slot)."""
    async with client.stream("GET", path) as answer:
        if answer.status_code == 200:
            lines = answer.aiter_lines()
            assert (await anext(lines)).startswith("event: hello")
        yield answer


async def test_streams_past_the_cap_are_refused_until_one_ends(live: str) -> None:
    async with httpx.AsyncClient(base_url=live, timeout=10) as client, AsyncExitStack() as held:
        first = await held.enter_async_context(stream(client, "/api/v1/events"))
        assert first.status_code == 200
        async with stream(client, "/api/v1/events") as second:
            assert second.status_code == 200
            async with stream(client, "/api/v1/events") as third:
                assert third.status_code == 503
                assert int(third.headers["retry-after"]) > 0
                await third.aread()
                assert "poll" in third.json()["detail"]
        # the second ended: its slot is free again (freed when the server notices the close)
        for _ in range(100):
            async with stream(client, "/api/v1/events") as again:
                if again.status_code == 200:
                    break
            await asyncio.sleep(0.05)
        assert again.status_code == 200


async def test_the_night_page_polls_when_the_server_has_no_stream_left(
    live: str, page: Page, scenario: Scenario
) -> None:
    await scenario.ingest(1)
    async with httpx.AsyncClient(base_url=live, timeout=10) as client, AsyncExitStack() as held:
        for _ in range(CAP):  # others took every slot
            taken = await held.enter_async_context(stream(client, "/api/v1/events"))
            assert taken.status_code == 200
        await page.goto(live + "/elections/2026-ct-general")
        await expect(page.locator("#live-status")).to_contain_text("checking every")


async def test_night_streams_and_api_streams_share_the_cap(live: str, scenario: Scenario) -> None:
    """The night page's stream holds a slot too, and gives it back when it ends."""
    await scenario.ingest(1)
    night_events = "/elections/2026-ct-general/events"
    async with httpx.AsyncClient(base_url=live, timeout=10) as client, AsyncExitStack() as held:
        api = await held.enter_async_context(stream(client, "/api/v1/events"))
        assert api.status_code == 200
        async with stream(client, night_events) as first:
            assert first.status_code == 200
            async with stream(client, night_events) as refused:
                assert refused.status_code == 503
                await refused.aread()
        for _ in range(100):  # the night stream ended: its slot is free again
            async with stream(client, night_events) as again:
                if again.status_code == 200:
                    break
            await asyncio.sleep(0.05)
        assert again.status_code == 200
