"""/staff/import without a browser: check, report, import exactly the checked file, CSRF."""

from __future__ import annotations

import re

import asyncpg
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.endorsements.sample import counts, csv_bytes, row
from tests.staff import pages_data
from tests.staff.helpers import sign_in

Client = AsyncTestClient[Litestar]
ROW = dict(election=pages_data.SLUG, endorsed_on="2026-09-20")


def _file(*rows: list[str], header: str | None = None) -> dict[str, tuple[str, bytes, str]]:
    data = csv_bytes(*rows) if header is None else csv_bytes(*rows, header=header)
    return {"file": ("list.csv", data, "text/csv")}


def _checked_id(location: str) -> str:
    found = re.fullmatch(r"/staff/import/([\w-]+)", location)
    assert found, location
    return found.group(1)


async def _check(client: Client, csrf: str, files: dict, **fields: str) -> str:
    answer = await client.post(
        "/staff/import", data={"_csrf": csrf, **fields}, files=files, follow_redirects=False
    )
    assert answer.status_code == 303, answer.text
    return _checked_id(answer.headers["location"])


async def test_signed_out_and_viewer_are_kept_out(
    client: Client, conn: asyncpg.Connection, staff_users: dict[str, str]
) -> None:
    answer = await client.get("/staff/import", follow_redirects=False)
    assert answer.status_code == 303 and "/staff/sign-in" in answer.headers["location"]
    await sign_in(client, staff_users["viewer"])
    assert (await client.get("/staff/import")).status_code == 403


async def test_bad_date_is_named_then_fixed_file_imports(
    client: Client, conn: asyncpg.Connection, staff_users: dict[str, str]
) -> None:
    await pages_data.election(conn)
    csrf = await sign_in(client, staff_users["editor"])
    form = await client.get("/staff/import")
    assert '<label for="f-file">File</label>' in form.text and ">Check</button>" in form.text

    bad = _file(
        row("Ann Lee", **ROW), row("Bo Chan", district="2", **ROW | {"endorsed_on": "2026-02-30"})
    )
    checked_id = await _check(client, csrf, bad)
    page = await client.get(f"/staff/import/{checked_id}")
    assert page.status_code == 200
    fix = re.search(r'<tr class="row-error">(.*?)</tr>', page.text, re.S)
    assert fix and '<td class="num">3</td>' in fix.group(1) and "endorsed_on" in fix.group(1)
    assert ">Import</button>" not in page.text
    assert await counts(conn) == (0, 0, 0)
    refused = await client.post(
        f"/staff/import/{checked_id}/apply", data={"_csrf": csrf}, follow_redirects=False
    )
    assert refused.status_code == 409 and await counts(conn) == (0, 0, 0)

    good = _file(row("Ann Lee", **ROW), row("Bo Chan", district="2", **ROW))
    checked_id = await _check(client, csrf, good)
    page = await client.get(f"/staff/import/{checked_id}")
    assert ">Import</button>" in page.text and "2 to create" in page.text
    done = await client.post(
        f"/staff/import/{checked_id}/apply", data={"_csrf": csrf}, follow_redirects=False
    )
    assert done.status_code == 303
    shown = await client.get(done.headers["location"])
    assert "Imported list.csv: 2 created" in shown.text
    assert await conn.fetchval("select count(*) from endorsements") == 2
    actors = {r["actor"] for r in await conn.fetch(
        "select actor from audit_log where action = 'endorsement.create'")}  # fmt: skip
    assert actors == {f"staff:{staff_users['editor']}"}


async def test_missing_file_and_bad_mapping_mark_their_fields(
    client: Client, conn: asyncpg.Connection, staff_users: dict[str, str]
) -> None:
    csrf = await sign_in(client, staff_users["editor"])
    empty = {"file": ("list.csv", b"", "text/csv")}
    answer = await client.post("/staff/import", data={"_csrf": csrf}, files=empty)
    assert answer.status_code == 400
    assert re.search(r'class="field field-error">\s*<label for="f-file">', answer.text)
    answer = await client.post(
        "/staff/import", data={"_csrf": csrf, "mapping": "nonsense"}, files=_file(row())
    )
    assert answer.status_code == 400 and 'id="e-mapping"' in answer.text
    assert await conn.fetchval("select count(*) from checked_imports") == 0


async def test_changed_between_check_and_import_writes_nothing(
    client: Client, conn: asyncpg.Connection, staff_users: dict[str, str]
) -> None:
    await pages_data.election(conn)
    csrf = await sign_in(client, staff_users["editor"])
    first = await _check(client, csrf, _file(row("Ann Lee", **ROW)))
    await client.post(f"/staff/import/{first}/apply", data={"_csrf": csrf})
    second = await _check(client, csrf, _file(row("Ann Lee", notes="ours", **ROW)))
    await conn.execute("update endorsements set notes = 'theirs', updated_by = 'someone'")
    before = await counts(conn)
    answer = await client.post(f"/staff/import/{second}/apply", data={"_csrf": csrf})
    assert answer.status_code == 409
    assert "changed since this file was checked" in answer.text
    assert "Check the same file again" in answer.text
    assert await counts(conn) == before
    assert await conn.fetchval("select notes from endorsements") == "theirs"


async def test_column_mapping_from_the_report(
    client: Client, conn: asyncpg.Connection, staff_users: dict[str, str]
) -> None:
    await pages_data.election(conn)
    csrf = await sign_in(client, staff_users["editor"])
    header = "election,stage,office,district,Candidate Name,party,endorsed_by,Date,notes"
    checked_id = await _check(client, csrf, _file(row("Ann Lee", **ROW), header=header))
    page = (await client.get(f"/staff/import/{checked_id}")).text
    assert "unknown column(s)" in page and '<label for="map-4">Candidate Name</label>' in page
    answer = await client.post(
        f"/staff/import/{checked_id}/map",
        data={"_csrf": csrf, "map-4": "candidate", "map-7": "endorsed_on"},
        follow_redirects=False,
    )
    mapped = _checked_id(answer.headers["location"])
    page = (await client.get(f"/staff/import/{mapped}")).text
    assert "Candidate Name:candidate,Date:endorsed_on" in page and ">Import</button>" in page


async def test_htmx_gets_the_fragment_and_csrf_is_required(
    client: Client, conn: asyncpg.Connection, staff_users: dict[str, str]
) -> None:
    await pages_data.election(conn)
    csrf = await sign_in(client, staff_users["editor"])
    answer = await client.post(
        "/staff/import",
        data={"_csrf": csrf},
        files=_file(row("Ann Lee", **ROW)),
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 200 and "<html" not in answer.text
    assert answer.headers["hx-push-url"].startswith("/staff/import/")
    checked_id = _checked_id(answer.headers["hx-push-url"])
    for data in ({}, {"_csrf": "forged"}):
        refused = await client.post(f"/staff/import/{checked_id}/apply", data=data)
        assert refused.status_code == 403
    refused = await client.post("/staff/import", data={}, files=_file(row("Ann Lee", **ROW)))
    assert refused.status_code == 403
    assert await conn.fetchval("select count(*) from endorsements") == 0


async def test_unknown_check_is_a_404_page(
    client: Client, conn: asyncpg.Connection, staff_users: dict[str, str]
) -> None:
    await sign_in(client, staff_users["editor"])
    answer = await client.get("/staff/import/no-such-check")
    assert answer.status_code == 404 and answer.headers["content-type"].startswith("text/html")
    assert "check it again" in answer.text
