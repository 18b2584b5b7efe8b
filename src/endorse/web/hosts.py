"""Answer only to the host names in ENDORSE_ALLOWED_HOSTS (issue 14, item 8).

A request whose Host header names another host gets a 400 before any handler runs: a page
served under a name we do not own (DNS rebinding, a poisoned cache, links built from Host)
cannot reach the service. Litestar's AllowedHostsConfig would do this, but since 2.22 it
compares the header with its port still attached (litestar-org/litestar#4869), so
"localhost" never matches "localhost:8000"; this checks the host alone.
"""

from __future__ import annotations

from collections.abc import Callable

from litestar.datastructures import Headers
from litestar.response.base import ASGIResponse
from litestar.types import ASGIApp, Receive, Scope, Send


def host_of(header: str) -> str:
    """The host part of a Host header, lower case, without the port ("[::1]:80" -> "[::1]")."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[: header.find("]") + 1] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def host_allowed(host: str, allowed: tuple[str, ...]) -> bool:
    for pattern in allowed:
        pattern = pattern.lower()
        if pattern == "*" or host == pattern:
            return True
        if pattern.startswith("*.") and host.endswith(pattern[1:]):
            return True
    return False


def allowed_hosts(allowed: tuple[str, ...]) -> Callable[[ASGIApp], ASGIApp]:
    """A middleware checking Host against `allowed`; none at all when "*" is allowed."""

    def factory(app: ASGIApp) -> ASGIApp:
        if "*" in allowed:
            return app

        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] not in ("http", "websocket"):
                await app(scope, receive, send)
                return
            host = host_of(Headers.from_scope(scope).get("host", ""))
            if host and host_allowed(host, allowed):
                await app(scope, receive, send)
                return
            body = b'{"status_code":400,"detail":"Host: this service does not answer to that host name (ENDORSE_ALLOWED_HOSTS)"}'
            response = ASGIResponse(body=body, status_code=400, media_type="application/json")
            await response(scope, receive, send)

        return middleware

    return factory
