"""A contest gone from a payload keeps its last numbers and is held for a person, never dropped
silently; a candidate gone is held the same way (test_held_corrections.py, `vanished`).

Fixtures: tests/fixtures/hostile/semantic/*_contest_gone.* (make_semantic_fixtures.py): the
State Senate grows, the State Representative contest is not in the payload at all.
"""

from __future__ import annotations

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from endorse.results.accept import accept
from endorse.results.pipeline import PollResult
from tests.reliability.semantic import REP, SEN, load, source, totals
from tests.results.conftest import stage  # noqa: F401 (fixture)

BASE_REP = {"Cy Lund": 90, "Di Marsh": 89}
GROWN = {
    SEN: {"Ann Park": 190, "Bo Reyes": 170, "Ed Voss": 15},
    REP: {"Cy Lund": 100, "Di Marsh": 99},
}
FORMATS = ["openelections", "ct-sots", "clarity", "html"]
Auth = dict[str, dict[str, str]]


async def again(conn: asyncpg.Connection, source_id: int, fmt: str, variant: str) -> PollResult:
    """The same bytes once more, read as a new payload (a feed re-serving them with new
    headers): the body-hash shortcut is forgotten first."""
    await conn.execute("update sources set last_hash = null where id = $1", source_id)
    return await load(conn, source_id, fmt, variant)


async def holds(conn: asyncpg.Connection, source_id: int) -> list[tuple[str, str, bool]]:
    rows = await conn.fetch(
        "select label, state, gone from held_corrections where source_id = $1 order by id",
        source_id,
    )
    return [tuple(r) for r in rows]


@pytest.mark.parametrize("fmt", FORMATS)
async def test_a_contest_gone_is_held_with_its_last_numbers_until_a_person_accepts(
    conn: asyncpg.Connection,
    stage: int,  # noqa: F811
    client: AsyncTestClient,
    auth: Auth,
    fmt: str,
) -> None:
    source_id = await source(conn, stage, fmt)
    assert (await load(conn, source_id, fmt, "base")).outcome == "applied"
    result = await load(conn, source_id, fmt, "contest_gone")
    assert result.outcome == "applied", result.error
    assert result.stats is not None and len(result.stats.held) == 1
    assert "contest gone from the payload" in result.stats.held[0]
    shown = await totals(conn)
    assert shown[REP] == BASE_REP  # the last good numbers stay
    assert shown[SEN] == GROWN[SEN]  # the rest of the payload applied

    listed = await client.get(
        "/api/v1/held-corrections", params={"source_id": source_id}, headers=auth["viewer"]
    )
    [held] = listed.json()
    assert held["gone"] is True and held["label"].endswith(" 12")
    assert any("its last numbers are kept" in r for r in held["reasons"]), held["reasons"]
    got = (await client.get(f"/api/v1/sources/{source_id}", headers=auth["viewer"])).json()
    assert got["health"] == "degraded" and got["held_corrections"] == 1

    # still gone at the next poll: the one open hold stays, no second one
    assert (await again(conn, source_id, fmt, "contest_gone")).outcome == "applied"
    assert [(s, g) for _, s, g in await holds(conn, source_id)] == [("held", True)]

    # a person says it is really gone: nothing applied, the numbers stay, no new hold after
    url = f"/api/v1/held-corrections/{held['id']}/accept"
    done = await client.post(url, json={"note": "the race left the feed"}, headers=auth["editor"])
    assert done.status_code == 200, done.text
    assert (await totals(conn))[REP] == BASE_REP
    assert (await again(conn, source_id, fmt, "contest_gone")).outcome == "applied"
    assert [(s, g) for _, s, g in await holds(conn, source_id)] == [("accepted", True)]
    assert await conn.fetchval("select action from audit_log where action = 'held.accept'")

    # the contest comes back and moves on; gone again later is news again
    assert (await load(conn, source_id, fmt, "grown")).outcome == "applied"
    assert await totals(conn) == GROWN
    gone_again = await again(conn, source_id, fmt, "contest_gone")
    assert gone_again.stats is not None and len(gone_again.stats.held) == 1
    assert [(s, g) for _, s, g in await holds(conn, source_id)] == [
        ("accepted", True),
        ("held", True),
    ]


@pytest.mark.parametrize("fmt", ["ct-sots", "openelections"])
async def test_a_contest_back_in_the_feed_supersedes_its_hold(
    conn: asyncpg.Connection,
    stage: int,  # noqa: F811
    fmt: str,
) -> None:
    source_id = await source(conn, stage, fmt)
    await load(conn, source_id, fmt, "base")
    assert (await load(conn, source_id, fmt, "contest_gone")).stats.held  # type: ignore[union-attr]
    assert (await load(conn, source_id, fmt, "grown")).outcome == "applied"
    assert await totals(conn) == GROWN
    assert [(s, g) for _, s, g in await holds(conn, source_id)] == [("superseded", True)]


async def test_a_contest_another_source_wrote_last_is_not_held(
    conn: asyncpg.Connection,
    stage: int,  # noqa: F811
) -> None:
    # two sources of one contest replace each other's numbers by design: the one that wrote
    # the contest last speaks for it, so only its own later payloads are compared with it
    first = await source(conn, stage, "openelections")
    second = await source(conn, stage, "clarity")
    await load(conn, first, "openelections", "base")
    await load(conn, second, "clarity", "grown")  # now the clarity source wrote both contests
    result = await load(conn, first, "openelections", "contest_gone")
    assert result.stats is not None and result.stats.held == []


@pytest.mark.parametrize("fmt", ["ct-sots", "openelections"])
async def test_an_accepted_gone_contest_back_unchanged_and_gone_again_is_held_again(
    conn: asyncpg.Connection,
    stage: int,  # noqa: F811
    fmt: str,
) -> None:
    """Back with the very numbers it had, nothing of the contest is rewritten (its hash
    matches): the source carrying it is what makes its next disappearance news (sql/0180)."""
    source_id = await source(conn, stage, fmt)
    await load(conn, source_id, fmt, "base")
    await load(conn, source_id, fmt, "grown")
    assert (await load(conn, source_id, fmt, "contest_gone")).stats.held  # type: ignore[union-attr]
    gone = await conn.fetchval("select id from held_corrections where gone and state = 'held'")
    await accept(conn, gone, note="the race left the feed", actor="test")
    back = await again(conn, source_id, fmt, "grown")  # every contest as it was: none rewritten
    assert back.outcome == "applied" and back.stats is not None
    assert back.stats.contests_changed == 0 and await totals(conn) == GROWN
    assert await conn.fetchval(
        "select returned_at is not null from held_corrections where id = $1", gone
    )
    again_gone = await again(conn, source_id, fmt, "contest_gone")
    assert again_gone.stats is not None
    assert any("contest gone" in line for line in again_gone.stats.held), again_gone.stats.held
    rows = await conn.fetch(
        "select state from held_corrections where gone and label like '% 12' order by id"
    )
    assert [r["state"] for r in rows] == ["accepted", "held"]
