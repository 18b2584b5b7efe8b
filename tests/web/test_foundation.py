"""What every page shares: the vendored htmx, the stylesheet, security headers, no inline script."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from playwright.async_api import Page

from endorse.web.headers import CSP


async def test_htmx_and_stylesheet_are_served_from_the_package(
    client: AsyncTestClient[Litestar],
) -> None:
    htmx = await client.get("/static/vendor/htmx-2.0.8.min.js")
    assert htmx.status_code == 200
    assert "htmx" in htmx.text[:200]
    css = await client.get("/static/endorse.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")


async def test_html_pages_carry_security_headers(client: AsyncTestClient[Litestar]) -> None:
    page = await client.get("/")
    assert page.headers["content-security-policy"] == CSP
    assert "'unsafe-inline'" not in CSP
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "same-origin"


async def test_json_gets_nosniff_but_not_the_page_policy(client: AsyncTestClient[Litestar]) -> None:
    health = await client.get("/health")
    assert health.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in health.headers


async def test_dashboard_runs_under_the_csp_in_a_real_browser(live: str, page: Page) -> None:
    refused: list[str] = []
    page.on(
        "console", lambda msg: refused.append(msg.text) if "Content Security" in msg.text else None
    )
    await page.goto(live + "/")
    await page.wait_for_load_state("networkidle")
    assert refused == []
    assert await page.title()
