"""GET /api/v1/endorsements/export: CSV and XLSX that import back unchanged, formulas defused."""

from __future__ import annotations

import csv
import io

import asyncpg
import openpyxl
import pytest
from litestar.testing import AsyncTestClient

from tests.endorsements.sample import HEADER, SAMPLE, counts, csv_bytes, row

URL = "/api/v1/endorsements"
Auth = dict[str, dict[str, str]]
PAYLOADS = ["=cmd|' /C calc'!A0", "+1+1", "-2", "@SUM(A1)", '=HYPERLINK("http://x")']
QUOTED = "'=typed with a quote"  # only the API can store this; an import reads it as Excel does


async def _import(client: AsyncTestClient, auth: Auth, data: bytes) -> dict:
    response = await client.post(
        f"{URL}/import", content=data, headers={**auth["editor"], "Content-Type": "text/csv"}
    )
    assert response.status_code == 200, response.text
    return response.json()


async def _seed(client: AsyncTestClient, auth: Auth, conn: asyncpg.Connection) -> None:
    await _import(client, auth, SAMPLE.read_bytes())
    risky = [row(f"Candidate {i}", district=str(40 + i), notes=p) for i, p in enumerate(PAYLOADS)]
    await _import(client, auth, csv_bytes(*risky) + b"\n")
    typed = await client.post(
        URL,
        json={**dict(zip(HEADER.split(","), row("Quinn Quote", district="77"), strict=True)),
              "notes": QUOTED},
        headers=auth["editor"],
    )  # fmt: skip
    assert typed.status_code == 201, typed.text
    # rescind one through the API: the export carries rescission columns too
    first = await conn.fetchval("select id from endorsements where candidate = 'John W. Fonfara'")
    etag = (await client.get(f"{URL}/{first}", headers=auth["viewer"])).headers["etag"]
    rescinded = await client.post(
        f"{URL}/{first}/rescind",
        json={"rescinded_on": "2018-10-01", "reason": 'missed the screening, "twice"'},
        headers={**auth["editor"], "If-Match": etag},
    )
    assert rescinded.status_code == 200


async def test_csv_round_trip_is_unchanged(
    client: AsyncTestClient, auth: Auth, conn: asyncpg.Connection, election: str
) -> None:
    await _seed_late(client, auth)
    await _seed(client, auth, conn)
    before = await counts(conn)
    response = await client.get(f"{URL}/export", params={"format": "csv"}, headers=auth["viewer"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="endorsements-all.csv"' in response.headers["content-disposition"]
    data = response.content
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert ",".join(lines[0]) == (
        "election,stage,office,district,candidate,party,endorsed_by,endorsed_on,notes,"
        "late_ok,rescinded_on,rescind_reason,incumbent,version"
    )
    assert len(lines) == 1 + 6 + len(PAYLOADS) + 2
    notes = [line[8] for line in lines if line[4].startswith("Candidate")]
    assert notes == ["'" + p for p in PAYLOADS]  # every formula-looking cell is defused
    assert next(line[8] for line in lines if line[4] == "Quinn Quote") == "'" + QUOTED
    late = next(line for line in lines if line[4] == "Ann Late")
    assert late[9] == "true"
    fonfara = next(line for line in lines if line[4] == "John W. Fonfara")
    assert fonfara[10:] == ["2018-10-01", 'missed the screening, "twice"', "", "2"]

    report = await _import(client, auth, data)
    assert (report["unchanged"], report["created"], report["updated"]) == (len(lines) - 1, 0, 0)
    assert await counts(conn) == before
    stored = await conn.fetch(
        "select notes from endorsements where candidate like 'Candidate%' order by id"
    )
    assert [s["notes"] for s in stored] == PAYLOADS
    assert await conn.fetchval("select notes from endorsements where district = '77'") == QUOTED


async def _seed_late(client: AsyncTestClient, auth: Auth) -> None:
    response = await client.post(
        f"{URL}/import",
        params={"late_ok": "1"},
        content=csv_bytes(row("Ann Late", district="99", endorsed_on="2018-11-08")),
        headers={**auth["editor"], "Content-Type": "text/csv"},
    )
    assert response.status_code == 200, response.text


async def test_xlsx_round_trip_is_unchanged(
    client: AsyncTestClient, auth: Auth, conn: asyncpg.Connection, election: str
) -> None:
    await _seed_late(client, auth)
    await _seed(client, auth, conn)
    before = await counts(conn)
    response = await client.get(
        f"{URL}/export", params={"format": "xlsx", "election": election}, headers=auth["viewer"]
    )
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [c for r in book.active.iter_rows() for c in r]
    assert not any(c.data_type == "f" for c in cells)  # no cell is a formula
    report = (
        await client.post(f"{URL}/import", content=response.content, headers=auth["editor"])
    ).json()
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 13)
    assert await counts(conn) == before


@pytest.mark.parametrize("params", [{"election": "nope"}, {"format": "pdf"}])
async def test_bad_export_parameters_are_400(
    client: AsyncTestClient, auth: Auth, election: str, params: dict
) -> None:
    response = await client.get(f"{URL}/export", params=params, headers=auth["viewer"])
    assert response.status_code == 400
    assert next(iter(params)) in response.text
