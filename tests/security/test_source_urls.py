"""Source URLs may carry an API key (in the query string or as credentials before the host):
anonymous readers of an election see them without it; staff and tokens see them whole."""

from __future__ import annotations

import asyncpg
from litestar import Litestar
from litestar.testing import AsyncTestClient

from endorse.results.public import public_url
from tests.security.conftest import SLUG, add
from tests.staff.helpers import sign_in

SECRET_URL = "https://feed:s3cr3t-pass@results.example/ct/2026/results.csv?api_key=AKIA-KEY#top"
PLAIN = "https://results.example/ct/2026/results.csv"


def test_public_url_keeps_only_what_cannot_be_a_secret() -> None:
    assert public_url(SECRET_URL) == PLAIN
    assert public_url(PLAIN) == PLAIN
    assert public_url("http://[::1]:8080/x?token=1") == "http://[::1]:8080/x"
    assert public_url("https://k@[x?key=1") == "https://[x"  # no parser takes it: never a 500


async def test_anonymous_readers_never_see_a_source_key(
    conn: asyncpg.Connection,
    stage: int,
    client: AsyncTestClient[Litestar],
    auth: dict[str, dict[str, str]],
    staff_users: dict[str, str],
) -> None:
    await conn.execute("update stages set visibility = 'public'")
    await add(conn, SECRET_URL)
    anonymous = await client.get(f"/api/v1/elections/{SLUG}")
    assert anonymous.status_code == 200, anonymous.text
    assert [s["url"] for s in anonymous.json()["sources"]] == [PLAIN]
    night = await client.get(f"/elections/{SLUG}")
    assert night.status_code == 200
    stats = await client.get(f"/api/v1/elections/{SLUG}/stats")  # what a figure freezes
    assert stats.status_code == 200, stats.text
    assert [s["url"] for s in stats.json()["sources"]] == [PLAIN]
    for text in (anonymous.text, night.text, stats.text):
        assert "AKIA-KEY" not in text and "s3cr3t" not in text and "api_key" not in text

    token = await client.get(f"/api/v1/elections/{SLUG}", headers=auth["viewer"])
    assert [s["url"] for s in token.json()["sources"]] == [SECRET_URL]
    await sign_in(client, staff_users["viewer"])
    staff = await client.get(f"/api/v1/elections/{SLUG}")
    assert [s["url"] for s in staff.json()["sources"]] == [SECRET_URL]
    page = await client.get("/staff/sources")
    assert "AKIA-KEY" in page.text  # staff pages keep the whole URL: they edit it
