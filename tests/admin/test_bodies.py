"""/api/v1/bodies: the endorsing hierarchy; viewers read, admins change, every change audited."""

from __future__ import annotations

import asyncpg
from litestar.testing import AsyncTestClient

URL = "/api/v1/bodies"
Auth = dict[str, dict[str, str]]


async def _make(client: AsyncTestClient, auth: Auth, **body: object) -> dict:
    response = await client.post(URL, json=body, headers=auth["admin"])
    assert response.status_code == 201, response.text
    return response.json()


async def test_hierarchy_counts_as_root(
    client: AsyncTestClient, auth: Auth, conn: asyncpg.Connection
) -> None:
    national = await _make(client, auth, name="AFT", kind="national")
    state = await _make(client, auth, name="AFT Connecticut", parent="aft")  # any case
    local = await _make(client, auth, name="Hartford Federation of Teachers", kind="local",
                        parent="AFT Connecticut")  # fmt: skip
    assert (state["parent"], state["counts_as"]) == ("AFT", "AFT")
    assert (local["parent"], local["counts_as"], local["endorsements"]) == (
        "AFT Connecticut",
        "AFT",
        0,
    )
    listed = await client.get(URL, headers=auth["viewer"])
    assert listed.status_code == 200
    assert [b["name"] for b in listed.json()] == [
        "AFT",
        "AFT Connecticut",
        "Hartford Federation of Teachers",
    ]
    got = await client.get(f"{URL}/{national['id']}", headers=auth["viewer"])
    assert got.json() == {**national, "endorsements": 0}
    # the state federation leaves the national: it and its local now count as itself
    moved = await client.patch(f"{URL}/{state['id']}", json={"parent": None}, headers=auth["admin"])
    assert moved.status_code == 200 and moved.json()["counts_as"] == "AFT Connecticut"
    again = await client.get(f"{URL}/{local['id']}", headers=auth["viewer"])
    assert again.json()["counts_as"] == "AFT Connecticut"
    audit = await conn.fetch("select action, before, after from audit_log where entity = 'bodies'"
                             " order by id")  # fmt: skip
    assert [a["action"] for a in audit] == ["body.create"] * 3 + ["body.update"]
    assert (audit[3]["before"]["parent"], audit[3]["after"]["parent"]) == ("AFT", None)


async def test_bad_body_changes(
    client: AsyncTestClient, auth: Auth, conn: asyncpg.Connection
) -> None:
    admin = auth["admin"]
    state = await _make(client, auth, name="AFT Connecticut")
    local = await _make(client, auth, name="Local 1", kind="local", parent="AFT Connecticut")
    assert (await client.post(URL, json={"name": "x"}, headers=auth["editor"])).status_code == 403
    assert (await client.get(URL)).status_code == 401
    dup = await client.post(URL, json={"name": "aft  connecticut"}, headers=admin)
    assert dup.status_code == 409 and "already exists" in dup.text
    orphan = await client.post(URL, json={"name": "L2", "parent": "Nobody"}, headers=admin)
    assert orphan.status_code == 400 and "parent" in orphan.json()["detail"]
    upside = await client.patch(
        f"{URL}/{state['id']}", json={"parent": "Local 1"}, headers=admin
    )  # a cycle, and a state federation under a local
    assert upside.status_code == 400 and "parent" in upside.json()["detail"]
    demote = await client.patch(f"{URL}/{state['id']}", json={"kind": "local"}, headers=admin)
    assert demote.status_code == 400 and "kind" in demote.json()["detail"]
    self_parent = await client.patch(
        f"{URL}/{local['id']}", json={"parent": "Local 1"}, headers=admin
    )
    assert self_parent.status_code == 400
    rename = await client.patch(f"{URL}/{state['id']}", json={"name": "local 1"}, headers=admin)
    assert rename.status_code == 409
    busy = await client.delete(f"{URL}/{state['id']}", headers=admin)
    assert busy.status_code == 409 and "1 body(ies) under it" in busy.json()["detail"]
    assert (await client.delete(f"{URL}/999", headers=admin)).status_code == 404
    assert (await client.patch(f"{URL}/999", json={}, headers=admin)).status_code == 404
    assert await conn.fetchval("select count(*) from bodies") == 2
    assert await conn.fetchval("select count(*) from audit_log where entity = 'bodies'") == 2

    assert (await client.delete(f"{URL}/{local['id']}", headers=admin)).status_code == 204
    assert await conn.fetchval("select count(*) from bodies") == 1
    gone = await conn.fetchrow("select before from audit_log where action = 'body.delete'")
    assert gone["before"]["name"] == "Local 1"


async def test_body_with_endorsements_cannot_be_deleted(
    client: AsyncTestClient, auth: Auth, conn: asyncpg.Connection
) -> None:
    await client.post(
        "/api/v1/elections",
        json={"slug": "2018-ct-general", "name": "2018", "election_date": "2018-11-06",
              "stages": [{"kind": "general", "election_day": "2018-11-06"}]},
        headers=auth["editor"],
    )  # fmt: skip
    made = await client.post(
        "/api/v1/endorsements",
        json={"election": "2018-ct-general", "stage": "general", "office": "Governor",
              "candidate": "Ned Lamont", "endorsed_by": "AFT Connecticut",
              "endorsed_on": "2018-08-30"},
        headers=auth["editor"],
    )  # fmt: skip
    assert made.status_code == 201
    body_id = await conn.fetchval("select id from bodies")
    listed = (await client.get(f"{URL}/{body_id}", headers=auth["viewer"])).json()
    assert listed["endorsements"] == 1 and listed["kind"] == "state_federation"
    busy = await client.delete(f"{URL}/{body_id}", headers=auth["admin"])
    assert busy.status_code == 409 and "1 endorsement(s)" in busy.json()["detail"]
