"""`endorse visibility SLUG [--stage KIND] [public|private]`: show or switch who may see a stage's
endorsements (audited); without a value it prints each stage's visibility."""

from __future__ import annotations

import argparse

import asyncpg

from endorse.cli.helpers import UsageError, actor, print_json, run_with_conn
from endorse.elections import visibility
from endorse.elections.schemas import STAGE_KINDS
from endorse.settings import Settings


def _visibility(args: argparse.Namespace, settings: Settings) -> int:
    async def work(conn: asyncpg.Connection) -> int:
        if args.value is not None:
            changed = await visibility.set_visibility(
                conn, args.slug, args.stage, args.value, actor=actor()
            )
            if not args.json:
                print(f"{args.slug} {args.stage}: {args.value}" + ("" if changed else " already"))
        stages = await visibility.stage_visibilities(conn, args.slug)
        if not stages:
            raise UsageError(f"election: no election with slug {args.slug!r}")
        if args.json:
            print_json(stages)
        elif args.value is None:
            for kind, value in stages.items():
                print(f"{args.slug} {kind}: {value}")
        return 0

    return run_with_conn(settings, work)


def register(sub: argparse._SubParsersAction) -> list[str]:
    p = sub.add_parser(
        "visibility", help="show or switch who may see a stage's endorsements (private|public)"
    )
    p.add_argument("slug", help="the election")
    p.add_argument("value", nargs="?", choices=visibility.VISIBILITIES, help="switch to this")
    p.add_argument("--stage", default="general", choices=STAGE_KINDS)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_visibility)
    return ["visibility"]
