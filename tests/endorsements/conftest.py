"""Fixtures for the registry tests: an election with a primary and a general stage."""

from __future__ import annotations

import datetime as dt

import asyncpg
import pytest

from endorse.elections.schemas import ElectionCreate, Stage
from endorse.elections.service import create_election


@pytest.fixture
async def election(conn: asyncpg.Connection) -> str:
    """2018-ct-general with a primary (Aug 14) and a general (Nov 6) stage."""
    await create_election(
        conn,
        ElectionCreate(
            slug="2018-ct-general",
            name="2018 Connecticut elections",
            election_date=dt.date(2018, 11, 6),
            stages=[
                Stage(kind="primary", election_day=dt.date(2018, 8, 14)),
                Stage(kind="general", election_day=dt.date(2018, 11, 6)),
            ],
        ),
        actor="test",
    )
    return "2018-ct-general"
