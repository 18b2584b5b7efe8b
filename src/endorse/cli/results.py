"""`endorse results load|sources|release` and `endorse worker`: thin over the pipeline."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import re
import time
from pathlib import Path
from typing import Any

import asyncpg

from endorse.auth.audit import record
from endorse.cli import held
from endorse.cli.helpers import UsageError, actor, database, print_json, run_with_conn
from endorse.cli.progress import LoadProgress, report
from endorse.cli.sources import (
    parse_mapping,
    release_quarantined,
    sources_add,
    sources_edit,
    sources_list,
)
from endorse.elections.schemas import STAGE_KINDS, Election, ElectionCreate, Stage
from endorse.elections.service import UnknownElection, create_election, get_election, stage_id
from endorse.results.fetching import FetchLimits, http_client
from endorse.results.pipeline import claimed, ingest_handed, poll_source
from endorse.results.reconcile import reconciliation
from endorse.results.sources import ensure_source
from endorse.results.worker import poll_all_once, run_until_signalled
from endorse.settings import Settings
from scrapers import FORMATS, Fetched

_FILE_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})__")  # OpenElections: 20181106__ct__general…


def _date_for(args: argparse.Namespace) -> dt.date:
    """--date, else the date an OpenElections file name starts with."""
    if args.date is not None:
        return args.date
    match = _FILE_DATE.match(Path(args.target.split("?")[0]).name)
    if match is None:
        raise UsageError("--create: say the election's day with --date YYYY-MM-DD")
    return dt.date(int(match[1]), int(match[2]), int(match[3]))


async def _election(conn: asyncpg.Connection, args: argparse.Namespace) -> Election:
    """The election to load into; with --create, made (audited) when it does not exist."""
    try:
        return await get_election(conn, args.election)
    except UnknownElection:
        if not args.create:
            kind = args.stage or "general"
            raise UsageError(
                f"election: no election with slug {args.election!r}. Create it with "
                f"`endorse elections create --slug {args.election} --name NAME "
                f"--date YYYY-MM-DD --stage {kind}=YYYY-MM-DD`, or load with --create "
                "(and --date when the file name does not start with the day)"
            ) from None
    day = _date_for(args)
    data = ElectionCreate(
        args.election, args.name or args.election, day, [Stage(args.stage or "general", day)]
    )
    return await create_election(conn, data, actor=actor())


async def _stage(conn: asyncpg.Connection, args: argparse.Namespace) -> int:
    """The stage named by --stage, or the election's only stage when --stage is not given."""
    election = await _election(conn, args)
    kinds = [s.kind for s in election.stages]
    kind = args.stage
    if kind is None:
        if len(kinds) != 1:
            raise UsageError(
                f"--stage: election {args.election!r} has stages {', '.join(kinds)}; say which"
            )
        kind = kinds[0]
    return await stage_id(conn, args.election, kind)


def _check_size(path: Path, cap: int) -> None:
    """A local file (or a ct-sots folder's files) under the same byte cap as a fetched body,
    before a byte of it is read."""
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    size = sum(f.stat().st_size for f in files)
    if size > cap:
        raise UsageError(
            f"{path}: {size:,} bytes is over the cap of {cap:,} (ENDORSE_FETCH_MAX_BYTES)"
        )


def _load(args: argparse.Namespace, settings: Settings) -> int:
    mapping = parse_mapping(args.mapping)
    is_url = args.target.startswith(("http://", "https://"))
    path = Path(args.target)
    if not is_url and not path.exists():
        raise UsageError(f"{path}: no such file or directory")
    url = args.target if is_url else path.resolve().as_uri()
    # the file's bytes, handed to the load to hold alone: let go once parsed (ingest_handed)
    payload: list[bytes] = []
    if not is_url:
        _check_size(path, settings.fetch_max_bytes)
        try:
            payload.append(FORMATS[args.format].load_path(path))
        except OSError as exc:
            raise UsageError(f"{path}: {exc.strerror or exc}") from None

    async def work(conn: asyncpg.Connection) -> int:
        started = time.perf_counter()
        stage = await _stage(conn, args)
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
                limits = FetchLimits.from_settings(settings)
                async with http_client(limits) as client:
                    result = await poll_source(
                        conn, source_id, client, force=True, progress=bar, limits=limits
                    )
            else:
                handed = [Fetched(body=payload.pop(), url=url, headers={})]
                bar("fetched")
                result = await claimed(
                    conn, source_id, lambda src: ingest_handed(conn, src, handed, progress=bar)
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


def _reconcile(args: argparse.Namespace, settings: Settings) -> int:
    async def work(conn: asyncpg.Connection) -> int:
        found = await reconciliation(conn, args.election)
        if args.json:
            print_json(found)
            return 0
        print(
            f"{found.election}: {found.contests_compared} contests carried by more than one of "
            f"{found.sources} sources; {len(found.disagreements)} disagree"
        )
        for d in found.disagreements:
            contest = " ".join(filter(None, (d.stage, d.office, d.district, d.party)))
            print(f"{contest} (figures follow source {d.preferred_source_id}):")
            for s in d.sources:
                numbers = ", ".join(f"{name} {votes:,}" for name, votes in s.totals.items())
                print(f"  source {s.source_id} {s.format} {s.status}: {numbers}")
        return 0

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
        "results",
        help="official results: load | sources add|list | release | held | accept | reconcile",
    ).add_subparsers(dest="results_command", required=True, metavar="ACTION")

    load = results.add_parser("load", help="one ingest of a file or URL (the worker's pipeline)")
    load.add_argument("--format", required=True, choices=sorted(FORMATS))
    load.add_argument("target", metavar="PATH_OR_URL")
    load.add_argument("--election", required=True, metavar="SLUG")
    load.add_argument(
        "--stage", choices=STAGE_KINDS, help="which stage (default: the election's only one)"
    )
    load.add_argument("--create", action="store_true", help="create the election if unknown")
    load.add_argument("--date", type=dt.date.fromisoformat, help="with --create: YYYY-MM-DD")
    load.add_argument("--name", help="with --create: the election's name (default: the slug)")
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

    held.register(results)

    rec = results.add_parser("reconcile", help="contests where two sources disagree")
    rec.add_argument("--election", required=True, metavar="SLUG")
    rec.add_argument("--json", action="store_true")
    rec.set_defaults(handler=_reconcile)

    worker = sub.add_parser("worker", help="the scheduler alone: poll every enabled source")
    worker.add_argument("--once", action="store_true", help="poll each enabled source once, exit")
    worker.set_defaults(handler=_worker)


__all__ = ["register"]
