"""The staff workspace in a real browser (Debian chromium) through the real server and database:
add an endorsement, the guessing slow-down, two people editing at once, and stage privacy."""

from __future__ import annotations

import asyncio
import json

import asyncpg
import httpx
from playwright.async_api import Browser, Page

from tests.conftest import shoot
from tests.staff.night_data import SLUG, UNBALLOTED, WINNER, seed
from tests.staff.test_browser_auth import browser_sign_in

LIST = f"/staff/endorsements?election={SLUG}&stage=general"


async def test_add_an_endorsement_it_is_listed_and_audited_with_the_name(
    live: str, page: Page, conn: asyncpg.Connection, staff_users: dict[str, str]
) -> None:
    await seed(conn)
    await browser_sign_in(page, live, "Erin Editor")
    await page.wait_for_url(live + "/staff")
    await page.goto(live + LIST)
    await page.get_by_role("link", name="Add endorsement").click()
    await page.get_by_label("Office", exact=True).fill("State Representative")
    await page.get_by_label("District", exact=True).fill("12")
    await page.get_by_label("Candidate", exact=True).fill("Gwendolyn Park")
    await page.get_by_label("Party", exact=True).fill("Working Families")
    await page.get_by_label("Endorsed by", exact=True).fill("AFT Connecticut")
    await page.get_by_label("Endorsed on", exact=True).fill("2026-09-30")
    await page.get_by_label("Notes", exact=True).fill("committee vote 14-2")
    await page.get_by_role("button", name="Save").click()
    await page.wait_for_url("**/staff/endorsements?*")
    assert await page.get_by_role("link", name="Gwendolyn Park").count() == 1
    assert await page.get_by_text("Saved: Gwendolyn Park").count() == 1
    actor = await conn.fetchval(
        "select actor from audit_log where action = 'endorsement.create'"
        " and after->>'candidate' = 'Gwendolyn Park'"
    )
    assert actor == "staff:Erin Editor"
    # the search box narrows the list in place (htmx), and the URL keeps the state
    await page.get_by_label("Search candidate").fill("gwen")
    await page.wait_for_url("**q=gwen*")
    await page.get_by_role("link", name=WINNER).wait_for(state="detached")
    await page.get_by_label("Search candidate").fill("")
    await page.get_by_role("link", name=WINNER).wait_for()
    await shoot(page, "staff-endorsements")


async def test_five_wrong_passwords_slow_the_account_down(
    live: str, page: Page, staff_users: dict[str, str]
) -> None:
    for _ in range(5):
        await browser_sign_in(page, live, "Erin Editor", "not the password")
        await page.get_by_text("Wrong name or password.").wait_for()
    await browser_sign_in(page, live, "Erin Editor")  # the right one, too soon
    await page.get_by_text("Too many failed sign-ins").wait_for()
    assert "/staff/sign-in" in page.url


async def test_two_people_edit_the_same_endorsement(
    live: str, browser: Browser, conn: asyncpg.Connection, staff_users: dict[str, str]
) -> None:
    endorsement_id = await seed(conn)
    first = await browser.new_context(viewport={"width": 1280, "height": 900})
    second = await browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        erin, ada = await first.new_page(), await second.new_page()
        await browser_sign_in(erin, live, "Erin Editor")
        await browser_sign_in(ada, live, "Ada Admin")
        await erin.wait_for_url(live + "/staff")
        await ada.wait_for_url(live + "/staff")
        url = f"{live}/staff/endorsements/{endorsement_id}"
        await erin.goto(url)
        await ada.goto(url)
        await erin.get_by_label("Notes", exact=True).fill("Erin: confirmed at convention")
        await erin.get_by_role("button", name="Save").click()
        await erin.get_by_text("Saved:").wait_for()
        await ada.get_by_label("Notes", exact=True).fill("Ada: check the district lines")
        await ada.get_by_label("District", exact=True).fill("8")
        await ada.get_by_role("button", name="Save").click()
        await ada.get_by_text("Someone else saved this endorsement first").wait_for()
        notes = ada.get_by_label("Notes", exact=True)
        assert await notes.input_value() == "Ada: check the district lines"
        assert await ada.get_by_label("District", exact=True).input_value() == "8"
        assert await ada.get_by_role("cell", name="Erin: confirmed at convention").count() == 1
        await shoot(ada, "staff-endorsement-conflict")
        stored = await conn.fetchval("select notes from endorsements where id = $1", endorsement_id)
        assert stored == "Erin: confirmed at convention"
    finally:
        await first.close()
        await second.close()


async def _sse_text(base: str, conn: asyncpg.Connection) -> str:
    """What an anonymous SSE client receives for one ingest of the seeded race."""
    contest = await conn.fetchval("select id from contests")
    seen: list[str] = []

    async def read() -> None:
        async with (
            httpx.AsyncClient(timeout=10) as http,
            http.stream("GET", base + "/api/v1/events") as answer,
        ):
            async for line in answer.aiter_lines():
                seen.append(line)
                if line.startswith("event: results") or line.startswith("event:results"):
                    continue
                if (
                    line.startswith("data:")
                    and len([s for s in seen if s.startswith("data:")]) >= 2
                ):
                    return

    reader = asyncio.create_task(read())
    await asyncio.sleep(0.5)
    payload = json.dumps({"election": SLUG, "contests": [contest]})
    await conn.execute("select pg_notify('results_changed', $1)", payload)
    await asyncio.wait_for(reader, 10)
    return "\n".join(seen)


async def test_private_stage_shows_no_endorsed_name_to_anonymous_requests(
    live: str, page: Page, conn: asyncpg.Connection, staff_users: dict[str, str]
) -> None:
    await seed(conn)
    public = (
        "/",
        f"/api/v1/elections/{SLUG}/races?stage=general",
        f"/api/v1/elections/{SLUG}/races?stage=general&format=csv",
        f"/api/v1/elections/{SLUG}/stats?stage=general",
    )
    async with httpx.AsyncClient(base_url=live, timeout=10) as anonymous:
        for url in public:
            assert UNBALLOTED not in (await anonymous.get(url)).text, url
        assert UNBALLOTED not in await _sse_text(live, conn)

        await browser_sign_in(page, live, "Erin Editor")
        await page.wait_for_url(live + "/staff")
        await page.goto(live + LIST)
        await page.get_by_role("button", name="Make public").click()
        await page.get_by_text("Anyone can see this stage's endorsements").wait_for()

        races = await anonymous.get(public[1])
        assert races.status_code == 200 and UNBALLOTED in races.text
        assert UNBALLOTED in (await anonymous.get(public[2])).text
        assert (await anonymous.get(public[3])).status_code == 200
