"""The scheduler: one APScheduler interval job per enabled source, the list re-read periodically.

Jobs run with max_instances=1 and coalesce=True, so a slow source is never polled twice at
once by this process and a backlog after a pause becomes one poll. Several workers (other
processes, other machines) are kept apart by the claim in pipeline.py, not by the scheduler.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import signal
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import httpx
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from endorse.db.pool import create_pool
from endorse.db.queries import load
from endorse.results.fetching import FetchLimits, http_client
from endorse.results.pipeline import PollResult, poll_source
from endorse.settings import Settings

q = load("results")
log = logging.getLogger("endorse.results.worker")

REFRESH_JOB = "refresh-sources"
# A poll waiting this long for one of the worker's connections gives way to the next one.
ACQUIRE_SECONDS = 30.0


class Worker:
    def __init__(
        self,
        pool: asyncpg.Pool,
        *,
        refresh_seconds: float = 30.0,
        client: httpx.AsyncClient | None = None,
        limits: FetchLimits | None = None,
    ) -> None:
        self.pool = pool
        self.limits = limits or FetchLimits()
        self.refresh_seconds = refresh_seconds
        self._client = client
        self._own_client = client is None
        self.scheduler = AsyncIOScheduler(timezone=dt.UTC)
        self.schedules: dict[int, int] = {}  # source id -> seconds, as scheduled now
        self._running: set[asyncio.Task[Any]] = set()

    async def start(self) -> None:
        # APScheduler logs every run at INFO and httpx every request with its full URL, query
        # string included (a source URL may carry a key); our own lines say what each poll did.
        for noisy in ("apscheduler", "httpx"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
        if self._client is None:
            self._client = http_client(self.limits)
        self.scheduler.start()
        self.scheduler.add_job(
            self.refresh,
            "interval",
            seconds=self.refresh_seconds,
            id=REFRESH_JOB,
            next_run_time=dt.datetime.now(dt.UTC),
            max_instances=1,
            coalesce=True,
        )
        log.info("worker started", extra={"refresh_seconds": self.refresh_seconds})

    async def refresh(self) -> None:
        """Schedule new or re-timed sources, drop disabled or deleted ones."""
        try:
            async with self.pool.acquire() as conn:
                wanted = {
                    r["id"]: r["schedule_seconds"] for r in await conn.fetch(*q.enabled_sources())
                }
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            log.warning("cannot read sources", extra={"error": repr(exc)})
            return
        for source_id in self.schedules.keys() - wanted.keys():
            with contextlib.suppress(LookupError):  # JobLookupError is a KeyError
                self.scheduler.remove_job(f"source-{source_id}")
            log.info("source unscheduled", extra={"source_id": source_id})
        for source_id, seconds in wanted.items():
            if self.schedules.get(source_id) == seconds:
                continue
            self.scheduler.add_job(
                self.poll,
                "interval",
                seconds=seconds,
                args=[source_id],
                id=f"source-{source_id}",
                replace_existing=True,
                next_run_time=dt.datetime.now(dt.UTC),
                max_instances=1,
                coalesce=True,
                misfire_grace_time=seconds,  # late by less than an interval: still worth a poll
            )
            log.info("source scheduled", extra={"source_id": source_id, "seconds": seconds})
        self.schedules = wanted

    async def poll(self, source_id: int) -> PollResult | None:
        """One scheduled poll; errors are logged, never raised into the scheduler."""
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
        try:
            assert self._client is not None
            # a Retry-After that reached past a poll's deadline is kept on the source
            # (sources.retry_not_before): poll_source answers not_due until it has passed
            async with self.pool.acquire(timeout=ACQUIRE_SECONDS) as conn:
                return await poll_source(conn, source_id, self._client, limits=self.limits)
        except Exception:
            log.exception("poll failed", extra={"source_id": source_id})
            return None
        except asyncio.CancelledError:
            # stopping (SIGTERM) and past the grace period: the poll's transaction is rolled
            # back with its connection, so the next start polls the source again; not an error
            log.warning("poll cancelled: the worker is stopping", extra={"source_id": source_id})
            return None
        finally:
            if task is not None:
                self._running.discard(task)

    async def stop(self, grace: float = 10.0) -> None:
        """Stop scheduling, let running polls finish (each is one transaction), then close."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        if self._running:
            _, late = await asyncio.wait(set(self._running), timeout=grace)
            for task in late:
                task.cancel()
        if self._own_client and self._client is not None:
            await self._client.aclose()
        log.info("worker stopped")


def _refresh_seconds(settings: Settings) -> float:
    # new or disabled sources are noticed within one poll interval, and never later than 30 s
    return float(max(1, min(30, settings.poll_seconds)))


async def poll_all_once(url: str, settings: Settings) -> list[PollResult]:
    """`endorse worker --once`: every enabled source, now, concurrently (cron, manual checks)."""
    pool = await create_pool(url, min_size=1, max_size=settings.worker_pool_max)
    try:
        async with pool.acquire() as conn:
            ids = [r["id"] for r in await conn.fetch(*q.enabled_sources())]
        limits = FetchLimits.from_settings(settings)
        async with http_client(limits) as client:

            async def one(source_id: int) -> PollResult:
                async with pool.acquire() as conn:
                    return await poll_source(conn, source_id, client, force=True, limits=limits)

            return list(await asyncio.gather(*(one(i) for i in ids)))
    finally:
        await pool.close()


async def run_until_signalled(url: str, settings: Settings) -> None:
    """`endorse worker`: poll on schedule until SIGINT or SIGTERM, then finish running polls."""
    pool = await create_pool(url, min_size=1, max_size=settings.worker_pool_max)
    try:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        worker = Worker(
            pool,
            refresh_seconds=_refresh_seconds(settings),
            limits=FetchLimits.from_settings(settings),
        )
        await worker.start()
        await stop.wait()
        await worker.stop()
    finally:
        await pool.close()


@contextlib.asynccontextmanager
async def worker_lifespan(app: Any) -> AsyncIterator[None]:
    """Inside `endorse serve` (unless --no-worker): the worker has a pool of its own, so polls
    stuck on slow sources (each holds its connection for its claim) never starve the API."""
    if not getattr(app.state, "run_worker", False):
        yield
        return
    settings = app.state.settings
    pool = await create_pool(app.state.database_url, min_size=1, max_size=settings.worker_pool_max)
    worker = Worker(
        pool, refresh_seconds=_refresh_seconds(settings), limits=FetchLimits.from_settings(settings)
    )
    app.state.results_worker = worker
    try:
        await worker.start()
        yield
    finally:
        await worker.stop()
        await pool.close()
