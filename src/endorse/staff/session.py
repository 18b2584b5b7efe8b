"""The staff pages' side of a session: the guard every staff page uses, flash messages, and
the page renderer. Who a cookie names is looked up in endorse.auth.sessions.

Use in a page module:
    guards=[requires_staff("editor")]      signed out -> 303 to /staff/sign-in?next=...;
                                           role too low -> 403
    staff: Staff                            the person (StaffUser); staff.actor is "staff:NAME"
    principal: Authed                       also works: the same person as a Principal
    staff_page(staff, "staff/x.html", **context)   a Template with the layout's needs filled in
    await flash(conn, staff, "Saved.")     a message shown on the next page
"""

from __future__ import annotations

from typing import Any

import asyncpg
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.exceptions import PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.response import Template

from endorse.auth.guards import Guard
from endorse.auth.sessions import StaffUser, current_staff
from endorse.auth.tokens import Role
from endorse.db.queries import load

q = load("staff")

__all__ = ["SignInRequired", "Staff", "StaffUser", "flash", "requires_staff", "staff_page"]


Staff = NamedDependency[StaffUser]


class SignInRequired(Exception):
    """No live session: a page answers with the sign-in page (endorse.staff.routes)."""

    def __init__(self, next_path: str) -> None:
        super().__init__("sign in to see this page")
        self.next_path = next_path


async def flash(conn: asyncpg.Connection, staff: StaffUser, message: str) -> None:
    """Leave a message for the next page this person sees (after a redirect)."""
    await conn.execute(*q.set_flash(id=staff.session_id, flash=message[:500]))


def requires_staff(role: Role = "viewer") -> Guard:
    """Guard: a signed-in, enabled account with at least `role`."""

    async def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        staff = await current_staff(connection)
        if staff is None:
            path = connection.url.path
            if connection.url.query:
                path += "?" + connection.url.query
            raise SignInRequired(path)
        if not staff.can(role):
            raise PermissionDeniedException(f"this needs the {role} role; you are {staff.role}")
        connection.state.staff = staff
        connection.state.principal = staff.principal()

    guard.__name__ = f"requires_staff_{role}"
    return guard


async def provide_staff(request: ASGIConnection) -> StaffUser:
    staff = getattr(request.state, "staff", None)
    if staff is None:  # a handler asked for staff without a requires_staff guard
        raise SignInRequired(request.url.path)
    return staff


def staff_page(staff: StaffUser | None, template: str, **context: Any) -> Template:
    """A staff page: the layout reads `staff` (name, role, flash) and `csrf_token`."""
    context.setdefault("csrf_token", staff.csrf if staff is not None else "")
    return Template(template_name=template, context={"staff": staff, **context})
