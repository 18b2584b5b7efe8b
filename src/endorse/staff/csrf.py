"""CSRF protection for every /staff route: a POST without the right token is a 403.

Signed in, the token is derived from the session cookie (endorse.auth.sessions.csrf_for); before
sign-in it is a random value in its own cookie that the sign-in form repeats (double submit).
A form sends it as the `_csrf` field (`{% include "staff/_csrf.html" %}`), htmx as the X-CSRF-Token header (staff-csrf.js adds it
from the page's meta tag). The bearer-token API is not under /staff and is unaffected: a
script's request carries no cookie a forged page could ride on.
"""

from __future__ import annotations

import hmac
import secrets

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.exceptions import PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from endorse.auth.sessions import current_staff

FIELD = "_csrf"
HEADER = "x-csrf-token"
PRE_COOKIE = "endorse_csrf"  # before sign-in only
_SAFE = {"GET", "HEAD", "OPTIONS"}
LIFETIME_SECONDS = 24 * 3600


def new_pre_token() -> str:
    return secrets.token_urlsafe(32)


async def _sent(connection: ASGIConnection) -> str:
    header = connection.headers.get(HEADER)
    if header:
        return header
    if isinstance(connection, Request):
        content_type = connection.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            value = (await connection.form()).get(FIELD)
            return value if isinstance(value, str) else ""
    return ""


async def csrf_guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
    """Router guard: unsafe methods must echo this browser's token."""
    if connection.scope.get("method", "GET") in _SAFE:
        return
    sent = await _sent(connection)
    staff = await current_staff(connection)
    expected = [staff.csrf] if staff is not None else []
    pre = connection.cookies.get(PRE_COOKIE)
    if pre:
        expected.append(pre)
    if not sent or not any(hmac.compare_digest(sent, e) for e in expected):
        raise PermissionDeniedException(
            "CSRF token missing or wrong: reload the page and submit the form again"
        )


def pre_cookie(token: str, *, secure: bool) -> Cookie:
    """The sign-in form's token cookie (HttpOnly: the form carries the value itself)."""
    return Cookie(
        key=PRE_COOKIE,
        value=token,
        max_age=LIFETIME_SECONDS,
        httponly=True,
        samesite="lax",
        secure=secure,
        path="/staff",
    )
