"""A national night on one box: 50 state feeds, 2 worker processes, 2 API processes, one PostgreSQL.

Loopback only, bounded, stops by itself. A fixture server in this process publishes one
OpenElections file per state (bench/generate.py, seeded per state), a new version every
INTERVAL seconds: 5% of the counts grow each time. Each state is its own election with one
source polled every INTERVAL seconds. Two `endorse worker` processes poll them (the real
scheduler, claim and pipeline); two API processes (as `endorse serve --no-worker` serves it)
hold the SSE clients of GET /api/v1/events, split between them; this process LISTENs on the
results channel itself, so it knows when each ingest committed.

A state's version k goes up at its first request + (k - 0.5) x INTERVAL: halfway between the
polls the workers' schedule makes, so a poll on time sees each version once, and a window of
one interval around each poll is that poll's cycle. Checked, per state and cycle:
- fetched exactly once: requests counted at the fixture server (200s and 304s alike);
- done inside the interval: from the fixture server's answer to the ingest's commit;
- every SSE client updated within 1 s of each commit: its first `results` event naming the
  state's election (or none: a burst of several elections merges into one) after the commit.

Full: 50 states x 2,000 rows, 30 s interval, the first load and 3 new versions, 100 clients.
QUICK: 10 states x 800 rows, a 6 s interval, the first load and 2 new versions, 20 clients.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import asyncpg

from bench import generate
from bench._common import DAY, QUICK, database, embedded, machine, template, verdict
from bench._serve import lifespan_handshake, running_many
from endorse.db.pool import connect
from endorse.demo.feed import serve_in_thread
from endorse.elections.schemas import ElectionCreate, Stage
from endorse.elections.service import create_election
from endorse.results.notify import CHANNEL
from endorse.results.schemas import SourceCreate
from endorse.results.sources import add_source

STATES = 10 if QUICK else 50
ROWS = 800 if QUICK else 2_000  # per state
INTERVAL = 6 if QUICK else 30  # seconds: the sources' poll interval and the feeds' cadence
VERSIONS = 2 if QUICK else 3  # new versions after the first load
CLIENTS = 20 if QUICK else 100  # SSE clients, half on each API process
WORKERS = 2
APIS = 2
SSE_GOAL = 1.0  # seconds from a commit to every client's event
CHANGED_EVERY = 20  # 1 row in 20 (5%) grows with each version
START_TIMEOUT = 120.0  # every state's first load must have started by then


def _slug(state: int) -> str:
    return f"st{state:02d}"


def _bodies(state: int) -> list[bytes]:
    """Version 0..VERSIONS of one state's file: rows with i % 20 == v % 20 grow at version v."""
    rows = list(generate.precinct_rows(ROWS, seed=state))
    out = []
    for version in range(VERSIONS + 1):
        buf = io.StringIO()
        buf.write("candidate,party,office,district,town,votes,precinct\n")
        for i, (candidate, party, office, district, town, votes, precinct) in enumerate(rows):
            grown = sum(1 for v in range(1, version + 1) if i % CHANGED_EVERY == v % CHANGED_EVERY)
            buf.write(
                f"{candidate},{party},{office},{district},{town},{votes + 7 * grown},{precinct}\n"
            )
        out.append(buf.getvalue().encode())
    return out


class Feeds:
    """The fixture server: /stNN.csv, a state's version by the time since its first request,
    with an ETag per version; every request counted with its time and the version served."""

    def __init__(self) -> None:
        self.bodies = {_slug(s): _bodies(s) for s in range(1, STATES + 1)}
        self.first: dict[str, float] = {}
        self.requests: list[tuple[str, float, int, int]] = []  # (state, time, version, status)
        self._lock = threading.Lock()

    def window(self, state: str, at: float) -> int:
        """Which cycle `at` falls in for `state`: its polls are due at first + k x INTERVAL."""
        return math.floor((at - self.first[state]) / INTERVAL + 0.5)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if await lifespan_handshake(scope, receive, send):
            return
        now = time.perf_counter()
        state = scope["path"].strip("/").removesuffix(".csv")
        if state not in self.bodies:
            await _answer(send, 404, [], b"no such state")
            return
        with self._lock:
            self.first.setdefault(state, now)
            version = max(0, min(VERSIONS, self.window(state, now)))
        etag = f'"{state}-v{version}"'.encode()
        headers = dict(scope["headers"])
        status = 304 if headers.get(b"if-none-match") == etag else 200
        with self._lock:
            self.requests.append((state, now, version, status))
        body = self.bodies[state][version] if status == 200 else b""
        await _answer(send, status, [(b"content-type", b"text/csv"), (b"etag", etag)], body)


