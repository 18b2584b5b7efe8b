"""An OpenElections file with both kinds of repeats, through `results load` and the API."""

from __future__ import annotations

import json
from pathlib import Path

import asyncpg
from litestar.testing import AsyncTestClient

from tests.results import night as truth
from tests.results.test_commands import endorse
from tests.scrapers.test_openelections import REPEATS


async def test_repeats_are_reported_per_contest(
    conn: asyncpg.Connection, db_url: str, stage: int, tmp_path: Path, client: AsyncTestClient
) -> None:
    csv = tmp_path / "20261103__ct__general__precinct.csv"
    csv.write_text(REPEATS)
    load = ("results", "load", "--format", "openelections", str(csv), "--election", truth.SLUG)
    done = endorse(db_url, tmp_path, *load, "--stage", "general")
    assert done.returncode == 0, done.stderr
    assert "note: State Senate 5: 1 unit repeated with identical numbers: copies" in done.stdout
    assert "note: State Senate 5: 1 unit listed again with different numbers: parts" in done.stdout
    page = (await client.get(f"/api/v1/elections/{truth.SLUG}/contests")).json()
    senate = next(c for c in page["contests"] if c["office"] == "State Senate")
    assert {c["name"]: c["votes"] for c in senate["candidates"]} == {"Ann Lee": 235, "Bo Chu": 160}
    assert [n["kind"] for n in senate["notes"]] == ["repeated_rows_copies", "repeated_rows_parts"]
    assert senate["source_office"] == "State Senate"
    # A corrected file, the second Fire House precinct named apart: the notes go.
    lines = REPEATS.splitlines()
    fixed = [*lines[:5], *(line.replace("Fire House", "Fire House 2") for line in lines[7:9])]
    csv.write_text("\n".join([*fixed, lines[9]]) + "\n")
    again = endorse(db_url, tmp_path, *load, "--stage", "general", "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["stats"]["notes"] == []
    assert await conn.fetchval("select count(*) from contest_notes") == 0
