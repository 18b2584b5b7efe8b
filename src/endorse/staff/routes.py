"""The /staff router: every page module's routes behind the CSRF check, signed-out -> sign-in.

A module named `endorse.staff.<area>_pages` (or in _MODULES) that exposes `ROUTES` is included
here by name, so a new page area is a new file and no edit to this one. Errors on staff pages are
answered as pages (a 403 explains itself), not as the API's JSON.
"""

from __future__ import annotations

import importlib
from urllib.parse import quote

from litestar import Request, Router
from litestar.di import Provide
from litestar.exceptions import HTTPException
from litestar.response import Redirect, Response, Template

from endorse.errors import DomainError
from endorse.http_errors import status_of
from endorse.staff.csrf import csrf_guard
from endorse.staff.session import SignInRequired, provide_staff, staff_page

_MODULES = (
    "endorse.staff.auth",
    "endorse.staff.endorsement_pages",
    "endorse.staff.admin_pages",
    "endorse.staff.import_pages",
    "endorse.staff.review_pages",
    "endorse.staff.sources_pages",
    "endorse.staff.figures_pages",
    "endorse.staff.race_pages",
)


def _handlers() -> list[object]:
    found: list[object] = []
    for name in _MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        found.extend(getattr(module, "ROUTES", []) or [])
    return found


def _sign_in(request: Request, exc: SignInRequired) -> Response:
    target = "/staff/sign-in?next=" + quote(exc.next_path, safe="/")
    if request.headers.get("hx-request") == "true":
        # htmx would swap a redirected sign-in page into a fragment; make it load the page
        return Response(b"", status_code=200, headers={"HX-Redirect": target})
    return Redirect(target, status_code=303)


def _error_page(request: Request, status: int, detail: str) -> Response:
    # exception handlers are synchronous: use the person only if the guards already found them
    staff = request.scope.get("endorse_staff")
    titles = {403: "Not allowed", 404: "Not found", 429: "Too many requests"}
    page: Template = staff_page(
        staff,
        "staff/error.html",
        status=status,
        title=titles.get(status, "That did not work"),
        detail=detail,
    )
    page.status_code = status
    return page


def _http_error(request: Request, exc: HTTPException) -> Response:
    return _error_page(request, exc.status_code, str(exc.detail))


def _domain_error(request: Request, exc: DomainError) -> Response:
    return _error_page(request, status_of(exc), str(exc))


def staff_router() -> Router:
    from endorse.staff.auth import SignInPages

    handlers = _handlers()
    if SignInPages not in handlers:
        handlers.insert(0, SignInPages)
    return Router(
        path="/",
        route_handlers=handlers,
        guards=[csrf_guard],
        dependencies={"staff": Provide(provide_staff)},
        exception_handlers={
            SignInRequired: _sign_in,
            HTTPException: _http_error,
            DomainError: _domain_error,
        },
        include_in_schema=False,
    )
