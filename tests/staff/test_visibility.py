"""Stage visibility: a private stage's endorsements reach only staff sessions and tokens;
official results stay public; switching is audited (browser, API, CLI)."""

from __future__ import annotations

import asyncpg
from litestar import Litestar
from litestar.testing import AsyncTestClient

from endorse.elections.visibility import set_visibility
from tests.staff.helpers import sign_in
from tests.staff.night_data import SLUG, WINNER, seed

ROUTES = (
    f"/api/v1/elections/{SLUG}/stats?stage=general",
    f"/api/v1/elections/{SLUG}/races?stage=general",
    f"/api/v1/elections/{SLUG}/races?stage=general&format=csv",
    f"/api/v1/elections/{SLUG}/stats?stage=all",
)


async def test_private_stage_hides_endorsements_from_anonymous_requests(
    client: AsyncTestClient[Litestar],
    conn: asyncpg.Connection,
    auth: dict[str, dict[str, str]],
    staff_users: dict[str, str],
) -> None:
    await seed(conn)
    for url in ROUTES:
        anonymous = await client.get(url)
        assert anonymous.status_code == 403, url
        assert WINNER not in anonymous.text
        with_token = await client.get(url, headers=auth["viewer"])
        assert with_token.status_code == 200, url
        assert WINNER in with_token.text or "/stats" in url  # stats carry counts, not names
    official = await client.get(f"/api/v1/elections/{SLUG}/contests")
    assert official.status_code == 200 and WINNER in official.text  # results stay public
    await sign_in(client, "Vic Viewer")
    signed_in = await client.get(ROUTES[1])
    assert signed_in.status_code == 200 and WINNER in signed_in.text


async def test_switching_public_in_the_browser_is_audited_and_opens_the_routes(
    client: AsyncTestClient[Litestar], conn: asyncpg.Connection, staff_users: dict[str, str]
) -> None:
    await seed(conn)
    token = await sign_in(client, "Erin Editor")
    page = await client.get(f"/staff/endorsements?election={SLUG}&stage=general")
    assert "Make public" in page.text
    switched = await client.post(
        "/staff/endorsements/visibility",
        data={"election": SLUG, "stage": "general", "visibility": "public", "_csrf": token},
        follow_redirects=False,
    )
    assert switched.status_code == 303
    client.cookies.clear()  # from here on an anonymous reader
    for url in ROUTES:
        answer = await client.get(url)
        assert answer.status_code == 200, url
        assert WINNER in answer.text or "/stats" in url
    audit = await conn.fetchrow(
        "select actor, after from audit_log where action = 'stage.visibility'"
    )
    assert audit["actor"] == "staff:Erin Editor" and audit["after"]["visibility"] == "public"


async def test_visibility_api_needs_an_editor(
    client: AsyncTestClient[Litestar], conn: asyncpg.Connection, auth: dict[str, dict[str, str]]
) -> None:
    await seed(conn)
    url = f"/api/v1/elections/{SLUG}/stages/general/visibility"
    shown = await client.get(f"/api/v1/elections/{SLUG}/visibility")
    assert shown.json() == [{"stage": "general", "visibility": "private"}]
    assert (await client.put(url, json={"visibility": "public"})).status_code == 401
    viewer = await client.put(url, json={"visibility": "public"}, headers=auth["viewer"])
    assert viewer.status_code == 403
    bad = await client.put(url, json={"visibility": "secret"}, headers=auth["editor"])
    assert bad.status_code == 400
    ok = await client.put(url, json={"visibility": "public"}, headers=auth["editor"])
    assert ok.status_code == 200 and ok.json()["visibility"] == "public"
    assert (await client.get(ROUTES[0])).status_code == 200
    missing = await client.put(
        f"/api/v1/elections/{SLUG}/stages/primary/visibility",
        json={"visibility": "public"},
        headers=auth["editor"],
    )
    assert missing.status_code == 404


async def test_stage_all_is_public_only_when_every_stage_is(conn: asyncpg.Connection) -> None:
    from endorse.elections.visibility import is_public

    await seed(conn)
    assert not await is_public(conn, SLUG, "general")
    assert await set_visibility(conn, SLUG, "general", "public", actor="test")
    assert not await set_visibility(conn, SLUG, "general", "public", actor="test")  # no change
    assert await is_public(conn, SLUG, "general") and await is_public(conn, SLUG, "all")
    assert await is_public(conn, "no-such-election", "general")  # the caller's 404 answers
