"""Every 500 is logged with its traceback and never shown to the client (issue 14, item 8)."""

from __future__ import annotations

import logging

import asyncpg
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.security.conftest import SLUG


async def test_a_database_error_in_a_route_is_logged_whole_and_answered_bare(
    client: AsyncTestClient[Litestar],
    conn: asyncpg.Connection,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # A real fault under a real route: the table the election list reads is gone.
    await conn.execute("alter table elections rename to elections_mislaid")
    with caplog.at_level(logging.ERROR, logger="endorse.errors"):
        answer = await client.get("/api/v1/elections?secret=hunter2")
    assert answer.status_code == 500
    assert answer.json() == {"status_code": 500, "detail": "Internal Server Error"}
    assert "elections" not in answer.text and "Traceback" not in answer.text
    logged = [r for r in caplog.records if r.name == "endorse.errors"]
    assert len(logged) == 1
    record = logged[0]
    assert record.exc_info is not None and record.exc_info[0] is asyncpg.UndefinedTableError
    assert record.path == "/api/v1/elections" and record.method == "GET"
    assert "hunter2" not in caplog.text  # the query string stays out of the log


async def test_client_errors_are_not_logged_as_server_errors(
    client: AsyncTestClient[Litestar], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="endorse.errors"):
        assert (await client.get("/api/v1/elections/nope")).status_code == 404
        assert (await client.get("/api/v1/admin/tokens")).status_code == 401
    assert not [r for r in caplog.records if r.name == "endorse.errors"]


async def test_a_value_postgresql_cannot_hold_is_a_400_not_a_500(
    client: AsyncTestClient[Litestar],
    auth: dict[str, dict[str, str]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    # found by `make fuzz`: ids beyond bigint in paths reached asyncpg and came back as 500s
    with caplog.at_level(logging.ERROR, logger="endorse.errors"):
        for path in (
            "/api/v1/figures/716013167726470889472",
            "/api/v1/sources/32120424114201223168",
        ):
            answer = await client.get(path, headers=auth["viewer"])
            assert answer.status_code == 400, path
            assert "out of range" in answer.json()["detail"]
    assert not [r for r in caplog.records if r.name == "endorse.errors"]


@pytest.mark.parametrize(
    "mapping",
    [
        rb'{"\u0000r0": true}',  # a NUL escape in a key: jsonb cannot hold it
        rb'{"columns": {"office": "\u0000"}}',
        rb'{"q": ["\udb6d"]}',  # an unpaired surrogate: not Unicode (msgspec refuses it)
    ],
)
async def test_a_source_mapping_postgresql_cannot_hold_is_a_400_naming_it(
    client: AsyncTestClient[Litestar],
    conn: asyncpg.Connection,
    auth: dict[str, dict[str, str]],
    stage: int,
    caplog: pytest.LogCaptureFixture,
    mapping: bytes,
) -> None:
    # found by `make fuzz` (60 cases): such a mapping reached PostgreSQL and came back a 500
    body = b'{"format": "openelections", "url": "https://results.example/a.csv", "mapping": '
    headers = auth["editor"] | {"content-type": "application/json"}
    with caplog.at_level(logging.ERROR, logger="endorse.errors"):
        answer = await client.post(
            f"/api/v1/elections/{SLUG}/sources", content=body + mapping + b"}", headers=headers
        )
    assert answer.status_code == 400, answer.text
    assert answer.json()["detail"].startswith(("mapping", "Input data was truncated"))
    assert not [r for r in caplog.records if r.name == "endorse.errors"]
    assert await conn.fetchval("select count(*) from sources") == 0
