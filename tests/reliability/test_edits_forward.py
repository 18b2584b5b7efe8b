"""Edits never go backwards: re-importing an export made before a later edit, rescission or
deletion reports that row as a conflict (row and column named) and writes nothing at all."""

from __future__ import annotations

import csv
import io

import asyncpg
from litestar.testing import AsyncTestClient

from tests.endorsements.conftest import election  # noqa: F401 (fixture)
from tests.endorsements.sample import SAMPLE

URL = "/api/v1/endorsements"
Auth = dict[str, dict[str, str]]


async def _import(client: AsyncTestClient, auth: Auth, data: bytes) -> tuple[int, dict]:
    response = await client.post(
        f"{URL}/import", content=data, headers={**auth["editor"], "Content-Type": "text/csv"}
    )
    return response.status_code, response.json()


async def _export(client: AsyncTestClient, auth: Auth) -> list[list[str]]:
    response = await client.get(f"{URL}/export", params={"format": "csv"}, headers=auth["viewer"])
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def _csv(lines: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\n").writerows(lines)
    return out.getvalue().encode()


async def _etag(client: AsyncTestClient, auth: Auth, endorsement_id: int) -> str:
    return (await client.get(f"{URL}/{endorsement_id}", headers=auth["viewer"])).headers["etag"]


async def _state(conn: asyncpg.Connection) -> list[asyncpg.Record]:
    return await conn.fetch(
        "select id, version, notes, rescinded_on, deleted_at from endorsements order by id"
    )


async def test_an_old_export_never_undoes_later_edits(
    client: AsyncTestClient,
    auth: Auth,
    conn: asyncpg.Connection,
    election: str,  # noqa: F811
) -> None:
    status, report = await _import(client, auth, SAMPLE.read_bytes())
    assert status == 200 and report["created"] == 6
    exported = await _export(client, auth)
    header = exported[0]
    assert header[-1] == "version"
    row_of = {line[4]: number for number, line in enumerate(exported[1:], start=2)}
    ids = {
        r["candidate"]: r["id"] for r in await conn.fetch("select id, candidate from endorsements")
    }

    # after the export: one edited, one rescinded, one deleted, each through the API
    edited, rescinded, deleted = "John W. Fonfara", "Ned Lamont", "Douglas McCrory"
    assert {edited, rescinded, deleted} <= row_of.keys()
    response = await client.patch(
        f"{URL}/{ids[edited]}",
        json={"notes": "screened again in October"},
        headers={**auth["editor"], "If-Match": await _etag(client, auth, ids[edited])},
    )
    assert response.status_code == 200, response.text
    response = await client.post(
        f"{URL}/{ids[rescinded]}/rescind",
        json={"rescinded_on": "2018-10-01", "reason": "withdrew"},
        headers={**auth["editor"], "If-Match": await _etag(client, auth, ids[rescinded])},
    )
    assert response.status_code == 200, response.text
    response = await client.delete(
        f"{URL}/{ids[deleted]}",
        headers={**auth["editor"], "If-Match": await _etag(client, auth, ids[deleted])},
    )
    assert response.status_code in (200, 204), response.text
    before = await _state(conn)
    audit = await conn.fetchval("select count(*) from audit_log")

    # the old export, with a harmless change in an untouched row so the import has work to do
    untouched = next(n for name, n in row_of.items() if name not in (edited, rescinded, deleted))
    old = [list(line) for line in exported]
    old[untouched - 1][header.index("notes")] = "a change made in the spreadsheet"
    status, report = await _import(client, auth, _csv(old))
    assert status == 422, report
    assert (report["ok"], report["written"]) == (False, False)
    errors = {r["row"]: r.get("errors") for r in report["results"]}
    for name in (edited, rescinded, deleted):
        [error] = errors[row_of[name]]
        assert error["column"] == "version"
        assert "after this file was exported" in error["reason"]
    assert "rescinded" in errors[row_of[rescinded]][0]["reason"]
    assert "deleted" in errors[row_of[deleted]][0]["reason"]
    assert errors[untouched] is None
    # all or nothing: not even the untouched row's change was written
    assert await _state(conn) == before
    assert await conn.fetchval("select count(*) from audit_log") == audit

    # a fresh export imports cleanly and applies the spreadsheet change
    fresh = await _export(client, auth)
    fresh_rows = {line[4]: line for line in fresh[1:]}
    assert fresh_rows[edited][header.index("version")] == "2"
    line = fresh_rows[next(name for name, n in row_of.items() if n == untouched)]
    line[header.index("notes")] = "a change made in the spreadsheet"
    status, report = await _import(client, auth, _csv(fresh))
    assert status == 200, report
    assert (report["updated"], report["created"]) == (1, 0)


async def test_rows_without_a_version_keep_todays_behaviour(
    client: AsyncTestClient,
    auth: Auth,
    conn: asyncpg.Connection,
    election: str,  # noqa: F811
) -> None:
    await _import(client, auth, SAMPLE.read_bytes())
    exported = await _export(client, auth)
    some_id = await conn.fetchval("select min(id) from endorsements")
    response = await client.patch(
        f"{URL}/{some_id}",
        json={"notes": "edited after the export"},
        headers={**auth["editor"], "If-Match": await _etag(client, auth, some_id)},
    )
    assert response.status_code == 200
    # the version column dropped (a hand-made file): the file is the truth, as before
    version = exported[0].index("version")
    stripped = [line[:version] + line[version + 1 :] for line in exported]
    status, report = await _import(client, auth, _csv(stripped))
    assert status == 200 and report["updated"] == 1
    # an empty version cell likewise; a bad one is an error naming the column
    exported[1][version] = "two"
    status, report = await _import(client, auth, _csv(exported))
    assert status == 422
    assert report["results"][0]["errors"][0]["column"] == "version"
