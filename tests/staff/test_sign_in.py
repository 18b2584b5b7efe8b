"""Sign-in, the session cookie, sign-out, CSRF and the slow-down of password guessing."""

from __future__ import annotations

import asyncpg
from litestar import Litestar
from litestar.testing import AsyncTestClient

from endorse.auth.sessions import COOKIE
from endorse.users.service import set_disabled
from tests.staff.helpers import PASSWORD, csrf_of, sign_in


async def test_signed_out_browser_is_sent_to_the_sign_in_page(
    client: AsyncTestClient[Litestar],
) -> None:
    answer = await client.get("/staff", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/staff/sign-in?next=/staff")
    form = await client.get(answer.headers["location"])
    assert '<label for="f-name">Name</label>' in form.text
    assert '<label for="f-password">Password</label>' in form.text
    assert ">Sign in</button>" in form.text


async def test_session_cookie_flags_and_sign_out_revokes_it(
    client: AsyncTestClient[Litestar], staff_users: dict[str, str]
) -> None:
    form = await client.get("/staff/sign-in")
    answer = await client.post(
        "/staff/sign-in",
        data={"name": "erin editor", "password": PASSWORD, "_csrf": csrf_of(form.text)},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith(COOKIE))
    flags = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"httponly", "max-age", "path"} <= flags
    assert "samesite=lax" in cookie.lower()
    assert "secure" not in flags  # plain http here; see the https test
    value = cookie.split(";")[0].split("=", 1)[1]

    home = await client.get("/staff")
    assert "Erin Editor" in home.text
    out = await client.post(
        "/staff/sign-out", data={"_csrf": csrf_of(home.text)}, follow_redirects=False
    )
    assert out.status_code == 303
    # the old cookie value is dead on the server, not just forgotten by this browser
    client.cookies.set(COOKIE, value)
    again = await client.get("/staff", follow_redirects=False)
    assert again.status_code == 303


async def test_cookie_is_secure_over_https(app: Litestar, staff_users: dict[str, str]) -> None:
    async with AsyncTestClient(app=app, base_url="https://testserver.local") as client:
        form = await client.get("/staff/sign-in")
        answer = await client.post(
            "/staff/sign-in",
            data={"name": "Erin Editor", "password": PASSWORD, "_csrf": csrf_of(form.text)},
            follow_redirects=False,
        )
        cookie = next(c for c in answer.headers.get_list("set-cookie") if c.startswith(COOKIE))
        assert "secure" in cookie.lower()


async def test_missing_or_forged_csrf_token_is_refused(
    client: AsyncTestClient[Litestar], staff_users: dict[str, str]
) -> None:
    await client.get("/staff/sign-in")
    missing = await client.post(
        "/staff/sign-in", data={"name": "Erin Editor", "password": PASSWORD}
    )
    assert missing.status_code == 403
    forged = await client.post(
        "/staff/sign-in", data={"name": "Erin Editor", "password": PASSWORD, "_csrf": "x" * 43}
    )
    assert forged.status_code == 403
    token = await sign_in(client, "Erin Editor")
    assert (await client.post("/staff/sign-out", data={"_csrf": "nope"})).status_code == 403
    still = await client.get("/staff", follow_redirects=False)
    assert still.status_code == 200  # the refused sign-out did nothing
    header = await client.post(
        "/staff/sign-out", headers={"X-CSRF-Token": token}, follow_redirects=False
    )
    assert header.status_code == 303  # htmx sends the token as a header


async def test_bearer_api_writes_need_no_csrf_token(
    client: AsyncTestClient[Litestar], auth: dict[str, dict[str, str]]
) -> None:
    answer = await client.post(
        "/api/v1/bodies", json={"name": "AFT Connecticut"}, headers=auth["admin"]
    )
    assert answer.status_code == 201, answer.text


async def test_wrong_password_five_times_locks_the_account_for_a_while(
    client: AsyncTestClient[Litestar], staff_users: dict[str, str]
) -> None:
    form = await client.get("/staff/sign-in")
    token = csrf_of(form.text)
    statuses = []
    for _ in range(5):
        answer = await client.post(
            "/staff/sign-in", data={"name": "Erin Editor", "password": "guess", "_csrf": token}
        )
        statuses.append(answer.status_code)
    assert statuses == [401] * 5
    assert "Wrong name or password." in answer.text
    # now even the right password waits: the guesser learns nothing more for a while
    right = await client.post(
        "/staff/sign-in", data={"name": "Erin Editor", "password": PASSWORD, "_csrf": token}
    )
    assert right.status_code == 429
    assert "Too many failed sign-ins" in right.text and int(right.headers["retry-after"]) > 0
    # another account from the same address is not locked by these five
    other = await client.post(
        "/staff/sign-in",
        data={"name": "Vic Viewer", "password": PASSWORD, "_csrf": token},
        follow_redirects=False,
    )
    assert other.status_code == 303


async def test_disabling_an_account_ends_its_sessions(
    client: AsyncTestClient[Litestar], conn: asyncpg.Connection, staff_users: dict[str, str]
) -> None:
    await sign_in(client, "Vic Viewer")
    await set_disabled(conn, "Vic Viewer", actor="test")
    answer = await client.get("/staff", follow_redirects=False)
    assert answer.status_code == 303
    form = await client.get("/staff/sign-in")
    again = await client.post(
        "/staff/sign-in",
        data={"name": "Vic Viewer", "password": PASSWORD, "_csrf": csrf_of(form.text)},
    )
    assert again.status_code == 401


async def test_sign_in_never_redirects_off_site(
    client: AsyncTestClient[Litestar], staff_users: dict[str, str]
) -> None:
    form = await client.get("/staff/sign-in")
    answer = await client.post(
        "/staff/sign-in",
        data={
            "name": "Erin Editor",
            "password": PASSWORD,
            "next": "//evil.example/staff",
            "_csrf": csrf_of(form.text),
        },
        follow_redirects=False,
    )
    assert answer.headers["location"] == "/staff"
