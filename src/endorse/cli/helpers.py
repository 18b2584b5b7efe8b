"""What every command handler uses: the database for one command, the audit actor, JSON out,
and UsageError for bad command-line input (exit 2)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager

import asyncpg

from endorse.settings import Settings

Handler = Callable[[argparse.Namespace, Settings], int]


class UsageError(Exception):
    """Bad input from the command line; printed as one line, exit code 2."""


def actor() -> str:
    """Audit name for local commands: whoever runs the shell owns the change."""
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:
        return "cli"


@contextmanager
def database(settings: Settings) -> Iterator[str]:
    """The database URL, migrated, with the embedded server started for this command if needed."""
    from endorse.db.embedded import database_url
    from endorse.db.migrate import migrate_url

    with database_url(settings) as url:
        asyncio.run(migrate_url(url))
        yield url


def run_with_conn(settings: Settings, work: Callable[[asyncpg.Connection], Awaitable[int]]) -> int:
    """Run one async unit of work on a fresh connection to the (migrated) database."""
    from endorse.db.pool import connect

    async def go(url: str) -> int:
        conn = await connect(url)
        try:
            return await work(conn)
        finally:
            await conn.close()

    with database(settings) as url:
        return asyncio.run(go(url))


def print_json(value: object) -> None:
    import msgspec

    sys.stdout.write(msgspec.json.encode(value).decode() + "\n")


def answer(value: object, as_json: bool, line: str) -> int:
    """A command's one answer: its JSON for scripts (--json), else one line for people; exit 0."""
    if as_json:
        print_json(value)
    else:
        print(line)
    return 0
