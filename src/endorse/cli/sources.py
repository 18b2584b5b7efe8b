"""`endorse results sources add|list|pause|resume|edit` and `endorse results release`."""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

import asyncpg
import msgspec

from endorse.cli.helpers import UsageError, actor, answer, print_json, run_with_conn
from endorse.cli.progress import report
from endorse.results.release import release
from endorse.results.schemas import SourceCreate, SourceEdit
from endorse.results.source_edits import edit_source
from endorse.results.sources import add_source, list_sources
from endorse.settings import Settings


def parse_mapping(text: str | None) -> dict[str, Any] | None:
    """--mapping: a JSON object, or None when not given."""
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise UsageError(f"--mapping is not JSON: {exc}") from None
    if not isinstance(value, dict):
        raise UsageError("--mapping must be a JSON object")
    return value


def sources_add(args: argparse.Namespace, settings: Settings) -> int:
    try:
        data = msgspec.convert(
            {
                "format": args.format,
                "url": args.url,
                "stage": args.stage,
                "mapping": parse_mapping(args.mapping) or {},
                "schedule_seconds": args.every,
                "enabled": not args.disabled,
            },
            SourceCreate,
        )
    except msgspec.ValidationError as exc:
        raise UsageError(str(exc)) from None

    async def work(conn: asyncpg.Connection) -> int:
        source = await add_source(
            conn, args.election, data, default_seconds=settings.poll_seconds, actor=actor()
        )
        return answer(
            source,
            args.json,
            f"source {source.id}: {source.format} {source.url} every {source.schedule_seconds}s",
        )

    return run_with_conn(settings, work)


def sources_list(args: argparse.Namespace, settings: Settings) -> int:
    async def work(conn: asyncpg.Connection) -> int:
        sources = await list_sources(conn, args.election)
        if args.json:
            print_json(sources)
            return 0
        for s in sources:
            seen = f"{s.last_success_at:%Y-%m-%d %H:%M:%S}" if s.last_success_at else "never"
            print(
                f"{s.id:>4}  {s.election} {s.stage}  {s.format:<13} {s.health:<8} "
                f"every {s.schedule_seconds}s  last {seen}  {s.url}"
            )
            if s.health != "healthy":
                print(f"      {s.health_reason}")
            if s.warning and s.warning not in s.health_reason:
                print(f"      {s.warning}")
        return 0

    return run_with_conn(settings, work)


def sources_edit(args: argparse.Namespace, settings: Settings) -> int:
    """pause | resume | edit: one change to one source, audited."""
    fields: dict[str, Any] = {}
    if args.sources_command in ("pause", "resume"):
        fields["enabled"] = args.sources_command == "resume"
    else:
        if args.every is not None:
            fields["schedule_seconds"] = args.every
        if args.mapping is not None:
            fields["mapping"] = parse_mapping(args.mapping)
        if not fields:
            raise UsageError("edit: give --every SECONDS and/or --mapping JSON")
    try:
        data = msgspec.convert(fields, SourceEdit)
    except msgspec.ValidationError as exc:
        raise UsageError(str(exc).replace("$.schedule_seconds", "--every")) from None

    async def work(conn: asyncpg.Connection) -> int:
        source = await edit_source(conn, args.source_id, data, actor=actor())
        return answer(
            source,
            args.json,
            f"source {source.id}: {source.health}, every {source.schedule_seconds}s",
        )

    return run_with_conn(settings, work)


def release_quarantined(args: argparse.Namespace, settings: Settings) -> int:
    async def work(conn: asyncpg.Connection) -> int:
        started = time.perf_counter()
        result = await release(conn, args.source_id, note=args.note, actor=actor())
        return report(result, time.perf_counter() - started, as_json=args.json)

    return run_with_conn(settings, work)