async def _answer(send: Any, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


@dataclass
class Client:
    """One dashboard on GET /api/v1/events: the time and election of every `results` event."""

    port: int
    events: list[tuple[float, str | None]] = field(default_factory=list)
    writer: asyncio.StreamWriter | None = None

    async def open(self) -> asyncio.StreamReader:
        reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.writer.write(b"GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        buf = b""
        while b"event: hello" not in buf:
            chunk = await reader.read(4096)
            if not chunk:
                raise RuntimeError("events stream closed before its hello")
            buf += chunk
        return reader

    async def read(self, reader: asyncio.StreamReader) -> None:
        buf = b""
        while chunk := await reader.read(65536):
            at = time.perf_counter()
            buf += chunk.replace(b"\r\n", b"\n")
            *messages, buf = buf.split(b"\n\n")
            for message in messages:
                lines = message.split(b"\n")
                if b"event: results" not in lines:
                    continue
                data = next((x[6:] for x in lines if x.startswith(b"data: ")), b"{}")
                with contextlib.suppress(ValueError, AttributeError):
                    self.events.append((at, json.loads(data).get("election")))

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def _setup(url: str, feed_base: str) -> None:
    conn = await connect(url)
    try:
        day = DAY
        for s in range(1, STATES + 1):
            election = ElectionCreate(_slug(s), f"State {s:02d}", day, [Stage("general", day)])
            await create_election(conn, election, actor="bench")
            source = SourceCreate(
                format="openelections",
                url=f"{feed_base}/{_slug(s)}.csv",
                schedule_seconds=INTERVAL,
            )
            await add_source(conn, _slug(s), source, default_seconds=INTERVAL, actor="bench")
    finally:
        await conn.close()


def _workers(url: str, tmp: str) -> list[subprocess.Popen[bytes]]:
    env = os.environ | {
        "DATABASE_URL": url,
        "ENDORSE_DATA_DIR": tmp,
        "ENDORSE_FETCH_ALLOW_PRIVATE": "1",  # the feeds are on 127.0.0.1
        "ENDORSE_POLL_SECONDS": str(INTERVAL),  # the source list is re-read this often
        "ENDORSE_LOG_LEVEL": "WARNING",
    }
    return [
        subprocess.Popen(
            [sys.executable, "-m", "endorse", "worker"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for _ in range(WORKERS)
    ]


def _stop(procs: list[subprocess.Popen[bytes]]) -> list[str]:
    """SIGTERM (a worker finishes its running polls), then wait; the workers' stderr tails."""
    for p in procs:
        p.terminate()
    tails = []
    for p in procs:
        try:
            _, err = p.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            _, err = p.communicate()
        tails.append((err or b"").decode(errors="replace")[-1500:])
    return tails


@dataclass
class Night:
    commits: list[tuple[float, str]]  # (time the LISTEN got it, election)
    requests: list[tuple[str, float, int, int]]
    first: dict[str, float]
    clients: list[Client]
    worker_errors: list[str]
    took: float


async def _night(admin: str) -> Night:
    feeds = Feeds()
    with serve_in_thread(feeds) as feed_base:
        url = await database(admin, "bench_national", await template(admin))
        await _setup(url, feed_base)
        commits: list[tuple[float, str]] = []
        listener = await asyncpg.connect(url)

        def heard(_conn: Any, _pid: int, _channel: str, payload: str) -> None:
            commits.append((time.perf_counter(), json.loads(payload).get("election")))

        await listener.add_listener(CHANNEL, heard)
        with contextlib.ExitStack() as stack:
            # started together: two app start-ups one after the other were most of QUICK's time
            ports = stack.enter_context(running_many(APIS, "app", url))
            clients = [Client(ports[i % APIS]) for i in range(CLIENTS)]
            readers = [await c.open() for c in clients]
            tasks = [asyncio.create_task(c.read(r)) for c, r in zip(clients, readers, strict=True)]
            tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="endorse-national-"))
            started = time.perf_counter()
            workers = _workers(url, tmp)
            try:
                await _wait_for_the_night(feeds, commits, started)
            finally:
                errors = _stop(workers)
                await asyncio.sleep(0.5)
                for t in tasks:
                    t.cancel()
                for c in clients:
                    c.close()
        await listener.close()
    took = time.perf_counter() - started
    return Night(commits, list(feeds.requests), dict(feeds.first), clients, errors, took)


async def _wait_for_the_night(
    feeds: Feeds, commits: list[tuple[float, str]], started: float
) -> None:
    """Until every state's last version committed and its clients had time to hear it, or the
    last cycle's window closed (a state that fell behind)."""
    while len(feeds.first) < STATES:
        if time.perf_counter() - started > START_TIMEOUT:
            raise RuntimeError(f"only {len(feeds.first)} of {STATES} states polled in time")
        await asyncio.sleep(0.2)
    end = max(feeds.first.values()) + (VERSIONS + 0.5) * INTERVAL - 1.0
    while time.perf_counter() < end:
        last = Counter(e for _, e in commits)
        if all(last[_slug(s)] >= VERSIONS + 1 for s in range(1, STATES + 1)):
            break
        await asyncio.sleep(0.2)
    await asyncio.sleep(2 * SSE_GOAL)  # the last commits' events on their way


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def _report(night: Night, load_before: str) -> str:
    states = [_slug(s) for s in range(1, STATES + 1)]
    # requests per state and cycle (window), inside the measured cycles 0..VERSIONS
    per_cycle: Counter[tuple[str, int]] = Counter()
    fetch_at: dict[tuple[str, int], float] = {}
    for state, at, _version, _status in night.requests:
        w = math.floor((at - night.first[state]) / INTERVAL + 0.5)
        if 0 <= w <= VERSIONS:
            per_cycle[state, w] += 1
            fetch_at.setdefault((state, w), at)
    cycles = [(s, w) for s in states for w in range(VERSIONS + 1)]
    once = sum(1 for c in cycles if per_cycle[c] == 1)
    missed = sum(1 for c in cycles if per_cycle[c] == 0)
    twice = sum(1 for c in cycles if per_cycle[c] > 1)
    # poll cycle: the fixture's answer to the commit heard next for that state
    durations: list[float] = []
    late = 0
    commits_by_state: dict[str, list[float]] = {}
    for at, election in night.commits:
        commits_by_state.setdefault(election, []).append(at)
    for (state, _w), at in fetch_at.items():
        done = next((t for t in commits_by_state.get(state, []) if t >= at), None)
        if done is None or done - at > INTERVAL:
            late += 1
        else:
            durations.append(done - at)
    # SSE: each commit, each client's first event for it (or for several elections) after it
    lags: list[float] = []
    unheard = 0
    for at, election in night.commits:
        for client in night.clients:
            got = next(
                (t for t, e in client.events if t >= at - 0.05 and e in (election, None)), None
            )
            if got is None or got - at > INTERVAL / 2:
                unheard += 1
            else:
                lags.append(max(0.0, got - at))
    over = sum(1 for x in lags if x > SSE_GOAL)
    applied = len(night.commits)
    want = len(cycles)
    ok_fetch = once == want
    ok_cycle = late == 0 and len(durations) == want
    ok_sse = unheard == 0 and over == 0 and applied >= want
    size = "QUICK, " if QUICK else ""
    problems = [e.strip().splitlines()[-1] for e in night.worker_errors if e.strip()]
    return "\n".join([
        "## A national night on one box (`bench/bench_national.py`)",
        "",
        f"{size}{STATES} state feeds on 127.0.0.1 (one election and one OpenElections source "
        f"each, {ROWS:,} rows, 5% of counts growing per version), a new version every "
        f"{INTERVAL} s and polled every {INTERVAL} s; {WORKERS} `endorse worker` processes, "
        f"{APIS} API processes holding {CLIENTS} SSE clients, one PostgreSQL; the first load "
        f"and {VERSIONS} new versions per state ({want} cycles), {night.took:.0f} s. "
        f"Load average before / after: {load_before} / {_load()}.",
        "",
        "| property | measured | goal | |",
        "|---|---|---|---|",
        f"| each source fetched exactly once per cycle (requests at the fixture server) "
        f"| {once} of {want} cycles once; {missed} not fetched, {twice} fetched twice or more "
        f"| all once | {verdict(ok_fetch)} |",
        f"| poll cycle (fixture answer to commit) inside its {INTERVAL} s interval "
        f"| median {statistics.median(durations) if durations else float('nan'):.2f} s, "
        f"max {max(durations, default=float('nan')):.2f} s; {late} late or never committed "
        f"| every cycle < {INTERVAL} s | {verdict(ok_cycle)} |",
        f"| every SSE client updated within {SSE_GOAL:g} s of each commit "
        f"| {applied} commits x {CLIENTS} clients: p50 {_pct(lags, 0.5) * 1000:.0f} ms, "
        f"p99 {_pct(lags, 0.99) * 1000:.0f} ms, max {max(lags, default=0) * 1000:.0f} ms; "
        f"{over} over {SSE_GOAL:g} s, {unheard} never heard "
        f"| all < {SSE_GOAL:g} s | {verdict(ok_sse)} |",
        *([f"\nWorker stderr (last line each): {problems}"] if problems else []),
    ])  # fmt: skip


def _load() -> str:
    try:
        return ", ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


def run() -> str:
    load_before = _load()
    with embedded() as (admin, _tmp):
        night = asyncio.run(_night(admin))
    return _report(night, load_before)


if __name__ == "__main__":
    print(f"machine: {machine()}", file=sys.stderr)
    print(run())
