"""NOTIFY results_changed: one small notification per ingest, delivered when it commits.

PostgreSQL caps a payload at 8,000 bytes and delivers it only at commit, so listeners (the
dashboard's SSE feed) never see results that were rolled back. The payload names ids only;
listeners read the rows. A very large ingest sends the first ids and `"truncated": true`,
which tells a listener to re-read the whole election.
"""

from __future__ import annotations

import json
from collections.abc import Collection

import asyncpg

from endorse.db.queries import load

q = load("results")

CHANNEL = "results_changed"
MAX_IDS = 300  # 300 bigint ids of up to 19 digits stay well under 8,000 bytes with the slug


def payload(election: str, stage: str, contest_ids: Collection[int]) -> str:
    ids = sorted(contest_ids)
    body: dict[str, object] = {"election": election, "stage": stage, "contests": ids[:MAX_IDS]}
    if len(ids) > MAX_IDS:
        body |= {"truncated": True, "count": len(ids)}
    return json.dumps(body, separators=(",", ":"))


async def notify_changed(
    conn: asyncpg.Connection, election: str, stage: str, contest_ids: Collection[int]
) -> None:
    """Queue the notification inside the caller's transaction (sent at its commit)."""
    await conn.execute(*q.notify(channel=CHANNEL, payload=payload(election, stage, contest_ids)))
