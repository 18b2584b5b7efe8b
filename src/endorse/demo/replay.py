"""`endorse replay SLUG`: a past night again, from its stored raw snapshots, into a scratch election.

The copy (SLUG-replay by default, marked `replay_of`) gets the election's stages, the ballot as
staff shaped it (seats, party caps, withdrawals), its endorsements with the matches they have
now, and a disabled copy of each source. Then every stored payload of the night goes through
the pipeline again, in the order it was fetched, spaced as it was (divided by --speed): the
same hashing, parsing, guards and merge as on the night, so a guard that fired then fires again
and a bug seen then is seen again. A payload staff released on the night is released again.
Running it again replaces the earlier replay; `--remove` deletes it.
"""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import Awaitable, Callable

import asyncpg
import msgspec

from endorse.db.queries import load
from endorse.demo.remove import Removed, remove_elections
from endorse.elections.schemas import ElectionCreate
from endorse.elections.service import create_election, get_election
from endorse.errors import Conflict
from endorse.results.pipeline import PollResult, claimed, ingest_fetched
from endorse.results.release import release
from scrapers import Fetched

q = load("replay")
results_q = load("results")


class ReplayRefused(Conflict):
    """Nothing to replay, or the target is real work; the message says which."""


class Replayed(msgspec.Struct):
    election: str
    replay: str
    payloads: int
    outcomes: dict[str, int]  # applied / unchanged / quarantined / ...


def target_slug(slug: str) -> str:
    return f"{slug}-replay"


async def _scratch(conn: asyncpg.Connection, slug: str) -> asyncpg.Record | None:
    """The existing replay at `slug`, or None; ReplayRefused when the slug is real work."""
    row = await conn.fetchrow(*q.election_row(slug=slug))
    if row is not None and row["replay_of"] is None:
        raise ReplayRefused(f"into: {slug!r} is an election of its own, not a replay")
    return row


async def remove_replay(conn: asyncpg.Connection, into: str, *, actor: str) -> Removed:
    row = await _scratch(conn, into)
    if row is None:
        return Removed([], 0, 0)
    return await remove_elections(conn, [row["id"]], [into], actor=actor)


async def prepare(conn: asyncpg.Connection, slug: str, into: str, *, actor: str) -> dict[int, int]:
    """The scratch election with the night's ballot, endorsements and sources; returns the
    replay's source id for each of the night's sources."""
    night = await conn.fetchrow(*q.election_row(slug=slug))
    if night is None:
        raise ReplayRefused(f"election: no election with slug {slug!r}")
    async with conn.transaction():
        earlier = await _scratch(conn, into)
        if earlier is not None:
            await remove_elections(conn, [earlier["id"]], [into], actor=actor)
        source = await get_election(conn, slug)
        copy = ElectionCreate(into, f"REPLAY: {source.name}", source.election_date,
                              source.stages, source.jurisdiction)  # fmt: skip
        created = await create_election(conn, copy, actor=actor, replay_of=night["id"])
        ids = {"from_id": night["id"], "to_id": created.id}
        await conn.execute(*q.copy_contests(**ids))
        await conn.execute(*q.copy_candidacies(**ids))
        await conn.execute(*q.copy_endorsements(**ids, actor=actor))
        sources = {}
        for s in await conn.fetch(*q.election_sources(election_id=night["id"])):
            sources[s["id"]] = await conn.fetchval(
                *q.insert_replay_source(
                    election_id=created.id, kind=s["kind"], format=s["format"], url=s["url"],
                    mapping=s["mapping"], schedule_seconds=s["schedule_seconds"],
                )
            )  # fmt: skip
    return sources


async def apply_stored(
    conn: asyncpg.Connection, source_id: int, snapshot: asyncpg.Record, body: bytes
) -> PollResult:
    """One stored payload through the pipeline, as if the source had just served it.

    The one place the replay applies a snapshot (issue 16 gives results a public way to do
    this; when it lands, this calls that).
    """
    if snapshot["mapping"] is not None:  # parse it with the options it was parsed with then
        await conn.execute(
            *results_q.update_source_mapping(id=source_id, mapping=snapshot["mapping"])
        )

    def work(source: asyncpg.Record) -> Awaitable[PollResult]:
        headers = dict(snapshot["headers"] or {})
        fetched = Fetched(
            body=body, url=source["url"], headers=headers, version=snapshot["version"]
        )
        return ingest_fetched(conn, source, fetched)

    return await claimed(conn, source_id, work)


async def replay(
    conn: asyncpg.Connection,
    slug: str,
    *,
    into: str,
    speed: float,
    actor: str,
    progress: Callable[[int, int, str], None] = lambda done, total, what: None,
) -> Replayed:
    """Replay the night of `slug` into `into`; speed 0 replays without waiting."""
    sources = await prepare(conn, slug, into, actor=actor)
    night = await conn.fetchrow(*q.election_row(slug=slug))
    payloads = await conn.fetch(*q.night_snapshots(election_id=night["id"]))
    if not payloads:
        raise ReplayRefused(f"election: {slug!r} has no stored snapshots to replay")
    outcomes: dict[str, int] = {}
    for i, snapshot in enumerate(payloads):
        if i and speed > 0:
            gap = (snapshot["fetched_at"] - payloads[i - 1]["fetched_at"]).total_seconds()
            await asyncio.sleep(gap / speed)
        source_id = sources[snapshot["source_id"]]
        body = zlib.decompress(await conn.fetchval(*q.snapshot_body(id=snapshot["id"])))
        result = await apply_stored(conn, source_id, snapshot, body)
        if result.outcome == "quarantined" and snapshot["released_by"] is not None:
            note = f"replay of the release by {snapshot['released_by']}: {snapshot['note']}"
            result = await release(conn, source_id, note=note, actor=actor)
        outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
        progress(i + 1, len(payloads), f"version {snapshot['version']}: {result.outcome}")
    return Replayed(slug, into, len(payloads), outcomes)
