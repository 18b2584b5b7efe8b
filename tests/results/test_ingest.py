"""apply_parsed(): canonical identity, fusion, changed-only writes, vanishing rows, one NOTIFY."""

from __future__ import annotations

import asyncio
import json

import asyncpg
import pytest

from endorse.ballot.service import upsert_candidacy, upsert_contest
from endorse.elections.service import stage_id
from endorse.results.guards import Quarantine
from endorse.results.ingest import apply_parsed
from endorse.results.notify import payload
from scrapers.records import Parsed, ResultRecord
from tests.results.helpers import footprint, totals
from tests.results.night import SLUG


def rec(office: str, district: str | None, name: str, party: str | None, unit: str, votes: int, **kw) -> ResultRecord:  # fmt: skip
    return ResultRecord(office, district, name, party, unit, votes, **kw)


SENATE = [  # hand totals: Cho 100 + 20 = 120 (fusion), Lyle 90 + 85 = 175
    rec("State Senator", "009", "Ian  Cho", "Democratic Party", "Elmvale", 100, incumbent=True),
    rec("State Senator", "009", "IAN CHO", "Working Families Party", "Elmvale", 20),
    rec("State Senate", "District 9", "Beth Lyle", "Republican Party", "Elmvale", 90),
    rec("State Senate", "9", "Beth Lyle", "Republican Party", "Harrow Point", 85),
]


async def test_feed_and_staff_meet_in_one_contest_and_candidacy(
    conn: asyncpg.Connection, stage: int
) -> None:
    contest = await upsert_contest(conn, stage_id=stage, office="State Senate", district="9")
    cho = await upsert_candidacy(conn, contest_id=contest, name="Ian Cho", parties=["Democratic"])
    stats = await apply_parsed(conn, stage_id=stage, parsed=Parsed(SENATE))
    assert (stats.contests, stats.contests_created, stats.candidates, stats.rows_written) == (
        1,
        0,
        2,
        4,
    )
    assert await totals(conn) == {("State Senate", "9"): {"Ian Cho": 120, "Beth Lyle": 175}}
    row = await conn.fetchrow("select parties, incumbent from candidacies where id = $1", cho)
    # staff typed "Democratic", the feed "Democratic Party": one line (endorse.vocab.canonical_party)
    assert row["parties"] == ["Democratic", "Working Families"]
    assert row["incumbent"] is True
    assert await conn.fetchval("select count(*) from candidates") == 2


async def test_reapplying_the_same_payload_writes_nothing(
    conn: asyncpg.Connection, stage: int
) -> None:
    await apply_parsed(conn, stage_id=stage, parsed=Parsed(SENATE))
    before = await footprint(conn)
    stats = await apply_parsed(conn, stage_id=stage, parsed=Parsed(SENATE))
    assert (stats.contests_changed, stats.rows_changed) == (0, 0)
    assert await footprint(conn) == before


async def test_changed_contest_is_the_whole_truth_missing_contest_is_kept(
    conn: asyncpg.Connection, stage: int
) -> None:
    governor = [rec("Governor", None, "Rosa Delgado", "Democratic Party", "", 500)]
    await apply_parsed(conn, stage_id=stage, parsed=Parsed(SENATE + governor))
    # next payload: the senate's Harrow Point unit is renamed, the governor's race is absent
    renamed = [
        *SENATE[:3],
        rec("State Senate", "9", "Beth Lyle", "Republican Party", "Harrow Pt.", 86),
    ]
    stats = await apply_parsed(conn, stage_id=stage, parsed=Parsed(renamed))
    assert (stats.rows_written, stats.rows_deleted) == (1, 1)
    units = await conn.fetch("select unit from results order by unit")
    assert [u["unit"] for u in units] == ["", "Elmvale", "Elmvale", "Elmvale", "Harrow Pt."]
    assert (await totals(conn))[("Governor", "")] == {"Rosa Delgado": 500}


