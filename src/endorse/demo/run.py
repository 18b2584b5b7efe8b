"""Set up the demo election and walk it through the night via the real pipeline.

Everything goes through the product's own code: the endorsement CSV through the importer, the
feed through the ct-sots scraper over HTTP, the merge, matching and the SQL outcome rules.
"""

from __future__ import annotations

import datetime as dt

import asyncpg
import httpx

from endorse.demo import night
from endorse.elections.schemas import ElectionCreate, Stage
from endorse.elections.service import UnknownElection, create_election, stage_id
from endorse.endorsements.importer import import_file
from endorse.figures.stats import get_stats
from endorse.matching.run import match_stage
from endorse.results.pipeline import poll_source
from endorse.results.schemas import SourceCreate
from endorse.results.sources import add_source

SLUG = "2026-ct-demo"
DAY = dt.date(2026, 11, 3)


async def set_up(conn: asyncpg.Connection, feed_url: str, *, actor: str) -> int:
    """Create the election (once), import the endorsements, point a fresh source at the feed.

    Returns the source id. Sources from earlier demo runs (other ports) are disabled.
    """
    try:
        stage = await stage_id(conn, SLUG, "general")
    except UnknownElection:
        election = ElectionCreate(SLUG, "Demo State Election 2026", DAY, [Stage("general", DAY)])
        await create_election(conn, election, actor=actor)
        stage = await stage_id(conn, SLUG, "general")
    await import_file(conn, night.ENDORSEMENTS_CSV.encode(), actor=actor, content_type="text/csv")
    await conn.execute("update sources set enabled = false where stage_id = $1", stage)
    source = SourceCreate(
        format="ct-sots",
        url=f"{feed_url}/ng-app/data/election/{night.ELECTION_ID}/",
        schedule_seconds=5,
    )
    created = await add_source(conn, SLUG, source, default_seconds=5, actor=actor)
    return created.id


async def step(conn: asyncpg.Connection, source_id: int, client: httpx.AsyncClient) -> str:
    """Poll the feed once, match, and return the headline sentence as it now stands."""
    await poll_source(conn, source_id, client, force=True)
    await match_stage(conn, await stage_id(conn, SLUG, "general"))
    return (await get_stats(conn, SLUG, "general")).sentence
