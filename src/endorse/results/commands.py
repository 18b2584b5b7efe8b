"""`endorse results load|sources|release` and `endorse worker`: thin over the pipeline."""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import time
from pathlib import Path
from typing import Any

import asyncpg
import msgspec

from endorse.auth.audit import record
from endorse.cli import UsageError, actor, database, print_json, run_with_conn
from endorse.db.queries import load as load_queries
from endorse.elections.service import UnknownElection, stage_id
from endorse.results.pipeline import PollResult, claimed, ingest_fetched, poll_source
from endorse.results.progress import LoadProgress, summary
from endorse.results.schemas import SourceCreate
from endorse.results.sources import add_source, ensure_source, list_sources
from endorse.results.worker import Worker, http_client
from endorse.settings import Settings
from scrapers import FORMATS, Fetched

q = load_queries("results")
STAGES = ("primary", "general", "special", "runoff", "adjourned")


def _mapping(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise UsageError(f"--mapping is not JSON: {exc}") from None
    if not isinstance(value, dict):
        raise UsageError("--mapping must be a JSON object")
    return value


async def _stage(conn: asyncpg.Connection, slug: str, kind: str) -> int:
    try:
        return await stage_id(conn, slug, kind)
    except UnknownElection as exc:
        raise UsageError(str(exc)) from None


def _load(args: argparse.Namespace, settings: Settings) -> int:
    mapping = _mapping(args.mapping)
    is_url = args.target.startswith(("http://", "https://"))
    path = Path(args.target)
    if not is_url and not path.exists():
        raise UsageError(f"{path}: no such file or directory")
    url = args.target if is_url else path.resolve().as_uri()
    body = b""
    if not is_url:
        try:
            body = FORMATS[args.format].load_path(path)
        except OSError as exc:
            raise UsageError(f"{path}: {exc.strerror or exc}") from None

    async def work(conn: asyncpg.Connection) -> int:
        started = time.perf_counter()
        stage = await _stage(conn, args.election, args.stage)
        source_id = await ensure_source(
            conn,
            stage_id=stage,
            format=args.format,
            url=url,
            mapping=mapping,
            default_seconds=settings.poll_seconds,
            actor=actor(),
        )
        with LoadProgress(args.target, quiet=args.json) as bar:
            if is_url:
                async with http_client() as client:
                    result = await poll_source(conn, source_id, client, force=True, progress=bar)
            else:
                fetched = Fetched(body=body, url=url, headers={})
                bar("fetched")
                result = await claimed(
                    conn, source_id, lambda src: ingest_fetched(conn, src, fetched, progress=bar)
                )
        if result.snapshot_id is not None:  # a person's load is audited; the worker's are not
            await record(
                conn,
                actor=actor(),
                action="results.load",
                entity="snapshots",
                entity_id=result.snapshot_id,
                after={"outcome": result.outcome, "source_id": source_id, "error": result.error},
            )
        return _report(result, time.perf_counter() - started, as_json=args.json)

    return run_with_conn(settings, work)


def _report(result: PollResult, elapsed: float, *, as_json: bool) -> int:
    if as_json:
        print_json(msgspec.to_builtins(result) | {"elapsed": round(elapsed, 3)})
    else:
        print(summary(result, elapsed))
    return 0 if result.outcome in ("applied", "unchanged") else 1


def _sources_add(args: argparse.Namespace, settings: Settings) -> int:
    try:
        data = msgspec.convert(
            {
                "format": args.format,
                "url": args.url,
                "stage": args.stage,
                "mapping": _mapping(args.mapping) or {},
                "schedule_seconds": args.every,
                "enabled": not args.disabled,
            },
            SourceCreate,
        )
    except msgspec.ValidationError as exc:
        raise UsageError(str(exc)) from None

    async def work(conn: asyncpg.Connection) -> int:
        try:
            source = await add_source(
                conn, args.election, data, default_seconds=settings.poll_seconds, actor=actor()
            )
        except (UnknownElection, ValueError) as exc:
            raise UsageError(str(exc)) from None
        if args.json:
            print_json(source)
        else:
            print(
                f"source {source.id}: {source.format} {source.url} every {source.schedule_seconds}s"
            )
        return 0

    return run_with_conn(settings, work)


def _sources_list(args: argparse.Namespace, settings: Settings) -> int:
    async def work(conn: asyncpg.Connection) -> int:
        sources = await list_sources(conn, args.election)
        if args.json:
            print_json(sources)
            return 0
        for s in sources:
            state = "enabled" if s.enabled else "disabled"
            seen = f"{s.last_success_at:%Y-%m-%d %H:%M:%S}" if s.last_success_at else "never"
            print(
                f"{s.id:>4}  {s.election} {s.stage}  {s.format:<13} {state:<8} last {seen}  {s.url}"
            )
            for problem in filter(None, (s.warning, s.last_error and f"error: {s.last_error}")):
                print(f"      {problem}")
        return 0

    return run_with_conn(settings, work)


def _release(args: argparse.Namespace, settings: Settings) -> int:
    from endorse.results.release import NotReleasable, release

    async def work(conn: asyncpg.Connection) -> int:
        started = time.perf_counter()
        try:
            result = await release(conn, args.source_id, note=args.note, actor=actor())
        except (NotReleasable, LookupError) as exc:
            raise UsageError(str(exc)) from None
        return _report(result, time.perf_counter() - started, as_json=args.json)

    return run_with_conn(settings, work)


async def _run_worker(url: str, settings: Settings, *, once: bool) -> int:
    from endorse.db.pool import create_pool

    pool = await create_pool(url, min_size=1, max_size=settings.pool_max)
    try:
        if once:  # every enabled source, once, now (cron or a manual check)
            async with pool.acquire() as conn:
                ids = [r["id"] for r in await conn.fetch(*q.enabled_sources())]
            async with http_client() as client:

                async def one(source_id: int) -> PollResult:
                    async with pool.acquire() as conn:
                        return await poll_source(conn, source_id, client, force=True)

                results = await asyncio.gather(*(one(i) for i in ids))
            print_json(results)
            return 0 if all(r.outcome != "failed" for r in results) else 1
        worker = Worker(pool, refresh_seconds=float(max(1, min(30, settings.poll_seconds))))
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await worker.start()
        await stop.wait()
        await worker.stop()
        return 0
    finally:
        await pool.close()


def _worker(args: argparse.Namespace, settings: Settings) -> int:
    from endorse.logs import setup_logging

    setup_logging(settings.log_level)
    with database(settings) as url:
        return asyncio.run(_run_worker(url, settings, once=args.once))


def register(sub: Any) -> list[str]:
    results = sub.add_parser(
        "results", help="official results: load | sources add|list | release"
    ).add_subparsers(dest="results_command", required=True, metavar="ACTION")

    load = results.add_parser("load", help="one ingest of a file or URL (the worker's pipeline)")
    load.add_argument("--format", required=True, choices=sorted(FORMATS))
    load.add_argument("target", metavar="PATH_OR_URL")
    load.add_argument("--election", required=True, metavar="SLUG")
    load.add_argument("--stage", default="general", choices=STAGES)
    load.add_argument("--mapping", metavar="JSON", help="format options, e.g. html selectors")
    load.add_argument("--json", action="store_true")
    load.set_defaults(handler=_load)

    sources = results.add_parser("sources", help="sources the worker polls: add | list")
    actions = sources.add_subparsers(dest="sources_command", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="register a source to poll")
    add.add_argument("--election", required=True, metavar="SLUG")
    add.add_argument("--stage", default="general", choices=STAGES)
    add.add_argument("--format", required=True, choices=sorted(FORMATS))
    add.add_argument("url", metavar="URL")
    add.add_argument("--mapping", metavar="JSON")
    add.add_argument("--every", type=int, metavar="SECONDS", help="poll interval")
    add.add_argument("--disabled", action="store_true", help="register without polling")
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=_sources_add)
    listing = actions.add_parser("list", help="sources with last update and errors")
    listing.add_argument("--election", metavar="SLUG")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_sources_list)

    rel = results.add_parser("release", help="apply a source's quarantined payload, with a note")
    rel.add_argument("source_id", type=int, metavar="SOURCE_ID")
    rel.add_argument("--note", required=True, help="why this payload is right (audited)")
    rel.add_argument("--json", action="store_true")
    rel.set_defaults(handler=_release)

    worker = sub.add_parser("worker", help="the scheduler alone: poll every enabled source")
    worker.add_argument("--once", action="store_true", help="poll each enabled source once, exit")
    worker.set_defaults(handler=_worker)
    return ["results", "worker"]


__all__ = ["register"]
