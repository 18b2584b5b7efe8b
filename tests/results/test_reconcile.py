"""Two sources for the same contests that differ on one: listed with both numbers (API, CLI),
the figures follow the official feed, and the race carries a flag wherever it is shown."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import asyncpg
import httpx
import pytest
from litestar.testing import AsyncTestClient

from endorse.auth.tokens import create_token
from endorse.figures.race_view import race_view
from endorse.results.pipeline import poll_source
from tests.integration.conftest import ENDORSEMENTS
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


async def _endorsed_night(conn: asyncpg.Connection, client: AsyncTestClient) -> None:
    """Delgado (Governor), Cho (State Senate 9) and Best endorsed, the stage announced."""
    token = await create_token(conn, name="reconcile-editor", role="editor", actor="test")
    imported = await client.post(
        "/api/v1/endorsements/import",
        content=ENDORSEMENTS,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "text/csv"},
    )
    assert imported.status_code == 200, imported.text
    await conn.execute("update stages set visibility = 'public'")


@pytest.mark.parametrize("order", [("ct-sots", "openelections"), ("openelections", "ct-sots")])
async def test_figures_follow_the_official_feed_and_the_race_is_flagged(
    conn: asyncpg.Connection,
    stage: int,
    night: Night,
    http: httpx.AsyncClient,
    client: AsyncTestClient,
    order: tuple[str, str],
) -> None:
    """The feed (v2) and the community file (v3: the Governor's canvass moved Delgado 1165 ->
    1170 and Hale 1090 -> 1088) at the same status: whichever loads last, the figures keep the
    official feed's numbers, and the Governor's race says its sources disagree."""
    await _endorsed_night(conn, client)
    ids = {}
    for fmt in order:
        ids[fmt] = await night.register(conn, stage, fmt)
        night.publish(fmt, 2 if fmt == "ct-sots" else 3)
        assert (await poll_source(conn, ids[fmt], http)).outcome == "applied"
    feed = ids["ct-sots"]

    races = {
        r["candidate"]: r
        for r in (await client.get(f"/api/v1/elections/{truth.SLUG}/races")).json()
    }
    delgado = races["Rosa Delgado"]
    assert delgado["votes"] == truth.TOTALS[2][truth.GOV]["Rosa Delgado"] == 1165
    assert delgado["disputed"] is True
    assert races["Ian Cho"]["disputed"] is False  # both sources say 1060 - 1127
    csv_text = (await client.get(f"/api/v1/elections/{truth.SLUG}/races?format=csv")).text
    table = {r["candidate"]: r for r in csv.DictReader(io.StringIO(csv_text))}
    assert (table["Rosa Delgado"]["disputed"], table["Ian Cho"]["disputed"]) == ("yes", "no")
    found = (await client.get(f"/api/v1/elections/{truth.SLUG}/reconciliation")).json()
    (governor,) = found["disagreements"]
    assert governor["preferred_source_id"] == feed  # the source the figures follow

    page = await client.get(f"/?election={truth.SLUG}&stage=general")
    card = page.text[page.text.index(f'id="race-{delgado["contest_id"]}"') :]
    card = card[: card.index("</article>")]
    assert 'data-badge="disputed"' in card and "Sources disagree" in card
    view = await race_view(conn, delgado["contest_id"])
    assert view.disputed and [(s.format, s.kept) for s in view.sources] == [
        ("ct-sots", True),
        ("openelections", False),
    ]
    assert view.sources[0].totals["rosa delgado"] == 1165
    assert view.sources[1].totals["rosa delgado"] == 1170
    senate = await race_view(conn, races["Ian Cho"]["contest_id"])
    assert not senate.disputed
