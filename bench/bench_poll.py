"""A full poll cycle of a 200k-row state over HTTP on 127.0.0.1, against the poll interval.

The generated state (bench/generate.py) is served as an OpenElections CSV by a small HTTP server
in a thread of this process (ETag and If-None-Match, as the real sites do). Each cycle is the
worker's own code, poll_source(): claim, conditional GET, hash, snapshot, parse, merge,
NOTIFY, commit. Timed: the first load, a new version with 5% of the counts changed (the
election-night case), and a cycle where nothing changed (304). Baseline: a 5 s poll interval;
median of 3 fresh databases.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from bench import generate
from bench._common import QUICK, REPEATS, SLUG, database, embedded, median, template, timed
from bench.bench_ingest import CHANGED_EVERY
from endorse.db.pool import connect
from endorse.elections.service import stage_id
from endorse.results.fetching import FetchLimits, http_client
from endorse.results.pipeline import poll_source
from endorse.results.sources import ensure_source

ROWS = 20_000 if QUICK else 200_000
INTERVAL = 5.0


class _Feed(BaseHTTPRequestHandler):
    body = b""

    def do_GET(self) -> None:
        etag = '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/csv")
        self.send_header("Content-Length", str(len(self.body)))
        self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: Any) -> None:
        pass


def _changed(body: bytes) -> bytes:
    """The same file with every 20th precinct's counts moved by one (5% of rows)."""
    lines = body.decode().split("\n")
    units = sorted({line.rsplit(",", 1)[-1] + line.split(",")[4] for line in lines[1:] if line})
    moved = set(units[::CHANGED_EVERY])
    out = [lines[0]]
    for line in lines[1:]:
        if line and line.rsplit(",", 1)[-1] + line.split(",")[4] in moved:
            head, votes, unit = line.rsplit(",", 2)
            line = f"{head},{int(votes) + 1},{unit}"
        out.append(line)
    return "\n".join(out).encode()


async def _bench(admin: str, port: int) -> dict[str, Any]:
    tpl = await template(admin)
    body = generate.openelections_bytes(ROWS)
    changed = _changed(body)
    out: dict[str, list[float]] = {}
    written: dict[str, int] = {}
    for i in range(REPEATS):
        conn = await connect(await database(admin, f"bench_poll_{i}", tpl))
        try:
            stage = await stage_id(conn, SLUG, "general")
            src = await ensure_source(conn, stage_id=stage, format="openelections",
                                      url=f"http://127.0.0.1:{port}/state.csv", mapping={},
                                      default_seconds=30, actor="bench")  # fmt: skip
            # the feed is on 127.0.0.1, which the fetch guard refuses unless told otherwise
            limits = FetchLimits(allow_private=True)
            async with http_client(limits) as client:
                for step, payload in (("first", body), ("changed", changed), ("same", changed)):
                    _Feed.body = payload
                    secs, result = await timed(
                        lambda c=conn, s=src, h=client, x=limits: poll_source(
                            c, s, h, force=True, limits=x
                        )
                    )
                    out.setdefault(step, []).append(secs)
                    written[step] = result.stats.rows_written if result.stats else 0
                    written[f"{step}_outcome"] = result.outcome
        finally:
            await conn.close()
    return {"m": {k: median(v) for k, v in out.items()}, "w": written, "size": len(body)}


def run() -> str:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Feed)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with embedded() as (admin, _tmp):
            r = asyncio.run(_bench(admin, server.server_address[1]))
    finally:
        server.shutdown()
    m, w = r["m"], r["w"]
    # a cycle that failed measured nothing: it never meets the goal
    ok = m["changed"] / INTERVAL <= 0.1 and w["changed_outcome"] == "applied"

    def line(step: str, label: str) -> str:
        return (f"| {label}: {w[f'{step}_outcome']}, {w[step]:,} rows written | {m[step]:.3f} "
                f"| {m[step] / INTERVAL:.3f}x |")  # fmt: skip

    return "\n".join([
        "## Poll cycle over HTTP (`bench/bench_poll.py`)",
        "",
        f"The generated state, {ROWS:,} rows ({r['size'] / 1e6:.1f} MB of CSV), served on "
        "127.0.0.1 with ETags; `poll_source()` as the worker runs it (fetch, hash, snapshot, "
        f"parse, merge, NOTIFY, commit); median of {REPEATS} fresh databases. Baseline: a "
        f"{INTERVAL:.0f} s poll interval; goal: a cycle with new data at most 0.1x of it, "
        f"{'**met**' if ok else '**missed**'}.",
        "",
        "| cycle | seconds | vs. 5 s interval |",
        "|---|---:|---:|",
        line("first", "first load"),
        line("changed", "**new version, 5% of counts changed**"),
        line("same", "nothing new (304)"),
    ])  # fmt: skip


if __name__ == "__main__":
    print(run())
