"""The database goes away and comes back (issue 14, item 7).

A dedicated embedded PostgreSQL (tests/reliability/pgkill.py) is killed while an ingest and
while an import is inside its transaction, then started again. The service, never restarted,
answers 503 meanwhile (/health included), reconnects by itself, keeps every committed row,
shows no half batch, and the interrupted work runs again: the worker re-polls by itself, an
import is all-or-nothing so sending it again works.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest
from playwright.async_api import Page, expect

from endorse.app import create_app
from endorse.auth.tokens import create_token
from endorse.db.migrate import migrate_url
from endorse.db.pool import connect
from endorse.elections.schemas import ElectionCreate, Stage
from endorse.elections.service import create_election, stage_id
from endorse.endorsements.importer import import_file
from endorse.results.pipeline import poll_source
from endorse.settings import Settings
from tests.conftest import shoot
from tests.dashboard.conftest import ENDORSEMENTS
from tests.reliability.pgkill import KillableServer, new_database, reachable, wait_until
from tests.results import night as truth
from tests.results.conftest import fixture_server, night
from tests.results.helpers import totals
from tests.results.night import SLUG
from tests.results.replay import Night
from tests.serving import serve

__all__ = ["fixture_server", "night"]  # fixtures used here

DAY = dt.date(2026, 11, 3)


@pytest.fixture(scope="module")
def killable() -> Iterator[KillableServer]:
    data = Path(tempfile.mkdtemp(prefix="endorse-kill-pg-"))
    server = KillableServer(data)
    try:
        yield server
    finally:
        server.start()  # a test that failed mid-outage must not leave a dead cluster behind
        server.stop()
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture
async def outage_db(killable: KillableServer) -> AsyncIterator[tuple[str, asyncpg.Connection]]:
    """A migrated database on the killable server, with the election of the invented night."""
    url = await new_database(killable.url, "endorse_kill")
    await migrate_url(url)
    conn = await connect(url)
    await create_election(
        conn, ElectionCreate(SLUG, "2026 General", DAY, [Stage("general", DAY)]), actor="test"
    )
    try:
        yield url, conn
    finally:
        if not conn.is_closed():
            await conn.close()


async def _blocked_on(conn: asyncpg.Connection, table: str) -> bool:
    """Some other session waits for a lock on `table` (our work is inside its transaction)."""
    return bool(
        await conn.fetchval(
            "select count(*) from pg_locks l join pg_class c on c.oid = l.relation"
            " where not l.granted and c.relname = $1",
            table,
        )
    )


async def _hold(conn: asyncpg.Connection, table: str) -> asyncpg.Transaction:
    tx = conn.transaction()
    await tx.start()
    await conn.execute(f"lock table {table} in share mode")  # writers wait, readers do not
    return tx


async def _status(client: httpx.AsyncClient, path: str) -> int:
    try:
        return (await client.get(path)).status_code
    except httpx.TransportError:
        return 0


async def test_an_ingest_cut_by_a_dead_database_runs_again_and_nothing_is_half_applied(
    killable: KillableServer,
    outage_db: tuple[str, asyncpg.Connection],
    night: Night,
    tmp_path: Path,
) -> None:
    url, conn = outage_db
    source = await night.register(conn, await stage_id(conn, SLUG, "general"), "clarity")
    await conn.execute("update sources set schedule_seconds = 5 where id = $1", source)
    night.publish("clarity", 1)
    # the feed is on loopback, which fetching refuses unless allowed
    settings = Settings(data_dir=tmp_path, poll_seconds=1, fetch_allow_private=True)
    app = create_app(settings, url, worker=True)
    with serve(app) as base:
        async with httpx.AsyncClient(base_url=base, timeout=10) as client:

            async def applied(version: int) -> bool:
                return await totals(conn) == truth.TOTALS[version]

            await wait_until(lambda: applied(1), "version 1 applied by the worker")
            # the next version's ingest will wait inside its transaction for our lock
            tx = await _hold(conn, "results")
            night.publish("clarity", 2)
            await wait_until(lambda: _blocked_on(conn, "results"), "the ingest of version 2")
            killable.kill()

            health = await client.get("/health")
            assert health.status_code == 503 and health.json()["database"] == "down"
            elections = await client.get("/api/v1/elections")
            assert elections.status_code == 503  # not a 500: nothing is wrong with the request
            assert "Retry-After" in elections.headers

            killable.start()
            conn = await connect(url)

            async def healthy() -> bool:
                return await _status(client, "/health") == 200

            await wait_until(healthy, "the service reconnected without a restart")
            # committed version 1 is whole; the cut transaction left nothing; then the worker
            # polls again by itself and version 2 arrives, whole
            seen = []

            async def settled() -> bool:
                seen.append(await totals(conn))
                return seen[-1] == truth.TOTALS[2]

            await wait_until(settled, "the interrupted poll ran again", seconds=90)
            assert all(state in (truth.TOTALS[1], truth.TOTALS[2]) for state in seen)
            snapshots = await conn.fetch(
                "select version, status from snapshots where source_id = $1 order by id", source
            )
            assert [r["status"] for r in snapshots] == ["applied", "applied"]
            assert len({r["version"] for r in snapshots}) == 2
            assert (await client.get("/api/v1/elections")).status_code == 200
    del tx  # its connection died with the server
    await conn.close()


async def test_an_import_cut_by_a_dead_database_is_all_or_nothing_and_can_be_sent_again(
    killable: KillableServer, outage_db: tuple[str, asyncpg.Connection], tmp_path: Path
) -> None:
    url, conn = outage_db
    await conn.execute(
        "insert into bodies (name, kind) values ('AFT Connecticut', 'state_federation'),"
        " ('Elmvale Teachers', 'local')"
    )
    token = await create_token(conn, name="importer", role="editor", actor="test")
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/csv"}
    app = create_app(Settings(data_dir=tmp_path), url)
    with serve(app) as base:
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            tx = await _hold(conn, "endorsements")
            sent = asyncio.create_task(
                client.post("/api/v1/endorsements/import", content=ENDORSEMENTS, headers=headers)
            )
            await wait_until(lambda: _blocked_on(conn, "endorsements"), "the import's insert")
            killable.kill()
            cut = await sent
            assert cut.status_code == 503, cut.text
            assert "Traceback" not in cut.text

            killable.start()
            await wait_until(lambda: reachable(url), "the database is back")
            conn = await connect(url)
            assert await conn.fetchval("select count(*) from endorsements") == 0
            assert (
                await conn.fetchval("select count(*) from audit_log where entity = 'endorsements'")
                == 0
            )

            async def accepted() -> bool:
                again = await client.post(
                    "/api/v1/endorsements/import", content=ENDORSEMENTS, headers=headers
                )
                assert again.status_code in (200, 201, 503), again.text
                return again.status_code != 503

            await wait_until(accepted, "the same file imported after the restart")
            assert await conn.fetchval("select count(*) from endorsements") == 3
    del tx
    await conn.close()


async def test_the_night_page_says_it_is_reconnecting_while_the_database_is_away(
    killable: KillableServer,
    outage_db: tuple[str, asyncpg.Connection],
    night: Night,
    page: Page,
    tmp_path: Path,
) -> None:
    url, conn = outage_db
    await conn.execute("update stages set visibility = 'public'")
    await conn.execute(
        "insert into bodies (name, kind) values ('AFT Connecticut', 'state_federation'),"
        " ('Elmvale Teachers', 'local')"
    )
    assert (await import_file(conn, ENDORSEMENTS, actor="test", content_type="text/csv")).ok
    source = await night.register(conn, await stage_id(conn, SLUG, "general"), "clarity")
    night.publish("clarity", 1)
    async with httpx.AsyncClient() as fetcher:
        assert (await poll_source(conn, source, fetcher, force=True)).outcome == "applied"
    app = create_app(Settings(data_dir=tmp_path), url)
    with serve(app) as base:
        await page.goto(f"{base}/elections/{SLUG}")
        await expect(page.locator("#live-status")).to_have_text("Live")
        banner = page.locator("#live-banner")
        await expect(banner).to_be_hidden()
        await page.evaluate(
            "Object.assign(document.querySelector('[data-night]').dataset,"
            " {poll: '300', relisten: '500'})"
        )
        killable.kill()
        await expect(banner).to_be_visible(timeout=15000)
        await expect(banner).to_contain_text("Reconnecting")
        await shoot(page, "night-reconnecting")
        killable.start()
        await expect(banner).to_be_hidden(timeout=30000)
        await expect(page.locator("#live-status")).to_have_text("Live", timeout=30000)
