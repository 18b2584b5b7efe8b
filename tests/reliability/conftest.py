"""The hostile upstream (tests/hostile.py), one per session, its counters cleared per test."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import asyncpg
import pytest

from endorse.elections.schemas import ElectionCreate, Stage
from endorse.elections.service import create_election, stage_id
from endorse.results.schemas import SourceCreate
from endorse.results.sources import add_source
from tests.hostile import Hostile, running

SLUG = "2026-elmvale-general"


@pytest.fixture(scope="session")
def _hostile() -> Iterator[Hostile]:
    yield from running()


@pytest.fixture
def hostile(_hostile: Hostile) -> Hostile:
    _hostile.reset()
    return _hostile


@pytest.fixture
async def stage(conn: asyncpg.Connection) -> int:
    """The general stage of an election to load into."""
    day = dt.date(2026, 11, 3)
    data = ElectionCreate(SLUG, "2026 Elmvale General", day, [Stage("general", day)])
    await create_election(conn, data, actor="test")
    return await stage_id(conn, SLUG, "general")


async def add(conn: asyncpg.Connection, url: str, *, seconds: int = 60, **mapping: Any) -> int:
    """A polled openelections source for `url`; its id."""
    data = SourceCreate(format="openelections", url=url, mapping=mapping, schedule_seconds=seconds)
    return (await add_source(conn, SLUG, data, default_seconds=60, actor="test")).id
