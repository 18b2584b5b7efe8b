"""Export live endorsements as CSV or XLSX in the import's own columns, so export -> import
reports every row unchanged. Cells a spreadsheet would run as formulas are quote-prefixed
(see tabular.escape_cell); the import strips that quote again."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Literal

import asyncpg

from endorse.endorsements.service import q
from endorse.endorsements.tabular import EXPORT_HEADER, escape_cell
from endorse.errors import Invalid

Format = Literal["csv", "xlsx"]
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


async def export_table(conn: asyncpg.Connection, election: str | None = None) -> list[list[str]]:
    """The header and one row per live endorsement (of one election, or all)."""
    if election is not None and not await conn.fetchval(*q.election_exists(slug=election)):
        raise Invalid(f"election: no election with slug {election!r}")
    rows = await conn.fetch(*q.export_endorsements(election=election))
    return [list(EXPORT_HEADER), *([_text(v) for v in r.values()] for r in rows)]


async def export_bytes(conn: asyncpg.Connection, fmt: Format, election: str | None = None) -> bytes:
    table = await export_table(conn, election)
    return write_xlsx(table) if fmt == "xlsx" else write_csv(table)


def filename(fmt: Format, election: str | None) -> str:
    return f"endorsements-{election or 'all'}.{fmt}"


def write_csv(rows: list[list[str]]) -> bytes:
    """UTF-8 with a BOM (so Excel reads accents right) and CRLF line ends."""
    out = io.StringIO(newline="")
    csv.writer(out).writerows([[escape_cell(c) for c in row] for row in rows])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def write_xlsx(rows: list[list[str]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("endorsements")
    for row in rows:
        sheet.append([escape_cell(c) for c in row])  # all text: no cell is ever a formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
