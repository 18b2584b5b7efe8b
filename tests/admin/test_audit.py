"""GET /api/v1/admin/audit: admins read who changed what, filtered and paginated."""

from __future__ import annotations

from litestar.testing import AsyncTestClient

URL = "/api/v1/admin/audit"
Auth = dict[str, dict[str, str]]


async def test_filters_and_pages(client: AsyncTestClient, auth: Auth) -> None:
    admin = auth["admin"]
    for name in ("A", "B", "C"):
        await client.post("/api/v1/bodies", json={"name": name}, headers=admin)
    first = await client.get(URL, params={"entity": "bodies", "limit": 2}, headers=admin)
    assert first.status_code == 200, first.text
    page = first.json()
    assert (page["total"], page["limit"], page["offset"]) == (3, 2, 0)
    assert [e["after"]["name"] for e in page["items"]] == ["C", "B"]  # newest first
    assert {e["actor"] for e in page["items"]} == {"test-admin"}
    rest = (await client.get(URL, params={"entity": "bodies", "offset": 2}, headers=admin)).json()
    assert [e["after"]["name"] for e in rest["items"]] == ["A"]
    one_id = page["items"][0]["entity_id"]
    by_id = await client.get(URL, params={"entity": "bodies", "entity_id": one_id}, headers=admin)
    assert by_id.json()["total"] == 1
    tokens = await client.get(URL, params={"action": "token.create"}, headers=admin)
    assert tokens.json()["total"] == 3  # the fixture's three tokens, made by "test"
    assert (await client.get(URL, params={"actor": "test"}, headers=admin)).json()["total"] == 3
    assert (await client.get(URL, params={"actor": "nobody"}, headers=admin)).json()["items"] == []


async def test_admin_only(client: AsyncTestClient, auth: Auth) -> None:
    assert (await client.get(URL)).status_code == 401
    assert (await client.get(URL, headers=auth["viewer"])).status_code == 403
    assert (await client.get(URL, headers=auth["editor"])).status_code == 403
    assert (await client.get(URL, params={"limit": 0}, headers=auth["admin"])).status_code == 400
