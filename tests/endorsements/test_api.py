"""Endorsement CRUD over HTTP: roles, ETag/If-Match, versions, audit, rules on every write."""

from __future__ import annotations

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from tests.endorsements.sample import counts

URL = "/api/v1/endorsements"
Auth = dict[str, dict[str, str]]
FONFARA = {
    "election": "2018-ct-general",
    "stage": "general",
    "office": "State Senator",
    "district": "District 001",
    "candidate": "  John W.   Fonfara ",
    "party": "Democratic",
    "endorsed_by": "AFT Connecticut",
    "endorsed_on": "2018-09-20",
}


async def _create(client: AsyncTestClient, auth: Auth, **changes: object) -> dict:
    response = await client.post(URL, json={**FONFARA, **changes}, headers=auth["editor"])
    assert response.status_code == 201, response.text
    return response.json()


async def test_create_canonicalises_and_is_versioned_and_audited(
    client: AsyncTestClient, auth: Auth, conn: asyncpg.Connection, election: str
) -> None:
    response = await client.post(URL, json=FONFARA, headers=auth["editor"])
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["etag"] == f'W/"{body["id"]}-1"' == body["etag"]
    assert response.headers["location"] == f"{URL}/{body['id']}"
    assert body["office"] == "State Senate"
    assert body["office_typed"] == "State Senator"
    assert body["district"] == "1"
    assert body["candidate"] == "John W. Fonfara"
    assert body["endorsed_by"] == body["counts_as"] == "AFT Connecticut"
    assert (body["version"], body["matched"], body["late_ok"]) == (1, False, False)
    assert body["created_by"] == "test-editor"
    assert await counts(conn) == (1, 1, 1)
    audit = await conn.fetchrow("select * from audit_log where entity = 'endorsements'")
    assert (audit["actor"], audit["action"], audit["entity_id"]) == (
        "test-editor",
        "endorsement.create",
        str(body["id"]),
    )
    assert audit["before"] is None and audit["after"]["candidate"] == "John W. Fonfara"
    # the unknown body was created top-level, and that is audited too
    made = await conn.fetchrow("select kind, parent_id from bodies where name = 'AFT Connecticut'")
    assert (made["kind"], made["parent_id"]) == ("state_federation", None)
    assert await conn.fetchval("select count(*) from audit_log where action = 'body.create'") == 1

    got = await client.get(f"{URL}/{body['id']}", headers=auth["viewer"])
    assert got.status_code == 200 and got.json() == body
    assert got.headers["etag"] == body["etag"]
    cached = await client.get(
        f"{URL}/{body['id']}", headers={**auth["viewer"], "If-None-Match": body["etag"]}
    )
    assert cached.status_code == 304


async def test_roles_401_403(client: AsyncTestClient, auth: Auth, election: str) -> None:
    assert (await client.get(URL)).status_code == 401
    bad = {"Authorization": "Bearer end_not-a-token"}
    assert (await client.get(URL, headers=bad)).status_code == 401
    assert (await client.post(URL, json=FONFARA)).status_code == 401
    assert (await client.post(URL, json=FONFARA, headers=auth["viewer"])).status_code == 403
    created = await _create(client, auth)
    one = f"{URL}/{created['id']}"
    headers = {**auth["viewer"], "If-Match": created["etag"]}
    assert (await client.patch(one, json={"notes": "x"}, headers=headers)).status_code == 403
    assert (await client.delete(one, headers=headers)).status_code == 403
    assert (await client.get(f"{one}/history")).status_code == 401
    assert (await client.get(f"{URL}/export")).status_code == 401
    assert (await client.post(f"{URL}/import", content=b"x")).status_code == 401
    assert (await client.get(one, headers=auth["viewer"])).status_code == 200


