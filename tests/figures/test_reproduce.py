"""A published figure is reproduced from the raw snapshots it stored, whatever happened since:
results re-ingested, endorsements edited; a tampered snapshot shows up as a difference.

The night (tests/results/night.py): v1 is unofficial, so every race is pending; v2 is loaded as
official: Delgado 1165 - 1090 (won), Cho 1060 - 1127 (lost), Best first of 2 seats (won).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import asyncpg
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from endorse.figures import published, replay
from tests.figures.conftest import Ballot
from tests.integration.conftest import ENDORSEMENTS, ingest, night, night_election
from tests.results.night import SLUG

Client = AsyncTestClient[Litestar]
Auth = dict[str, dict[str, str]]
ENDORSE = str(Path(sys.executable).with_name("endorse"))


@pytest.fixture
async def stage(conn: asyncpg.Connection) -> int:
    stage_id = await night_election(conn)
    await conn.execute("update stages set visibility = 'public'")  # stats read anonymously
    return stage_id


def _cli(db_url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": db_url, "ENDORSE_DATA_DIR": str(tmp_path / "data")}
    env["COLUMNS"] = "200"  # rich wraps at the terminal width
    return subprocess.run([ENDORSE, *args], env=env, capture_output=True, text=True, timeout=120)


async def _stats(client: Client) -> dict:
    return (await client.get(f"/api/v1/elections/{SLUG}/stats")).json()


async def test_figure_reproduces_from_its_snapshots_until_one_is_tampered_with(
    client: Client, auth: Auth, conn: asyncpg.Connection, stage: int, db_url: str, tmp_path: Path
) -> None:
    imported = await client.post(
        "/api/v1/endorsements/import",
        content=ENDORSEMENTS,
        headers={**auth["editor"], "Content-Type": "text/csv"},
    )
    assert imported.status_code == 200, imported.text
    v1 = await ingest(conn, stage, night(1))  # matched by itself (endorse.matching.auto)
    published = await client.post(
        f"/api/v1/elections/{SLUG}/figures", json={"note": "10 pm"}, headers=auth["editor"]
    )
    assert published.status_code == 201, published.text
    figure = published.json()
    assert figure["snapshot_ids"] == [v1.snapshot_id]
    assert figure["stats"]["headline"]["pending"] == 3 and figure["stats"]["headline"]["won"] == 0

    # later: all precincts in and the source switched to official results (a new mapping:
    # the v1 bytes must still be read as unofficial), staff rescind one endorsement, add one
    await ingest(conn, stage, night(2), mapping={"status": "official"})
    live = await _stats(client)
    assert (live["headline"]["text"], live["headline"]["pending"]) == ("2 of 3", 0)
    best = await conn.fetchval("select id from endorsements where candidate = 'Tom Best'")
    etag = (await client.get(f"/api/v1/endorsements/{best}", headers=auth["viewer"])).headers[
        "etag"
    ]
    rescinded = await client.post(
        f"/api/v1/endorsements/{best}/rescind",
        json={"rescinded_on": "2026-10-01", "reason": "withdrew support"},
        headers={**auth["editor"], "If-Match": etag},
    )
    assert rescinded.status_code == 200, rescinded.text
    added = await client.post(
        "/api/v1/endorsements",
        json={
            "election": SLUG,
            "stage": "general",
            "office": "Governor",
            "candidate": "Martin Hale",
            "endorsed_by": "Harrow Point Local",
            "endorsed_on": "2026-09-30",
        },
        headers=auth["editor"],
    )
    assert added.status_code == 201, added.text

    # the frozen figure is exactly as published
    again = await client.get(f"/api/v1/figures/{figure['id']}")
    assert again.json() == figure

    url = f"/api/v1/figures/{figure['id']}/reproduce"
    assert (await client.get(url)).status_code == 401  # re-applies snapshots: not anonymous
    res = await client.get(url, headers=auth["viewer"])
    assert res.status_code == 200, res.text
    body = res.json()
    assert (body["matches"], body["differences"]) == (True, [])
    assert body["snapshot_ids"] == [v1.snapshot_id]
    assert body["endorsements_rewound"] == 2  # Best's rescission and Hale's endorsement
    # and nothing of it stayed: live results, stats and endorsements are as they were
    assert await _stats(client) != figure["stats"]
    # Delgado won; Cho and Hale lost; Best rescinded (not counted)
    assert (await _stats(client))["headline"]["text"] == "1 of 3"
    assert await conn.fetchval("select count(*) from endorsements where deleted_at is null") == 4

    done = _cli(db_url, tmp_path, "figures", "reproduce", str(figure["id"]), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["matches"] is True

    # tamper with the stored v1 bytes: Delgado's Town Hall count 300 -> 3000
    snapshot = v1.snapshot_id
    stored = zlib.decompress(
        await conn.fetchval("select body from snapshots where id = $1", snapshot)
    )
    forged = stored.replace(b"Rosa Delgado,Democratic Party,Governor,,Elmvale,300,", b"Rosa Delgado,Democratic Party,Governor,,Elmvale,3000,")  # fmt: skip
    assert forged != stored
    await conn.execute(
        "update snapshots set body = $2 where id = $1", snapshot, zlib.compress(forged)
    )

    body = (await client.get(url, headers=auth["viewer"])).json()
    assert body["matches"] is False
    found = {d["what"]: (d["published"], d["reproduced"]) for d in body["differences"]}
    assert f"snapshot {snapshot}.sha256" in found
    votes = found["races[general / Governor / Rosa Delgado].votes"]
    assert votes == (512, 512 + 2700)
    assert "stats.headline.pending" not in found  # still pending either way: only votes moved

    done = _cli(db_url, tmp_path, "figures", "reproduce", str(figure["id"]))
    assert done.returncode == 1, done.stderr
    assert "races[general / Governor / Rosa Delgado].votes" in done.stdout and "3212" in done.stdout
    missing = _cli(db_url, tmp_path, "figures", "reproduce", "999999")
    assert missing.returncode == 2 and "no published figure 999999" in missing.stderr
    assert (await client.get("/api/v1/figures/999999/reproduce", headers=auth["viewer"])).status_code == 404  # fmt: skip


async def test_a_snapshot_that_no_longer_parses_or_is_gone_is_a_difference(
    client: Client, auth: Auth, conn: asyncpg.Connection, stage: int
) -> None:
    headers = {**auth["editor"], "Content-Type": "text/csv"}
    await client.post("/api/v1/endorsements/import", content=ENDORSEMENTS, headers=headers)
    v1 = await ingest(conn, stage, night(1))
    figure = await published.publish(conn, SLUG, "general", actor="test")

    garbage = zlib.compress(b"nothing,here\n1,2\n")
    await conn.execute("update snapshots set body = $2 where id = $1", v1.snapshot_id, garbage)
    result = await published.reproduce(conn, figure.id)
    found = {d.what: d.reproduced for d in result.differences}
    assert "does not parse" in found[f"snapshot {v1.snapshot_id}"]
    assert found["races[general / State Senate 9 / Ian Cho].votes"] == 0  # no results to read
    assert found["races[general / State Senate 9 / Ian Cho].reason"] == "not called: no results yet"

    await conn.execute("delete from snapshots where id = $1", v1.snapshot_id)
    result = await published.reproduce(conn, figure.id)
    found = {d.what: d.reproduced for d in result.differences}
    assert (result.matches, found[f"snapshot {v1.snapshot_id}"]) == (False, "missing")
    # the rows it left are read as they are (only the reference to it is gone)
    assert not [w for w in found if w.endswith((".votes", ".outcome"))], found
    assert found["stats.snapshot_ids"] == []


async def test_a_figure_without_snapshots_rewinds_endorsements_only(ballot: Ballot) -> None:
    sd = await ballot.contest("State Senate", "5")
    bye = await ballot.candidate(sd, "Beth Bye", {"Democratic": 30_655})
    await ballot.candidate(sd, "Mark Merritt", {"Republican": 21_128})
    await ballot.status(sd, "official")
    endorsement = await ballot.endorse("Beth Bye", "State Senate", "5", candidacy=bye)
    figure = await published.publish(ballot.conn, ballot.slug, "general", actor="test")
    assert figure.stats["headline"]["text"] == "1 of 1" and figure.snapshot_ids == []

    # a rescission after publication is taken back for the reproduction, and only there
    await ballot.conn.execute(
        "update endorsements set rescinded_on = '2018-10-01', rescind_reason = 'x' where id = $1",
        endorsement,
    )
    result = await published.reproduce(ballot.conn, figure.id)
    assert (result.matches, result.endorsements_rewound) == (True, 1)
    assert (await ballot.outcome(endorsement))[0] == "RESCINDED"  # live state untouched


def test_a_sentence_worded_by_an_older_release_is_not_a_difference_but_its_numbers_are() -> None:
    headline = {"won": 3, "lost": 1, "pending": 2, "text": "3 of 4"}
    then = {"headline": headline, "sentence": "...; 2 more races are still pending, ..."}
    now = {"headline": headline, "sentence": "...; 2 more candidates' races are still pending, ..."}
    assert replay.compare(then, [], now, []) == []
    moved = {**now, "headline": {**headline, "won": 2, "text": "2 of 4"}}
    assert {d.what for d in replay.compare(then, [], moved, [])} == {
        "stats.headline.won",
        "stats.headline.text",
    }
