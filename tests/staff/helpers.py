"""Signing in through the real pages, for the staff tests."""

from __future__ import annotations

import re

from litestar import Litestar
from litestar.testing import AsyncTestClient

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="_csrf" value="([^"]*)"')


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "the page has no CSRF field"
    return found.group(1)


async def sign_in(client: AsyncTestClient[Litestar], name: str, password: str = PASSWORD) -> str:
    """Sign in with the form; returns the session's CSRF token (from the next page)."""
    form = await client.get("/staff/sign-in")
    answer = await client.post(
        "/staff/sign-in",
        data={"name": name, "password": password, "_csrf": csrf_of(form.text)},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    home = await client.get("/staff")
    assert home.status_code == 200
    return csrf_of(home.text)
