"""Matching runs by itself after imports, edits and ingests, in the same transaction, and a match
that changes nothing writes nothing (the ETag staff hold stays good)."""

from __future__ import annotations

import asyncpg
from litestar.testing import AsyncTestClient

from tests.integration.conftest import ENDORSEMENTS, ingest, night
from tests.results.night import SLUG

Auth = dict[str, dict[str, str]]
IMPORT = "/api/v1/endorsements/import"
CSV = {"Content-Type": "text/csv"}
# typed name -> the ballot name the matcher must find
EXPECTED = {"Rosa Delgado": "Rosa Delgado", "Cho, Ian": "Ian Cho", "Tom Best": "Tom Best"}


async def _matches(conn: asyncpg.Connection) -> dict[str, tuple[str | None, str | None]]:
    rows = await conn.fetch(
        """select e.candidate, c.ballot_name, e.match_method
             from endorsements e left join candidacies c on c.id = e.candidacy_id
            where e.deleted_at is null"""
    )
    return {r["candidate"]: (r["ballot_name"], r["match_method"]) for r in rows}


async def _versions(conn: asyncpg.Connection) -> int:
    return await conn.fetchval("select count(*) from endorsement_versions")


async def test_import_then_ingest_matches_without_endorse_match(
    client: AsyncTestClient, auth: Auth, conn: asyncpg.Connection, stage: int
) -> None:
    res = await client.post(IMPORT, content=ENDORSEMENTS, headers={**auth["editor"], **CSV})
    assert res.status_code == 200, res.text
    assert res.json()["created"] == 3
    assert {v for v in (await _matches(conn)).values()} == {(None, None)}  # no ballot yet

    result = await ingest(conn, stage, night(1))
    assert result.outcome == "applied" and result.stats is not None
    assert result.stats.matched == 3
    assert await _matches(conn) == {typed: (ballot, "auto") for typed, ballot in EXPECTED.items()}
    actors = await conn.fetch(
        "select distinct actor from audit_log where action = 'endorsement.match'"
    )
    assert [r["actor"] for r in actors] == ["matcher"]

    # the stats already count them: Delgado leads 2 of 5 precincts in, so all pending
    stats = (await client.get(f"/api/v1/elections/{SLUG}/stats", headers=auth["viewer"])).json()
    assert (stats["headline"]["pending"], stats["excluded"]["unmatched"]) == (3, 0)


async def test_ingest_then_import_matches_in_the_import(
    client: AsyncTestClient, auth: Auth, conn: asyncpg.Connection, stage: int
) -> None:
    await ingest(conn, stage, night(1))
    res = await client.post(IMPORT, content=ENDORSEMENTS, headers={**auth["editor"], **CSV})
    assert res.status_code == 200, res.text
    assert await _matches(conn) == {typed: (ballot, "auto") for typed, ballot in EXPECTED.items()}
    listed = (await client.get("/api/v1/endorsements", headers=auth["viewer"])).json()
    items = listed["items"] if isinstance(listed, dict) else listed
    assert all(e["matched"] and e["match_method"] == "auto" for e in items)

    # a dry run writes nothing, matches included
    extra = (
        ENDORSEMENTS + f"{SLUG},general,Governor,,Martin Hale,,Other Local,2026-09-21,\n".encode()
    )
    dry = await client.post(
        IMPORT, content=extra, params={"dry_run": "1"}, headers={**auth["editor"], **CSV}
    )
    assert dry.json()["created"] == 1
    assert "Martin Hale" not in await _matches(conn)


async def test_reingest_keeps_etags_and_writes_no_versions(
    client: AsyncTestClient, auth: Auth, conn: asyncpg.Connection, stage: int
) -> None:
    await ingest(conn, stage, night(1))
    await client.post(IMPORT, content=ENDORSEMENTS, headers={**auth["editor"], **CSV})
    [first, *_] = await conn.fetch("select id from endorsements order by id")
    etag = (
        await client.get(f"/api/v1/endorsements/{first['id']}", headers=auth["viewer"])
    ).headers["etag"]
    versions = await _versions(conn)

    assert (await ingest(conn, stage, night(2))).stats.matched == 0  # votes only: no matching
    # a new contest (and new candidacies) makes the whole stage match again: nothing changes
    extra = (
        b"candidate,party,office,district,town,votes,precinct\n"
        b"Pat Doe,Democratic Party,State Representative,5,Elmvale,10,1 - Town Hall\n"
    )
    other = await ingest(conn, stage, extra, url="file:///night/house.csv")
    assert other.stats.contests_created == 1 and other.stats.matched == 0
    assert await _versions(conn) == versions
    again = await client.get(f"/api/v1/endorsements/{first['id']}", headers=auth["viewer"])
    assert again.headers["etag"] == etag


async def test_create_and_edit_match_and_return_the_current_etag(
    client: AsyncTestClient, auth: Auth, conn: asyncpg.Connection, stage: int
) -> None:
    await ingest(conn, stage, night(1))
    body = {
        "election": SLUG,
        "stage": "general",
        "office": "State Senate",
        "district": "9",
        "candidate": "Lyle, Beth",
        "endorsed_by": "AFT Connecticut",
        "endorsed_on": "2026-09-20",
    }
    created = await client.post("/api/v1/endorsements", json=body, headers=auth["editor"])
    assert created.status_code == 201, created.text
    assert (created.json()["candidacy_id"] is not None, created.json()["match_method"]) == (
        True,
        "auto",
    )
    url = f"/api/v1/endorsements/{created.json()['id']}"
    current = await client.get(url, headers=auth["viewer"])
    assert current.headers["etag"] == created.headers["etag"]  # the matched version's ETag

    # moved to a district with no contest: unmatched in the same response
    moved = await client.patch(
        url,
        json={"district": "10"},
        headers={**auth["editor"], "If-Match": created.headers["etag"]},
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["candidacy_id"] is None
    # and the ETag it returned is the current one: the next edit goes through
    back = await client.patch(
        url, json={"district": "9"}, headers={**auth["editor"], "If-Match": moved.headers["etag"]}
    )
    assert back.status_code == 200, back.text
    assert back.json()["match_method"] == "auto"
    # a notes-only edit does not run the matcher (one version, no match audit row)
    matches = await conn.fetchval(
        "select count(*) from audit_log where action = 'endorsement.match'"
    )
    notes = await client.patch(
        url,
        json={"notes": "screened"},
        headers={**auth["editor"], "If-Match": back.headers["etag"]},
    )
    assert notes.status_code == 200, notes.text
    assert (
        await conn.fetchval("select count(*) from audit_log where action = 'endorsement.match'")
        == matches
    )
