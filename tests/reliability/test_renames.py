"""A candidate renamed under the same source id stays one candidacy, and the rename is recorded.

Fixtures: tests/fixtures/hostile/semantic/*_renamed.* (make_semantic_fixtures.py): choice key /
candidate id 501 printed "Ann Park" in `base`, "Ann B. Park" in `renamed`, same votes.
"""

from __future__ import annotations

import asyncpg
import httpx
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from playwright.async_api import Page, expect

from endorse.results.pipeline import poll_source
from scrapers import FORMATS
from tests.reliability.make_semantic_fixtures import WITH_IDS, path
from tests.reliability.semantic import REP, SEN, load, source, totals
from tests.results.conftest import fixture_server, http, night, stage  # noqa: F401 (fixtures)
from tests.results.replay import Night, zipped
from tests.staff.conftest import staff_users  # noqa: F401 (fixture)
from tests.staff.helpers import sign_in
from tests.staff.test_browser_pages import _shoot, _sign_in

BASE = {
    SEN: {"Ann Park": 180, "Bo Reyes": 160, "Ed Voss": 5},
    REP: {"Cy Lund": 90, "Di Marsh": 89},
}
RENAMED = {SEN: BASE[SEN], REP: {"Cy Lund": 100, "Di Marsh": 99}}  # the rest moved on


@pytest.mark.parametrize("fmt", WITH_IDS)
def test_the_parsers_carry_the_candidate_id(fmt: str) -> None:
    records = FORMATS[fmt].parse(path(fmt, "renamed").read_bytes()).records
    assert {r.candidate_key for r in records if r.candidate == "Ann B. Park"} == {"501"}
    assert {r.candidate_key for r in records if r.candidate == "Di Marsh"} == {"602"}


@pytest.mark.parametrize("fmt", WITH_IDS)
async def test_a_rename_under_the_same_id_is_one_candidacy(
    conn: asyncpg.Connection,
    stage: int,  # noqa: F811
    fmt: str,
) -> None:
    source_id = await source(conn, stage, fmt)
    assert (await load(conn, source_id, fmt, "base")).outcome == "applied"
    candidacy = await conn.fetchval("select id from candidacies where ballot_name = 'Ann Park'")
    result = await load(conn, source_id, fmt, "renamed")
    assert result.outcome == "applied" and result.stats is not None
    assert result.stats.renamed == ["id 501: kept 'Ann Park', printed 'Ann B. Park'"]
    assert result.stats.held == []  # not "a candidate gone" beside a new one
    assert await totals(conn) == RENAMED  # the totals did not move because of the name
    names = [r[0] for r in await conn.fetch("select ballot_name from candidacies order by id")]
    assert "Ann B. Park" not in names and names.count("Ann Park") == 1
    assert await conn.fetchval("select count(*) from candidates where name_key like 'ann%'") == 1
    assert (
        await conn.fetchval("select id from candidacies where ballot_name = 'Ann Park'")
        == candidacy
    )
    renames = await conn.fetch(
        "select source_key, name, printed, snapshot_id from candidate_renames"
    )
    assert [tuple(r)[:3] for r in renames] == [("501", "Ann Park", "Ann B. Park")]
    assert renames[0]["snapshot_id"] == result.snapshot_id
    # printed the same way again: still one candidacy, the rename recorded once
    await conn.execute("update sources set last_hash = null where id = $1", source_id)
    again = await load(conn, source_id, fmt, "renamed")
    assert again.outcome == "applied" and again.stats is not None
    assert await conn.fetchval("select count(*) from candidate_renames") == 1
    assert await totals(conn) == RENAMED


async def test_a_clarity_rename_over_http_is_shown_to_staff(
    conn: asyncpg.Connection,
    stage: int,  # noqa: F811
    night: Night,  # noqa: F811
    http: httpx.AsyncClient,  # noqa: F811
    client: AsyncTestClient[Litestar],
    auth: dict[str, dict[str, str]],
    staff_users: dict[str, str],  # noqa: F811
) -> None:
    source_id = await night.register(conn, stage, "clarity")
    night.publish("clarity", 0, body=zipped(path("clarity", "base").read_bytes()))
    assert (await poll_source(conn, source_id, http, force=True)).outcome == "applied"
    assert (
        await client.get(f"/api/v1/sources/{source_id}/renames", headers=auth["viewer"])
    ).json() == []

    night.publish("clarity", 0, body=zipped(path("clarity", "renamed").read_bytes()), number=1)
    assert (await poll_source(conn, source_id, http, force=True)).outcome == "applied"
    assert await totals(conn) == RENAMED

    anonymous = await client.get(f"/api/v1/sources/{source_id}/renames")
    assert anonymous.status_code == 401
    shown = await client.get(f"/api/v1/sources/{source_id}/renames", headers=auth["viewer"])
    assert shown.status_code == 200, shown.text
    (rename,) = shown.json()
    assert (rename["source_key"], rename["name"], rename["printed"]) == (
        "501",
        "Ann Park",
        "Ann B. Park",
    )
    missing = await client.get("/api/v1/sources/999999/renames", headers=auth["viewer"])
    assert missing.status_code == 404

    await sign_in(client, staff_users["viewer"])
    page = await client.get("/staff/sources")
    assert page.status_code == 200
    assert "kept “Ann Park”, printed “Ann B. Park”" in page.text


async def test_renames_on_the_sources_page_in_the_browser(
    conn: asyncpg.Connection,
    stage: int,  # noqa: F811
    staff_users: dict[str, str],  # noqa: F811
    live: str,
    page: Page,
) -> None:
    source_id = await source(conn, stage, "clarity")
    await load(conn, source_id, "clarity", "base")
    await load(conn, source_id, "clarity", "renamed")
    refused = await _sign_in(page, live, staff_users["viewer"])
    await page.goto(live + "/staff/sources")
    summary = page.get_by_text("1 candidate renamed under the same id")
    await expect(summary).to_be_visible()
    await summary.click()  # folded by default: a rename is a note, not an alarm
    await expect(page.get_by_text("kept “Ann Park”, printed “Ann B. Park”")).to_be_visible()
    await _shoot(page, "staff-sources-renames", refused)
