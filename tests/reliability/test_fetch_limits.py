"""Item 1 and 2 of issue 14 at the transport: a body is capped, a poll ends by its deadline,
Retry-After is waited out and never cut short. A real upstream on 127.0.0.1 (tests/hostile.py)."""

from __future__ import annotations

import asyncio

import asyncpg
import httpx
import msgspec
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from endorse.db.pool import create_pool
from endorse.results.fetching import FetchLimits, http_client, poll_budget
from endorse.results.pipeline import poll_source
from endorse.results.worker import Worker
from scrapers import FetchError
from scrapers._http import Policy, budget, get
from tests.hostile import Hostile
from tests.reliability.conftest import add

MIB = 1024 * 1024
QUICK = Policy(attempts=3, backoff=0.01, timeout=2.0)
FAST = {"http": {"attempts": 2, "backoff": 0.01, "timeout": 2.0}}
OPEN = FetchLimits(allow_private=True, deadline_seconds=2.0, max_bytes=MIB)


async def _refused(url: str, match: str, *, seconds: float = 10.0) -> FetchError:
    async with httpx.AsyncClient() as client:
        with budget(seconds=seconds, max_bytes=MIB), pytest.raises(FetchError, match=match) as e:
            await get(client, url, QUICK)
    return e.value


@pytest.mark.parametrize(
    ("path", "match"),
    [
        (f"/big?size={2 * MIB}", "over the cap of 1,048,576"),  # chunked: no length said
        (f"/declared?size={10**9}", "1,000,000,000 bytes is over the cap"),  # said up front
        (f"/gzip-bomb?size={64 * MIB}", "over the cap"),  # 64 KiB on the wire, 64 MiB inflated
        ("/brotli", "content-encoding 'br' is not accepted"),
    ],
)
async def test_a_body_over_the_cap_is_refused_without_retrying(
    hostile: Hostile, path: str, match: str
) -> None:
    if path.startswith("/gzip-bomb"):
        # built before the request: compressing 64 MiB inside it could outlast the 2 s timeout
        # on a loaded machine and turn the refusal into a retry
        hostile.bomb(64 * MIB)
    await _refused(hostile.url(path), match)
    assert sum(hostile.hits.values()) == 1  # a second try would only be as large


async def test_the_cap_counts_every_file_of_one_poll(hostile: Hostile) -> None:
    """A ct-sots version is several files fetched side by side: together under the cap."""
    part = hostile.url(f"/big?size={600 * 1024}")
    async with httpx.AsyncClient() as client:
        with budget(seconds=10, max_bytes=MIB):
            got = await get(client, part, QUICK)  # 600 KiB of 1 MiB
            assert got is not None and len(got.content) == 600 * 1024
            with pytest.raises(FetchError, match="over the cap of 1,048,576 bytes"):
                await asyncio.gather(get(client, part, QUICK), get(client, part, QUICK))
        with budget(seconds=10, max_bytes=MIB):  # the next poll starts from nothing
            assert await get(client, part, QUICK) is not None


@pytest.mark.parametrize(
    ("path", "match"),
    [
        ("/hang", "deadline of 1s"),  # no headers, ever
        ("/drip?every=0.05", "deadline of 1s"),  # bytes keep coming, each within the timeout
    ],
)
async def test_a_hang_or_a_drip_ends_at_the_deadline(
    hostile: Hostile, path: str, match: str
) -> None:
    await _refused(hostile.url(path), match, seconds=1.0)


async def test_a_cut_connection_is_retried_then_reported(hostile: Hostile) -> None:
    error = await _refused(hostile.url("/cut"), "RemoteProtocolError")
    assert "gave up after 3 attempts" in error.reason
    assert hostile.hits["/cut"] == 3


async def test_retry_after_past_the_deadline_asks_once_and_says_so(hostile: Hostile) -> None:
    error = await _refused(hostile.url("/retry-after/120"), "Retry-After 120s", seconds=5)
    assert "past this poll's deadline" in error.reason and error.retry_after == 120
    assert hostile.hits["/retry-after/120"] == 1  # never asked again before it allowed


async def test_retry_after_within_the_deadline_is_waited_out_in_full(hostile: Hostile) -> None:
    path = "/retry-after/1"
    async with httpx.AsyncClient() as client:
        with budget(seconds=10, max_bytes=MIB):
            got = await get(
                client, hostile.url(f"{path}?then=20261103_elmvale_governor.csv"), QUICK
            )
    assert got is not None and got.content.startswith(b"candidate,")
    assert hostile.hits[path] == 2


