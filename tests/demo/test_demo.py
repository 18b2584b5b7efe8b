"""The demo night end to end: the real feed over HTTP, the real worker, the real pipeline, the
figures over real HTTP, ending on the tally worked out by hand in endorse/demo/state.py."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import asyncpg
import httpx
import pytest
from litestar.testing import AsyncTestClient

from endorse.app import create_app
from endorse.demo import returns, state
from endorse.demo.feed import NightFeed, free_port, serve_in_thread
from endorse.demo.night import once
from endorse.demo.setup import DemoRefused, set_up
from endorse.elections.schemas import ElectionCreate, Stage
from endorse.elections.service import create_election
from endorse.figures.published import publish
from endorse.matching.review import decide
from endorse.settings import Settings

ENDORSE = str(Path(sys.executable).with_name("endorse"))
# The tally at the end, as worked out by hand in the docstring of endorse.demo.state.
FINAL = (
    "Of the 57 candidates we endorsed in the 2026 general election whose races have been "
    "decided, 42 won (74%); 1 more candidate's race is still pending, so the final rate will "
    "be between 72% and 74%."
)


async def _wait_for_official(client: httpx.AsyncClient, base: str) -> dict:
    """The stats once the worker has loaded the official version of both sources."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        sources = (await client.get(f"{base}/api/v1/elections/{state.SLUG}")).json()["sources"]
        if sources and all(s["last_version"] in _FINAL_VERSIONS for s in sources):
            return (await client.get(f"{base}/api/v1/elections/{state.SLUG}/stats")).json()
        await asyncio.sleep(0.5)
    raise AssertionError(f"the worker never loaded the official version: {sources}")


_FINAL_VERSIONS = {"7011", "310011"}


async def test_the_night_runs_through_the_worker_and_ends_on_the_hand_tally(
    db_url: str, conn: asyncpg.Connection, settings: Settings
) -> None:
    feed = NightFeed(speed=90)  # 0% to official in 2 s; the worker polls every 5 s
    with serve_in_thread(feed) as feed_base:
        await set_up(conn, feed_base, actor="test")
        with serve_in_thread(create_app(settings, db_url, worker=True)) as base:
            feed.start()
            async with httpx.AsyncClient(timeout=10) as client:
                stats = await _wait_for_official(client, base)
                elections = (await client.get(f"{base}/api/v1/elections")).json()
    assert stats["sentence"] == FINAL
    headline = stats["headline"]
    assert (headline["won"], headline["lost"], headline["pending"]) == (42, 15, 1)
    assert (headline["low"], headline["percent"], headline["high"]) == (72, 74, 74)
    assert stats["excluded"] == {
        "unmatched": 2,
        "withdrew": 1,
        "rescinded": 1,
        "late": 1,
        "by_staff": 0,
    }
    assert [(e["slug"], e["demo"]) for e in elections] == [(state.SLUG, True)]
    # the worker polled the feed more than once: the night moved under it, version by version
    polled = await conn.fetch(
        "select so.format, count(*) as n from snapshots sn join sources so on so.id = sn.source_id"
        " where sn.status = 'applied' group by so.format"
    )
    assert {r["format"] for r in polled} == {"ct-sots", "clarity"}
    assert all(r["n"] >= 2 for r in polled), polled


async def test_every_version_through_the_pipeline_moves_from_nothing_to_the_tally(
    conn: asyncpg.Connection,
) -> None:
    lines = await once(conn, actor="test", layout="legacy")
    assert len(lines) == returns.STEPS
    assert lines[0] == (
        "[0 of 34 places] None of the races of the 58 candidates we endorsed in the 2026 "
        "general election have been decided yet."
    )
    assert lines[-1] == f"[official] {FINAL}"
    # the review queue has work: a misspelt name waits for a person
    waiting = await conn.fetch("select candidate, ballot_name from match_reviews")
    assert [tuple(r) for r in waiting] == [("Jon Smyth", "Jonathan Smith")]


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ENDORSE, *args], env=env, capture_output=True, text=True, timeout=60)


