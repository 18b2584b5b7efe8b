"""Import: file-level problems are one 400 (or 413) and change nothing; XLSX is read like CSV."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import asyncpg
import openpyxl
import pytest
from litestar.testing import AsyncTestClient

from tests.endorsements.sample import HEADER, counts, csv_bytes, row

URL = "/api/v1/endorsements/import"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Auth = dict[str, dict[str, str]]


def _zip_of_text() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("endorsements.csv", csv_bytes(row()))
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "content_type", "message"),
    [
        (b"", "text/csv", "body: the file is empty"),
        (b"\r\n\r\n", "text/csv", "body: the file is empty"),
        (
            csv_bytes(row(), header=HEADER.replace("endorsed_on", "date")),
            "text/csv",
            "header: missing column(s) endorsed_on; unknown column(s) 'date'",
        ),
        (
            csv_bytes([*row(), "x"], header=HEADER + ",notes"),
            "text/csv",
            "header: repeated column(s) notes",
        ),
        (csv_bytes(row()), XLSX, "body: sent as XLSX but it is not a spreadsheet"),
        (_zip_of_text(), XLSX, "body: not a readable XLSX spreadsheet"),
        (b"PK\x03\x04 truncated", "text/csv", "body: not a readable XLSX spreadsheet"),
    ],
)
async def test_unreadable_files_are_400(
    client: AsyncTestClient,
    auth: Auth,
    conn: asyncpg.Connection,
    election: str,
    data: bytes,
    content_type: str,
    message: str,
) -> None:
    response = await client.post(
        URL, content=data, headers={**auth["editor"], "Content-Type": content_type}
    )
    assert response.status_code == 400, response.text
    assert response.json()["detail"].startswith(message), response.json()["detail"]
    assert await counts(conn) == (0, 0, 0)


async def test_50_mb_upload_is_413(
    client: AsyncTestClient, auth: Auth, conn: asyncpg.Connection, election: str
) -> None:
    big = csv_bytes(row()) + b"x" * (50 * 1024 * 1024)
    response = await client.post(
        URL, content=big, headers={**auth["editor"], "Content-Type": "text/csv"}
    )
    assert response.status_code == 413
    assert await counts(conn) == (0, 0, 0)


def _xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for values in rows:
        sheet.append(values)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def test_xlsx_with_typed_cells(
    client: AsyncTestClient, auth: Auth, conn: asyncpg.Connection, election: str
) -> None:
    header = HEADER.split(",")
    first = row()
    data = _xlsx(
        [
            header,
            [*first[:3], 1, *first[4:7], dt.datetime(2018, 9, 20), None],  # number, date cells
            [*row("Douglas McCrory", district="2")],
            [None] * len(header),  # the empty rows a spreadsheet leaves at the end
        ]
    )
    # the zip signature decides, whatever the Content-Type says
    response = await client.post(
        URL, content=data, headers={**auth["editor"], "Content-Type": "application/octet-stream"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 2
    assert [r["row"] for r in response.json()["results"]] == [2, 3]
    stored = await conn.fetchrow("select district, endorsed_on from endorsements where id = 1")
    assert (stored["district"], stored["endorsed_on"]) == ("1", dt.date(2018, 9, 20))


async def test_xlsx_error_names_spreadsheet_row(
    client: AsyncTestClient, auth: Auth, conn: asyncpg.Connection, election: str
) -> None:
    data = _xlsx([HEADER.split(","), row(), [None] * 9, row("Ed Gomes", endorsed_on="=TODAY()")])
    response = await client.post(
        URL, content=data, headers={**auth["editor"], "Content-Type": XLSX}
    )
    assert response.status_code == 422
    bad = response.json()["results"][-1]
    assert bad["row"] == 4 and bad["errors"][0]["column"] == "endorsed_on"
    assert await counts(conn) == (0, 0, 0)


async def test_nul_bytes_are_a_row_error(
    client: AsyncTestClient, auth: Auth, conn: asyncpg.Connection, election: str
) -> None:
    data = csv_bytes(row(), row("Ed\x00Gomes", district="23"))
    response = await client.post(
        URL, content=data, headers={**auth["editor"], "Content-Type": "text/csv"}
    )
    assert response.status_code == 422
    assert response.json()["results"][1]["errors"] == [
        {"column": "candidate", "reason": "contains a NUL character"}
    ]
    assert await counts(conn) == (0, 0, 0)
