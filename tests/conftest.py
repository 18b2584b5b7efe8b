"""Shared fixtures: a real PostgreSQL (embedded unless DATABASE_URL is set), a fresh database
per test, the app over AsyncTestClient, and tokens for each role."""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from playwright.async_api import Browser, Page, async_playwright

from endorse.app import create_app
from endorse.auth.tokens import create_token
from endorse.db.embedded import EmbeddedServer
from endorse.db.migrate import migrate_url
from endorse.db.pool import connect
from endorse.settings import Settings
from tests import pg
from tests.browser import CHROMIUM_ARGS, chromium_executable, screenshot_dir
from tests.serving import serve

ROOT = Path(__file__).resolve().parents[1]
# The real samples sit beside the checkout (../shared/data), or further up from a worktree.
SHARED_DATA = next(
    (p / "shared" / "data" for p in ROOT.parents if (p / "shared" / "data").is_dir()),
    ROOT.parent / "shared" / "data",
)
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Every feed in the suite is served on 127.0.0.1, which the fetch guard refuses by default;
# commands run in subprocesses inherit this. tests/security/ checks the refusal itself.
os.environ.setdefault("ENDORSE_FETCH_ALLOW_PRIVATE", "1")


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """An admin URL on a real server: the one in DATABASE_URL, else an embedded one."""
    external = os.environ.get("DATABASE_URL")
    if external:
        yield external
        return
    # Not under pytest's basetemp: a concurrent pytest run prunes old basetemps, and PostgreSQL
    # shuts down when its postmaster.pid disappears.
    data = Path(tempfile.mkdtemp(prefix="endorse-test-pg-"))
    server = EmbeddedServer(data / "pg")
    try:
        yield server.url
    finally:
        server.stop()
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="session")
def template_db(server_url: str) -> Iterator[str]:
    """A migrated database that every test database is cloned from."""
    name = pg.unique_name("endorse_tpl")

    async def setup() -> None:
        url = await pg.create_database(server_url, name)
        await migrate_url(url)

    asyncio.run(setup())
    try:
        yield name
    finally:
        asyncio.run(pg.drop_database(server_url, name))


@pytest.fixture
async def db_url(server_url: str, template_db: str) -> AsyncIterator[str]:
    name = pg.unique_name("endorse_t")
    url = await pg.create_database(server_url, name, template=template_db)
    try:
        yield url
    finally:
        await pg.drop_database(server_url, name)


@pytest.fixture
async def conn(db_url: str) -> AsyncIterator[asyncpg.Connection]:
    connection = await connect(db_url)
    try:
        yield connection
    finally:
        await connection.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data", max_upload_bytes=50 * 1024 * 1024 - 1, fetch_allow_private=True
    )


@pytest.fixture
def app(settings: Settings, db_url: str) -> Litestar:
    return create_app(settings, db_url)


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=app) as test_client:
        yield test_client


@pytest.fixture
async def auth(conn: asyncpg.Connection) -> dict[str, dict[str, str]]:
    """Authorization headers for one token of each role: auth["editor"] etc."""
    headers: dict[str, dict[str, str]] = {}
    for role in ("viewer", "editor", "admin"):
        token = await create_token(conn, name=f"test-{role}", role=role, actor="test")
        headers[role] = {"Authorization": f"Bearer {token}"}
    return headers


@pytest.fixture
def live(app: Litestar) -> Iterator[str]:
    """The app on a real 127.0.0.1 socket (uvicorn in a thread); yields its base URL."""
    with serve(app) as base:
        yield base


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    """Headless Debian chromium; the test skips with the reason when it is not installed."""
    executable = chromium_executable()
    async with async_playwright() as pw:
        launched = await pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    """A desktop-sized page in a fresh context (own cookies)."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield await context.new_page()
    finally:
        await context.close()


async def shoot(page: Page, name: str) -> None:
    """Save a full-page screenshot for docs/ when ENDORSE_SCREENSHOTS names a folder."""
    target = screenshot_dir()
    if target is not None:
        await page.screenshot(path=str(target / f"{name}.png"), full_page=True)
