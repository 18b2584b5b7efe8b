"""The race table behind every rate: fetch it (the rules are SQL, sql/functions/), write CSV.

One row per endorsed candidacy (however many bodies endorsed it), one per unmatched
endorsement, one per candidacy whose every endorsement was rescinded. `tally` says how the row
counts in the rates: won, lost, pending, or excluded (withdrew, rescinded, unmatched).
"""

from __future__ import annotations

import csv
import io

import asyncpg
import msgspec

from endorse.db.queries import load
from endorse.elections.service import UnknownElection, get_election
from endorse.figures.schemas import RaceRow

q = load("figures")

CSV_COLUMNS = (
    "stage", "office", "district", "contest_party", "seats", "candidate", "endorsed_as", "bodies",
    "parties", "incumbent", "votes", "percent", "votes_cast", "margin", "close",
    "precincts_reporting", "precincts_total", "call_status", "uncontested", "outcome", "reason",
    "tally", "as_of", "contest_id", "candidacy_id", "snapshot_id", "called_by_staff",
    "certified_by_staff", "excluded_reason", "disputed",
)  # fmt: skip
_FORMULA = ("=", "+", "-", "@", "\t", "\r")  # cells a spreadsheet would run as a formula


async def _known(conn: asyncpg.Connection, slug: str, stage: str) -> None:
    """Raise UnknownElection naming the field when the slug or stage does not exist."""
    election = await get_election(conn, slug)
    if stage != "all" and stage not in {s.kind for s in election.stages}:
        raise UnknownElection(f"stage: election {slug!r} has no {stage!r} stage")


async def race_rows(conn: asyncpg.Connection, slug: str, stage: str) -> tuple[list[RaceRow], str]:
    """(rows, snapshot) for an election's stage ('all' pools every stage, on request only)."""
    records = await conn.fetch(*q.races(slug=slug, stage=stage))
    if not records:
        await _known(conn, slug, stage)
        snapshot = await conn.fetchval("select pg_current_snapshot()::text")
        return [], snapshot
    snapshot = records[0]["snapshot"]
    rows = [msgspec.convert({**r, "percent": _float(r["percent"])}, RaceRow) for r in records]
    return rows, snapshot


def _float(value: object) -> float | None:
    return None if value is None else float(value)  # numeric(.,1) -> 52.3


def csv_cell(value: object) -> str:
    """One race-table value as CSV text: lists joined, booleans as yes/no, formulas defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    text = str(value)
    if isinstance(value, str) and text.startswith(_FORMULA):
        return "'" + text  # typed names come from people; never let a cell run as a formula
    return text


def to_csv(rows: list[RaceRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(csv_cell(getattr(row, column)) for column in CSV_COLUMNS)
    return out.getvalue()
