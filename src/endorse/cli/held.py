"""`endorse results held` and `endorse results accept`: contests held back because their
counts went backwards, and a person applying one (thin over endorse.results.accept)."""

from __future__ import annotations

import argparse
from typing import Any

import asyncpg

from endorse.cli.helpers import actor, answer, print_json, run_with_conn
from endorse.results.accept import accept, list_held
from endorse.settings import Settings


def held_list(args: argparse.Namespace, settings: Settings) -> int:
    async def work(conn: asyncpg.Connection) -> int:
        held = await list_held(conn, election=args.election, source_id=args.source)
        if args.json:
            print_json(held)
            return 0
        if not held:
            print("nothing held")
        for x in held:
            print(f"{x.id}  source {x.source_id}  snapshot {x.snapshot_id}  {x.label}")
            for reason in x.reasons:
                print(f"      {reason}")
        return 0

    return run_with_conn(settings, work)


def held_accept(args: argparse.Namespace, settings: Settings) -> int:
    async def work(conn: asyncpg.Connection) -> int:
        done = await accept(conn, args.held_id, note=args.note, actor=actor())
        return answer(
            done,
            args.json,
            f"accepted {done.id}: {done.label} applied from snapshot {done.snapshot_id}",
        )

    return run_with_conn(settings, work)


def register(results: Any) -> None:
    """Under `endorse results`: held [--election SLUG] [--source ID], accept HELD_ID --note."""
    listing = results.add_parser("held", help="contests held back: their counts went backwards")
    listing.add_argument("--election", metavar="SLUG")
    listing.add_argument("--source", type=int, metavar="SOURCE_ID")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=held_list)
    one = results.add_parser("accept", help="apply a held contest, with a note saying why")
    one.add_argument("held_id", type=int, metavar="HELD_ID")
    one.add_argument("--note", required=True, help="why the lower count is right (audited)")
    one.add_argument("--json", action="store_true")
    one.set_defaults(handler=held_accept)
