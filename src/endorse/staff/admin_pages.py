"""/staff/admin: accounts, endorsing bodies and API tokens (admin only), over the same services
as `endorse users|tokens` and /api/v1/bodies|admin/tokens; every change audited with the person.

A new token is shown once, on the answer to the form that created it, and never stored in a
flash message (those live in the database).
"""

from __future__ import annotations

from typing import Any, get_args

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from endorse.admin import bodies, tokens
from endorse.admin.schemas import BodyCreate, BodyKind, BodyUpdate, TokenCreate
from endorse.auth.tokens import ROLES
from endorse.deps import Conn
from endorse.errors import DomainError
from endorse.http_errors import status_of
from endorse.staff.session import Staff, StaffUser, flash, requires_staff, staff_page
from endorse.users import service as users

KINDS = get_args(BodyKind)
_ROLES = [(r, r) for r in ROLES]


def _field_of(message: str, default: str) -> dict[str, str]:
    field, sep, rest = message.partition(": ")
    return {field: rest} if sep and field.isidentifier() else {default: message}


async def _page(
    conn: Conn,
    staff: StaffUser,
    section: str,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
    **extra: Any,
) -> Template:
    context: dict[str, Any] = {"section": section, "errors": errors or {}, "values": values or {}}
    if section == "accounts":
        context.update(accounts=await users.list_users(conn), roles=ROLES, role_options=_ROLES)
    elif section == "bodies":
        kinds = [(k, k.replace("_", " ")) for k in KINDS]
        context.update(bodies=await bodies.list_bodies(conn), kinds=KINDS, kind_options=kinds)
    elif section == "tokens":
        context.update(tokens=await tokens.list_tokens(conn), role_options=_ROLES)
    page = staff_page(staff, f"staff/admin_{section}.html", active="admin", **context, **extra)
    page.status_code = status
    return page


async def _refused(
    conn: Conn,
    staff: StaffUser,
    section: str,
    exc: Exception,
    values: dict[str, str],
    choice: str,
) -> Template:
    """The section's page again with the form as typed and the error beside its field: a
    msgspec error names `choice` (the one field with a fixed set of values) or the name; a
    domain error names its field in its message ("name: taken")."""
    if isinstance(exc, msgspec.ValidationError):
        field = choice if choice in str(exc) else "name"
        errors, status = {field: str(exc).split(" - at")[0]}, 400
    else:
        errors, status = _field_of(str(exc), "name"), status_of(exc)
    return await _page(conn, staff, section, errors=errors, values=values, status=status)


async def _form(request: Request, *names: str) -> dict[str, str]:
    form = await request.form()
    return {n: v if isinstance(v := form.get(n, ""), str) else "" for n in names}


class AdminPages(Controller):
    path = "/staff/admin"
    guards = [requires_staff("admin")]
    include_in_schema = False

    @get("/")
    async def index(self) -> Redirect:
        return Redirect("/staff/admin/accounts", status_code=303)

    # --- accounts ---------------------------------------------------------------------------

    @get("/accounts")
    async def accounts(self, conn: Conn, staff: Staff) -> Template:
        return await _page(conn, staff, "accounts")

    @post("/accounts", status_code=303)
    async def create_account(self, conn: Conn, staff: Staff, request: Request) -> Response:
        values = await _form(request, "name", "role", "password")
        try:
            await users.create_user(
                conn,
                name=values["name"],
                role=values["role"],
                password=values["password"],
                actor=staff.actor,
            )
        except DomainError as exc:
            values["password"] = ""  # never echoed back into the page
            return await _refused(conn, staff, "accounts", exc, values, "role")
        await flash(conn, staff, f"Account {values['name']!r} created ({values['role']}).")
        return Redirect("/staff/admin/accounts", status_code=303)

    @post("/accounts/change", status_code=303)
    async def change_account(self, conn: Conn, staff: Staff, request: Request) -> Response:
        values = await _form(request, "name", "action", "role")
        if values["name"].lower() == staff.name.lower() and values["action"] != "enable":
            # an admin locking themselves out would leave nobody to undo it from the browser
            await flash(conn, staff, "You cannot disable yourself or change your own role.")
            return Redirect("/staff/admin/accounts", status_code=303)
        try:
            if values["action"] == "role":
                await users.set_role(conn, values["name"], values["role"], actor=staff.actor)
                message = f"{values['name']} is now {values['role']}."
            else:
                disabled = values["action"] == "disable"
                await users.set_disabled(conn, values["name"], disabled=disabled, actor=staff.actor)
                message = f"{values['name']} is {'disabled' if disabled else 'enabled'}."
        except DomainError as exc:
            message = f"Not changed: {exc}"
        await flash(conn, staff, message)
        return Redirect("/staff/admin/accounts", status_code=303)

    # --- endorsing bodies -------------------------------------------------------------------

    @get("/bodies")
    async def bodies_page(self, conn: Conn, staff: Staff) -> Template:
        return await _page(conn, staff, "bodies")

    @post("/bodies", status_code=303)
    async def create_body(self, conn: Conn, staff: Staff, request: Request) -> Response:
        values = await _form(request, "name", "kind", "parent")
        try:
            data = msgspec.convert(
                {
                    "name": values["name"].strip(),
                    "kind": values["kind"],
                    "parent": values["parent"].strip() or None,
                },
                BodyCreate,
            )
            await bodies.create_body(conn, data, actor=staff.actor)
        except (msgspec.ValidationError, DomainError) as exc:
            return await _refused(conn, staff, "bodies", exc, values, "kind")
        await flash(conn, staff, f"Body {values['name'].strip()!r} added.")
        return Redirect("/staff/admin/bodies", status_code=303)

    @post("/bodies/{body_id:int}", status_code=303)
    async def update_body(
        self, conn: Conn, staff: Staff, request: Request, body_id: FromPath[int]
    ) -> Response:
        values = await _form(request, "parent", "kind")
        try:
            data = msgspec.convert(
                {"parent": values["parent"].strip() or None, "kind": values["kind"]}, BodyUpdate
            )
            body = await bodies.update_body(conn, body_id, data, actor=staff.actor)
            message = f"{body.name}: saved."
        except (msgspec.ValidationError, DomainError) as exc:
            message = f"Not changed: {exc}"
        await flash(conn, staff, message)
        return Redirect("/staff/admin/bodies", status_code=303)

    # --- API tokens -------------------------------------------------------------------------

    @get("/tokens")
    async def tokens_page(self, conn: Conn, staff: Staff) -> Template:
        return await _page(conn, staff, "tokens")

    @post("/tokens", status_code=200)
    async def create_token(self, conn: Conn, staff: Staff, request: Request) -> Template:
        values = await _form(request, "name", "role")
        try:
            data = msgspec.convert({"name": values["name"], "role": values["role"]}, TokenCreate)
            created = await tokens.create(conn, data, actor=staff.actor)
        except (msgspec.ValidationError, DomainError) as exc:
            return await _refused(conn, staff, "tokens", exc, values, "role")
        page = await _page(conn, staff, "tokens", created=created)
        page.headers["Cache-Control"] = "no-store"  # the secret must not linger in a cache
        return page

    @post("/tokens/revoke", status_code=303)
    async def revoke_token(self, conn: Conn, staff: Staff, request: Request) -> Response:
        values = await _form(request, "name")
        try:
            await tokens.revoke(conn, values["name"], actor=staff.actor)
            message = f"Token {values['name']!r} revoked."
        except DomainError as exc:
            message = f"Not revoked: {exc}"
        await flash(conn, staff, message)
        return Redirect("/staff/admin/tokens", status_code=303)


ROUTES = [AdminPages]
