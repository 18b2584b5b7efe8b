"""POST /api/v1/endorsements/import: per-row report, all-or-nothing, idempotent re-import."""

from __future__ import annotations

import asyncpg
from litestar.testing import AsyncTestClient

from tests.endorsements.sample import HEADER, SAMPLE, counts, csv_bytes, row

URL = "/api/v1/endorsements/import"
Auth = dict[str, dict[str, str]]
CSV = {"Content-Type": "text/csv"}


async def _post(
    client: AsyncTestClient, auth: Auth, data: bytes, **params: str
) -> tuple[int, dict]:
    response = await client.post(
        URL, content=data, params=params, headers={**auth["editor"], **CSV}
    )
    return response.status_code, response.json()


async def test_import_creates_then_reimport_changes_nothing(
    client: AsyncTestClient, auth: Auth, conn: asyncpg.Connection, election: str
) -> None:
    status, report = await _post(client, auth, SAMPLE.read_bytes())
    assert status == 200, report
    assert (report["ok"], report["written"], report["dry_run"]) == (True, True, False)
    assert (report["rows"], report["created"], report["updated"], report["unchanged"]) == (
        6,
        6,
        0,
        0,
    )
    assert report["bodies_created"] == ["AFT Connecticut", "Hartford Federation of Teachers"]
    assert [r["row"] for r in report["results"]] == [2, 3, 4, 5, 6, 7]
    assert all(r["status"] == "created" and r["id"] for r in report["results"])
    # 6 endorsements, 6 versions, 6 audit rows + 1 summary of the import
    assert await counts(conn) == (6, 6, 7)
    stored = await conn.fetch(
        "select office, office_typed, district, created_by from endorsements order by id"
    )
    assert [(r["office"], r["district"]) for r in stored[:3]] == [
        ("State Senate", "1"),
        ("State Senate", "2"),
        ("State House", "1"),
    ]
    assert stored[1]["office_typed"] == "State Senator"
    assert {r["created_by"] for r in stored} == {"test-editor"}
    summary = await conn.fetchrow("select after from audit_log where action = 'endorsement.import'")
    assert (summary["after"]["created"], summary["after"]["format"]) == (6, "csv")

    status, again = await _post(client, auth, SAMPLE.read_bytes())
    assert status == 200
    assert (again["created"], again["updated"], again["unchanged"], again["written"]) == (
        0,
        0,
        6,
        False,
    )
    assert again["bodies_created"] == []
    assert await counts(conn) == (6, 6, 7)  # no new versions, no audit rows
    assert await conn.fetchval("select max(version) from endorsements") == 1


async def test_changed_rows_are_updated_with_versions_and_audit(
    client: AsyncTestClient, auth: Auth, conn: asyncpg.Connection, election: str
) -> None:
    await _post(client, auth, csv_bytes(row(), row("Douglas McCrory", district="2")))
    changed = csv_bytes(
        row(notes="screened 9/18"),
        row("Douglas McCrory", office="State Senator", district="District 2"),  # same, respelled
        row("Ed Gomes", district="23"),
    )
    status, report = await _post(client, auth, changed)
    assert status == 200, report
    assert [r["status"] for r in report["results"]] == ["updated", "unchanged", "created"]
    assert await counts(conn) == (3, 4, 6)  # 2+1 created, 1 update; 3+1 audit, 2 summaries
    fonfara = await conn.fetchrow("select id, version, notes from endorsements where id = $1", 1)
    assert (fonfara["version"], fonfara["notes"]) == (2, "screened 9/18")
    audit = await conn.fetchrow(
        "select before, after from audit_log where action = 'endorsement.update'"
    )
    assert (audit["before"]["notes"], audit["after"]["notes"]) == ("", "screened 9/18")
    versions = await conn.fetch(
        "select version, op from endorsement_versions where endorsement_id = 1 order by version"
    )
    assert [(v["version"], v["op"]) for v in versions] == [(1, "create"), (2, "update")]


async def test_dry_run_reports_exactly_and_writes_nothing(
    client: AsyncTestClient, auth: Auth, conn: asyncpg.Connection, election: str
) -> None:
    status, report = await _post(client, auth, SAMPLE.read_bytes(), dry_run="1")
    assert status == 200
    assert (report["dry_run"], report["ok"], report["written"], report["created"]) == (
        True,
        True,
        False,
        6,
    )
    assert all("id" not in r for r in report["results"])  # nothing was created to point at
    assert report["bodies_created"] == ["AFT Connecticut", "Hartford Federation of Teachers"]
    assert await counts(conn) == (0, 0, 0)
    assert await conn.fetchval("select count(*) from bodies") == 0