async def test_retry_after_is_never_exceeded_in_request_count(hostile: Hostile) -> None:
    """Always 429, Retry-After 1 s, 2.5 s to spend, a policy that would try 10 times 10 ms
    apart: the server allowed 3 requests (at 0, 1 and 2 s), never more."""
    path = "/retry-after/1"
    eager = Policy(attempts=10, backoff=0.01, timeout=2.0)
    async with httpx.AsyncClient() as client:
        with budget(seconds=2.5, max_bytes=MIB), pytest.raises(FetchError, match="Retry-After"):
            await get(client, hostile.url(path), eager)
    assert 1 <= hostile.hits[path] <= 3


def test_a_poll_deadline_is_never_longer_than_the_interval() -> None:
    async def seconds(deadline: float, interval: int) -> float:
        with poll_budget(FetchLimits(deadline_seconds=deadline), interval) as spent:
            return spent.seconds

    assert asyncio.run(seconds(30, 5)) == 5
    assert asyncio.run(seconds(30, 300)) == 30
    assert FetchLimits().deadline_seconds <= 30


async def test_an_oversized_feed_fails_the_poll_and_keeps_the_data(
    conn: asyncpg.Connection, stage: int, hostile: Hostile
) -> None:
    source_id = await add(conn, hostile.url(f"/big?size={2 * MIB}"), http=FAST["http"])
    async with http_client(OPEN) as client:
        result = await poll_source(conn, source_id, client, force=True, limits=OPEN)
    assert result.outcome == "failed" and "over the cap" in (result.error or "")
    row = await conn.fetchrow(
        "select last_error, last_snapshot_id from sources where id = $1", source_id
    )
    assert "over the cap" in row["last_error"] and row["last_snapshot_id"] is None
    assert await conn.fetchval("select count(*) from snapshots") == 0


async def test_a_hung_source_ends_as_a_warning_while_the_others_are_polled(
    conn: asyncpg.Connection,
    db_url: str,
    stage: int,
    hostile: Hostile,
    client: AsyncTestClient[Litestar],
    auth: dict[str, dict[str, str]],
) -> None:
    hung = await add(conn, hostile.url("/hang"), seconds=5, http=FAST["http"])
    good = await add(conn, hostile.url("/files/20261103_elmvale_governor.csv"), seconds=5)
    pool = await create_pool(db_url, max_size=2)
    worker = Worker(
        pool, refresh_seconds=0.2, limits=msgspec.structs.replace(OPEN, deadline_seconds=1.5)
    )
    try:
        await worker.start()
        await _until(conn, "select last_success_at is not null from sources where id = $1", good)
        await _until(conn, "select last_error is not null from sources where id = $1", hung)
    finally:
        await worker.stop()
        await pool.close()
    shown = (await client.get(f"/api/v1/sources/{hung}", headers=auth["viewer"])).json()
    assert shown["health"] == "failing" and "deadline of 1.5s" in shown["health_reason"]
    assert (await client.get(f"/api/v1/sources/{good}", headers=auth["viewer"])).json()[
        "health"
    ] == "healthy"


async def _until(conn: asyncpg.Connection, sql: str, *args: object) -> None:
    for _ in range(300):  # 30 s at most: a bound on a wait, not an assertion on time
        if await conn.fetchval(sql, *args):
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"never true: {sql}")


async def test_retry_after_holds_the_worker_back_until_it_has_passed(
    conn: asyncpg.Connection, db_url: str, stage: int, hostile: Hostile
) -> None:
    path = "/retry-after/120"
    source_id = await add(conn, hostile.url(path), seconds=5, http=FAST["http"])
    pool = await create_pool(db_url, max_size=2)
    http = httpx.AsyncClient()
    worker = Worker(pool, client=http, limits=OPEN)  # polled by hand, not on its schedule
    try:
        first = await worker.poll(source_id)
        assert first is not None and "Retry-After 120s" in (first.error or "")
        assert first.retry_after == 120
        await conn.execute(  # the interval has passed, the Retry-After has not
            "update sources set last_checked_at = now() - interval '1 hour' where id = $1",
            source_id,
        )
        held = await worker.poll(source_id)
        assert held is not None and held.outcome == "not_due" and hostile.hits[path] == 1
        assert "Retry-After holds this source until" in (held.error or "")
        await conn.execute(  # as when the two minutes are over
            "update sources set retry_not_before = now() - interval '1 second' where id = $1",
            source_id,
        )
        again = await worker.poll(source_id)
        assert again is not None and again.outcome == "failed" and hostile.hits[path] == 2
    finally:
        await worker.stop()
        await http.aclose()
        await pool.close()