async def test_if_match_required_and_stale_edit_is_412(
    client: AsyncTestClient, auth: Auth, conn: asyncpg.Connection, election: str
) -> None:
    created = await _create(client, auth)
    one = f"{URL}/{created['id']}"
    editor = auth["editor"]
    missing = await client.patch(one, json={"notes": "a"}, headers=editor)
    assert missing.status_code == 428 and "If-Match" in missing.json()["detail"]

    first = await client.patch(
        one, json={"notes": "screened"}, headers={**editor, "If-Match": created["etag"]}
    )
    assert first.status_code == 200, first.text
    assert first.json()["version"] == 2 and first.headers["etag"] == f'W/"{created["id"]}-2"'

    # a second person still holding version 1 must not overwrite the first one's edit
    stale = await client.patch(
        one, json={"notes": "other"}, headers={**editor, "If-Match": created["etag"]}
    )
    assert stale.status_code == 412
    assert stale.headers["etag"] == f'W/"{created["id"]}-2"'
    assert "version 2" in stale.json()["detail"]
    gone = await client.delete(one, headers={**editor, "If-Match": created["etag"]})
    assert gone.status_code == 412
    assert await conn.fetchval("select notes from endorsements") == "screened"
    assert await counts(conn) == (1, 2, 2)


async def test_patch_that_changes_nothing_keeps_version(
    client: AsyncTestClient, auth: Auth, conn: asyncpg.Connection, election: str
) -> None:
    created = await _create(client, auth)
    same = await client.patch(
        f"{URL}/{created['id']}",
        json={"office": "State Senate", "district": "1"},
        headers={**auth["editor"], "If-Match": created["etag"]},
    )
    assert same.status_code == 200
    assert same.json()["version"] == 1 and same.json()["office_typed"] == "State Senator"
    assert await counts(conn) == (1, 1, 1)


async def test_put_replaces_and_history_lists_every_version(
    client: AsyncTestClient, auth: Auth, conn: asyncpg.Connection, election: str
) -> None:
    created = await _create(client, auth, notes="first")
    one = f"{URL}/{created['id']}"
    replaced = await client.put(
        one,
        json={**FONFARA, "party": "Working Families"},  # notes left out: PUT clears them
        headers={**auth["editor"], "If-Match": created["etag"]},
    )
    assert replaced.status_code == 200, replaced.text
    assert (replaced.json()["party"], replaced.json()["notes"]) == ("Working Families", "")
    rescinded = await client.post(
        f"{one}/rescind",
        json={"rescinded_on": "2018-10-15", "reason": "voted against the pension bill"},
        headers={**auth["editor"], "If-Match": replaced.headers["etag"]},
    )
    assert rescinded.status_code == 200, rescinded.text
    assert rescinded.json()["rescinded_on"] == "2018-10-15"
    deleted = await client.delete(
        one, headers={**auth["editor"], "If-Match": rescinded.json()["etag"]}
    )
    assert deleted.status_code == 204
    assert (await client.get(one, headers=auth["viewer"])).status_code == 404

    history = await client.get(f"{one}/history", headers=auth["viewer"])
    assert history.status_code == 200
    versions = history.json()
    assert [(v["version"], v["op"]) for v in versions] == [
        (1, "create"),
        (2, "update"),
        (3, "rescind"),
        (4, "delete"),
    ]
    assert versions[0]["data"]["notes"] == "first" and versions[1]["data"]["notes"] == ""
    assert {v["changed_by"] for v in versions} == {"test-editor"}
    actions = await conn.fetch(
        "select action from audit_log where entity = 'endorsements' order by id"
    )
    assert [a["action"] for a in actions] == [
        "endorsement.create",
        "endorsement.update",
        "endorsement.rescind",
        "endorsement.delete",
    ]
    # once deleted it can be entered again: the identity is unique among live rows only
    again = await _create(client, auth)
    assert again["id"] != created["id"]


async def test_rescind_rules(client: AsyncTestClient, auth: Auth, election: str) -> None:
    created = await _create(client, auth)
    url = f"{URL}/{created['id']}/rescind"
    headers = {**auth["editor"], "If-Match": created["etag"]}
    early = await client.post(
        url, json={"rescinded_on": "2018-09-01", "reason": "x"}, headers=headers
    )
    assert early.status_code == 400 and "rescinded_on" in early.json()["detail"]
    no_reason = await client.post(url, json={"rescinded_on": "2018-10-01"}, headers=headers)
    assert no_reason.status_code == 400 and "reason" in no_reason.text
    done = await client.post(
        url, json={"rescinded_on": "2018-10-01", "reason": "x"}, headers=headers
    )
    assert done.status_code == 200
    twice = await client.post(
        url,
        json={"rescinded_on": "2018-10-02", "reason": "y"},
        headers={**auth["editor"], "If-Match": done.json()["etag"]},
    )
    assert twice.status_code == 409


