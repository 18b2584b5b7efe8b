"""The Endorsements pages over HTTP: list and filters, add, edit with a stale version, rescind,
history; bad values answered with the form, nothing written; writes name the person."""

from __future__ import annotations

import html
import re

import asyncpg
from litestar import Litestar
from litestar.testing import AsyncTestClient

from endorse.endorsements import edits
from endorse.endorsements.schemas import EndorsementUpdate
from tests.staff.helpers import sign_in
from tests.staff.night_data import SLUG, WINNER, seed

NEW = {
    "election": SLUG,
    "stage": "general",
    "office": "State Representative",
    "district": "12",
    "candidate": "Gwendolyn Park",
    "party": "Working Families",
    "endorsed_by": "AFT Connecticut",
    "endorsed_on": "2026-09-30",
    "notes": "interviewed by the committee",
}


async def _count(conn: asyncpg.Connection) -> int:
    return await conn.fetchval("select count(*) from endorsements where deleted_at is null")


async def test_list_filters_and_htmx_fragment(
    client: AsyncTestClient[Litestar], conn: asyncpg.Connection, staff_users: dict[str, str]
) -> None:
    await seed(conn)
    await sign_in(client, "Vic Viewer")
    page = await client.get("/staff/endorsements")
    assert page.status_code == 200
    assert WINNER in page.text and "outcome-WON" in page.text
    assert "Add endorsement" not in page.text  # a viewer reads only
    for query, shown in (
        ("outcome=WON", True),
        ("outcome=LOST", False),
        ("matched=no", False),
        ("matched=yes", True),
        ("rescinded=yes", False),
        ("level=state_senate", True),
        ("level=state_house", False),
        ("q=okaf", True),
        ("q=nobody", False),
        ("body=AFT+Connecticut", True),
    ):
        answer = await client.get(f"/staff/endorsements?election={SLUG}&stage=general&{query}")
        assert (WINNER in answer.text) is shown, query
    fragment = await client.get("/staff/endorsements?q=okaf", headers={"HX-Request": "true"})
    assert WINNER in fragment.text and "<html" not in fragment.text


async def test_add_refuses_bad_values_with_the_form_and_writes_nothing(
    client: AsyncTestClient[Litestar], conn: asyncpg.Connection, staff_users: dict[str, str]
) -> None:
    await seed(conn)
    token = await sign_in(client, "Erin Editor")
    form = await client.get(f"/staff/endorsements/new?election={SLUG}")
    for label in (
        "Election",
        "Stage",
        "Office",
        "District",
        "Candidate",
        "Party",
        "Endorsed by",
        "Endorsed on",
        "Notes",
    ):
        assert f">{label}</label>" in form.text
    assert ">Save</button>" in form.text
    before = await _count(conn)
    bad = await client.post(
        "/staff/endorsements/new",
        data={**NEW, "candidate": " ", "endorsed_on": "30/09/2026", "_csrf": token},
    )
    assert bad.status_code == 400
    assert 'class="field field-error"' in bad.text
    assert 'id="e-candidate"' in bad.text and "is required" in bad.text
    assert 'id="e-endorsed_on"' in bad.text and "YYYY-MM-DD" in bad.text
    assert "interviewed by the committee" in bad.text  # what was typed is kept
    late = await client.post(
        "/staff/endorsements/new", data={**NEW, "endorsed_on": "2026-11-04", "_csrf": token}
    )
    assert late.status_code == 400 and 'id="e-endorsed_on"' in late.text
    assert await _count(conn) == before


async def test_add_saves_through_the_service_and_names_the_person(
    client: AsyncTestClient[Litestar], conn: asyncpg.Connection, staff_users: dict[str, str]
) -> None:
    await seed(conn)
    token = await sign_in(client, "Erin Editor")
    saved = await client.post(
        "/staff/endorsements/new", data={**NEW, "_csrf": token}, follow_redirects=False
    )
    assert saved.status_code == 303, saved.text
    listing = await client.get(saved.headers["location"])
    assert "Gwendolyn Park" in listing.text and "Saved: Gwendolyn Park" in listing.text
    actor = await conn.fetchval(
        "select actor from audit_log where action = 'endorsement.create' order by id desc limit 1"
    )
    assert actor == "staff:Erin Editor"
    again = await client.post("/staff/endorsements/new", data={**NEW, "_csrf": token})
    assert again.status_code == 409 and 'id="e-candidate"' in again.text  # already endorsed


