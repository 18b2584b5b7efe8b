"""SSE fan-out: 2,000 connected dashboards, ingest commit to the last client's event.

The app runs as `endorse serve` runs it (uvicorn, one process, its LISTEN connection); 2,000
clients hold GET /api/v1/events open from this process over 127.0.0.1. Each round commits an
ingest that changes one contest (apply_parsed, whose NOTIFY is delivered at commit) and times,
for every client, commit -> its `results` event. Baseline, same run, same client code: a plain
asyncio server holding the same number of sockets writes one event to each of them when told
(raw transport writes, no framework, no database). Per-delivery cost = time to the last client
/ clients, on both sides. Rounds: 5 (3 in QUICK), p99 over all deliveries of all rounds.
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
    def __init__(self) -> None:
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
            if b"event: results" in chunk and self.arrived and not self.arrived.done():
                self.arrived.set_result(time.perf_counter())

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def _connect_all(port: int, path: str) -> tuple[list[_Client], list[asyncio.Task]]:
    clients = [_Client() for _ in range(CLIENTS)]
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


async def _app_side(admin: str) -> list[list[float]]:
    url = await database(admin, "bench_sse", await template(admin))
    conn = await connect(url)
    stage = await stage_id(conn, SLUG, "general")
    await apply_parsed(conn, stage_id=stage, parsed=_payload(0))
    votes = iter(range(1, 10**6))

    async def fire() -> float:
        await apply_parsed(conn, stage_id=stage, parsed=_payload(next(votes)))
        return time.perf_counter()  # committed: apply_parsed returns after its COMMIT

    rounds: list[list[float]] = []
    try:
        with running("app", url) as port:
            clients, tasks = await _connect_all(port, "/api/v1/events")
            try:
                await asyncio.sleep(1)
                for _ in range(ROUNDS):
                    rounds.append(await _round(clients, fire))
                    await asyncio.sleep(0.5)
            finally:
                _close(clients, tasks)
    finally:
        await conn.close()
    return rounds


def _close(clients: list[_Client], tasks: list[asyncio.Task]) -> None:
    for t in tasks:
        t.cancel()
    for c in clients:
        c.close()


async def _raw_side() -> list[list[float]]:
    rounds: list[list[float]] = []
    with running("raw", ready_path=None) as port:
        clients, tasks = await _connect_all(port, "/events")
        _, control = await asyncio.open_connection("127.0.0.1", port)
        control.write(b"FIRE\n")

        async def fire() -> float:
            t0 = time.perf_counter()
            control.write(b"x\n")
            return t0

        try:
            await asyncio.sleep(1)
            for _ in range(ROUNDS):
                rounds.append(await _round(clients, fire))
                await asyncio.sleep(0.5)
        finally:
            control.close()
            _close(clients, tasks)
    return rounds


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def run() -> str:
    with embedded() as (admin, _tmp):
        app = asyncio.run(_app_side(admin))
    raw = asyncio.run(_raw_side())
    app_last, raw_last = median([max(r) for r in app]), median([max(r) for r in raw])
    app_first = median([min(r) for r in app])
    p99 = _p99([x for r in app for x in r])
    per_app, per_raw = app_last / CLIENTS, raw_last / CLIENTS
    ratio = per_app / per_raw
    return "\n".join([
        "## Live updates: SSE fan-out (`bench/bench_sse.py`)",
        "",
        f"{CLIENTS:,} clients on GET /api/v1/events of one uvicorn process; {ROUNDS} ingests, "
        "each changing one contest; times from the ingest's COMMIT to each client's event, "
        "read by the clients in the bench process (same 2 cores).",
        "",
        "| figure | app | baseline: raw asyncio writes, same sockets | ratio | goal | |",
        "|---|---:|---:|---:|---|---|",
        f"| commit to first client (median of rounds) | {app_first * 1000:.0f} ms | | | | |",
        f"| commit to last client (median of rounds) | {app_last * 1000:.0f} ms "
        f"| {raw_last * 1000:.0f} ms | | | |",
        f"| p99 commit to client, all deliveries | {p99 * 1000:.0f} ms | | | < 1 s "
        f"| {verdict(p99 < 1 and CLIENTS >= 2000) if not QUICK else '(quick size)'} |",
        f"| per-delivery cost (last client / clients) | {per_app * 1e6:.0f} µs "
        f"| {per_raw * 1e6:.1f} µs | {ratio:.1f}x | <= 6x | {verdict(ratio <= 6)} |",
    ])  # fmt: skip


if __name__ == "__main__":
    print(run())
