"""Run the demo night: a live one (the service with its worker polling the demo feed) or all
of it at once (`--once`: each version polled in turn through the same pipeline)."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from typing import Any

import asyncpg
import httpx
import msgspec

from endorse.db.pool import connect
from endorse.db.queries import load
from endorse.demo import returns, state
from endorse.demo.feed import NightFeed, serve_in_thread
from endorse.demo.setup import set_up
from endorse.figures.stats import get_stats
from endorse.results.pipeline import poll_source
from endorse.settings import Settings

q = load("demo")


async def _prepare(url: str, feed_base: str, actor: str) -> list[int]:
    conn = await connect(url)
    try:
        return await set_up(conn, feed_base, actor=actor)
    finally:
        await conn.close()


def live(
    url: str,
    settings: Settings,
    make_app: Callable[[Settings, str], Any],
    *,
    actor: str,
    speed: float,
    host: str,
    port: int,
    layout: str,
) -> None:
    """Set the night up, then serve the app (with its worker) until stopped; the feed's clock
    starts as the service does, so the worker's first poll finds the ballot at 0%.
    `make_app(settings, url)` builds the served app with its worker; the CLI passes it, since
    the demo sits below the app it drives."""
    from endorse.serving import run

    feed = NightFeed(speed=speed, layout=layout)
    with serve_in_thread(feed) as feed_base:
        asyncio.run(_prepare(url, feed_base, actor))
        minutes = returns.OFFICIAL * feed.step_seconds / 60
        print(
            f"demo: a fictional election night ({state.SLUG}), 0% to official in "
            f"{minutes:.1f} min: open http://{host}:{port}/ (remove it: endorse demo --remove)",
            file=sys.stderr,
        )
        # The demo's feed is on this machine (loopback): its worker may fetch from it.
        app = make_app(msgspec.structs.replace(settings, fetch_allow_private=True), url)
        app.on_startup.append(lambda: feed.start())
        try:
            run(app, host=host, port=port, grace_seconds=settings.shutdown_grace_seconds)
        finally:
            asyncio.run(_stop_polling(url))


async def _stop_polling(url: str) -> None:
    """The feed goes with this process: a later `endorse serve` must not poll a dead port."""
    conn = await connect(url)
    try:
        await conn.execute(*q.disable_demo_sources())
    finally:
        await conn.close()


async def once(conn: asyncpg.Connection, *, actor: str, layout: str) -> list[str]:
    """Every version of the night, each polled in turn; the sentence after each."""
    feed = NightFeed(layout=layout)
    lines = []
    with serve_in_thread(feed) as feed_base:
        sources = await set_up(conn, feed_base, actor=actor)
        async with httpx.AsyncClient() as client:
            for step in range(returns.STEPS):
                feed.step = step
                for source_id in sources:
                    await poll_source(conn, source_id, client, force=True)
                done, total = returns.precincts(tuple(state.TOWNS), step)
                label = "official" if step == returns.OFFICIAL else f"{done} of {total} places"
                sentence = (await get_stats(conn, state.SLUG, "general")).sentence
                lines.append(f"[{label}] {sentence}")
        await conn.execute(*q.disable_demo_sources())  # the feed stops here
    return lines
