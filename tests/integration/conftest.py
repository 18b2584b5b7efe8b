"""Across domains: endorsements imported over HTTP meet results ingested through the pipeline.

The results are the invented election night of tests/fixtures/20261103_elmvale_night (hand
totals in tests/results/night.py), loaded as OpenElections CSV exactly as `endorse results
load` does it: a source, a raw snapshot, the guarded apply.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from endorse.elections.schemas import ElectionCreate, Stage
from endorse.elections.service import create_election, stage_id
from endorse.results.pipeline import PollResult, claimed, ingest_fetched
from endorse.results.sources import ensure_source
from scrapers import Fetched
from tests.results.night import SLUG

NIGHT = Path(__file__).resolve().parents[1] / "fixtures" / "20261103_elmvale_night"
DAY = dt.date(2026, 11, 3)
HEADER = "election,stage,office,district,candidate,party,endorsed_by,endorsed_on,notes"
# Typed the way staff type them: an office synonym, "LAST, FIRST", the town as the district.
ENDORSEMENTS = (
    f"{HEADER}\n"
    f"{SLUG},general,Governor,,Rosa Delgado,Democratic,AFT Connecticut,2026-09-20,\n"
    f'{SLUG},general,State Senator,009,"Cho, Ian",Democratic,AFT Connecticut,2026-09-20,\n'
    f"{SLUG},general,Board of Education,Elmvale,Tom Best,,Elmvale Teachers,2026-09-20,\n"
).encode()


def night(version: int) -> bytes:
    return (NIGHT / f"openelections_v{version}.csv").read_bytes()


async def ingest(
    conn: asyncpg.Connection,
    stage: int,
    body: bytes,
    *,
    url: str = "file:///night/openelections.csv",
    mapping: dict[str, Any] | None = None,
) -> PollResult:
    """One load of `body` as the named source, through the pipeline (snapshot, guards, apply)."""
    source = await ensure_source(
        conn,
        stage_id=stage,
        format="openelections",
        url=url,
        mapping=mapping,
        default_seconds=60,
        actor="test",
    )
    fetched = Fetched(body=body, url=url, headers={})
    return await claimed(conn, source, lambda src: ingest_fetched(conn, src, fetched))


async def night_election(conn: asyncpg.Connection) -> int:
    """2026-ct-general (general Nov 3, primary Aug 11); returns the general stage's id."""
    general, primary = Stage("general", DAY), Stage("primary", dt.date(2026, 8, 11))
    election = ElectionCreate(SLUG, "2026 Connecticut", DAY, [general, primary])
    await create_election(conn, election, actor="test")
    return await stage_id(conn, SLUG, "general")


@pytest.fixture
async def stage(conn: asyncpg.Connection) -> int:
    return await night_election(conn)
