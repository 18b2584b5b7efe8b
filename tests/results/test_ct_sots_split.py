"""The CT SOTS split layout end to end over real HTTP: the worker's poll and `results load URL`."""

from __future__ import annotations

import json
from pathlib import Path

import asyncpg
import httpx

from endorse.results.pipeline import poll_source
from tests.results import night as truth
from tests.results.helpers import reporting, totals
from tests.results.replay import PATHS, Night
from tests.results.test_commands import endorse


def _legacy_requests(night: Night) -> int:
    return sum(1 for path, _ in night.server.requests if path.endswith("/Electiondata.json"))


async def test_worker_polls_a_split_feed(
    conn: asyncpg.Connection, stage: int, night: Night, http: httpx.AsyncClient
) -> None:
    source_id = await night.register(conn, stage, "ct-sots")
    night.publish("ct-sots", 1, layout="split")
    assert (await poll_source(conn, source_id, http)).outcome == "applied"
    assert await totals(conn) == truth.TOTALS[1]
    night.publish("ct-sots", 3, layout="split")
    assert (await poll_source(conn, source_id, http, force=True)).outcome == "applied"
    assert await totals(conn) == truth.TOTALS[3]
    assert {status for *_, status in (await reporting(conn)).values()} == {"official"}
    assert _legacy_requests(night) == 0  # the split files were found: no legacy file asked for
    assert (await poll_source(conn, source_id, http, force=True)).outcome == "unchanged"
    assert await conn.fetchval("select count(*) from snapshots") == 2  # none for the 3rd poll


async def test_a_feed_moving_from_legacy_to_split_keeps_its_figures(
    conn: asyncpg.Connection, stage: int, night: Night, http: httpx.AsyncClient
) -> None:
    source_id = await night.register(conn, stage, "ct-sots")
    night.publish("ct-sots", 1)
    assert (await poll_source(conn, source_id, http)).outcome == "applied"
    night.publish("ct-sots", 2, layout="split")
    assert (await poll_source(conn, source_id, http, force=True)).outcome == "applied"
    assert await totals(conn) == truth.TOTALS[2]


async def test_results_load_url_reads_a_split_feed(
    conn: asyncpg.Connection, db_url: str, stage: int, night: Night, tmp_path: Path
) -> None:
    night.publish("ct-sots", 2, layout="split")
    args = ("results", "load", "--format", "ct-sots", night.url("ct-sots"))
    done = endorse(
        db_url, tmp_path, *args, "--election", truth.SLUG, "--stage", "general", "--json"
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["outcome"] == "applied"
    assert await totals(conn) == truth.TOTALS[2]
    assert _legacy_requests(night) == 0
    assert night.server.count(PATHS["ct-sots"] + "/103/stateVotes_Electiondata.json", 200) == 1
