"""Load while ingesting (issue 14, item 10): 200 readers while a new version lands every second.

    python -m bench.load_readers            (make load; READERS=50 SECONDS=20 for a short run)

Loopback only, bounded, stops by itself. A throwaway embedded PostgreSQL holds one invented
election (20 State Representative districts, 3 candidates each, 5 precincts, one endorsement per
district, stage public). The app runs as `endorse serve` runs it (uvicorn, one process, in a
subprocess). A fixture server on 127.0.0.1 publishes version n of an OpenElections file every
second for SECONDS seconds (votes grow with n), and every second the real pipeline polls it
(poll_source, as the worker or `endorse results load` does: fetch, snapshot, parse, guards,
apply, NOTIFY). Meanwhile READERS readers each hold GET /api/v1/events open and, on every
`results` event and at least every 2 s, read the stats and the race table of the stage.

Counted: every reader request that is not a 200 or that fails is an error; latency of every
stats and races request (p50, p99, max). At the end each reader reads once more and must see
the final numbers: the stats' snapshot ids and every endorsed candidate's votes and votes cast
of the last version. Not part of the test suite (a figure, not an assertion on time).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx

from bench._common import SLUG, database, embedded, machine, template
from bench._serve import lifespan_handshake, running
from endorse.db.pool import connect
from endorse.demo.feed import serve_in_thread
from endorse.elections.service import stage_id
from endorse.elections.visibility import set_visibility
from endorse.endorsements.importer import import_file
from endorse.results.pipeline import poll_source
from endorse.results.sources import ensure_source

READERS = int(os.environ.get("READERS", "200"))
SECONDS = int(os.environ.get("SECONDS", "60"))
CONTESTS, CANDIDATES, PRECINCTS = 20, 3, 5
READ_EVERY = 2.0  # a reader re-reads at least this often even without an event
FINAL_TIMEOUT = 60.0  # the last reads must be done by then: the run always ends
FEED_PATH = "/oe/20261103__xx__general__precinct.csv"
STATS = f"/api/v1/elections/{SLUG}/stats?stage=general"
RACES = f"/api/v1/elections/{SLUG}/races?stage=general"


def _name(contest: int, k: int) -> str:
    return f"{('Avery', 'Blake', 'Casey')[k]} {('Stone', 'Reyes', 'Okafor', 'Lind')[contest % 4]}{contest}"


def votes(version: int, contest: int, k: int, precinct: int) -> int:
    return version * (10 + 7 * k + 3 * precinct + contest)  # only ever grows: no guard holds it


def csv_version(version: int) -> bytes:
    lines = ["candidate,party,office,district,town,votes,precinct"]
    for c in range(CONTESTS):
        for k in range(CANDIDATES):
            party = ("Democratic Party", "Republican Party", "Green Party")[k]
            for p in range(PRECINCTS):
                lines.append(
                    f"{_name(c, k)},{party},State Representative,{c + 1},Benchton,"
                    f"{votes(version, c, k, p)},{p + 1} - Ward {p + 1}"
                )
    return ("\n".join(lines) + "\n").encode()


def endorsed(contest: int) -> int:
    return contest % CANDIDATES


def endorsements_csv() -> bytes:
    lines = ["election,stage,office,district,candidate,party,endorsed_by,endorsed_on,notes"]
    for c in range(CONTESTS):
        k = endorsed(c)
        party = ("Democratic", "Republican", "Green")[k]
        lines.append(
            f"{SLUG},general,State Representative,{c + 1},{_name(c, k)},{party},"
            "Bench Federation,2026-09-01,"
        )
    return ("\n".join(lines) + "\n").encode()


def expected_races(version: int) -> dict[str, tuple[int, int]]:
    """Endorsed candidate -> (votes, votes cast in the contest) at `version`."""
    out = {}
    for c in range(CONTESTS):
        cast = sum(votes(version, c, k, p) for k in range(CANDIDATES) for p in range(PRECINCTS))
        mine = sum(votes(version, c, endorsed(c), p) for p in range(PRECINCTS))
        out[_name(c, endorsed(c))] = (mine, cast)
    return out


class Feed:
    """The fixture server: version `version` of the file, with an ETag per version."""

    def __init__(self) -> None:
        self.version = 1

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if await lifespan_handshake(scope, receive, send):
            return
        body = csv_version(self.version) if scope["path"] == FEED_PATH else b"not found"
        status = 200 if scope["path"] == FEED_PATH else 404
        headers = [(b"content-type", b"text/csv"), (b"etag", f'"v{self.version}"'.encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    events: int = 0
    finals_ok: int = 0
    finals_wrong: list[str] = field(default_factory=list)


async def _read(client: httpx.AsyncClient, tally: Tally) -> tuple[Any, Any] | None:
    answers = []
    for path in (STATS, RACES):
        started = time.perf_counter()
        try:
            answer = await client.get(path)
        except httpx.HTTPError as exc:
            tally.errors.append(f"{path}: {type(exc).__name__}")
            return None
        tally.latencies.append(time.perf_counter() - started)
        if answer.status_code != 200:
            tally.errors.append(f"{path}: {answer.status_code}")
            return None
        answers.append(answer.json())
    return answers[0], answers[1]


async def reader(base: str, tally: Tally, stop: asyncio.Event, ready: asyncio.Event) -> Any:
    """One dashboard: an event stream held open, stats and races re-read on every event."""
    # uvicorn closes a keep-alive connection idle for 5 s; a client reusing one at that moment
    # gets a RemoteProtocolError (a browser retries it, httpx does not): stay well under it
    limits = httpx.Limits(max_connections=2, keepalive_expiry=2.0)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        wake = asyncio.Event()

        async def listen() -> None:
            try:
                async with client.stream("GET", "/api/v1/events") as stream:
                    if stream.status_code != 200:
                        tally.errors.append(f"/api/v1/events: {stream.status_code}")
                        return
                    async for line in stream.aiter_lines():
                        if line.startswith("event: hello"):
                            ready.set()
                        elif line.startswith("event: results"):
                            tally.events += 1
                            wake.set()
            except httpx.HTTPError as exc:
                if not stop.is_set():
                    tally.errors.append(f"/api/v1/events: {type(exc).__name__}")

        listening = asyncio.create_task(listen())
        try:
            while not stop.is_set():
                await _read(client, tally)
                wake.clear()
                waits = [asyncio.create_task(wake.wait()), asyncio.create_task(stop.wait())]
                await asyncio.wait(waits, timeout=READ_EVERY, return_when=asyncio.FIRST_COMPLETED)
                for w in waits:
                    w.cancel()
            return await _read(client, tally)  # the last read, after the last version
        finally:
            listening.cancel()


def _check(final: Any, want_snapshots: list[int], want: dict[str, tuple[int, int]]) -> str | None:
    if final is None:
        return "no final read"
    stats, races = final
    if stats["snapshot_ids"] != want_snapshots:
        return f"stats on snapshots {stats['snapshot_ids']}, not {want_snapshots}"
    got = {r["candidate"]: (r["votes"], r["votes_cast"]) for r in races}
    if got != want:
        wrong = sorted(k for k in want if got.get(k) != want[k])
        return f"race rows differ for {len(wrong)} candidates (e.g. {wrong[:1]})"
    return None


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def main() -> int:
    load_before = os.getloadavg()
    with embedded() as (admin, _):
        url = await database(admin, "bench_load", await template(admin))
        conn = await connect(url)
        try:
            await conn.execute(
                "insert into bodies (name, kind) values ('Bench Federation', 'state_federation')"
            )
            report = await import_file(
                conn, endorsements_csv(), actor="bench", content_type="text/csv"
            )
            assert report.ok, report.results
            await set_visibility(conn, SLUG, "general", "public", actor="bench")
            feed = Feed()
            with serve_in_thread(feed) as feed_base:
                source = await ensure_source(
                    conn,
                    stage_id=await stage_id(conn, SLUG, "general"),
                    format="openelections",
                    url=feed_base + FEED_PATH,
                    mapping={},
                    default_seconds=60,
                    actor="bench",
                )
                async with httpx.AsyncClient() as fetcher:
                    first = await poll_source(conn, source, fetcher, force=True)
                    assert first.outcome == "applied", first.error
                    with running("app", url) as port:
                        return await _run(
                            f"http://127.0.0.1:{port}", conn, feed, source, fetcher, load_before
                        )
        finally:
            await conn.close()


async def _run(
    base: str, conn: Any, feed: Feed, source: int, fetcher: httpx.AsyncClient, load_before: Any
) -> int:
    tally, stop = Tally(), asyncio.Event()
    readies = [asyncio.Event() for _ in range(READERS)]
    readers = [asyncio.create_task(reader(base, tally, stop, r)) for r in readies]
    await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), 60)
    ingests: list[float] = []
    outcomes: dict[str, int] = {}
    started = time.monotonic()
    for n in range(2, SECONDS + 2):  # version 1 is in already: SECONDS more, one a second
        feed.version = n
        t0 = time.perf_counter()
        result = await poll_source(conn, source, fetcher, force=True)
        ingests.append(time.perf_counter() - t0)
        outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
        await asyncio.sleep(max(0.0, started + (n - 1) - time.monotonic()))
    final_version = SECONDS + 1
    snapshots = await conn.fetchval(
        "select array_agg(id order by id) from snapshots where source_id = $1"
        " and status = 'applied' and id = (select max(id) from snapshots where source_id = $1)",
        source,
    )
    stop.set()
    finals = await asyncio.wait_for(asyncio.gather(*readers), FINAL_TIMEOUT)
    want = expected_races(final_version)
    for final in finals:
        problem = _check(final, list(snapshots or []), want)
        if problem is None:
            tally.finals_ok += 1
        else:
            tally.finals_wrong.append(problem)
    _report(tally, ingests, outcomes, load_before)
    return 0 if not tally.errors and not tally.finals_wrong else 1


def _report(tally: Tally, ingests: list[float], outcomes: dict[str, int], load_before: Any) -> None:
    load_after = os.getloadavg()
    lat = tally.latencies
    print(f"machine: {machine()}")
    print(f"load average before: {load_before[0]:.1f}, after: {load_after[0]:.1f} (1 min)")
    print(f"readers: {READERS}, versions: {SECONDS} (one a second), ingest outcomes: {outcomes}")
    print(f"ingest (poll + apply) per version: median {statistics.median(ingests) * 1000:.0f} ms,"
          f" max {max(ingests) * 1000:.0f} ms")  # fmt: skip
    print(f"reader requests (stats + races): {len(lat)}, events received: {tally.events}")
    if lat:
        print(f"latency p50 {_pct(lat, 0.5):.0f} ms, p99 {_pct(lat, 0.99):.0f} ms,"
              f" max {max(lat) * 1000:.0f} ms")  # fmt: skip
    kinds = Counter(e.split(": ", 1)[1] for e in tally.errors)
    print(f"errors: {len(tally.errors)}" + (f" by kind: {dict(kinds)}" if kinds else ""))
    print(f"readers on the final numbers: {tally.finals_ok} of {READERS}"
          + (f"; wrong: {tally.finals_wrong[:3]}" if tally.finals_wrong else ""))  # fmt: skip


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
