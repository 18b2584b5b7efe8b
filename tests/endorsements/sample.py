"""Test data for the registry: the sample file, CSV builders, and what a write leaves behind."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import asyncpg

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SAMPLE = FIXTURES / "endorsements_20181106_ct_general.csv"
HEADER = "election,stage,office,district,candidate,party,endorsed_by,endorsed_on,notes"


def csv_bytes(*rows: list[str] | tuple[str, ...], header: str = HEADER) -> bytes:
    """A CSV file (LF line ends, no BOM) with the given header and rows."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header.split(","))
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def row(candidate: str = "John W. Fonfara", **cells: str) -> list[str]:
    """One canonical row for the 2018 general; override any cell by column name."""
    values = {
        "election": "2018-ct-general",
        "stage": "general",
        "office": "State Senate",
        "district": "1",
        "candidate": candidate,
        "party": "Democratic",
        "endorsed_by": "AFT Connecticut",
        "endorsed_on": "2018-09-20",
        "notes": "",
    }
    values.update(cells)
    return [values[c] for c in HEADER.split(",")]


async def counts(conn: asyncpg.Connection) -> tuple[int, int, int]:
    """(endorsements, versions, audit rows about endorsements): what a write leaves behind."""
    return (
        await conn.fetchval("select count(*) from endorsements"),
        await conn.fetchval("select count(*) from endorsement_versions"),
        await conn.fetchval("select count(*) from audit_log where entity = 'endorsements'"),
    )
