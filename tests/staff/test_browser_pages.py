"""The import and review pages in a real browser (Debian chromium), under the page CSP."""

from __future__ import annotations

import asyncpg
from playwright.async_api import Page, expect

from tests.conftest import shoot
from tests.endorsements.sample import csv_bytes, row
from tests.staff import pages_data
from tests.staff.helpers import PASSWORD

ROW = {"election": pages_data.SLUG, "endorsed_on": "2026-09-20"}


async def _sign_in(page: Page, base: str, name: str) -> list[str]:
    """Sign in through the form; returns the list CSP refusals will be collected into."""
    refused: list[str] = []
    page.on(
        "console",
        lambda m: (
            refused.append(f"{m.text} @ {m.location}") if "Content Security" in m.text else None
        ),
    )
    await page.goto(base + "/staff/sign-in")
    await page.get_by_label("Name").fill(name)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(base + "/staff")
    return refused


async def _shoot(page: Page, name: str, refused: list[str]) -> None:
    """A screenshot for docs/. Playwright styles the page to take it, which the CSP refuses
    (and htmx would copy on its next swap), so refusals are checked before it, and the page is
    loaded afresh after it (every state here has its own address)."""
    assert refused == []
    await shoot(page, name)
    await page.reload()
    refused.clear()


async def _count(conn: asyncpg.Connection) -> int:
    return await conn.fetchval("select count(*) from endorsements where deleted_at is null")


async def test_import_bad_date_then_fixed(
    live: str, page: Page, conn: asyncpg.Connection, staff_users: dict[str, str]
) -> None:
    await pages_data.election(conn)
    refused = await _sign_in(page, live, staff_users["editor"])
    first = csv_bytes(row("Ann Lee", **ROW))
    await page.goto(live + "/staff/import")
    await page.get_by_label("File").set_input_files(
        {"name": "first.csv", "mimeType": "text/csv", "buffer": first}
    )
    await page.get_by_role("button", name="Check").click()
    await page.get_by_role("button", name="Import").click()
    await expect(page.get_by_text("Imported by")).to_be_visible()
    assert await _count(conn) == 1

    rows = [row("Ann Lee", **ROW), row("Bo Chan", district="2", **ROW),
            row("Cy Diaz", district="3", **ROW | {"endorsed_on": "2026-02-30"}),
            row("Di Eng", district="4", **ROW)]  # fmt: skip
    await page.goto(live + "/staff/import")
    await page.get_by_label("File").set_input_files(
        {"name": "list.csv", "mimeType": "text/csv", "buffer": csv_bytes(*rows)}
    )
    await page.get_by_role("button", name="Check").click()
    fix = page.locator("#rows-to-fix tbody tr")
    await expect(fix).to_have_count(1)
    await expect(fix.locator("td").nth(0)).to_have_text("4")  # the spreadsheet's row 4
    await expect(fix.locator("td").nth(1)).to_have_text("endorsed_on")
    assert "/staff/import/" in page.url  # the report has its own address (htmx pushed it)
    await expect(page.get_by_role("button", name="Import")).to_have_count(0)
    await _shoot(page, "staff-import-report", refused)
    assert await _count(conn) == 1

    rows[2] = row("Cy Diaz", district="3", **ROW)
    await page.get_by_label("File").set_input_files(
        {"name": "list.csv", "mimeType": "text/csv", "buffer": csv_bytes(*rows)}
    )
    await page.get_by_role("button", name="Check").click()
    await expect(page.locator(".report-summary")).to_contain_text("3 to create")
    await page.get_by_role("button", name="Import").click()
    await expect(page.get_by_text("3 created, 0 updated, 1 unchanged")).to_be_visible()
    assert await _count(conn) == 4  # exactly the three new rows
    assert refused == []


async def test_confirm_a_review_suggestion_changes_the_figures(
    live: str, page: Page, conn: asyncpg.Connection, staff_users: dict[str, str]
) -> None:
    ids = await pages_data.ballot(conn)
    refused = await _sign_in(page, live, staff_users["editor"])
    figures = f"{live}/staff/figures?election={pages_data.SLUG}&stage=general"
    await page.goto(figures)
    await expect(page.locator("#sentence")).to_have_value(
        "We have no counted endorsements in the 2026 general election yet."
    )

    await page.goto(f"{live}/staff/review?election={pages_data.SLUG}")
    card = page.locator(".review-card").filter(has_text="John Smyth").first
    await expect(card.locator("tbody tr")).to_have_count(2)  # both candidates, side by side
    await expect(card).to_contain_text("Democratic 900 · Working Families 80")
    await _shoot(page, "staff-review-queue", refused)
    await card.get_by_role("button", name="Confirm: John Smyth is John Smith").click()
    await expect(page.get_by_text("Confirmed: John Smyth is John Smith.")).to_be_visible()
    matched = await conn.fetchrow(
        "select candidacy_id, match_method from endorsements where id = $1", ids["John Smyth"]
    )
    assert tuple(matched) == (ids["smith"], "confirmed")

    await page.goto(figures)
    await expect(page.locator("#sentence")).to_have_value(
        "Of the 1 candidate we endorsed in the 2026 general election, 1 won (100%)."
    )
    await expect(page.locator("table.races")).to_contain_text("WON")
    assert refused == []
