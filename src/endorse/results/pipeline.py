"""One poll of one source: claim, fetch, snapshot, parse, guard, apply, or record why not.

The worker and `endorse results load` both come through here, so a one-off load behaves
exactly like a poll. A source is claimed with a session advisory lock on the polling
connection (released at the end, or by PostgreSQL if the connection dies), so two workers
never fetch the same source at once. Nothing but sources.last_checked_at is written when the
source answers 304, reports the same version, or sends the same bytes as last time.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import zlib
from collections.abc import Callable
from typing import Any, Literal

import asyncpg
import httpx
import msgspec

from endorse.db.queries import load
from endorse.errors import NotFound
from endorse.results.fetching import FetchLimits, poll_budget
from endorse.results.forward import backwards
from endorse.results.guards import Quarantine
from endorse.results.ingest import LOCK_CLASS, ApplyStats, apply
from scrapers import FORMATS, Fetched, FetchError, Parsed, ParseError, SourceState

q = load("results")
hooks = load("hooks")
log = logging.getLogger("endorse.results")

SOURCE_LOCK_CLASS = LOCK_CLASS + 1  # sources and stages are numbered apart: separate key spaces
Outcome = Literal["busy", "not_due", "unchanged", "applied", "quarantined", "failed"]
Progress = Callable[[str], None]  # told "fetched", "parsed", "applied" as a poll moves on
MAX_RETRY_AFTER = 3600.0  # a Retry-After holds a source back this long at most (a broken server)
HARD_STOP_GRACE = 2.0  # seconds past the budget before a fetch is cancelled from outside


def _clean(error: str) -> str:
    """An error message fit for a text column: parsers quote the bad bytes, NULs included."""
    error = error.replace("\x00", "\\x00")
    return error if len(error) <= 2000 else error[:1997] + "..."


# Errors that mean the connection itself is gone (its transaction with it).
LOST_CONNECTION = (asyncpg.PostgresConnectionError, asyncpg.InterfaceError, OSError)
# Errors that pass: a deadlock or serialization failure, a cancelled statement, a lock timeout.
TRANSIENT = (
    asyncpg.exceptions.TransactionRollbackError,
    asyncpg.exceptions.OperatorInterventionError,
    asyncpg.exceptions.LockNotAvailableError,
    asyncpg.exceptions.InsufficientResourcesError,
)


def _ingest_error(exc: Exception) -> str:
    if isinstance(exc, Quarantine):
        return str(exc)
    if isinstance(exc, asyncpg.PostgresError):
        return f"database refused: {exc}"
    return f"ingest failed: {type(exc).__name__}: {exc}"


class PollResult(msgspec.Struct, kw_only=True):
    source_id: int
    outcome: Outcome
    snapshot_id: int | None = None
    stats: ApplyStats | None = None
    error: str | None = None
    retry_after: float | None = None  # seconds the server asked us to wait (429/503)


async def poll_source(
    conn: asyncpg.Connection,
    source_id: int,
    client: httpx.AsyncClient,
    *,
    force: bool = False,
    progress: Progress | None = None,
    limits: FetchLimits | None = None,
) -> PollResult:
    """Poll once. `force` skips the due check (a person asked for this load). `limits`: the
    byte cap and deadline from the settings (defaults when not given)."""
    return await claimed(
        conn, source_id, lambda src: _poll(conn, src, client, force, progress, limits)
    )


async def claimed(conn: asyncpg.Connection, source_id: int, work: Callable[[Any], Any]) -> Any:
    """Run `work(source row)` holding the source's claim; "busy" when another holds it."""
    lock = {"lock_class": SOURCE_LOCK_CLASS, "source_id": source_id}
    if not await conn.fetchval(*q.try_lock_source(**lock)):
        return PollResult(source_id=source_id, outcome="busy")
    try:
        source = await conn.fetchrow(*q.source_for_poll(source_id=source_id))
        if source is None:
            raise NotFound(f"source: no source with id {source_id}")
        return await work(source)
    finally:
        if not conn.is_closed():
            await conn.execute(*q.unlock_source(**lock))


