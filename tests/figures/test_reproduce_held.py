"""A figure published while a contest was held, after a person accepted it, while a contest
was gone from its source's payload, or after a rename under a source id still reproduces from
its stored snapshots: the replay holds what the loads held then and applies what a person had
accepted by then, so the published numbers come back.

Fixtures: the Brookfield semantic files (tests/fixtures/hostile/semantic/, ct-sots layout):
`base`, `votes_down` (the State Senate went backwards), `contest_gone` (the State
Representative contest is missing) and `renamed` (candidate id 501 printed "Ann B. Park").
"""

from __future__ import annotations

import datetime as dt

import asyncpg
import pytest

from endorse.endorsements import edits
from endorse.endorsements.schemas import EndorsementCreate
from endorse.figures import published
from endorse.figures.schemas import PublishedFigure
from endorse.results.accept import accept
from tests.reliability.semantic import REP, SEN, load, source, totals
from tests.results.conftest import stage  # noqa: F401 (fixture)
from tests.results.night import SLUG

FMT = "ct-sots"


async def _endorse(conn: asyncpg.Connection, office: str, district: str, name: str) -> None:
    await edits.create(
        conn,
        EndorsementCreate(
            election=SLUG,
            stage="general",
            office=office,
            district=district,
            candidate=name,
            endorsed_by="AFT Connecticut",
            endorsed_on=dt.date(2026, 9, 20),
        ),
        actor="test",
    )


async def _reproduces(conn: asyncpg.Connection, figure: PublishedFigure) -> None:
    again = await published.reproduce(conn, figure.id)
    assert again.matches, again.differences
    assert again.snapshot_ids == sorted(figure.snapshot_ids)


@pytest.fixture
async def fed(conn: asyncpg.Connection, stage: int) -> int:  # noqa: F811
    await _endorse(conn, *SEN, "Ann Park")
    await _endorse(conn, *REP, "Cy Lund")
    source_id = await source(conn, stage, FMT)
    assert (await load(conn, source_id, FMT, "base")).outcome == "applied"
    return source_id


async def _figure(conn: asyncpg.Connection) -> PublishedFigure:
    return await published.publish(conn, SLUG, "general", actor="test")


def _park(figure: PublishedFigure) -> int:
    [race] = [r for r in figure.races if r["candidate"] == "Ann Park"]
    return race["votes"]


async def test_held_then_accepted_contest_reproduces(conn: asyncpg.Connection, fed: int) -> None:
    held = await load(conn, fed, FMT, "votes_down")
    assert held.stats is not None and len(held.stats.held) == 1
    while_held = await _figure(conn)
    assert _park(while_held) == 180  # the last good numbers, not the backward ones
    await _reproduces(conn, while_held)

    hold_id = await conn.fetchval("select id from held_corrections where state = 'held'")
    await accept(conn, hold_id, note="recanvass in Alden", actor="test")
    assert (await totals(conn))[SEN]["Ann Park"] == 176
    accepted = await _figure(conn)
    assert _park(accepted) == 176
    await _reproduces(conn, accepted)
    await _reproduces(conn, while_held)  # the earlier figure still comes back as it was


async def test_contest_gone_reproduces(conn: asyncpg.Connection, fed: int) -> None:
    gone = await load(conn, fed, FMT, "contest_gone")
    assert gone.stats is not None and "contest gone" in gone.stats.held[0]
    figure = await _figure(conn)
    lund = [r for r in figure.races if r["candidate"] == "Cy Lund"]
    assert lund and lund[0]["votes"] == 90  # kept from `base`
    await _reproduces(conn, figure)


async def test_renamed_candidate_reproduces(conn: asyncpg.Connection, fed: int) -> None:
    renamed = await load(conn, fed, FMT, "renamed")
    assert renamed.stats is not None and renamed.stats.renamed  # id 501 kept as "Ann Park"
    figure = await _figure(conn)
    assert _park(figure) > 0  # still the endorsed candidacy, under the name first seen
    await _reproduces(conn, figure)
