"""Security headers on every HTML response (issue 14, item 8).

The CSP allows only our own scripts and styles: pages keep JavaScript in /static files and wire
it with data- attributes, never inline. /schema is left alone: the Swagger UI Litestar serves
needs its own inline bootstrap script.
"""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
_FIXED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
_HTML_ONLY = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
}


def security_headers(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/schema"):
            await app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableScopeHeaders.from_message(message)
                for name, value in _FIXED.items():
                    headers.setdefault(name, value)
                if headers.get("content-type", "").startswith("text/html"):
                    for name, value in _HTML_ONLY.items():
                        headers.setdefault(name, value)
            await send(message)

        await app(scope, receive, send_with_headers)

    return middleware
