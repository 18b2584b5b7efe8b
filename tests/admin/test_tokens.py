"""/api/v1/admin/tokens: admins create (token shown once), list (no secrets) and revoke."""

from __future__ import annotations

import asyncpg
from litestar.testing import AsyncTestClient

URL = "/api/v1/admin/tokens"
Auth = dict[str, dict[str, str]]


async def test_create_list_revoke(
    client: AsyncTestClient, auth: Auth, conn: asyncpg.Connection
) -> None:
    admin = auth["admin"]
    created = await client.post(URL, json={"name": "press-office", "role": "viewer"}, headers=admin)
    assert created.status_code == 201, created.text
    token = created.json()["token"]
    assert token.startswith("end_") and created.json()["role"] == "viewer"
    press = {"Authorization": f"Bearer {token}"}
    assert (await client.get("/api/v1/endorsements", headers=press)).status_code == 200
    assert (await client.get(URL, headers=press)).status_code == 403

    listed = await client.get(URL, headers=admin)
    assert listed.status_code == 200
    assert token not in listed.text and "hash" not in listed.text
    entry = next(t for t in listed.json() if t["name"] == "press-office")
    assert entry["role"] == "viewer" and entry["revoked_at"] is None
    assert entry["last_used_at"] is not None  # it was just used

    assert (await client.delete(f"{URL}/press-office", headers=admin)).status_code == 204
    assert (await client.get("/api/v1/endorsements", headers=press)).status_code == 401
    # revoking again changes nothing and writes no second audit row
    assert (await client.delete(f"{URL}/press-office", headers=admin)).status_code == 204
    actions = await conn.fetch(
        "select actor, action from audit_log where entity = 'api_tokens' and actor = 'test-admin'"
        " order by id"
    )
    assert [(a["actor"], a["action"]) for a in actions] == [
        ("test-admin", "token.create"),
        ("test-admin", "token.revoke"),
    ]


async def test_bad_token_requests(
    client: AsyncTestClient, auth: Auth, conn: asyncpg.Connection
) -> None:
    admin = auth["admin"]
    assert (await client.get(URL)).status_code == 401
    assert (await client.get(URL, headers=auth["editor"])).status_code == 403
    body = {"name": "x", "role": "editor"}
    assert (await client.post(URL, json=body, headers=auth["editor"])).status_code == 403
    dup = await client.post(URL, json={"name": "test-editor", "role": "viewer"}, headers=admin)
    assert dup.status_code == 409 and "already exists" in dup.json()["detail"]
    bad_role = await client.post(URL, json={"name": "y", "role": "root"}, headers=admin)
    assert bad_role.status_code == 400 and "role" in bad_role.text
    blank = await client.post(URL, json={"name": "   ", "role": "viewer"}, headers=admin)
    assert blank.status_code == 400 and "name" in blank.text
    missing = await client.delete(f"{URL}/nobody", headers=admin)
    assert missing.status_code == 404
    last = await client.delete(f"{URL}/test-admin", headers=admin)
    assert last.status_code == 409 and "last working admin" in last.json()["detail"]
    assert await conn.fetchval("select count(*) from api_tokens") == 3
    assert await conn.fetchval("select count(*) from api_tokens where revoked_at is not null") == 0
