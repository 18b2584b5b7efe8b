"""Sign-in, sign-out and the workspace home: /staff, /staff/sign-in, /staff/sign-out.

A failed sign-in says only "wrong name or password" (which one is not told); repeated failures
are slowed down by endorse.users.throttle before the password is even checked.
"""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, QueryParameter
from litestar.response import Redirect, Response, Template

from endorse.auth.guards import peer_address
from endorse.auth.sessions import (
    COOKIE,
    LIFETIME,
    create_session,
    current_staff,
    is_https,
    revoke_session,
)
from endorse.deps import TEXT_NO_NUL, Conn
from endorse.staff import csrf
from endorse.staff.session import Staff, requires_staff, staff_page
from endorse.users import passwords, throttle
from endorse.users.service import q as users_q


class SignInForm(msgspec.Struct, kw_only=True):
    name: str = ""
    password: str = ""
    next: str = "/staff"


Form = Annotated[SignInForm, Body(media_type=RequestEncodingType.URL_ENCODED)]


def safe_next(path: str | None) -> str:
    """Only a path inside the workspace: never another site (//evil.example, /\\evil)."""
    if not path or not path.startswith("/staff") or path.startswith(("//", "/\\")):
        return "/staff"
    return path if "\\" not in path and "\n" not in path else "/staff"


def _peer(request: Request) -> str:
    return peer_address(request)  # ENDORSE_TRUSTED_PROXIES decides if X-Forwarded-For counts


def _form(
    request: Request, *, next_path: str, name: str = "", error: str | None = None, status: int = 200
) -> Template:
    token = request.cookies.get(csrf.PRE_COOKIE) or csrf.new_pre_token()
    page = staff_page(
        None,
        "staff/sign_in.html",
        csrf_token=token,
        next_path=safe_next(next_path),
        name=name,
        error_message=error,
        signed_out=request.query_params.get("signed_out") == "1",
    )
    page.status_code = status
    page.cookies.append(
        csrf.pre_cookie(token, secure=is_https(request))
    )  # refreshed on every form, so a long-open tab stays valid
    return page


class SignInPages(Controller):
    path = "/staff"
    include_in_schema = False

    @get("/", guards=[requires_staff("viewer")])
    async def home(self, staff: Staff) -> Template:
        return staff_page(staff, "staff/home.html", active="home")

    @get("/sign-in")
    async def sign_in_form(
        self,
        request: Request,
        next: Annotated[str, QueryParameter(max_length=2000, pattern=TEXT_NO_NUL)] = "/staff",
    ) -> Response:
        if await current_staff(request) is not None:
            return Redirect(safe_next(next), status_code=303)
        return _form(request, next_path=next)

    @post("/sign-in", status_code=303)
    async def sign_in(self, request: Request, conn: Conn, data: Form) -> Response:
        peer = _peer(request)
        wait = await throttle.retry_after(conn, data.name, peer)
        if wait:
            page = _form(
                request,
                next_path=data.next,
                name=data.name,
                error=f"Too many failed sign-ins. Try again in {wait} seconds.",
                status=429,
            )
            page.headers["Retry-After"] = str(wait)
            return page
        row = await conn.fetchrow(*users_q.user_by_name(name=" ".join(data.name.split())))
        usable = row is not None and row["disabled_at"] is None
        ok, rehash = await passwords.verify_password(
            row["password_hash"] if usable else None, data.password
        )
        if not ok:
            await throttle.failed(conn, data.name, peer)
            return _form(
                request,
                next_path=data.next,
                name=data.name,
                error="Wrong name or password.",
                status=401,
            )
        async with conn.transaction():
            if rehash:
                hashed = await passwords.hash_password(data.password)
                await conn.execute(*users_q.set_password_hash(id=row["id"], password_hash=hashed))
            await throttle.succeeded(conn, data.name)
            value = await create_session(conn, row["id"], peer)
        response = Redirect(safe_next(data.next), status_code=303)
        response.set_cookie(
            COOKIE,
            value,
            max_age=int(LIFETIME.total_seconds()),
            httponly=True,
            samesite="lax",
            secure=is_https(request),
        )
        return response

    @post("/sign-out", status_code=303)
    async def sign_out(self, request: Request, conn: Conn) -> Response:
        staff = await current_staff(request)
        if staff is not None:
            await revoke_session(conn, staff.session_id)
        response = Redirect("/staff/sign-in?signed_out=1", status_code=303)
        response.delete_cookie(COOKIE)
        return response


ROUTES = [SignInPages]