async def test_viewer_cannot_write_and_csrf_is_required(
    client: AsyncTestClient[Litestar], conn: asyncpg.Connection, staff_users: dict[str, str]
) -> None:
    await seed(conn)
    token = await sign_in(client, "Vic Viewer")
    refused = await client.post("/staff/endorsements/new", data={**NEW, "_csrf": token})
    assert refused.status_code == 403
    await sign_in(client, "Erin Editor")
    forged = await client.post("/staff/endorsements/new", data={**NEW, "_csrf": token})
    assert forged.status_code == 403  # the viewer's session token is not this session's
    assert await _count(conn) == 2  # the two seeded, nothing more


async def test_stale_edit_shows_both_versions_and_keeps_what_was_typed(
    client: AsyncTestClient[Litestar], conn: asyncpg.Connection, staff_users: dict[str, str]
) -> None:
    endorsement_id = await seed(conn)
    token = await sign_in(client, "Erin Editor")
    form = await client.get(f"/staff/endorsements/{endorsement_id}")
    etag = _etag(form.text)
    # someone else saves first, through the service behind the API and the pages
    await edits.update(
        conn,
        endorsement_id,
        EndorsementUpdate(notes="their note"),
        if_match=etag,
        actor="staff:Ada Admin",
    )
    mine = {**_fields(form.text), "notes": "my careful note", "party": "Working Families"}
    stale = await client.post(
        f"/staff/endorsements/{endorsement_id}", data={**mine, "etag": etag, "_csrf": token}
    )
    assert stale.status_code == 409, stale.text[-3000:]
    assert "Someone else saved this endorsement first" in stale.text
    assert "their note" in stale.text and "my careful note" in stale.text
    assert "staff:Ada Admin" in stale.text
    notes = await conn.fetchval("select notes from endorsements where id = $1", endorsement_id)
    assert notes == "their note"  # nothing overwritten
    # saving again from the conflict page is a deliberate overwrite
    new_etag = _etag(stale.text)
    resolved = await client.post(
        f"/staff/endorsements/{endorsement_id}",
        data={**mine, "etag": new_etag, "_csrf": token},
        follow_redirects=False,
    )
    assert resolved.status_code == 303
    notes = await conn.fetchval("select notes from endorsements where id = $1", endorsement_id)
    assert notes == "my careful note"


async def test_rescind_needs_a_reason_and_history_names_everyone(
    client: AsyncTestClient[Litestar], conn: asyncpg.Connection, staff_users: dict[str, str]
) -> None:
    endorsement_id = await seed(conn)
    token = await sign_in(client, "Erin Editor")
    form = await client.get(f"/staff/endorsements/{endorsement_id}")
    etag = _etag(form.text)
    url = f"/staff/endorsements/{endorsement_id}/rescind"
    empty = await client.post(
        url, data={"reason": "", "rescinded_on": "2026-10-01", "etag": etag, "_csrf": token}
    )
    assert empty.status_code == 400 and 'id="e-reason"' in empty.text
    done = await client.post(
        url,
        data={
            "reason": "withdrew support",
            "rescinded_on": "2026-10-01",
            "etag": etag,
            "_csrf": token,
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    history = await client.get(f"/staff/endorsements/{endorsement_id}/history")
    assert "staff:Erin Editor" in history.text and ">test<" in history.text
    assert "withdrew support" in history.text and "Version 1" in history.text


def _etag(page: str) -> str:
    return html.unescape(page.split('name="etag" value="')[1].split('"')[0])


def _fields(page: str) -> dict[str, str]:
    """The endorsement form's values as the browser would send them."""
    values = {}
    for name in ("office", "district", "candidate", "party", "endorsed_by", "endorsed_on"):
        found = re.search(rf'name="{name}" type="[a-z]+" value="([^"]*)"', page)
        assert found, name
        values[name] = html.unescape(found.group(1))
    values.update(election=SLUG, stage="general", notes="")
    return values
