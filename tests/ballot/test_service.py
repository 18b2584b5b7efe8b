"""Contests and candidacies are found under their canonical identity, never duplicated."""

from __future__ import annotations

import datetime as dt

import asyncpg

from endorse.ballot.service import upsert_candidacy, upsert_contest
from endorse.elections.schemas import ElectionCreate, Stage
from endorse.elections.service import create_election, stage_id


async def _general(conn: asyncpg.Connection) -> int:
    day = dt.date(2018, 11, 6)
    await create_election(
        conn,
        ElectionCreate("2018-ct-general", "2018 General", day, [Stage("general", day)]),
        actor="test",
    )
    return await stage_id(conn, "2018-ct-general", "general")


async def test_spellings_of_one_contest_are_one_row(conn: asyncpg.Connection) -> None:
    stage = await _general(conn)
    a = await upsert_contest(conn, stage_id=stage, office="State Senator", district="001")
    b = await upsert_contest(conn, stage_id=stage, office="State Senate", district="District 1")
    c = await upsert_contest(conn, stage_id=stage, office="State Senate", district="2")
    assert a == b != c
    row = await conn.fetchrow("select office, level, district from contests where id = $1", a)
    assert tuple(row) == ("State Senate", "state_senate", "1")


async def test_seats_update_and_party_cap_is_kept(conn: asyncpg.Connection) -> None:
    stage = await _general(conn)
    boe = await upsert_contest(
        conn, stage_id=stage, office="Board of Education", seats=3, party_cap=2
    )
    again = await upsert_contest(conn, stage_id=stage, office="Board of Education", seats=4)
    assert again == boe
    row = await conn.fetchrow("select seats, party_cap from contests where id = $1", boe)
    assert tuple(row) == (4, 2)


async def test_fusion_lines_merge_on_one_candidacy(conn: asyncpg.Connection) -> None:
    stage = await _general(conn)
    contest = await upsert_contest(conn, stage_id=stage, office="Governor")
    first = await upsert_candidacy(
        conn, contest_id=contest, name="Ned Lamont", parties=["Democratic"]
    )
    second = await upsert_candidacy(
        conn, contest_id=contest, name="NED  LAMONT", parties=["Working Families", "Democratic"]
    )
    assert first == second
    parties = await conn.fetchval("select parties from candidacies where id = $1", first)
    assert parties == ["Democratic", "Working Families"]
