"""/staff/review, /staff/sources and /staff/figures without a browser: decisions, bad input
answered by the form with the field marked, nothing written, CSRF."""

from __future__ import annotations

import asyncpg
from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.staff import pages_data
from tests.staff.helpers import sign_in

Client = AsyncTestClient[Litestar]
REVIEW = f"/staff/review?election={pages_data.SLUG}"


async def _audit(conn: asyncpg.Connection) -> int:
    return await conn.fetchval("select count(*) from audit_log")


async def test_review_confirm_and_pick_by_hand(
    client: Client, conn: asyncpg.Connection, staff_users: dict[str, str]
) -> None:
    ids = await pages_data.ballot(conn)
    csrf = await sign_in(client, staff_users["editor"])
    page = (await client.get(REVIEW)).text
    assert "“John Smyth” typed for State House 12" in page and "score 88 needs a person" in page
    assert (
        "Democratic 900 · Working Families 80" in page and "“R. Stone” for State Senate 3" in page
    )
    review_id = await conn.fetchval("select id from match_reviews where status = 'open'")

    before = await _audit(conn)
    missing = await client.post(
        f"/staff/review/endorsements/{ids['R. Stone']}/match",
        data={"_csrf": csrf, "election": pages_data.SLUG},
    )
    assert missing.status_code == 400 and 'class="field-error"' in missing.text
    assert "Choose the ballot candidate" in missing.text and await _audit(conn) == before
    wrong = await client.post(
        f"/staff/review/endorsements/{ids['R. Stone']}/match",
        data={"_csrf": csrf, "candidacy_id": str(ids["smith"])},
    )
    assert wrong.status_code == 400 and await _audit(conn) == before
    assert (await client.post(f"/staff/review/{review_id}/confirm", data={})).status_code == 403

    done = await client.post(
        f"/staff/review/{review_id}/confirm",
        data={"_csrf": csrf, "election": pages_data.SLUG},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == REVIEW
    assert (await client.get(REVIEW)).text.count("Confirmed: John Smyth is John Smith") == 1
    again = await client.post(f"/staff/review/{review_id}/confirm", data={"_csrf": csrf})
    assert again.status_code == 409 and "already confirmed" in again.text

    picked = await client.post(
        f"/staff/review/endorsements/{ids['R. Stone']}/match",
        data={"_csrf": csrf, "candidacy_id": str(ids["kim"]), "election": pages_data.SLUG},
        headers={"HX-Request": "true"},
    )
    assert picked.status_code == 200 and "<html" not in picked.text
    assert "Every endorsement is matched" in picked.text
    rows = await conn.fetch("select candidate, match_method from endorsements order by id")
    assert [tuple(r) for r in rows] == [("John Smyth", "confirmed"), ("R. Stone", "manual")]
    actor = await conn.fetchval(
        "select actor from audit_log where action = 'endorsement.match' order by id desc limit 1"
    )
    assert actor == f"staff:{staff_users['editor']}"


async def test_viewer_sees_the_queue_without_buttons(
    client: Client, conn: asyncpg.Connection, staff_users: dict[str, str]
) -> None:
    await pages_data.ballot(conn)
    csrf = await sign_in(client, staff_users["viewer"])
    page = (await client.get(REVIEW)).text
    assert "John Smyth" in page and ">Reject</button>" not in page
    review_id = await conn.fetchval("select id from match_reviews")
    answer = await client.post(f"/staff/review/{review_id}/reject", data={"_csrf": csrf})
    assert answer.status_code == 403


async def test_sources_add_pause_interval_release(
    client: Client, conn: asyncpg.Connection, staff_users: dict[str, str]
) -> None:
    await pages_data.election(conn)
    csrf = await sign_in(client, staff_users["editor"])
    form = {"_csrf": csrf, "election": pages_data.SLUG, "stage": "general", "format": "ct-sots"}
    bad = await client.post("/staff/sources", data=form | {"url": "ftp://x"})
    assert bad.status_code == 400 and 'id="e-add-url"' in bad.text
    assert 'value="ftp://x"' in bad.text  # what was typed is kept
    bad = await client.post(
        "/staff/sources", data=form | {"url": "https://example.org/e", "seconds": "2"}
    )
    assert bad.status_code == 400 and 'id="e-add-seconds"' in bad.text
    assert await conn.fetchval("select count(*) from sources") == 0

    added = await client.post(
        "/staff/sources", data=form | {"url": "https://example.org/e"}, follow_redirects=False
    )
    assert added.status_code == 303
    source = await conn.fetchval("select id from sources")
    page = (await client.get("/staff/sources")).text
    assert "https://example.org/e" in page and "health-healthy" in page

    paused = await client.post(f"/staff/sources/{source}/pause", data={"_csrf": csrf})
    assert paused.status_code == 200 and "health-paused" in paused.text
    assert await conn.fetchval("select enabled from sources") is False
    bad = await client.post(
        f"/staff/sources/{source}/interval", data={"_csrf": csrf, "seconds": "1"}
    )
    assert bad.status_code == 400 and f'id="e-seconds-{source}"' in bad.text
    ok = await client.post(
        f"/staff/sources/{source}/interval", data={"_csrf": csrf, "seconds": "45"}
    )
    assert (
        ok.status_code == 200 and await conn.fetchval("select schedule_seconds from sources") == 45
    )
    nothing = await client.post(
        f"/staff/sources/{source}/release", data={"_csrf": csrf, "note": "recanvass"}
    )
    assert nothing.status_code == 409 and "has no quarantined payload" in nothing.text
    # a payload held back by a guard (here: bytes that do not even parse)
    snapshot = await conn.fetchval(
        "insert into snapshots (source_id, sha256, body, size, status, error)"
        " values ($1, '\\x00', '\\x789c030000000001', 0, 'quarantined', 'lost 3 of 4 contests')"
        " returning id",
        source,
    )
    await conn.execute("update sources set quarantined_snapshot_id = $1", snapshot)
    page = (await client.get("/staff/sources")).text
    assert "lost 3 of 4 contests" in page and f'<label for="f-note-{source}">' in page
    short = await client.post(f"/staff/sources/{source}/release", data={"_csrf": csrf, "note": "x"})
    assert short.status_code == 400 and f'id="e-note-{source}"' in short.text
    refused = await client.post(
        f"/staff/sources/{source}/release", data={"_csrf": csrf, "note": "recanvass"}
    )
    assert refused.status_code == 409 and "Nothing applied" in refused.text
    assert await conn.fetchval("select status from snapshots") == "quarantined"
    actions = [r["action"] for r in await conn.fetch("select action from audit_log order by id")]
    assert actions[-3:] == ["source.create", "source.pause", "source.update"]
    forged = await client.post(f"/staff/sources/{source}/resume", data={"_csrf": "x"})
    assert forged.status_code == 403 and await conn.fetchval("select enabled from sources") is False


async def test_figures_publish(
    client: Client, conn: asyncpg.Connection, staff_users: dict[str, str]
) -> None:
    ids = await pages_data.ballot(conn)
    csrf = await sign_in(client, staff_users["editor"])
    url = f"/staff/figures?election={pages_data.SLUG}&stage=general"
    page = (await client.get(url)).text
    assert "We have no counted endorsements in the 2026 general election yet." in page
    await conn.execute(
        "update endorsements set candidacy_id = $1, match_method = 'manual' where id = $2",
        ids["smith"],
        ids["John Smyth"],
    )
    page = (await client.get(url)).text
    assert "Of the 1 candidate we endorsed in the 2026 general election, 1 won (100%)." in page
    assert 'data-copy="sentence"' in page

    form = {"_csrf": csrf, "election": pages_data.SLUG, "stage": "general"}
    bad = await client.post("/staff/figures/publish", data=form | {"title": "  "})
    assert bad.status_code == 400 and 'id="e-title"' in bad.text
    assert await conn.fetchval("select count(*) from published_figures") == 0
    done = await client.post(
        "/staff/figures/publish", data=form | {"title": "Nov 4 release"}, follow_redirects=False
    )
    assert done.status_code == 303
    figure = await conn.fetchval("select id from published_figures")
    page = (await client.get(done.headers["location"])).text
    assert f'<a href="/figures/{figure}">' in page and "Nov 4 release" in page
    assert (
        await conn.fetchval("select actor from audit_log where action = 'figure.publish'")
        == f"staff:{staff_users['editor']}"
    )
