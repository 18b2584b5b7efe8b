"""What every benchmark shares: run size (QUICK), medians, a throwaway embedded PostgreSQL,
fresh databases cloned from one migrated template, and a line about the machine."""

from __future__ import annotations

import atexit
import datetime as dt
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from endorse.db.embedded import EmbeddedServer
from endorse.db.migrate import migrate_url
from endorse.db.pool import connect
from endorse.elections.schemas import ElectionCreate, Stage
from endorse.elections.service import create_election

QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
REPEATS = 3
SLUG = "bench"
DAY = dt.date(2026, 11, 3)


def median(values: list[float]) -> float:
    return statistics.median(values)


def ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}x" if base else "-"


def verdict(ok: bool) -> str:
    return "**met**" if ok else "**missed**"


async def timed(work: Callable[[], Awaitable[Any]]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = await work()
    return time.perf_counter() - started, result


_SERVER: tuple[str, Path] | None = None
_TEMPLATES: dict[str, str] = {}


@contextmanager
def embedded() -> Iterator[tuple[str, Path]]:
    """The embedded PostgreSQL of this bench run (admin URL, temp dir): started on first use,
    shared by every benchmark (each works in databases of its own), stopped at exit."""
    global _SERVER
    if _SERVER is None:
        tmp = tempfile.TemporaryDirectory(prefix="endorse-bench-")
        server = EmbeddedServer(Path(tmp.name) / "pg")

        def stop() -> None:
            server.stop()
            tmp.cleanup()

        atexit.register(stop)
        _SERVER = (server.url, Path(tmp.name))
    yield _SERVER


def db_url(admin: str, name: str) -> str:
    return urlunsplit(urlsplit(admin)._replace(path="/" + name))


async def database(admin: str, name: str, template: str | None = None) -> str:
    """Create (or re-create) database `name`, optionally cloned from `template`."""
    conn = await asyncpg.connect(admin)
    try:
        await conn.execute(f'drop database if exists "{name}" with (force)')
        await conn.execute(
            f'create database "{name}"' + (f' template "{template}"' if template else "")
        )
    finally:
        await conn.close()
    return db_url(admin, name)


async def template(admin: str, name: str = "bench_tpl") -> str:
    """A migrated database holding the election `bench` (general stage), to clone from;
    made once per run."""
    if name in _TEMPLATES:
        return name
    url = await database(admin, name)
    await migrate_url(url)
    conn = await connect(url)
    try:
        election = ElectionCreate(SLUG, "Bench", DAY, [Stage("general", DAY)])
        await create_election(conn, election, actor="bench")
    finally:
        await conn.close()
    _TEMPLATES[name] = url
    return name


def machine(pg_version: str = "") -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from importlib.metadata import version

    libs = ", ".join(f"{p} {version(p)}" for p in ("litestar", "asyncpg", "uvicorn", "msgspec"))
    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; {libs}"
        + (f"; PostgreSQL {pg_version}" if pg_version else "")
    )
