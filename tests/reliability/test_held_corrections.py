"""Counts that go backwards are held for a person, per contest; the rest of the payload applies.

Each case loads the `base` version of the Brookfield fixtures (tests/fixtures/hostile/semantic/)
through the real pipeline, then a variant in which one contest went backwards while the other
moved forward, and checks: the backward contest keeps its base numbers and is listed as held
with the reason, the other contest moved, the source shows it; then a person accepts it over
the API (audited) and the contest takes the variant's numbers.
"""

from __future__ import annotations

from pathlib import Path

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from tests.reliability.semantic import REP, SEN, load, source, totals
from tests.results.conftest import stage  # noqa: F401 (fixture)
from tests.results.test_commands import endorse

BASE = {
    SEN: {"Ann Park": 180, "Bo Reyes": 160, "Ed Voss": 5},
    REP: {"Cy Lund": 90, "Di Marsh": 89},
}
GROWN_REP = {"Cy Lund": 100, "Di Marsh": 99}
Auth = dict[str, dict[str, str]]

# (variant, formats, what the held reason says, the State Senate once accepted)
CASES = [
    ("votes_down", ("openelections", "ct-sots", "clarity", "html"), "votes went down",
     {"Ann Park": 176, "Bo Reyes": 160, "Ed Voss": 5}),
    ("vanished", ("openelections", "ct-sots", "clarity", "html"), "candidate gone: Ed Voss",
     {"Ann Park": 180, "Bo Reyes": 160, "Ed Voss": 0}),  # the candidacy stays, at 0
    ("precincts_down", ("ct-sots", "clarity"), "precincts reporting went down: 3 -> 2", BASE[SEN]),
    ("precincts_over", ("ct-sots", "clarity"), "precincts reporting 5 above the total 4",
     BASE[SEN]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("variant", "fmt", "reason", "accepted"),
    [(v, f, r, a) for v, fmts, r, a in CASES for f in fmts],
)
async def test_a_backward_contest_is_held_and_a_person_accepts_it(
    conn: asyncpg.Connection,
    stage: int,  # noqa: F811
    client: AsyncTestClient,
    auth: Auth,
    variant: str,
    fmt: str,
    reason: str,
    accepted: dict[str, int],
) -> None:
    source_id = await source(conn, stage, fmt)
    assert (await load(conn, source_id, fmt, "base")).outcome == "applied"
    assert await totals(conn) == BASE
    result = await load(conn, source_id, fmt, variant)
    assert result.outcome == "applied", result.error
    assert result.stats is not None and len(result.stats.held) == 1
    shown = await totals(conn)
    assert shown[SEN] == BASE[SEN]  # the last good numbers stay
    assert shown[REP] == GROWN_REP  # the rest of the payload applied

    listed = await client.get(
        "/api/v1/held-corrections", params={"source_id": source_id}, headers=auth["viewer"]
    )
    assert listed.status_code == 200
    [held] = listed.json()
    assert held["label"] == "State Senator 5" or held["label"].endswith(" 5")
    assert any(reason in r for r in held["reasons"]), held["reasons"]
    got = await client.get(f"/api/v1/sources/{source_id}", headers=auth["viewer"])
    assert got.json()["health"] == "degraded" and got.json()["held_corrections"] == 1
    warned = await conn.fetchval("select error from snapshots where id = $1", result.snapshot_id)
    assert "held for a person to accept" in warned

    # a viewer cannot accept; an editor can, with a note, and it is audited
    url = f"/api/v1/held-corrections/{held['id']}/accept"
    denied = await client.post(url, json={"note": "recanvass"}, headers=auth["viewer"])
    assert denied.status_code == 403
    done = await client.post(url, json={"note": "recanvass in Alden"}, headers=auth["editor"])
    assert done.status_code == 200, done.text
    assert done.json()["state"] == "accepted"
    assert (await totals(conn))[SEN] == accepted
    audit = await conn.fetchrow(
        "select actor, action, after from audit_log where action = 'held.accept'"
    )
    assert audit is not None and audit["actor"] != ""
    again = await client.post(url, json={"note": "twice"}, headers=auth["editor"])
    assert again.status_code == 409
    assert (await client.get(f"/api/v1/sources/{source_id}", headers=auth["viewer"])).json()[
        "held_corrections"
    ] == 0


@pytest.mark.parametrize("fmt", ["ct-sots", "clarity", "openelections", "html"])
async def test_a_later_payload_moving_forward_supersedes_the_hold(
    conn: asyncpg.Connection,
    stage: int,  # noqa: F811
    fmt: str,
) -> None:
    source_id = await source(conn, stage, fmt)
    await load(conn, source_id, fmt, "base")
    assert (await load(conn, source_id, fmt, "votes_down")).stats.held  # type: ignore[union-attr]
    assert (await load(conn, source_id, fmt, "separators")).outcome == "applied"
    assert (await totals(conn))[SEN]["Ann Park"] == 1185  # "1,080" read with its separator
    states = await conn.fetch("select state from held_corrections where source_id = $1", source_id)
    assert [s["state"] for s in states] == ["superseded"]


@pytest.mark.parametrize("fmt", ["ct-sots", "clarity", "openelections", "html"])
@pytest.mark.parametrize("variant", ["x_cell", "negative"])
async def test_a_count_that_is_not_a_count_quarantines_the_payload(
    conn: asyncpg.Connection,
    stage: int,  # noqa: F811
    fmt: str,
    variant: str,
) -> None:
    source_id = await source(conn, stage, fmt)
    await load(conn, source_id, fmt, "base")
    result = await load(conn, source_id, fmt, variant)
    assert result.outcome == "quarantined"
    assert result.error is not None and ("'X'" in result.error or "'-5'" in result.error)
    assert await totals(conn) == BASE


@pytest.mark.parametrize("fmt", ["ct-sots", "clarity", "openelections", "html"])
async def test_a_blank_count_never_replaces_a_good_one(
    conn: asyncpg.Connection,
    stage: int,  # noqa: F811
    fmt: str,
) -> None:
    """CT SOTS and Clarity refuse an empty count (parse error); OpenElections and HTML read it
    as 0 (a line with nothing recorded), which here drops the contest's total by 19%: the drop
    guard quarantines it. A smaller fall would be held (test above)."""
    source_id = await source(conn, stage, fmt)
    await load(conn, source_id, fmt, "base")
    result = await load(conn, source_id, fmt, "blank_cell")
    assert result.outcome == "quarantined"
    expected = "dropped sharply" if fmt in ("openelections", "html") else "not a whole number"
    assert result.error is not None and expected in result.error, result.error
    assert await totals(conn) == BASE


async def test_held_and_accept_through_the_cli(
    conn: asyncpg.Connection,
    db_url: str,
    stage: int,  # noqa: F811
    tmp_path: Path,
) -> None:
    source_id = await source(conn, stage, "ct-sots")
    await load(conn, source_id, "ct-sots", "base")
    await load(conn, source_id, "ct-sots", "votes_down")
    listed = endorse(db_url, tmp_path, "results", "held")
    assert listed.returncode == 0, listed.stderr
    assert "votes went down: Ann Park" in listed.stdout
    held_id = await conn.fetchval("select id from held_corrections")
    done = endorse(db_url, tmp_path, "results", "accept", str(held_id), "--note", "recanvass")
    assert done.returncode == 0, done.stderr
    assert (await totals(conn))[SEN]["Ann Park"] == 176
    actor = await conn.fetchval("select actor from audit_log where action = 'held.accept'")
    assert actor.startswith("cli")
    missing = endorse(db_url, tmp_path, "results", "accept", "999999", "--note", "x y z")
    assert missing.returncode == 2 and "no held correction" in missing.stderr
