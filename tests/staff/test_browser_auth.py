"""Signing in and out in a real browser (Debian chromium), under the page CSP."""

from __future__ import annotations

from playwright.async_api import Page

from tests.conftest import shoot
from tests.staff.helpers import PASSWORD


async def browser_sign_in(page: Page, base: str, name: str, password: str = PASSWORD) -> None:
    await page.goto(base + "/staff")
    await page.get_by_label("Name").fill(name)
    await page.get_by_label("Password").fill(password)
    await page.get_by_role("button", name="Sign in").click()


async def test_sign_in_and_out(live: str, page: Page, staff_users: dict[str, str]) -> None:
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    await page.goto(live + "/staff")
    assert "/staff/sign-in" in page.url
    await shoot(page, "staff-sign-in")
    await browser_sign_in(page, live, "Ada Admin")
    await page.wait_for_url(live + "/staff")
    assert await page.get_by_text("Ada Admin").count() >= 1
    await shoot(page, "staff-home")
    await page.get_by_role("button", name="Sign out").click()
    await page.wait_for_url("**/staff/sign-in?signed_out=1")
    await page.goto(live + "/staff")
    assert "/staff/sign-in" in page.url
    assert refused == []
