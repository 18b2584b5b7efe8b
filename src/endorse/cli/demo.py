"""`endorse demo`: a simulated election night through the real pipeline."""

from __future__ import annotations

import argparse
import asyncio
import sys
import threading
import time
from typing import Any

import asyncpg
import httpx

from endorse.cli.helpers import actor, database, run_with_conn
from endorse.demo import night
from endorse.demo.feed import NightFeed, serve_in_thread
from endorse.demo.run import SLUG, set_up, step
from endorse.settings import Settings


def _once(feed: NightFeed, feed_url: str, settings: Settings) -> int:
    """Walk every step of the night now and print the sentence after each (scripts, tests)."""

    async def work(conn: asyncpg.Connection) -> int:
        source_id = await set_up(conn, feed_url, actor=actor())
        async with httpx.AsyncClient() as client:
            for i, (towns, official) in enumerate(night.STEPS):
                feed.step = i
                sentence = await step(conn, source_id, client)
                label = "official" if official else f"{towns} of {len(night.TOWNS)} towns"
                print(f"[{label}] {sentence}")
        return 0

    return run_with_conn(settings, work)


def _live(feed: NightFeed, feed_url: str, args: argparse.Namespace, settings: Settings) -> int:
    """Serve the dashboard with the worker polling the feed while the night moves on."""
    import uvicorn

    from endorse.app import create_app
    from endorse.db.pool import connect

    def advance() -> None:
        for i in range(1, len(night.STEPS)):
            time.sleep(args.step_seconds)
            feed.step = i
            print(f"demo: the feed moved to step {i + 1} of {len(night.STEPS)}", file=sys.stderr)

    with database(settings) as url:

        async def prepare() -> None:
            conn = await connect(url)
            try:
                await set_up(conn, feed_url, actor=actor())
            finally:
                await conn.close()

        asyncio.run(prepare())
        port = args.port or settings.port
        print(f"demo: open http://{settings.host}:{port}/?election={SLUG}", file=sys.stderr)
        threading.Thread(target=advance, daemon=True).start()
        app = create_app(settings, url, worker=True)
        uvicorn.run(app, host=settings.host, port=port, log_config=None, access_log=False)
    return 0


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    feed = NightFeed()
    with serve_in_thread(feed) as feed_url:
        if args.once:
            return _once(feed, feed_url, settings)
        return _live(feed, feed_url, args, settings)


def register(sub: Any) -> None:
    demo = sub.add_parser("demo", help="a simulated election night through the real pipeline")
    demo.add_argument("--once", action="store_true", help="run every step now, print, exit")
    demo.add_argument("--port", type=int, help="dashboard port (ENDORSE_PORT, default 8000)")
    demo.add_argument(
        "--step-seconds", type=float, default=20.0, help="seconds between feed versions"
    )
    demo.set_defaults(handler=_demo)
