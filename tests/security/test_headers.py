"""Security headers on every HTML page the app serves (issue 14, item 8).

Every GET route outside the API, /static and the Swagger UI is requested with its path
parameters filled from a small real ballot, signed in as an admin, and every HTML answer must
carry the CSP (no inline script), frame denial, nosniff and the referrer policy.
"""

from __future__ import annotations

import re

import asyncpg
from litestar import Litestar
from litestar.testing import AsyncTestClient

from endorse.elections.visibility import set_visibility
from endorse.figures.published import publish
from endorse.web.headers import CSP
from tests.staff import pages_data
from tests.staff.helpers import sign_in

SKIP = ("/api/", "/static", "/schema", "/health")
STREAMS = ("/events",)  # Server-Sent Events never end; they are not pages


def html_get_paths(app: Litestar) -> list[str]:
    paths = []
    for route in app.routes:
        methods = {m for h in getattr(route, "route_handlers", []) for m in h.http_methods}
        if (
            "GET" in methods
            and not route.path.startswith(SKIP)
            and not route.path.endswith(STREAMS)
        ):
            paths.append(route.path)
    return sorted(set(paths))


async def test_every_html_page_carries_the_security_headers(
    app: Litestar,
    client: AsyncTestClient[Litestar],
    conn: asyncpg.Connection,
    staff_users: dict[str, str],
) -> None:
    ids = await pages_data.ballot(conn)
    await set_visibility(conn, pages_data.SLUG, "general", "public", actor="test")
    figure = await publish(conn, pages_data.SLUG, "general", actor="test")
    await sign_in(client, staff_users["admin"])
    values = {
        "slug": pages_data.SLUG,
        "endorsement_id": str(ids["John Smyth"]),
        "figure_id": str(figure.id),
        "checked_id": "0" * 32,
        "stage": "general",
        "contest_id": str(await conn.fetchval("select min(id) from contests")),
    }
    answered: dict[str, int] = {}
    for template in html_get_paths(app):
        path = re.sub(r"\{(\w+):\w+\}", lambda m: values[m.group(1)], template)
        page = await client.get(path, params={"election": pages_data.SLUG})
        answered[path] = page.status_code
        if not page.headers.get("content-type", "").startswith("text/html"):
            continue
        assert page.headers["content-security-policy"] == CSP, path
        assert page.headers["x-frame-options"] == "DENY", path
        assert page.headers["x-content-type-options"] == "nosniff", path
        assert page.headers["referrer-policy"] == "same-origin", path
        assert "<script>" not in page.text and "onclick=" not in page.text, path
    pages = {p for p, status in answered.items() if status == 200}
    # the night page, its live parts, the figure page and every staff area really rendered
    for expected in ("/", f"/elections/{pages_data.SLUG}", f"/figures/{figure.id}",
                     "/staff", "/staff/endorsements", "/staff/review", "/staff/sources",
                     "/staff/figures", "/staff/import", "/staff/admin"):  # fmt: skip
        assert expected in pages, answered
    assert "'unsafe-inline'" not in CSP and "frame-ancestors 'none'" in CSP