async def test_late_endorsement_needs_flag(
    client: AsyncTestClient, auth: Auth, conn: asyncpg.Connection, election: str
) -> None:
    late = {**FONFARA, "endorsed_on": "2018-11-06"}  # on election day: it cannot count
    refused = await client.post(URL, json=late, headers=auth["editor"])
    assert refused.status_code == 400
    detail = refused.json()["detail"]
    assert detail.startswith("endorsed_on:") and "2018-11-06" in detail and "late_ok" in detail
    assert await counts(conn) == (0, 0, 0)
    kept = await client.post(URL, json={**late, "late_ok": True}, headers=auth["editor"])
    assert kept.status_code == 201 and kept.json()["late_ok"] is True
    # moving it back before election day clears the flag: it counts again
    moved = await client.patch(
        f"{URL}/{kept.json()['id']}",
        json={"endorsed_on": "2018-10-01"},
        headers={**auth["editor"], "If-Match": kept.json()["etag"]},
    )
    assert moved.status_code == 200 and moved.json()["late_ok"] is False


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"election": "2019-ct-general"}, 400, "election"),
        ({"stage": "runoff"}, 400, "stage"),
        ({"stage": "final"}, 400, "stage"),
        ({"endorsed_on": "2018-02-30"}, 400, "endorsed_on"),
        ({"candidate": "   "}, 400, "candidate"),
        ({"candidate": ""}, 400, "candidate"),
        ({"surprise": 1}, 400, "surprise"),
        ({"candidate": "Ed\u0000Gomes"}, 400, "candidate"),
        ({"notes": "x" * 5000}, 400, "notes"),
    ],
)
async def test_bad_create_is_4xx_and_writes_nothing(
    client: AsyncTestClient,
    auth: Auth,
    conn: asyncpg.Connection,
    election: str,
    changes: dict,
    status: int,
    field: str,
) -> None:
    response = await client.post(URL, json={**FONFARA, **changes}, headers=auth["editor"])
    assert response.status_code == status, response.text
    assert field in response.text
    assert await counts(conn) == (0, 0, 0)
    assert await conn.fetchval("select count(*) from bodies") == 0


async def test_same_identity_twice_is_409(
    client: AsyncTestClient, auth: Auth, conn: asyncpg.Connection, election: str
) -> None:
    created = await _create(client, auth)
    # same person, office, district, body and stage, spelled differently: one endorsement
    dup = await client.post(
        URL,
        json={**FONFARA, "candidate": "JOHN W. FONFARA", "office": "State Senate", "district": "1"},
        headers=auth["editor"],
    )
    assert dup.status_code == 409
    assert f"endorsement {created['id']}" in dup.json()["detail"]
    other = await _create(client, auth, candidate="Ed Gomes", district="23")
    clash = await client.patch(
        f"{URL}/{other['id']}",
        json={"candidate": "John W. Fonfara", "district": "1"},
        headers={**auth["editor"], "If-Match": other["etag"]},
    )
    assert clash.status_code == 409
    assert await counts(conn) == (2, 2, 2)