async def test_winners_and_write_ins_come_from_the_source(
    conn: asyncpg.Connection, stage: int
) -> None:
    called = [
        rec("Mayor", "Elmvale", "Ana Ruiz", "Democratic", "", 10, winner=True),
        rec("Mayor", "Elmvale", "Tom Best", "Republican", "", 9, winner=False),
        rec("Mayor", "Elmvale", "Write-ins", None, "", 1, write_in=True),
    ]
    await apply_parsed(conn, stage_id=stage, parsed=Parsed(called))
    silent = [msgspec_replace(r, winner=None, votes=r.votes + 1) for r in called]
    await apply_parsed(conn, stage_id=stage, parsed=Parsed(silent))  # says nothing of winners
    rows = await conn.fetch("select ballot_name, declared_winner, write_in from candidacies")
    assert {r[0]: (r[1], r[2]) for r in rows} == {
        "Ana Ruiz": (True, False),
        "Tom Best": (False, False),
        "Write-ins": (None, True),
    }


async def test_primaries_are_one_contest_per_party(conn: asyncpg.Connection, stage: int) -> None:
    primary = await stage_id(conn, SLUG, "primary")
    records = [
        rec("Governor", None, "Rosa Delgado", "Democratic Party", "", 70),
        rec("Governor", None, "Sam Ortiz", "Democratic Party", "", 30),
        rec("Governor", None, "Martin Hale", "Republican Party", "", 40),
    ]
    await apply_parsed(conn, stage_id=primary, parsed=Parsed(records))
    parties = await conn.fetch("select party from contests where stage_id = $1 order by 1", primary)
    assert [p["party"] for p in parties] == ["Democratic", "Republican"]


async def test_guards_refuse_with_nothing_written(conn: asyncpg.Connection, stage: int) -> None:
    with pytest.raises(Quarantine, match="empty"):
        await apply_parsed(conn, stage_id=stage, parsed=Parsed([]))
    await apply_parsed(conn, stage_id=stage, parsed=Parsed(SENATE))
    before = await footprint(conn)
    fallen = [msgspec_replace(r, votes=r.votes // 2) for r in SENATE]
    with pytest.raises(Quarantine, match=r"State Senate 9: 295 -> 147"):
        await apply_parsed(conn, stage_id=stage, parsed=Parsed(fallen))
    assert await footprint(conn) == before


async def test_caller_owns_the_transaction(conn: asyncpg.Connection, stage: int) -> None:
    tx = conn.transaction()
    await tx.start()
    await apply_parsed(conn, stage_id=stage, parsed=Parsed(SENATE))
    await tx.rollback()
    assert await conn.fetchval("select count(*) from results") == 0


async def test_notify_is_one_message_delivered_at_commit(
    conn: asyncpg.Connection, db_url: str, stage: int
) -> None:
    from endorse.db.pool import connect

    heard: asyncio.Queue[str] = asyncio.Queue()
    listener = await connect(db_url)
    await listener.add_listener("results_changed", lambda *args: heard.put_nowait(args[3]))
    try:
        async with conn.transaction():
            stats = await apply_parsed(conn, stage_id=stage, parsed=Parsed(SENATE))
            await asyncio.sleep(0.3)
            assert heard.empty()  # nothing before commit
        message = json.loads(await asyncio.wait_for(heard.get(), 5))
        assert message == {"election": SLUG, "stage": "general", "contests": stats.contest_ids}
        await apply_parsed(conn, stage_id=stage, parsed=Parsed(SENATE))  # unchanged: silent
        await asyncio.sleep(0.3)
        assert heard.empty()
    finally:
        await listener.close()


def test_notify_payload_stays_under_the_cap() -> None:
    text = payload("x" * 80, "general", range(10**18, 10**18 + 5000))
    assert len(text.encode()) < 8000
    assert json.loads(text)["truncated"] is True and json.loads(text)["count"] == 5000


def msgspec_replace(record: ResultRecord, **changes: object) -> ResultRecord:
    import msgspec

    return msgspec.structs.replace(record, **changes)
