"""SSE fan-out: 2,000 connected dashboards, ingest commit to the last client's event.

The app runs as `endorse serve` runs it (uvicorn, one process, its LISTEN connection); 2,000
clients hold a stream open from this process over 127.0.0.1. Each round commits an ingest that
changes one contest (apply_parsed, whose NOTIFYs are delivered at commit) and times, for every
client, commit -> its event. Two streams, one after the other on the same server:

- GET /api/v1/events (the API's stream): each client's `results` event;
- GET /elections/<slug>/events (the night page's stream, what the election-night room holds
  open): the ingest's night_changed NOTIFY (sql/0050) makes the hub read the new numbered
  change once and send it to every client: each client's `change` event.

Baseline, same run, same client code: a plain asyncio server holding the same number of sockets
writes one event to each of them when told (raw transport writes, no framework, no database);
measured once, it is the baseline of both streams. Per-delivery cost = time to the last client
/ clients, on both sides. Rounds: 5 (3 in QUICK) per stream, p99 over all deliveries of all
rounds of that stream.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from bench._common import QUICK, SLUG, database, embedded, median, template, verdict
from bench._serve import running
from endorse.db.pool import connect
from endorse.elections.service import stage_id
from endorse.results.ingest import apply_parsed
from scrapers.records import Parsed, ResultRecord

CLIENTS = 300 if QUICK else 2_000
ROUNDS = 3 if QUICK else 5
TIMEOUT = 30.0  # a round gives up after this long: the bench always ends


class _Client:
    def __init__(self, marker: bytes) -> None:
        self.marker = marker  # the event this client waits for
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.arrived: asyncio.Future[float] | None = None

    async def open(self, port: int, path: str) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", port)
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        buf = b""
        while b"event: hello" not in buf:
            chunk = await self.reader.read(4096)
            if not chunk:
                raise RuntimeError(f"{path}: closed before the hello event")
            buf += chunk

    async def read_events(self) -> None:
        assert self.reader is not None
        while chunk := await self.reader.read(4096):
            if self.marker in chunk and self.arrived and not self.arrived.done():
                self.arrived.set_result(time.perf_counter())

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def _connect_all(
    port: int, path: str, marker: bytes = b"event: results"
) -> tuple[list[_Client], list[asyncio.Task]]:
    clients = [_Client(marker) for _ in range(CLIENTS)]
    for start in range(0, CLIENTS, 100):  # in batches: the listen backlog stays small
        await asyncio.gather(*(c.open(port, path) for c in clients[start : start + 100]))
    return clients, [asyncio.create_task(c.read_events()) for c in clients]


async def _round(clients: list[_Client], fire: Callable[[], Awaitable[float]]) -> list[float]:
    loop = asyncio.get_running_loop()
    for c in clients:
        c.arrived = loop.create_future()
    t0 = await fire()
    done, _ = await asyncio.wait([c.arrived for c in clients], timeout=TIMEOUT)  # type: ignore[misc]
    if len(done) < len(clients):
        raise RuntimeError(f"only {len(done)} of {len(clients)} clients got the event")
    return [c.arrived.result() - t0 for c in clients]  # type: ignore[union-attr]


def _payload(votes: int) -> Parsed:
    return Parsed([
        ResultRecord("State Senate", str(d), f"Candidate {k} {d}", party, f"Town {t}",
                     votes if (d, k, t) == (1, 0, 0) else 100 + k)
        for d in range(1, 21) for k, party in enumerate(("Democratic", "Republican"))
        for t in range(5)
    ])  # fmt: skip


async def _rounds(
    port: int, path: str, marker: bytes, fire: Callable[[], Awaitable[float]]
) -> list[list[float]]:
    clients, tasks = await _connect_all(port, path, marker)
    try:
        return await _each_round(clients, fire)
    finally:
        _close(clients, tasks)


async def _each_round(
    clients: list[_Client], fire: Callable[[], Awaitable[float]]
) -> list[list[float]]:
    """ROUNDS rounds, once the clients settled, with a pause between them (both sides)."""
    await asyncio.sleep(1)
    rounds: list[list[float]] = []
    for _ in range(ROUNDS):
        rounds.append(await _round(clients, fire))
        await asyncio.sleep(0.5)
    return rounds


async def _app_side(admin: str) -> tuple[list[list[float]], list[list[float]]]:
    """(rounds on /api/v1/events, rounds on the night page's stream), one server for both."""
    url = await database(admin, "bench_sse", await template(admin))
    conn = await connect(url)
    stage = await stage_id(conn, SLUG, "general")
    await apply_parsed(conn, stage_id=stage, parsed=_payload(0))
    votes = iter(range(1, 10**6))

    async def fire() -> float:
        await apply_parsed(conn, stage_id=stage, parsed=_payload(next(votes)))
        return time.perf_counter()  # committed: apply_parsed returns after its COMMIT

    try:
        with running("app", url) as port:
            api = await _rounds(port, "/api/v1/events", b"event: results", fire)
            await asyncio.sleep(1)  # the API streams' sockets are closed and their slots freed
            night = await _rounds(port, f"/elections/{SLUG}/events", b"event: change", fire)
    finally:
        await conn.close()
    return api, night


def _close(clients: list[_Client], tasks: list[asyncio.Task]) -> None:
    for t in tasks:
        t.cancel()
    for c in clients:
        c.close()


async def _raw_side() -> list[list[float]]:
    with running("raw", ready_path=None) as port:
        clients, tasks = await _connect_all(port, "/events")
        _, control = await asyncio.open_connection("127.0.0.1", port)
        control.write(b"FIRE\n")

        async def fire() -> float:
            t0 = time.perf_counter()
            control.write(b"x\n")
            return t0

        try:
            return await _each_round(clients, fire)
        finally:
            control.close()
            _close(clients, tasks)


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def _rows(stream: str, app: list[list[float]], raw_last: float) -> list[str]:
    """The table rows of one stream against the raw baseline."""
    app_last, app_first = median([max(r) for r in app]), median([min(r) for r in app])
    p99 = _p99([x for r in app for x in r])
    per_app, per_raw = app_last / CLIENTS, raw_last / CLIENTS
    ratio = per_app / per_raw
    return [
        f"| {stream}: commit to first client (median of rounds) | {app_first * 1000:.0f} ms "
        "| | | | |",
        f"| {stream}: commit to last client (median of rounds) | {app_last * 1000:.0f} ms "
        f"| {raw_last * 1000:.0f} ms | | | |",
        f"| {stream}: p99 commit to client, all deliveries | {p99 * 1000:.0f} ms | | | < 1 s "
        f"| {verdict(p99 < 1 and CLIENTS >= 2000) if not QUICK else '(quick size)'} |",
        f"| {stream}: per-delivery cost (last client / clients) | {per_app * 1e6:.0f} µs "
        f"| {per_raw * 1e6:.1f} µs | {ratio:.1f}x | <= 6x | {verdict(ratio <= 6)} |",
    ]  # fmt: skip


def run() -> str:
    with embedded() as (admin, _tmp):
        api, night = asyncio.run(_app_side(admin))
    raw = asyncio.run(_raw_side())
    raw_last = median([max(r) for r in raw])
    return "\n".join([
        "## Live updates: SSE fan-out (`bench/bench_sse.py`)",
        "",
        f"{CLIENTS:,} clients on one stream of one uvicorn process, first GET /api/v1/events "
        f"(the API's), then GET /elections/{SLUG}/events (the night page's, numbered changes); "
        f"{ROUNDS} ingests per stream, each changing one contest; times from the ingest's COMMIT "
        "to each client's event, read by the clients in the bench process (same 2 cores). "
        "The baseline is measured once and serves both streams.",
        "",
        "| figure | app | baseline: raw asyncio writes, same sockets | ratio | goal | |",
        "|---|---:|---:|---:|---|---|",
        *_rows("API", api, raw_last),
        *_rows("night page", night, raw_last),
    ])  # fmt: skip


if __name__ == "__main__":
    print(run())
