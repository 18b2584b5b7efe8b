"""The staff Sources page lists held corrections with their reasons; an editor accepts one with
a note (refused without one, the field marked), in a plain request and in a real browser."""

from __future__ import annotations

import asyncpg
from litestar import Litestar
from litestar.testing import AsyncTestClient
from playwright.async_api import Page, expect

from tests.reliability.semantic import SEN, load, source, totals
from tests.results.conftest import stage  # noqa: F401 (fixture)
from tests.staff.conftest import staff_users  # noqa: F401 (fixture)
from tests.staff.helpers import sign_in
from tests.staff.test_browser_pages import _shoot, _sign_in


async def _held(conn: asyncpg.Connection, stage_id: int) -> int:
    source_id = await source(conn, stage_id, "clarity")
    await load(conn, source_id, "clarity", "base")
    await load(conn, source_id, "clarity", "votes_down")
    return await conn.fetchval("select id from held_corrections where state = 'held'")


async def test_accept_a_held_correction_on_the_sources_page(
    client: AsyncTestClient[Litestar],
    conn: asyncpg.Connection,
    stage: int,  # noqa: F811
    staff_users: dict[str, str],  # noqa: F811
) -> None:
    held = await _held(conn, stage)
    csrf = await sign_in(client, staff_users["editor"])
    page = (await client.get("/staff/sources")).text
    assert f"Held correction {held}" in page and "votes went down: Ann Park" in page
    url = f"/staff/sources/held/{held}/accept"
    bad = await client.post(url, data={"_csrf": csrf, "note": ""})
    assert bad.status_code == 400 and f'id="e-held-note-{held}"' in bad.text
    assert (await totals(conn))[SEN]["Ann Park"] == 180
    ok = await client.post(url, data={"_csrf": csrf, "note": "recanvass in Alden"})
    assert ok.status_code == 200 and "accepted" in ok.text
    assert (await totals(conn))[SEN]["Ann Park"] == 176
    assert await conn.fetchval(
        "select actor from audit_log where action = 'held.accept'"
    ) == await conn.fetchval("select decided_by from held_corrections where id = $1", held)
    again = await client.post(url, data={"_csrf": csrf, "note": "again"})
    assert again.status_code == 409


async def test_held_correction_in_the_browser(
    conn: asyncpg.Connection,
    stage: int,  # noqa: F811
    staff_users: dict[str, str],  # noqa: F811
    live: str,
    page: Page,
) -> None:
    held = await _held(conn, stage)
    refused = await _sign_in(page, live, staff_users["editor"])
    await page.goto(live + "/staff/sources")
    panel = page.locator(f"#held-{held}")
    await expect(panel).to_contain_text("votes went down: Ann Park")
    await _shoot(page, "staff-sources-held-correction", refused)
    await page.locator(f"#held-{held}").get_by_label("Note").fill("recanvass in Alden")
    await page.locator(f"#held-{held}").get_by_role("button", name="Accept and apply").click()
    await expect(page.get_by_role("status")).to_contain_text(f"Held correction {held} accepted")
    assert refused == []
    assert (await totals(conn))[SEN]["Ann Park"] == 176
