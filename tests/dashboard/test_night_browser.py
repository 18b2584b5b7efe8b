"""The night page in a real browser: live patches, a dropped stream that resumes, the phone
width, and the public page of a published figure with JavaScript off."""

from __future__ import annotations

import asyncio

import asyncpg
import httpx
from litestar import Litestar
from playwright.async_api import Browser, Locator, Page, Request, Route, expect

from tests.conftest import shoot
from tests.dashboard.conftest import Scenario

PAGE = "/elections/2026-ct-general"
# the status indicator's states, recorded as they happen (a reconnect lasts about a second)
RECORD_STATES = """
window.__states = [];
new MutationObserver(() => window.__states.push(document.getElementById('live-status').dataset.state))
  .observe(document.getElementById('live-status'), {attributes: true});
window.__sameDocument = true;
"""


def _race(page: Page, title: str) -> Locator:
    return page.locator("article.race", has=page.locator("h3.race-title", has_text=title))


async def test_changes_arrive_live_and_a_dropped_stream_resumes(
    app: Litestar, live: str, page: Page, scenario: Scenario
) -> None:
    await scenario.ingest(1)
    await page.goto(live + PAGE)
    status = page.locator("#live-status")
    await expect(status).to_have_text("Live")
    await page.evaluate(RECORD_STATES)
    governor = _race(page, "Governor")
    await expect(governor.locator("[data-outcome]")).to_have_text("Too close / counting")

    await scenario.ingest(2)  # the real pipeline, over HTTP, commits and NOTIFYs
    await expect(governor.locator("[data-outcome]")).to_have_text("Won", timeout=2000)
    await expect(page.locator('[data-count="won"]')).to_have_text("2", timeout=2000)
    await expect(page.locator("[data-rate]")).to_have_text("2 of 3 (67%)", timeout=2000)
    assert await page.evaluate("window.__sameDocument") is True  # patched, not reloaded

    # the stream drops and cannot come back until a change has happened meanwhile
    await page.route("**/events*", lambda route: route.abort())
    hub = app.state.night
    hub.loop.call_soon_threadsafe(hub.drop_all)
    await expect(status).to_have_text("Reconnecting…")
    await scenario.ingest(3)  # the canvass: Delgado 1,165 -> 1,170
    votes = governor.locator("tr.endorsed td[data-votes]")
    await expect(votes).to_have_text("1,165")  # nothing can reach the page yet
    resumed: list[Request] = []  # (an intercepted request does not show Last-Event-ID)
    page.on("request", lambda r: resumed.append(r) if "/events" in r.url else None)
    await page.unroute("**/events*")
    await expect(votes).to_have_text("1,170", timeout=5000)
    await expect(status).to_have_text("Live")
    headers = await resumed[0].all_headers()
    assert int(headers["last-event-id"]) >= 2  # the browser said where it was
    assert "reconnecting" in await page.evaluate("window.__states")
    assert await page.evaluate("window.__sameDocument") is True


async def test_without_a_stream_the_page_polls(live: str, page: Page, scenario: Scenario) -> None:
    await scenario.ingest(1)
    release = asyncio.Event()

    async def refuse(route: Route) -> None:  # a proxy that will not pass event streams
        await release.wait()
        await route.fulfill(status=503, body="no streams here")

    await page.route("**/events*", refuse)
    await page.goto(live + PAGE)
    await page.evaluate("document.querySelector('[data-night]').dataset.poll = '300'")
    release.set()
    await expect(page.locator("#live-status")).to_contain_text("checking every 0.3 s")
    await scenario.ingest(2)
    governor = _race(page, "Governor")
    await expect(governor.locator("[data-outcome]")).to_have_text("Won", timeout=3000)
    await expect(page.locator('[data-count="won"]')).to_have_text("2")


async def _headlines(conn: asyncpg.Connection, wanted: int) -> list[tuple[int, ...]]:
    """The recorded headline points, once the app's listener has kept `wanted` of them."""
    for _ in range(100):
        rows = await conn.fetch(
            "select won, lost, pending, not_reporting from night_headlines order by seq"
        )
        if len(rows) >= wanted:
            return [tuple(r) for r in rows]
        await asyncio.sleep(0.1)
    raise AssertionError(f"only {len(rows)} headline points recorded")


async def test_the_night_reads_on_desktop_and_phone(
    browser: Browser, live: str, page: Page, scenario: Scenario
) -> None:
    # the running app keeps the headline after each ingest, whoever is watching
    recorded = []
    for version in (1, 2, 3):
        await scenario.ingest(version)
        recorded = await _headlines(scenario.conn, version)
    assert recorded == [(0, 0, 3, 0), (2, 1, 0, 0), (2, 1, 0, 0)]
    await page.goto(live + PAGE)
    await expect(page.locator(".chart-rate svg polyline")).to_have_count(1)
    await expect(page.locator("#live-status")).to_have_text("Live")
    await shoot(page, "night-desktop")
    context = await browser.new_context(viewport={"width": 375, "height": 812})
    try:
        phone = await context.new_page()
        await phone.goto(live + PAGE)
        await expect(phone.locator("#live-status")).to_have_text("Live")
        widths = await phone.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1] == 375, widths
        await shoot(phone, "night-phone")
        await phone.goto(live + PAGE + "?view=projector")
        assert await phone.evaluate("document.documentElement.classList.contains('projector')")
    finally:
        await context.close()


async def test_public_figure_keeps_its_frozen_numbers_without_javascript(
    browser: Browser, live: str, scenario: Scenario, auth: dict[str, dict[str, str]]
) -> None:
    await scenario.ingest(2)
    async with httpx.AsyncClient(base_url=live) as http:
        published = await http.post(
            "/api/v1/elections/2026-ct-general/figures",
            json={"stage": "general", "note": "Press release, Nov 4"},
            headers=auth["editor"],
        )
        assert published.status_code == 201, published.text
        figure = published.json()["id"]
        await scenario.ingest(3)  # the live numbers move on: Delgado 1,170
        live_csv = (
            await http.get(f"{PAGE.replace('/elections', '/api/v1/elections')}/races?format=csv")
        ).text
        assert "1170" in live_csv
        frozen_csv = await http.get(f"/figures/{figure}/races.csv")
        assert frozen_csv.status_code == 200 and "1165" in frozen_csv.text
        assert "1170" not in frozen_csv.text
    context = await browser.new_context(
        java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    try:
        reader = await context.new_page()
        await reader.goto(f"{live}/figures/{figure}")
        body = reader.locator("main")
        await expect(body).to_contain_text(
            "Of the 3 candidates we endorsed in the 2026 general election, 2 won (67%)."
        )
        await expect(body).to_contain_text("1,165")
        await expect(body).not_to_contain_text("1,170")
        await expect(body).to_contain_text("won by 75 votes")
        await expect(body).to_contain_text("Press release, Nov 4")
        assert await reader.locator('meta[property="og:description"]').get_attribute("content")
        await shoot(reader, "figure-public")
    finally:
        await context.close()
