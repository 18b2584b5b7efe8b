"""The results API: public reads of an election and its contests, editor-only source writes."""

from __future__ import annotations

import asyncpg
import httpx
from litestar.testing import AsyncTestClient

from endorse.results.pipeline import poll_source
from tests.results.night import SLUG
from tests.results.replay import FAST, Night

BASE = f"/api/v1/elections/{SLUG}"


async def test_register_a_source_needs_an_editor_and_is_audited(
    client: AsyncTestClient, auth: dict[str, dict[str, str]], conn: asyncpg.Connection, stage: int
) -> None:
    body = {"format": "ct-sots", "url": "https://example.org/ng-app/data/election/77"}
    assert (await client.post(f"{BASE}/sources", json=body)).status_code == 401
    assert (
        await client.post(f"{BASE}/sources", json=body, headers=auth["viewer"])
    ).status_code == 403
    made = await client.post(f"{BASE}/sources", json=body, headers=auth["editor"])
    assert made.status_code == 201, made.text
    source = made.json()
    assert (source["stage"], source["schedule_seconds"], source["enabled"]) == ("general", 60, True)
    assert await conn.fetchval("select count(*) from audit_log where action = 'source.create'") == 1

    again = await client.post(f"{BASE}/sources", json=body, headers=auth["editor"])
    assert again.status_code == 409 and "already has" in again.text
    cases = [
        ({**body, "format": "pdf"}, 400, "format"),
        ({**body, "url": "ftp://example.org/x"}, 400, "url"),
        ({**body, "schedule_seconds": 1}, 400, "schedule_seconds"),
        ({**body, "mapping": {"http": {"retries": 3}}}, 400, "mapping"),
        ({**body, "stage": "runoff"}, 404, "runoff"),
    ]
    for bad, status, field in cases:
        response = await client.post(f"{BASE}/sources", json=bad, headers=auth["editor"])
        assert response.status_code == status, (bad, response.text)
        assert field in response.text
    missing = await client.post("/api/v1/elections/nope/sources", json=body, headers=auth["editor"])
    assert missing.status_code == 404
    assert await conn.fetchval("select count(*) from sources") == 1


async def test_election_and_contests_show_results_and_warnings(
    client: AsyncTestClient,
    auth: dict[str, dict[str, str]],
    conn: asyncpg.Connection,
    stage: int,
    night: Night,
) -> None:
    body = {"format": "openelections", "url": night.url("openelections"), "mapping": FAST}
    source = (await client.post(f"{BASE}/sources", json=body, headers=auth["editor"])).json()
    night.publish("openelections", 2)
    async with httpx.AsyncClient() as http:
        assert (await poll_source(conn, source["id"], http, force=True)).outcome == "applied"

    election = (await client.get(BASE)).json()  # public: no token
    assert election["election"]["slug"] == SLUG
    assert [s["kind"] for s in election["election"]["stages"]] == ["primary", "general"]
    (shown,) = election["sources"]
    assert shown["last_success_at"] and shown["warning"] is None and election["warnings"] == []

    page = (await client.get(f"{BASE}/contests", params={"stage": "general"})).json()
    assert page["sources"][0]["id"] == source["id"]
    governor = next(c for c in page["contests"] if c["office"] == "Governor")
    assert governor["total_votes"] == 1165 + 1090 + 4
    delgado = governor["candidates"][0]
    assert (delgado["name"], delgado["votes"]) == ("Rosa Delgado", 1165)
    assert delgado["lines"] == [
        {"party": "Democratic", "votes": 1100},  # "Democratic Party" in the feed
        {"party": "Working Families", "votes": 65},
    ]
    assert governor["candidates"][-1]["write_in"] is True
    assert governor["source_id"] == source["id"] and governor["status"] == "unofficial"
    assert (await client.get(f"{BASE}/contests", params={"stage": "primary"})).json()[
        "contests"
    ] == []

    # a truncated payload: quarantined, and the API says so while still showing the good data
    night.publish("openelections", 3, body=night.payload("openelections", 3)[:1000])
    async with httpx.AsyncClient() as http:
        assert (await poll_source(conn, source["id"], http, force=True)).outcome == "quarantined"
    election = (await client.get(BASE)).json()
    assert "held back" in election["sources"][0]["warning"]
    assert election["warnings"] and "truncated" not in str(election)  # no parse error in public
    staff = (await client.get(f"/api/v1/sources/{source['id']}", headers=auth["viewer"])).json()
    assert "quarantined" in staff["warning"] and "truncated" in staff["warning"]
    page = (await client.get(f"{BASE}/contests")).json()
    assert next(c for c in page["contests"] if c["office"] == "Governor")["total_votes"] == 2259
    assert page["sources"][0]["warning"]


async def test_release_needs_an_editor_and_a_quarantine(
    client: AsyncTestClient, auth: dict[str, dict[str, str]], conn: asyncpg.Connection, stage: int
) -> None:
    body = {"format": "html", "url": "https://example.org/results.html"}
    source = (await client.post(f"{BASE}/sources", json=body, headers=auth["editor"])).json()
    url = f"{BASE}/sources/{source['id']}/release"
    note = {"note": "recanvass lowered the count"}
    assert (await client.post(url, json=note)).status_code == 401
    nothing = await client.post(url, json=note, headers=auth["editor"])
    assert nothing.status_code == 409 and "no quarantined payload" in nothing.text
    elsewhere = await client.post(
        f"/api/v1/elections/other/sources/{source['id']}/release", json=note, headers=auth["editor"]
    )
    assert elsewhere.status_code == 404


async def test_unknown_election_or_stage_is_404_bad_stage_400(
    client: AsyncTestClient, stage: int
) -> None:
    assert (await client.get("/api/v1/elections/no-such")).status_code == 404
    assert (await client.get("/api/v1/elections/no-such/contests")).status_code == 404
    runoff = await client.get(f"{BASE}/contests", params={"stage": "runoff"})
    assert runoff.status_code == 404 and "runoff" in runoff.text
    assert (await client.get(f"{BASE}/contests", params={"stage": "final"})).status_code == 400
