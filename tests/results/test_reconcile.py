"""Two sources for the same contests that differ on one: listed with both numbers (API, CLI)."""

from __future__ import annotations

import json
from pathlib import Path

import asyncpg
import httpx
from litestar.testing import AsyncTestClient

from endorse.results.pipeline import poll_source
from tests.results import night as truth
from tests.results.replay import Night
from tests.results.test_commands import endorse


async def test_sources_that_differ_on_one_contest(
    conn: asyncpg.Connection,
    db_url: str,
    stage: int,
    night: Night,
    http: httpx.AsyncClient,
    client: AsyncTestClient,
    tmp_path: Path,
) -> None:
    feed = await night.register(conn, stage, "ct-sots")
    night.publish("ct-sots", 2)  # the official feed at 5 of 5
    assert (await poll_source(conn, feed, http)).outcome == "applied"
    community = await night.register(conn, stage, "openelections")
    night.publish("openelections", 3)  # the canvass: only the Governor's numbers moved
    assert (await poll_source(conn, community, http)).outcome == "applied"

    found = (await client.get(f"/api/v1/elections/{truth.SLUG}/reconciliation")).json()
    assert (found["sources"], found["contests_compared"]) == (2, 3)
    (governor,) = found["disagreements"]
    assert (governor["office"], governor["preferred_source_id"]) == ("Governor", feed)
    by_source = {s["source_id"]: s["totals"] for s in governor["sources"]}
    assert by_source[feed] == truth.TOTALS[2][("Governor", "")]
    assert by_source[community] == truth.TOTALS[3][("Governor", "")]
    assert by_source[feed] != by_source[community]

    cli = endorse(db_url, tmp_path, "results", "reconcile", "--election", truth.SLUG, "--json")
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout) == found
    text = endorse(db_url, tmp_path, "results", "reconcile", "--election", truth.SLUG)
    assert "1 disagree" in text.stdout and f"figures follow source {feed}" in text.stdout
    missing = await client.get("/api/v1/elections/no-such/reconciliation")
    assert missing.status_code == 404
