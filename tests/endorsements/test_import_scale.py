"""A 5,000-row file imports in one request, set-based; the same file again writes nothing."""

from __future__ import annotations

import asyncpg
from litestar.testing import AsyncTestClient

from tests.endorsements.sample import counts, csv_bytes, row

ROWS = 5000
Auth = dict[str, dict[str, str]]


def big_file(notes: str = "") -> bytes:
    offices = ("State Senate", "State House", "Board of Education", "Town Council")
    bodies = ("AFT Connecticut", "Hartford Federation of Teachers", "New Haven Federation")
    return csv_bytes(
        *(
            row(
                f"Candidate {i:05d}",
                office=offices[i % 4],
                district=str(i % 151 + 1),
                endorsed_by=bodies[i % 3],
                notes=notes if i % 2 else "",
            )
            for i in range(ROWS)
        )
    )


async def test_5000_rows_one_request(
    client: AsyncTestClient, auth: Auth, conn: asyncpg.Connection, election: str
) -> None:
    headers = {**auth["editor"], "Content-Type": "text/csv"}
    url = "/api/v1/endorsements/import"
    response = await client.post(url, content=big_file(), headers=headers)
    assert response.status_code == 200, response.text[:500]
    assert response.json()["created"] == ROWS
    assert await counts(conn) == (ROWS, ROWS, ROWS + 1)

    again = await client.post(url, content=big_file(), headers=headers)
    assert again.json()["unchanged"] == ROWS
    assert await counts(conn) == (ROWS, ROWS, ROWS + 1)

    half = await client.post(url, content=big_file(notes="rescreened"), headers=headers)
    assert (half.json()["updated"], half.json()["unchanged"]) == (ROWS // 2, ROWS // 2)
    assert await counts(conn) == (ROWS, ROWS + ROWS // 2, ROWS + ROWS // 2 + 2)