async def test_one_bad_row_writes_nothing_and_names_row_and_column(
    client: AsyncTestClient, auth: Auth, conn: asyncpg.Connection, election: str
) -> None:
    data = csv_bytes(
        row(),
        row("Ed Gomes", district="23", election="2019-ct-general"),
        row("Douglas McCrory", district="2", stage="runoff"),
        row("", district="4"),
        row("Gary Winfield", district="10", endorsed_on="2018-13-45"),
        row("Martin Looney", district="11", endorsed_on="Sept 20, 2018"),
        row("Will Haskell", district="26", endorsed_on="2018-11-07"),
        row(),  # the first row again
        row("Mae Flexer", district="29", stage="final"),
    )
    status, report = await _post(client, auth, data)
    assert status == 422
    assert (report["ok"], report["written"], report["errors"]) == (False, False, 8)
    errors = {r["row"]: r.get("errors") for r in report["results"]}
    assert errors[2] is None and report["results"][0]["status"] == "created"
    assert errors[3] == [
        {"column": "election", "reason": "no election with slug '2019-ct-general'"}
    ]
    assert errors[4] == [
        {"column": "stage", "reason": "election '2018-ct-general' has no 'runoff' stage"}
    ]
    assert errors[5] == [{"column": "candidate", "reason": "must not be empty"}]
    assert errors[6][0]["column"] == "endorsed_on" and "'2018-13-45'" in errors[6][0]["reason"]
    assert errors[7][0]["column"] == "endorsed_on" and "YYYY-MM-DD" in errors[7][0]["reason"]
    assert errors[8][0]["column"] == "endorsed_on"
    assert "not before the general election day 2018-11-06" in errors[8][0]["reason"]
    assert errors[9] == [
        {
            "column": "candidate",
            "reason": "the same endorsement as row 2 (same election, stage, endorsed_by,"
            " office, district and candidate)",
        }
    ]
    assert errors[10][0]["column"] == "stage" and "'final'" in errors[10][0]["reason"]
    assert await counts(conn) == (0, 0, 0)
    assert await conn.fetchval("select count(*) from bodies") == 0


async def test_late_rows_need_the_flag_and_then_do_not_count(
    client: AsyncTestClient, auth: Auth, conn: asyncpg.Connection, election: str
) -> None:
    late = csv_bytes(row(endorsed_on="2018-11-06"), row("Ed Gomes", district="23"))
    status, report = await _post(client, auth, late)
    assert status == 422 and report["results"][0]["errors"][0]["column"] == "endorsed_on"
    status, report = await _post(client, auth, late, late_ok="1")
    assert status == 200 and report["created"] == 2
    flags = await conn.fetch("select candidate, late_ok from endorsements order by id")
    assert [(f["candidate"], f["late_ok"]) for f in flags] == [
        ("John W. Fonfara", True),
        ("Ed Gomes", False),  # on time: the flag only marks late ones
    ]
    column = csv_bytes(
        [*row("Mae Flexer", district="29", endorsed_on="11/7/2018"), "yes"],
        header=HEADER + ",late_ok",
    )
    status, report = await _post(client, auth, column)
    assert status == 200 and report["created"] == 1, report


async def test_bom_and_crlf_are_accepted(
    client: AsyncTestClient, auth: Auth, conn: asyncpg.Connection, election: str
) -> None:
    data = b"\xef\xbb\xbf" + SAMPLE.read_bytes().replace(b"\n", b"\r\n")
    status, report = await _post(client, auth, data)
    assert status == 200 and report["created"] == 6, report
    names = await conn.fetch("select candidate, notes from endorsements order by id")
    assert names[0]["candidate"] == "John W. Fonfara"  # no BOM glued to anything
    assert not any("\r" in n["notes"] for n in names)


async def test_latin1_is_rejected_naming_the_row(
    client: AsyncTestClient, auth: Auth, conn: asyncpg.Connection, election: str
) -> None:
    data = csv_bytes(row(), row("Jos\u00e9 Ramos", district="3")).replace(
        "Jos\u00e9".encode(), "Jos\u00e9".encode("latin-1")
    )
    status, report = await _post(client, auth, data)
    assert status == 422
    assert report["results"][1]["row"] == 3
    assert report["results"][1]["errors"][0]["column"] == "candidate"
    assert "UTF-8" in report["results"][1]["errors"][0]["reason"]
    assert await counts(conn) == (0, 0, 0)
    utf8 = csv_bytes(row("Jos\u00e9 Ramos", district="3"))
    assert (await _post(client, auth, utf8))[0] == 200


async def test_header_mapping(
    client: AsyncTestClient, auth: Auth, conn: asyncpg.Connection, election: str
) -> None:
    data = (
        b"Internal ID,Candidate Name,ELECTION,Stage,Office,District,Party,Endorsed By,Date,Notes\n"
        b"17,John W. Fonfara,2018-ct-general,General,State Senate,1,Democratic,"
        b"AFT Connecticut,9/20/2018,\n"
    )
    status, report = await _post(client, auth, data)
    assert status == 400 and "missing column(s) candidate, endorsed_on" in report["detail"]
    status, report = await _post(
        client,
        auth,
        data,
        map="Candidate Name:candidate,Date:endorsed_on,Internal ID:-,Endorsed By:endorsed_by",
    )
    assert status == 200 and report["created"] == 1, report
    assert str(await conn.fetchval("select endorsed_on from endorsements")) == "2018-09-20"
    status, report = await _post(client, auth, data, map="Date:when")
    assert status == 400 and report["detail"].startswith("map: 'when' is not a column")


async def test_formula_cells_are_stored_as_typed(
    client: AsyncTestClient, auth: Auth, conn: asyncpg.Connection, election: str
) -> None:
    payload = "=cmd|' /C calc'!A0"
    status, report = await _post(client, auth, csv_bytes(row(notes=payload)))
    assert status == 200, report
    assert await conn.fetchval("select notes from endorsements") == payload
    # the quote our export adds is taken off again, so the value round-trips
    status, report = await _post(client, auth, csv_bytes(row(notes="'" + payload)))
    assert report["unchanged"] == 1
