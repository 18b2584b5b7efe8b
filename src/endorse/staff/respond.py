"""What the issue-11b staff pages share: the page or its htmx fragment, and the election picker.

htmx does not swap a 4xx answer, so a form answered again with its fields marked is sent with
status 200 to htmx and with its real 4xx status to a browser posting without JavaScript.
"""

from __future__ import annotations

from typing import Any

import asyncpg
from litestar import Request
from litestar.response import Template

from endorse.elections.schemas import Election
from endorse.elections.service import list_elections
from endorse.errors import DomainError
from endorse.http_errors import status_of
from endorse.staff.session import StaffUser, staff_page


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def respond(
    request: Request,
    staff: StaffUser,
    page: str,
    fragment: str,
    *,
    status: int = 200,
    push_url: str | None = None,
    **context: Any,
) -> Template:
    """The whole page, or for htmx only the fragment the page includes (same context)."""
    htmx = is_htmx(request)
    answer = staff_page(staff, fragment if htmx else page, **context)
    answer.status_code = 200 if htmx else status
    if htmx and push_url:
        answer.headers["HX-Push-Url"] = push_url
    return answer


async def pick_election(
    conn: asyncpg.Connection, slug: str | None
) -> tuple[list[Election], Election | None]:
    """All elections (newest first) and the one asked for, else the newest."""
    elections = sorted(await list_elections(conn), key=lambda e: e.election_date, reverse=True)
    chosen = next((e for e in elections if e.slug == slug), None)
    if chosen is None and not slug and elections:
        chosen = elections[0]
    return elections, chosen


def domain_error_page(request: Request, exc: DomainError) -> Template:
    """A domain error a page did not answer itself (an unknown id in the URL) as a staff page,
    with the status the API would give (endorse.http_errors), not the API's JSON."""
    status = status_of(exc)
    page = staff_page(
        request.scope.get("endorse_staff"),  # type: ignore[arg-type]
        "staff/error.html",
        status=status,
        title={404: "Not found", 409: "That changed meanwhile"}.get(status, "That did not work"),
        detail=str(exc),
    )
    page.status_code = status
    return page


PAGE_ERRORS = {DomainError: domain_error_page}
