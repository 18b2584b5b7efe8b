"""`endorse demo`: a fictional election night through the real pipeline; `endorse replay`."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from typing import Any

import asyncpg

from endorse.cli.helpers import UsageError, actor, answer, database, print_json, run_with_conn
from endorse.demo import feed
from endorse.demo.remove import remove_demo
from endorse.demo.setup import DemoRefused, refuse_beside_real_work
from endorse.elections.service import get_election
from endorse.settings import Settings


def _refusal(settings: Settings) -> str | None:
    """Why the demo may not start here, or None. Only on the embedded default database."""
    if settings.database_url:
        return "DATABASE_URL is set: the demo starts only on the embedded database"
    return None


def _serve_clean(args: argparse.Namespace, settings: Settings, why: str) -> int:
    from endorse.logs import setup_logging

    setup_logging(settings.log_level)
    print(f"demo: not started ({why}); serving without it", file=sys.stderr)
    with database(settings) as url:
        return _plain(url, args, settings)


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    if args.remove:
        return _remove(args, settings)
    why = _refusal(settings)
    if why is not None:
        if args.or_serve:
            return _serve_clean(args, settings, why)
        raise UsageError(why)
    if args.once:
        return _once(args, settings)
    from endorse.app import create_app
    from endorse.demo.night import live
    from endorse.logs import setup_logging

    setup_logging(settings.log_level)
    with database(settings) as url:
        try:
            asyncio.run(_check(url))
        except DemoRefused as exc:
            if not args.or_serve:
                raise UsageError(str(exc)) from None
            print(f"demo: not started ({exc}); serving without it", file=sys.stderr)
            return _plain(url, args, settings)
        signal.signal(signal.SIGTERM, lambda *_: None)  # as `endorse serve`: stop PostgreSQL too
        live(
            url, settings, lambda s, u: create_app(s, u, worker=True), actor=actor(), speed=args.speed, host=settings.host,
            port=args.port or settings.port, layout=args.layout,
        )  # fmt: skip
    return 0


async def _check(url: str) -> None:
    from endorse.db.pool import connect

    conn = await connect(url)
    try:
        await refuse_beside_real_work(conn)
    finally:
        await conn.close()


def _plain(url: str, args: argparse.Namespace, settings: Settings) -> int:
    from endorse.app import create_app
    from endorse.serving import run

    app = create_app(settings, url, worker=True)
    signal.signal(signal.SIGTERM, lambda *_: None)  # as `endorse serve`: stop PostgreSQL too
    run(app, host=settings.host, port=args.port or settings.port,
        grace_seconds=settings.shutdown_grace_seconds)  # fmt: skip
    return 0


def _once(args: argparse.Namespace, settings: Settings) -> int:
    from endorse.demo.night import once

    async def work(conn: asyncpg.Connection) -> int:
        lines = await once(conn, actor=actor(), layout=args.layout)  # DemoRefused: exit 2
        print("\n".join(lines))
        return 0

    return run_with_conn(settings, work)


def _remove(args: argparse.Namespace, settings: Settings) -> int:
    async def work(conn: asyncpg.Connection) -> int:
        removed = await remove_demo(conn, actor=actor())
        return answer(
            removed,
            args.json,
            f"removed {len(removed.elections)} demo election(s), {removed.endorsements} "
            f"endorsement(s), {removed.bodies} bod(y/ies)",
        )

    return run_with_conn(settings, work)


def _speed(text: str) -> float:
    value = float(text)
    if not 0 < value <= 10_000:
        raise argparse.ArgumentTypeError(f"--speed {text}: must be above 0 and at most 10000")
    return value


def register(sub: Any) -> list[str]:
    demo = sub.add_parser(
        "demo",
        help="a fictional election night through the real pipeline (make run starts it)",
        description="Serve a clearly marked DEMO election night: a local stand-in for the "
        "official sites advances from 0%% to official while the worker polls it. Starts only "
        "on the embedded database and only when it holds no real election.",
    )
    mode = demo.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="poll every version now, print, exit")
    mode.add_argument("--remove", action="store_true", help="delete everything the demo made")
    mode.add_argument(
        "--or-serve",
        action="store_true",
        help="when the demo may not start, serve without it (what `make run` uses)",
    )
    demo.add_argument("--speed", type=_speed, default=1.0,
                      help="how fast the night runs: 1 = 0%% to official in 3 minutes")  # fmt: skip
    demo.add_argument("--port", type=int, help="port (ENDORSE_PORT, default 8000)")
    demo.add_argument("--layout", choices=feed.LAYOUTS, default=feed.LAYOUTS[0],
                      help="the CT feed's file layout (split: the site since 2024)")  # fmt: skip
    demo.add_argument("--json", action="store_true", help="with --remove: what went, as JSON")
    demo.set_defaults(handler=_demo)

    again = sub.add_parser(
        "replay",
        help="replay a past night from its stored raw snapshots into a scratch election",
        description="Copy an election (stages, ballot, endorsements, sources) into SLUG-replay "
        "and feed it every stored payload of the night again through the pipeline, in order.",
    )
    again.add_argument("slug", metavar="SLUG", help="the election whose night to replay")
    again.add_argument("--speed", type=float, default=1.0,
                       help="N times the night's own pace (default 1; 0: no waiting)")  # fmt: skip
    again.add_argument("--into", help="the scratch election's slug (default SLUG-replay)")
    again.add_argument("--remove", action="store_true", help="delete the replay instead")
    again.add_argument("--json", action="store_true")
    again.set_defaults(handler=_replay)
    return ["demo", "replay"]


def _replay(args: argparse.Namespace, settings: Settings) -> int:
    from endorse.demo.replay import remove_replay, replay, target_slug
    from endorse.figures.stats import get_stats

    if args.speed < 0:
        raise UsageError(f"--speed {args.speed}: must be 0 or more")
    into = args.into or target_slug(args.slug)

    def progress(done: int, total: int, what: str) -> None:
        print(f"[{done}/{total}] {what}", file=sys.stderr)

    async def work(conn: asyncpg.Connection) -> int:  # ReplayRefused: exit 2
        if args.remove:
            removed = await remove_replay(conn, into, actor=actor())
            return answer(
                removed, args.json, f"removed {', '.join(removed.elections) or 'nothing'}"
            )
        done = await replay(
            conn, args.slug, into=into, speed=args.speed, actor=actor(), progress=progress
        )
        if args.json:
            print_json(done)
            return 0
        outcomes = ", ".join(f"{n} {what}" for what, n in sorted(done.outcomes.items()))
        print(
            f"replayed {done.payloads} payload(s) of {done.election} into {done.replay}: {outcomes}"
        )
        for stage in (await get_election(conn, into)).stages:
            print(f"{stage.kind}: {(await get_stats(conn, into, stage.kind)).sentence}")
        return 0

    return run_with_conn(settings, work)