async def _poll(
    conn: asyncpg.Connection,
    source: asyncpg.Record,
    client: httpx.AsyncClient,
    force: bool,
    progress: Progress | None,
    limits: FetchLimits | None,
) -> PollResult:
    source_id = source["id"]
    if not force and not source["due"]:
        return PollResult(source_id=source_id, outcome="not_due")
    if source["retry_not_before"] is not None:
        # the server's Retry-After binds every poller, a person's forced load included: asking
        # earlier only earns another 429 and tells the server we ignore it
        when = source["retry_not_before"].astimezone(dt.UTC).strftime("%H:%M:%S UTC")
        error = f"not asked: the server's Retry-After holds this source until {when}"
        return PollResult(source_id=source_id, outcome="not_due", error=error)
    state = SourceState(source["etag"], source["last_modified"], source["last_version"])
    try:
        with poll_budget(limits, source["schedule_seconds"]) as spent:
            # get() keeps the deadline itself; this outer one also stops whatever a format's
            # fetch does between its requests, so nothing outlives the poll's budget.
            async with asyncio.timeout(spent.seconds + HARD_STOP_GRACE):
                fetched = await FORMATS[source["format"]].fetch(
                    client, source["url"], state, source["mapping"] or None
                )
    except TimeoutError:
        error = f"fetch stopped at the poll's deadline of {spent.seconds:g}s"
        await conn.execute(*q.mark_failed(source_id=source_id, error=error, retry_after=None))
        log.warning("fetch failed", extra={"source_id": source_id, "error": error})
        return PollResult(source_id=source_id, outcome="failed", error=error)
    except Exception as exc:  # a fetcher's bug must not leave the source failing silently
        error = _clean(str(exc) if isinstance(exc, FetchError) else f"{type(exc).__name__}: {exc}")
        wait = exc.retry_after if isinstance(exc, FetchError) else None
        if wait is not None:
            wait = min(wait, MAX_RETRY_AFTER)
        await conn.execute(*q.mark_failed(source_id=source_id, error=error, retry_after=wait))
        log.warning("fetch failed", extra={"source_id": source_id, "error": error})
        return PollResult(source_id=source_id, outcome="failed", error=error, retry_after=wait)
    if fetched is None:
        await conn.execute(
            *q.mark_checked(source_id=source_id, etag=None, last_modified=None, version=None)
        )
        return PollResult(source_id=source_id, outcome="unchanged")
    if progress:
        progress("fetched")
    handed = [fetched]
    del fetched  # ingest_handed() holds the body alone, and lets go of it once parsed
    return await ingest_handed(conn, source, handed, progress=progress)


async def ingest_fetched(
    conn: asyncpg.Connection,
    source: asyncpg.Record,
    fetched: Fetched,
    *,
    progress: Progress | None = None,
) -> PollResult:
    """Hash, snapshot, parse, guard and apply one fetched payload (the caller holds the claim)."""
    return await ingest_handed(conn, source, [fetched], progress=progress)


async def ingest_handed(
    conn: asyncpg.Connection,
    source: asyncpg.Record,
    handed: list[Fetched],
    *,
    progress: Progress | None = None,
) -> PollResult:
    """ingest_fetched() of the one payload in `handed`, taken out of it. A caller that keeps no
    other reference to it lets its body go once it is parsed and its snapshot compressed:
    the load then builds its rows without the file's bytes beside them (98 MB of the peak
    memory of a 1M-row `endorse results load`, bench/bench_ingest.py)."""
    fetched = handed.pop()
    source_id, body, version = source["id"], fetched.body, fetched.version
    sha256 = hashlib.sha256(body).digest()
    seen = {"etag": fetched.etag, "last_modified": fetched.last_modified}
    headers = fetched.headers
    del fetched
    if sha256 in (source["last_hash"], source["quarantined_hash"]):
        await conn.execute(*q.mark_checked(source_id=source_id, version=version, **seen))
        return PollResult(source_id=source_id, outcome="unchanged")
    # The snapshot's bytes are compressed (~0.1 s per 10 MB) while the payload parses: zlib lets
    # go of the GIL, so the two take two cores instead of one after the other.
    compressing = asyncio.ensure_future(asyncio.to_thread(zlib.compress, body, 6))
    snapshot = {"source_id": source_id, "sha256": sha256, "headers": headers,
                "size": len(body)}  # fmt: skip
    module = FORMATS[source["format"]]
    try:
        try:
            parsed = await asyncio.to_thread(module.parse, body, source["mapping"] or None)
        finally:
            snapshot["body"] = await compressing
            del body  # parsed and compressed: nothing reads it again
    except Exception as exc:  # a parser bug on odd input must not stop the worker either
        error = f"parse error: {exc}" if isinstance(exc, ParseError) else f"parser failed: {exc!r}"
        error = _clean(error)
        seen["version"] = version
        return await _quarantine(conn, snapshot, seen, error)
    if progress:
        progress("parsed")
    version = version or parsed.version
    seen["version"] = version
    older = backwards(
        version=version,
        as_of=parsed.as_of,
        applied_version=source["applied_version"],
        applied_as_of=source["applied_as_of"],
    )
    if older is not None:  # time runs forward: kept and flagged, never applied over newer data
        return await _quarantine(conn, snapshot, seen, older, as_of=parsed.as_of)
    try:
        return await _apply_fetched(conn, source, snapshot, seen, parsed, sha256, progress)
    except TRANSIENT as exc:
        # rolled back whole; the same bytes are tried again at the next poll, so this is a
        # failure to say on the source, not a payload to hold back
        error = _clean(f"database busy, tried again next poll: {type(exc).__name__}: {exc}")
        await conn.execute(*q.mark_failed(source_id=source_id, error=error, retry_after=None))
        log.warning("apply failed", extra={"source_id": source_id, "error": error})
        return PollResult(source_id=source_id, outcome="failed", error=error)


