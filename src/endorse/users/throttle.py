"""Slowing down password guessing: per account and per peer address, kept in PostgreSQL.

After ACCOUNT_LIMIT failed sign-ins in a row for one name (or PEER_LIMIT from one address, any
names), further attempts are refused, without checking the password, until a wait has passed
that doubles with every further failure (30 s, 1 min, 2 min, ... at most 15 min). A success
ends the account's run; the peer's count only ages out (an hour), so one valid account cannot
be used to reset the count while guessing others. The rows live in the database, so every
process behind a proxy sees the same count.
"""

from __future__ import annotations

import datetime as dt
import math

import asyncpg

from endorse.db.queries import load

q = load("users")

ACCOUNT_LIMIT = 5
PEER_LIMIT = 20  # an office behind one NAT address signs in from one peer
BASE_WAIT = dt.timedelta(seconds=30)
MAX_WAIT = dt.timedelta(minutes=15)


def _wait(failures: int, last: dt.datetime | None, now: dt.datetime, limit: int) -> int:
    if failures < limit or last is None:
        return 0
    wait = min(BASE_WAIT * 2 ** min(failures - limit, 10), MAX_WAIT)
    return max(0, math.ceil((last + wait - now).total_seconds()))


def account_key(name: str) -> str:
    return " ".join(name.split()).lower()[:200]


async def retry_after(conn: asyncpg.Connection, name: str, peer: str) -> int:
    """Seconds before this name may be tried again from this peer; 0 means go ahead."""
    row = await conn.fetchrow(*q.failures(account=account_key(name), peer=peer))
    return max(
        _wait(row["account_failures"], row["account_last"], row["now"], ACCOUNT_LIMIT),
        _wait(row["peer_failures"], row["peer_last"], row["now"], PEER_LIMIT),
    )


async def failed(conn: asyncpg.Connection, name: str, peer: str) -> None:
    await conn.execute(*q.insert_failure(account=account_key(name), peer=peer))


async def succeeded(conn: asyncpg.Connection, name: str) -> None:
    await conn.execute(*q.clear_failures(account=account_key(name)))
