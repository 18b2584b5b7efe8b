"""Every staff page fits a phone: staff fix an endorsement or call a race from the floor on
election night, so no page may be wider than a 375 px screen (wide tables scroll inside their
own box, the page does not). The night: tests/figures/conftest.py decision_night."""

from __future__ import annotations

import asyncpg
import pytest
from playwright.async_api import Browser, expect

from endorse.users.service import create_user
from tests.conftest import shoot
from tests.figures.conftest import Ballot
from tests.staff.helpers import PASSWORD

PHONE = {"width": 375, "height": 812}


@pytest.fixture
async def admin(conn: asyncpg.Connection) -> str:
    await create_user(conn, name="Ada Admin", role="admin", password=PASSWORD, actor="test")
    return "Ada Admin"


async def test_every_staff_page_fits_a_phone(
    live: str, browser: Browser, ballot: Ballot, decision_night: dict[str, int], admin: str
) -> None:
    context = await browser.new_context(viewport=PHONE)
    try:
        page = await context.new_page()
        await page.goto(live + "/staff/sign-in")
        await page.get_by_label("Name").fill(admin)
        await page.get_by_label("Password").fill(PASSWORD)
        await page.get_by_role("button", name="Sign in").click()
        await page.wait_for_url(live + "/staff")
        pages = {
            "home": "/staff",
            "endorsements": "/staff/endorsements",
            "import": "/staff/import",
            "review": "/staff/review",
            "sources": "/staff/sources",
            "races": f"/staff/races?election={ballot.slug}&stage=general",
            "race": f"/staff/races/{decision_night['sd13']}",
            "figures": "/staff/figures",
            "admin": "/staff/admin/accounts",
        }
        too_wide = {}
        for name, path in pages.items():
            res = await page.goto(live + path)
            assert res is not None and res.status == 200, (path, res and res.status)
            await expect(page.locator("main h1").first).to_be_visible()
            scroll, client = await page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            if scroll > client:
                too_wide[path] = scroll
            if name == "race":
                await shoot(page, "staff-race-phone")
        assert too_wide == {}, f"wider than the {PHONE['width']} px screen: {too_wide}"
    finally:
        await context.close()