async def _apply_fetched(
    conn: asyncpg.Connection,
    source: asyncpg.Record,
    snapshot: dict[str, Any],
    seen: dict[str, Any],
    parsed: Parsed,
    sha256: bytes,
    progress: Progress | None,
) -> PollResult:
    source_id, version = source["id"], seen["version"]
    async with conn.transaction():
        snapshot_id = await conn.fetchval(
            *q.insert_snapshot(
                **snapshot, version=version, as_of=parsed.as_of, status="applied", error=None
            )
        )
        mapping = source["mapping"] or {}  # what parsed it: a figure's reproduction reads it so
        await conn.execute(*hooks.snapshot_mapping(snapshot_id=snapshot_id, mapping=mapping))
        try:
            stats = await apply(
                conn,
                stage_id=source["stage_id"],
                parsed=parsed,
                source_id=source_id,
                snapshot_id=snapshot_id,
                consume=True,  # parsed here, read by nothing else: let go as it loads
            )
        except (*LOST_CONNECTION, *TRANSIENT):
            raise  # the database is gone: nothing can be recorded; the next poll tries again
        except Exception as exc:
            # apply() ran in a savepoint: it is rolled back whole, the snapshot row stays. Any
            # exception, a bug included, holds the payload back with its reason on the source.
            error = _clean(_ingest_error(exc))
            await conn.execute(*q.quarantine_snapshot(snapshot_id=snapshot_id, error=error))
            await conn.execute(
                *q.mark_quarantined(
                    source_id=source_id, snapshot_id=snapshot_id, error=error, **seen
                )
            )
            log.warning("payload quarantined", extra={"source_id": source_id, "error": error})
            return PollResult(
                source_id=source_id, outcome="quarantined", snapshot_id=snapshot_id, error=error
            )
        await conn.execute(
            *q.mark_applied(source_id=source_id, sha256=sha256, snapshot_id=snapshot_id, **seen)
        )
        warnings = []
        if stats.held_back:  # applied, but some contests kept their more final status
            warnings.append(
                "held back, a status never goes backwards: " + "; ".join(stats.held_back)
            )
        if stats.held:  # applied, but some contests went backwards or left: a person decides
            warnings.append(
                "held for a person to accept, counts went backwards or a contest left the feed: "
                + " | ".join(stats.held)
            )
        if warnings:
            warning = _clean(" / ".join(warnings))
            await conn.execute(*hooks.warn_snapshot(snapshot_id=snapshot_id, warning=warning))
            if stats.held_back:  # held corrections show on the source as long as they are open
                source_warning = _clean(warnings[0])
                await conn.execute(*hooks.warn_source(source_id=source_id, warning=source_warning))
            log.warning("contests held back", extra={"source_id": source_id, "error": warning})
    if progress:
        progress("applied")
    log.info(
        "payload applied",
        extra={
            "source_id": source_id,
            "contests_changed": stats.contests_changed,
            "rows_changed": stats.rows_changed,
            "ms": round(stats.elapsed * 1000, 1),
        },
    )
    return PollResult(source_id=source_id, outcome="applied", snapshot_id=snapshot_id, stats=stats)


async def _quarantine(
    conn: asyncpg.Connection,
    snapshot: dict[str, Any],
    seen: dict[str, Any],
    error: str,
    *,
    as_of: dt.datetime | None = None,
) -> PollResult:
    """Keep a payload that did not parse (or is older than the applied one), and say so on
    the source; data untouched."""
    source_id = snapshot["source_id"]
    async with conn.transaction():
        snapshot_id = await conn.fetchval(
            *q.insert_snapshot(
                **snapshot, version=seen["version"], as_of=as_of, status="quarantined", error=error
            )
        )
        await conn.execute(
            *q.mark_quarantined(source_id=source_id, snapshot_id=snapshot_id, error=error, **seen)
        )
    log.warning("payload quarantined", extra={"source_id": source_id, "error": error})
    return PollResult(
        source_id=source_id, outcome="quarantined", snapshot_id=snapshot_id, error=error
    )
