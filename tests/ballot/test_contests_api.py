"""Staff create a contest before results; the feed's rows later land on the same contest."""

from __future__ import annotations

import asyncpg
from litestar.testing import AsyncTestClient

from endorse.results.ingest import apply_parsed
from scrapers.records import Parsed, ResultRecord

ELECTION = {
    "slug": "2026-ct-general",
    "name": "2026 General",
    "election_date": "2026-11-03",
    "stages": [{"kind": "general", "election_day": "2026-11-03"}],
}
URL = "/api/v1/elections/2026-ct-general/contests"
BOARD = {
    "office": "Board of Education - Darien",
    "seats": 3,
    "party_cap": 2,
    "candidates": [{"name": "Ann Lee", "parties": ["Democratic Party"], "incumbent": True}],
}


async def test_contest_created_by_staff_is_the_feeds_contest(
    client: AsyncTestClient, auth: dict[str, dict[str, str]], conn: asyncpg.Connection
) -> None:
    editor = auth["editor"]
    assert (
        await client.post("/api/v1/elections", json=ELECTION, headers=editor)
    ).status_code == 201
    assert (await client.post(URL, json=BOARD)).status_code == 401
    assert (await client.post(URL, json=BOARD, headers=auth["viewer"])).status_code == 403
    made = await client.post(URL, json=BOARD, headers=editor)
    assert made.status_code == 201, made.text
    body = made.json()
    assert (body["office"], body["level"], body["district"]) == (
        "Board of Education", "school_board", "Darien",
    )  # fmt: skip
    audit = await conn.fetchval("select count(*) from audit_log where action = 'contest.create'")
    assert audit == 1

    stage = await conn.fetchval("select id from stages")
    feed = Parsed([ResultRecord("Board of Education - Darien", None, "ANN LEE", "DEM", "", 10)])
    await apply_parsed(conn, stage_id=stage, parsed=feed)
    assert await conn.fetchval("select count(*) from contests") == 1
    assert await conn.fetchval("select count(*) from candidacies") == 1
    row = await conn.fetchrow("select seats, party_cap from contests")
    assert tuple(row) == (3, 2)  # the feed's default "vote for 1" does not undo what staff said


async def test_bad_contest_is_4xx_and_changes_nothing(
    client: AsyncTestClient, auth: dict[str, dict[str, str]], conn: asyncpg.Connection
) -> None:
    editor = auth["editor"]
    missing = await client.post(URL, json=BOARD, headers=editor)
    assert missing.status_code == 404
    assert "election" in missing.json()["detail"]
    await client.post("/api/v1/elections", json=ELECTION, headers=editor)
    for body, field in [
        ({**BOARD, "seats": 0}, "seats"),
        ({**BOARD, "office": ""}, "office"),
        ({**BOARD, "stage": "primary"}, "stage"),
    ]:
        res = await client.post(URL, json=body, headers=editor)
        assert res.status_code in (400, 404), res.text
        assert field in res.text
    assert await conn.fetchval("select count(*) from contests") == 0
