"""Admin pages: accounts, endorsing bodies and API tokens, admins only, every change audited
with the person's name; bad values answered with the form, nothing written."""

from __future__ import annotations

import asyncpg
from litestar import Litestar
from litestar.testing import AsyncTestClient

from endorse.auth.tokens import authenticate
from tests.staff.helpers import sign_in


async def test_only_admins_reach_the_admin_pages(
    client: AsyncTestClient[Litestar], staff_users: dict[str, str]
) -> None:
    await sign_in(client, "Erin Editor")
    refused = await client.get("/staff/admin/accounts")
    assert refused.status_code == 403 and "needs the admin role" in refused.text
    for page in ("/staff", "/staff/endorsements"):  # no way shown to a page that refuses
        assert 'href="/staff/admin"' not in (await client.get(page)).text
    await sign_in(client, "Ada Admin")
    for page in ("/staff", "/staff/endorsements"):
        assert 'href="/staff/admin"' in (await client.get(page)).text


async def test_accounts_create_change_role_and_disable(
    client: AsyncTestClient[Litestar], conn: asyncpg.Connection, staff_users: dict[str, str]
) -> None:
    token = await sign_in(client, "Ada Admin")
    short = await client.post(
        "/staff/admin/accounts",
        data={"name": "Nia Organizer", "role": "editor", "password": "short", "_csrf": token},
    )
    assert short.status_code == 400 and 'id="e-password"' in short.text
    assert 'value="short"' not in short.text  # a password is never echoed back
    assert not await conn.fetchval("select 1 from staff_users where name = 'Nia Organizer'")
    made = await client.post(
        "/staff/admin/accounts",
        data={
            "name": "Nia Organizer",
            "role": "editor",
            "password": "long enough pw",
            "_csrf": token,
        },
        follow_redirects=False,
    )
    assert made.status_code == 303
    taken = await client.post(
        "/staff/admin/accounts",
        data={
            "name": "nia organizer",
            "role": "viewer",
            "password": "long enough pw",
            "_csrf": token,
        },
    )
    assert taken.status_code == 409 and "already exists" in taken.text
    for action, extra in (("role", {"role": "viewer"}), ("disable", {})):
        changed = await client.post(
            "/staff/admin/accounts/change",
            data={"name": "Nia Organizer", "action": action, **extra, "_csrf": token},
            follow_redirects=False,
        )
        assert changed.status_code == 303
    row = await conn.fetchrow(
        "select role, disabled_at from staff_users where name = 'Nia Organizer'"
    )
    assert row["role"] == "viewer" and row["disabled_at"] is not None
    actors = await conn.fetch(
        "select distinct actor from audit_log where entity = 'staff_users' and actor <> 'test'"
    )
    assert [r["actor"] for r in actors] == ["staff:Ada Admin"]
    page = await client.get("/staff/admin/accounts")
    assert "Nia Organizer is disabled." in page.text


async def test_tokens_shown_once_and_revoked(
    client: AsyncTestClient[Litestar], conn: asyncpg.Connection, staff_users: dict[str, str]
) -> None:
    token = await sign_in(client, "Ada Admin")
    made = await client.post(
        "/staff/admin/tokens", data={"name": "results-laptop", "role": "viewer", "_csrf": token}
    )
    assert made.status_code == 200 and made.headers["cache-control"] == "no-store"
    secret = made.text.split('id="new-token" class="token" value="')[1].split('"')[0]
    assert await authenticate(conn, secret) is not None
    listing = await client.get("/staff/admin/tokens")
    assert "results-laptop" in listing.text and secret not in listing.text
    revoked = await client.post(
        "/staff/admin/tokens/revoke",
        data={"name": "results-laptop", "_csrf": token},
        follow_redirects=False,
    )
    assert revoked.status_code == 303
    assert await authenticate(conn, secret) is None
    actor = await conn.fetchval("select actor from audit_log where action = 'token.revoke'")
    assert actor == "staff:Ada Admin"


async def test_bodies_with_parents(
    client: AsyncTestClient[Litestar], conn: asyncpg.Connection, staff_users: dict[str, str]
) -> None:
    token = await sign_in(client, "Ada Admin")
    for name, kind, parent in (
        ("AFT Connecticut", "state_federation", ""),
        ("Elmvale Federation of Teachers", "local", "AFT Connecticut"),
    ):
        added = await client.post(
            "/staff/admin/bodies",
            data={"name": name, "kind": kind, "parent": parent, "_csrf": token},
            follow_redirects=False,
        )
        assert added.status_code == 303
    orphan = await client.post(
        "/staff/admin/bodies",
        data={"name": "Somewhere Local", "kind": "local", "parent": "Nobody", "_csrf": token},
    )
    assert orphan.status_code == 400 and 'id="e-parent"' in orphan.text
    page = await client.get("/staff/admin/bodies")
    assert "Elmvale Federation of Teachers" in page.text
    counts_as = await conn.fetchval(
        "select r.name from body_roots br join bodies b on b.id = br.body_id"
        " join bodies r on r.id = br.root_id where b.name = 'Elmvale Federation of Teachers'"
    )
    assert counts_as == "AFT Connecticut"
