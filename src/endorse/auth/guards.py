"""Litestar guards: `Authorization: Bearer <token>` and a minimum role.

401 when the token is missing or unknown, 403 when its role is too low. The principal is kept
on the connection state so handlers can name the actor in the audit log.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from endorse.auth.tokens import Principal, Role, authenticate

Guard = Callable[[ASGIConnection, BaseRouteHandler], Awaitable[None]]


def _bearer(connection: ASGIConnection) -> str | None:
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def requires(role: Role) -> Guard:
    async def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        token = _bearer(connection)
        if token is None:
            raise NotAuthorizedException("missing bearer token (Authorization: Bearer <token>)")
        principal = await authenticate(connection.app.state.pool, token)
        if principal is None:
            raise NotAuthorizedException("unknown or revoked token")
        if not principal.can(role):
            raise PermissionDeniedException(
                f"this needs the {role} role; token has {principal.role}"
            )
        connection.state.principal = principal

    guard.__name__ = f"requires_{role}"
    return guard


async def provide_principal(request: ASGIConnection) -> Principal:
    """Dependency for guarded handlers: the authenticated principal."""
    principal = getattr(request.state, "principal", None)
    if principal is None:
        raise NotAuthorizedException("missing bearer token (Authorization: Bearer <token>)")
    return principal
