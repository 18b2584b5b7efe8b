"""`endorse elections create|list`: the frame endorsements and results hang on."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

import asyncpg
import msgspec

from endorse.cli.helpers import UsageError, actor, answer, print_json, run_with_conn
from endorse.elections.schemas import ElectionCreate, Stage
from endorse.elections.service import create_election, list_elections
from endorse.settings import Settings


def _stage(text: str) -> Stage:
    """'general=2018-11-06' -> Stage; argparse turns the ValueError into a usage error."""
    kind, _, day = text.partition("=")
    try:
        return msgspec.convert({"kind": kind, "election_day": day}, Stage, strict=False)
    except msgspec.ValidationError as exc:
        raise argparse.ArgumentTypeError(f"--stage {text!r}: {exc} (use KIND=YYYY-MM-DD)") from None


def _create(args: argparse.Namespace, settings: Settings) -> int:
    try:
        data = msgspec.convert(
            {
                "slug": args.slug,
                "name": args.name,
                "election_date": args.date,
                "stages": [msgspec.to_builtins(s) for s in args.stage],
                "jurisdiction": args.jurisdiction,
            },
            ElectionCreate,
            strict=False,
        )
    except msgspec.ValidationError as exc:
        raise UsageError(str(exc)) from None

    async def work(conn: asyncpg.Connection) -> int:
        election = await create_election(conn, data, actor=actor())
        return answer(
            election,
            args.json,
            f"created {election.slug}: {', '.join(s.kind for s in election.stages)}",
        )

    return run_with_conn(settings, work)


def _list(args: argparse.Namespace, settings: Settings) -> int:
    async def work(conn: asyncpg.Connection) -> int:
        elections = await list_elections(conn)
        if args.json:
            print_json(elections)
        for e in [] if args.json else elections:
            stages = ", ".join(f"{s.kind} {s.election_day}" for s in e.stages)
            print(f"{e.slug}\t{e.name}\t{stages}")
        return 0

    return run_with_conn(settings, work)


def register(sub: Any) -> None:
    actions = sub.add_parser("elections", help="elections and their stages: create | list")
    act = actions.add_subparsers(dest="elections_command", required=True, metavar="ACTION")
    create = act.add_parser("create", help="create an election with its stages")
    create.add_argument("--slug", required=True, help="e.g. 2018-ct-general")
    create.add_argument("--name", required=True)
    create.add_argument("--date", required=True, type=dt.date.fromisoformat, help="YYYY-MM-DD")
    create.add_argument(
        "--stage", action="append", type=_stage, required=True, help="KIND=YYYY-MM-DD, repeatable"
    )
    create.add_argument("--jurisdiction", default="CT")
    create.add_argument("--json", action="store_true")
    create.set_defaults(handler=_create)
    listing = act.add_parser("list", help="list elections")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_list)
