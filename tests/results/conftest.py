"""Fixtures of the results tests: an election to load into, and the election-night server."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterator

import asyncpg
import httpx
import pytest

from endorse.elections.schemas import ElectionCreate, Stage
from endorse.elections.service import create_election, stage_id
from tests.results.night import SLUG
from tests.results.replay import FixtureServer, Night
from tests.serving import serve

DAY = dt.date(2026, 11, 3)


@pytest.fixture
async def stage(conn: asyncpg.Connection) -> int:
    """The general stage of 2026-ct-general (also has a primary stage in August)."""
    await create_election(
        conn,
        ElectionCreate(
            SLUG,
            "2026 Connecticut General Election",
            DAY,
            [Stage("general", DAY), Stage("primary", dt.date(2026, 8, 11))],
        ),
        actor="test",
    )
    return await stage_id(conn, SLUG, "general")


@pytest.fixture(scope="session")
def fixture_server() -> Iterator[tuple[FixtureServer, str]]:
    """One election-night server on a real 127.0.0.1 socket for the whole session."""
    server = FixtureServer()
    with serve(server) as base_url:
        yield server, base_url


@pytest.fixture
def night(fixture_server: tuple[FixtureServer, str]) -> Night:
    """The fixture server, emptied for this test (files and request log)."""
    server, base_url = fixture_server
    server.files.clear()
    server.requests.clear()
    return Night(server, base_url)


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as client:
        yield client