async def test_remove_leaves_nothing_of_the_demo_and_keeps_real_work(
    db_url: str, conn: asyncpg.Connection, tmp_path: Path, client: AsyncTestClient
) -> None:
    await once(conn, actor="test", layout="legacy")
    review = await conn.fetchval("select id from match_reviews")
    await decide(conn, review, confirm=True, actor="test")  # a decision remembered by name
    await publish(conn, state.SLUG, "general", actor="test")
    real = ElectionCreate(
        "2026-ct-general", "2026 General", state.DAY, [Stage("general", state.DAY)]
    )
    await create_election(conn, real, actor="test")
    env = {**os.environ, "DATABASE_URL": db_url, "ENDORSE_DATA_DIR": str(tmp_path)}
    # a token made the ordinary way works on the demo
    token = _cli("tokens", "create", "--role", "viewer", "--name", "demo-viewer", env=env)
    assert token.returncode == 0, token.stderr
    answer = await client.get(
        f"/api/v1/endorsements?election={state.SLUG}",
        headers={"Authorization": f"Bearer {token.stdout.strip()}"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()

    removed = _cli("demo", "--remove", "--json", env=env)
    assert removed.returncode == 0, removed.stderr
    assert '"elections":["2026-demo-general"]' in removed.stdout

    left = {
        table: await conn.fetchval(f"select count(*) from {table}")
        for table in (
            "contests", "candidacies", "candidates", "results", "contest_status", "sources",
            "snapshots", "endorsements", "endorsement_versions", "bodies", "match_reviews",
            "match_decisions", "published_figures",
        )
    }  # fmt: skip
    assert left == dict.fromkeys(left, 0)
    assert [r["slug"] for r in await conn.fetch("select slug from elections")] == [
        "2026-ct-general"
    ]
    assert await conn.fetchval("select count(*) from stages") == 1


async def test_the_demo_never_starts_beside_a_real_election(conn: asyncpg.Connection) -> None:
    real = ElectionCreate(
        "2026-ct-general", "2026 General", state.DAY, [Stage("general", state.DAY)]
    )
    await create_election(conn, real, actor="test")
    with pytest.raises(DemoRefused, match="2026-ct-general"):
        await set_up(conn, "http://127.0.0.1:9", actor="test")
    assert await conn.fetchval("select count(*) from elections") == 1
    assert await conn.fetchval("select count(*) from bodies") == 0


async def test_a_second_start_replaces_the_first_demo(conn: asyncpg.Connection) -> None:
    first = await set_up(conn, "http://127.0.0.1:9", actor="test")
    second = await set_up(conn, "http://127.0.0.1:9", actor="test")
    assert set(first).isdisjoint(second)
    assert await conn.fetchval("select count(*) from elections") == 1
    assert await conn.fetchval("select count(*) from endorsements") == 93
    assert await conn.fetchval("select count(*) from bodies where demo") == 4


def test_the_demo_refuses_a_database_url(db_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": db_url, "ENDORSE_DATA_DIR": str(tmp_path)}
    result = _cli("demo", "--speed", "5", env=env)
    assert result.returncode == 2
    assert "DATABASE_URL is set" in result.stderr


def test_make_run_with_a_database_url_serves_clean(db_url: str, tmp_path: Path) -> None:
    """`make run` runs `endorse demo --or-serve`: refused, it serves without the demo."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": db_url, "ENDORSE_DATA_DIR": str(tmp_path)}
    proc = subprocess.Popen(
        [ENDORSE, "demo", "--or-serve", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            try:
                elections = httpx.get(f"http://127.0.0.1:{port}/api/v1/elections", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "service did not come up in 60 s"
                time.sleep(0.2)
        assert elections.json() == []
    finally:
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=30)
    assert "demo: not started (DATABASE_URL is set" in stderr
    assert proc.returncode == 0, stderr
