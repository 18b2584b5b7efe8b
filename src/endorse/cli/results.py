"""`endorse results load|sources|release` and `endorse worker`: thin over the pipeline."""

from __future__ import annotations

import argparse
import asyncio
import time
from pathlib import Path
from typing import Any

import asyncpg

from endorse.auth.audit import record
from endorse.cli.helpers import UsageError, actor, database, print_json, run_with_conn
from endorse.cli.progress import LoadProgress, report
from endorse.cli.sources import (
    parse_mapping,
    release_quarantined,
    sources_add,
    sources_edit,
    sources_list,
)
from endorse.elections.schemas import STAGE_KINDS
from endorse.elections.service import stage_id
from endorse.results.pipeline import claimed, ingest_fetched, poll_source
from endorse.results.sources import ensure_source
from endorse.results.worker import http_client, poll_all_once, run_until_signalled
from endorse.settings import Settings
from scrapers import FORMATS, Fetched


async def _stage(conn: asyncpg.Connection, slug: str, kind: str) -> int:
    return await stage_id(conn, slug, kind)


def _load(args: argparse.Namespace, settings: Settings) -> int:
    mapping = parse_mapping(args.mapping)
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
        return report(result, time.perf_counter() - started, as_json=args.json)

    return run_with_conn(settings, work)


def _worker(args: argparse.Namespace, settings: Settings) -> int:
    from endorse.logs import setup_logging

    setup_logging(settings.log_level)
    with database(settings) as url:
        if args.once:
            results = asyncio.run(poll_all_once(url, settings))
            print_json(results)
            return 0 if all(r.outcome != "failed" for r in results) else 1
        asyncio.run(run_until_signalled(url, settings))
        return 0


def register(sub: Any) -> None:
    results = sub.add_parser(
        "results", help="official results: load | sources add|list | release"
    ).add_subparsers(dest="results_command", required=True, metavar="ACTION")

    load = results.add_parser("load", help="one ingest of a file or URL (the worker's pipeline)")
    load.add_argument("--format", required=True, choices=sorted(FORMATS))
    load.add_argument("target", metavar="PATH_OR_URL")
    load.add_argument("--election", required=True, metavar="SLUG")
    load.add_argument("--stage", default="general", choices=STAGE_KINDS)
    load.add_argument("--mapping", metavar="JSON", help="format options, e.g. html selectors")
    load.add_argument("--json", action="store_true")
    load.set_defaults(handler=_load)

    sources = results.add_parser(
        "sources", help="sources the worker polls: add | list | pause | resume | edit"
    )
    actions = sources.add_subparsers(dest="sources_command", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="register a source to poll")
    add.add_argument("--election", required=True, metavar="SLUG")
    add.add_argument("--stage", default="general", choices=STAGE_KINDS)
    add.add_argument("--format", required=True, choices=sorted(FORMATS))
    add.add_argument("url", metavar="URL")
    add.add_argument("--mapping", metavar="JSON")
    add.add_argument("--every", type=int, metavar="SECONDS", help="poll interval")
    add.add_argument("--disabled", action="store_true", help="register without polling")
    add.add_argument("--json", action="store_true")
    add.set_defaults(handler=sources_add)
    listing = actions.add_parser("list", help="sources with last update and errors")
    listing.add_argument("--election", metavar="SLUG")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=sources_list)
    for name, text in (("pause", "stop polling a source"), ("resume", "poll a source again")):
        one = actions.add_parser(name, help=text)
        one.add_argument("source_id", type=int, metavar="SOURCE_ID")
        one.add_argument("--json", action="store_true")
        one.set_defaults(handler=sources_edit)
    edit = actions.add_parser("edit", help="change a source's interval or mapping")
    edit.add_argument("source_id", type=int, metavar="SOURCE_ID")
    edit.add_argument("--every", type=int, metavar="SECONDS", help="poll interval")
    edit.add_argument("--mapping", metavar="JSON", help="replaces the format options")
    edit.add_argument("--json", action="store_true")
    edit.set_defaults(handler=sources_edit)

    rel = results.add_parser("release", help="apply a source's quarantined payload, with a note")
    rel.add_argument("source_id", type=int, metavar="SOURCE_ID")
    rel.add_argument("--note", required=True, help="why this payload is right (audited)")
    rel.add_argument("--json", action="store_true")
    rel.set_defaults(handler=release_quarantined)

    worker = sub.add_parser("worker", help="the scheduler alone: poll every enabled source")
    worker.add_argument("--once", action="store_true", help="poll each enabled source once, exit")
    worker.set_defaults(handler=_worker)


__all__ = ["register"]