async def test_list_filters_and_pagination(
    client: AsyncTestClient, auth: Auth, conn: asyncpg.Connection, election: str
) -> None:
    admin = auth["admin"]
    local = await client.post(
        "/api/v1/bodies",
        json={"name": "Hartford Federation of Teachers", "kind": "local", "parent": None},
        headers=admin,
    )
    assert local.status_code == 201
    await client.post("/api/v1/bodies", json={"name": "AFT Connecticut"}, headers=admin)
    patched = await client.patch(
        f"/api/v1/bodies/{local.json()['id']}", json={"parent": "AFT Connecticut"}, headers=admin
    )
    assert patched.status_code == 200, patched.text
    await _create(client, auth)
    await _create(client, auth, candidate="Douglas McCrory", district="2")
    await _create(
        client,
        auth,
        candidate="Brandon McGee",
        office="State Representative",
        district="5",
        stage="primary",
        endorsed_on="2018-07-01",
        endorsed_by="hartford federation of teachers",
    )

    async def ids(**params: object) -> tuple[int, list[str]]:
        response = await client.get(URL, params=params, headers=auth["viewer"])
        assert response.status_code == 200, response.text
        page = response.json()
        return page["total"], [e["candidate"] for e in page["items"]]

    assert (await ids())[0] == 3
    assert await ids(stage="primary") == (1, ["Brandon McGee"])
    assert await ids(office="State Rep") == (1, ["Brandon McGee"])
    assert await ids(body="Hartford Federation of Teachers") == (1, ["Brandon McGee"])
    assert (await ids(body="AFT Connecticut"))[0] == 3  # a federation's view includes its locals
    assert (await ids(matched="false"))[0] == 3
    assert await ids(matched="true") == (0, [])
    assert await ids(candidate="mccrory") == (1, ["Douglas McCrory"])
    assert await ids(election=election, limit=2, offset=2) == (3, ["Brandon McGee"])
    assert await ids(limit=2) == (3, ["John W. Fonfara", "Douglas McCrory"])
    assert await ids(offset=10) == (3, [])
    primary = (await client.get(URL, params={"stage": "primary"}, headers=auth["viewer"])).json()
    assert primary["items"][0]["counts_as"] == "AFT Connecticut"
    unknown = await client.get(URL, params={"election": "nope"}, headers=auth["viewer"])
    assert unknown.status_code == 400 and "election" in unknown.text
    unknown = await client.get(URL, params={"body": "Nobody"}, headers=auth["viewer"])
    assert unknown.status_code == 400 and "body" in unknown.text
    too_big = await client.get(URL, params={"limit": 5000}, headers=auth["viewer"])
    assert too_big.status_code == 400 and "limit" in too_big.text


async def test_matching_bumps_version_and_is_history(
    client: AsyncTestClient, auth: Auth, conn: asyncpg.Connection, election: str
) -> None:
    """The matcher writes candidacy_id straight in SQL: the trigger still keeps the history."""
    created = await _create(client, auth)
    from endorse.ballot.service import upsert_candidacy, upsert_contest

    stage_id = await conn.fetchval("select stage_id from endorsements")
    contest = await upsert_contest(conn, stage_id=stage_id, office="State Senate", district="1")
    candidacy = await upsert_candidacy(conn, contest_id=contest, name="John W. Fonfara")
    await conn.execute(
        "update endorsements set candidacy_id = $1, match_method = 'auto', updated_by = 'matcher'",
        candidacy,
    )
    got = (await client.get(f"{URL}/{created['id']}", headers=auth["viewer"])).json()
    assert (got["version"], got["matched"], got["candidacy_id"]) == (2, True, candidacy)
    history = (await client.get(f"{URL}/{created['id']}/history", headers=auth["viewer"])).json()
    assert [(v["op"], v["changed_by"]) for v in history] == [
        ("create", "test-editor"),
        ("match", "matcher"),
    ]
    listed = await client.get(URL, params={"matched": "true"}, headers=auth["viewer"])
    assert listed.json()["total"] == 1


async def test_odd_requests_are_4xx_never_500(
    client: AsyncTestClient, auth: Auth, election: str
) -> None:
    viewer, editor = auth["viewer"], auth["editor"]
    huge = "99999999999999999999"
    assert (await client.get(f"{URL}/{huge}", headers=viewer)).status_code == 400
    assert (await client.get(f"{URL}/12345", headers=viewer)).status_code == 404
    assert (await client.get(f"{URL}/12345/history", headers=viewer)).status_code == 404
    missing = await client.patch(
        f"{URL}/12345", json={"notes": "x"}, headers={**editor, "If-Match": 'W/"12345-1"'}
    )
    assert missing.status_code == 404
    for params in ({"offset": huge}, {"candidate": "a\x00b"}, {"stage": "final"}):
        response = await client.get(URL, params=params, headers=viewer)
        assert response.status_code == 400, (params, response.text)
    assert (await client.post(URL, content=b"{not json", headers=editor)).status_code == 400
    created = await _create(client, auth)
    weird = await client.patch(
        f"{URL}/{created['id']}", json={"notes": "x"}, headers={**editor, "If-Match": "garbage"}
    )
    assert weird.status_code == 412
    star = await client.patch(
        f"{URL}/{created['id']}", json={"notes": "x"}, headers={**editor, "If-Match": "*"}
    )
    assert star.status_code == 200 and star.json()["version"] == 2
