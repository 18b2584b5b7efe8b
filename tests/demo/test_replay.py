"""`endorse replay`: a past night again from its stored snapshots, into a scratch election."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import asyncpg
import msgspec

from endorse.demo import state
from endorse.demo.night import once
from endorse.figures.stats import get_stats

ENDORSE = str(Path(sys.executable).with_name("endorse"))
REPLAY = f"{state.SLUG}-replay"
_NOT_COMPARED = {"election", "election_name", "as_of", "sources", "snapshot_ids"}
_RACE_IDS = ("contest_id", "candidacy_id", "as_of", "snapshot_id")


async def _races(conn: asyncpg.Connection, slug: str) -> list[dict]:
    rows = await conn.fetch(
        "select * from figure_races(array(select s.id from stages s join elections e"
        " on e.id = s.election_id where e.slug = $1))",
        slug,
    )
    return [{k: v for k, v in r.items() if k not in _RACE_IDS} for r in rows]


async def test_a_replay_reproduces_the_nights_final_numbers(
    db_url: str, conn: asyncpg.Connection, tmp_path: Path
) -> None:
    await once(conn, actor="test", layout="legacy")
    env = {**os.environ, "DATABASE_URL": db_url, "ENDORSE_DATA_DIR": str(tmp_path)}
    done = await asyncio.to_thread(
        subprocess.run, [ENDORSE, "replay", state.SLUG, "--speed", "0"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    night = msgspec.to_builtins(await get_stats(conn, state.SLUG))
    again = msgspec.to_builtins(await get_stats(conn, REPLAY))
    assert {k: v for k, v in again.items() if k not in _NOT_COMPARED} == {
        k: v for k, v in night.items() if k not in _NOT_COMPARED
    }
    assert again["headline"]["text"] == "42 of 57"
    assert await _races(conn, REPLAY) == await _races(conn, state.SLUG)
    # every payload of the night went through the pipeline again, in order, under the copy
    versions = await conn.fetch(
        "select so.format, array_agg(sn.version order by sn.id) as versions from snapshots sn"
        " join sources so on so.id = sn.source_id join stages st on st.id = so.stage_id"
        " join elections e on e.id = st.election_id group by e.slug, so.format"
        " order by so.format, e.slug"
    )
    by_format: dict[str, list[list[str]]] = {}
    for r in versions:
        by_format.setdefault(r["format"], []).append(r["versions"])
    assert all(night == replayed for night, replayed in by_format.values())
    assert f"replayed {sum(len(v[0]) for v in by_format.values())} payload(s)" in done.stdout
    replayed = await conn.fetchrow("select demo, replay_of from elections where slug = $1", REPLAY)
    assert replayed["replay_of"] is not None and not replayed["demo"]


async def test_a_second_replay_replaces_the_first_and_remove_deletes_it(
    db_url: str, conn: asyncpg.Connection
) -> None:
    from endorse.demo.replay import remove_replay, replay

    await once(conn, actor="test", layout="legacy")
    await replay(conn, state.SLUG, into=REPLAY, speed=0, actor="test")
    await replay(conn, state.SLUG, into=REPLAY, speed=0, actor="test")
    slugs = [r[0] for r in await conn.fetch("select slug from elections order by slug")]
    assert slugs == [state.SLUG, REPLAY]
    await remove_replay(conn, REPLAY, actor="test")
    assert [r[0] for r in await conn.fetch("select slug from elections")] == [state.SLUG]
    assert await conn.fetchval("select count(*) from endorsements") == 93
