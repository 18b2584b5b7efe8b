"""The staff race pages (/staff/races): editors call, exclude, mark incumbent, certify and undo
through plain forms (CSRF), viewers read, the signed-out are sent to sign in; in a real browser
too. The night: tests/figures/conftest.py decision_night."""

from __future__ import annotations

import re

import asyncpg
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from playwright.async_api import Page, expect

from endorse.figures.decisions import REASON_MAX
from endorse.users.service import create_user
from tests.conftest import shoot
from tests.figures.conftest import Ballot
from tests.staff.helpers import PASSWORD, csrf_of, sign_in

Client = AsyncTestClient[Litestar]


@pytest.fixture
async def people(conn: asyncpg.Connection) -> dict[str, str]:
    names = {"viewer": "Vic Viewer", "editor": "Erin Editor"}
    for role, name in names.items():
        await create_user(conn, name=name, role=role, password=PASSWORD, actor="test")
    return names


async def _headline(client: Client, slug: str) -> str:
    return (await client.get(f"/api/v1/elections/{slug}/stats")).json()["headline"]["text"]


async def test_an_editor_decides_through_the_race_page(
    client: Client, ballot: Ballot, decision_night: dict[str, int], people: dict[str, str]
) -> None:
    night = decision_night
    csrf = await sign_in(client, people["editor"])
    listing = await client.get(f"/staff/races?election={ballot.slug}&stage=general")
    assert listing.status_code == 200
    assert f'href="/staff/races/{night["sd13"]}"' in listing.text
    assert "None: the figures are the sources" in listing.text
    race = f"/staff/races/{night['sd13']}"
    page = await client.get(race)
    assert page.status_code == 200 and "Call the race" in page.text and "recanvass" in page.text
    # the forms' limit is the service's (figures.decisions.REASON_MAX), not a copy of it
    limits = re.findall(r'name="reason"[^>]*maxlength="([^"]*)"', page.text)
    assert limits and set(limits) == {str(REASON_MAX)}
    assert await _headline(client, ballot.slug) == "1 of 2"

    called = await client.post(
        f"{race}/call",
        data={"_csrf": csrf, "candidacy_id": str(night["dante"]), "reason": "AP call"},
        follow_redirects=False,
    )
    assert called.status_code == 303 and called.headers["location"] == race
    page = await client.get(race)
    assert "Called State Senate 13 for Dante Bartolomeo." in page.text  # the flash
    assert 'data-badge="called"' in page.text and "Undo the call" in page.text
    assert await _headline(client, ballot.slug) == "2 of 3"

    sd1 = f"/staff/races/{night['sd1']}"
    blank = await client.post(f"{sd1}/exclude", data={"_csrf": csrf, "reason": " "})
    assert blank.status_code == 400 and "say why the race leaves the figures" in blank.text
    excluded = await client.post(
        f"{sd1}/exclude",
        data={"_csrf": csrf, "reason": "two endorsed candidates in one race"},
        follow_redirects=False,
    )
    assert excluded.status_code == 303
    assert await _headline(client, ballot.slug) == "1 of 2"
    marked = await client.post(
        f"/staff/races/{night['hd5']}/incumbent",
        data={"_csrf": csrf, "candidacy_id": str(night["ortiz"]), "incumbent": "yes"},
        follow_redirects=False,
    )
    assert marked.status_code == 303
    stats = (await client.get(f"/api/v1/elections/{ballot.slug}/stats")).json()
    assert stats["variants"]["incumbents"]["text"] == "0 of 1"
    certified = await client.post(
        "/staff/races/certify",
        data={"_csrf": csrf, "election": ballot.slug, "stage": "general", "reason": "canvass"},
        follow_redirects=False,
    )
    assert certified.status_code == 303
    again = await client.post(
        "/staff/races/certify", data={"_csrf": csrf, "election": ballot.slug, "stage": "general"}
    )
    assert again.status_code == 409 and "already certified" in again.text

    listing = await client.get(f"/staff/races?election={ballot.slug}&stage=general")
    kinds = re.findall(r'<tr data-decision="(\w+)"', listing.text)
    assert sorted(kinds) == ["call", "certify", "exclude", "incumbent"]
    assert "Excluded: two endorsed candidates in one race" in listing.text
    figures = await client.get(f"/staff/figures?election={ballot.slug}&stage=general")
    assert 'data-badge="called"' in figures.text and 'data-badge="excluded"' in figures.text
    call_id = await ballot.conn.fetchval(
        "select id from race_decisions where kind = 'call' and withdrawn_at is null"
    )
    undone = await client.post(
        f"/staff/races/decisions/{call_id}/withdraw",
        data={"_csrf": csrf, "election": ballot.slug, "back": race},
        follow_redirects=False,
    )
    assert undone.status_code == 303 and undone.headers["location"] == race
    assert "Undo the call" not in (await client.get(race)).text
    actors = await ballot.conn.fetch(
        "select action, actor from audit_log where entity = 'race_decisions' order by id"
    )
    assert [a["action"] for a in actors] == [
        "decision.call", "decision.exclude", "decision.incumbent", "decision.certify",
        "decision.withdraw",
    ]  # fmt: skip
    assert {a["actor"] for a in actors} == {"staff:Erin Editor"}


async def test_viewers_read_and_the_signed_out_sign_in(
    client: Client, ballot: Ballot, decision_night: dict[str, int], people: dict[str, str]
) -> None:
    race = f"/staff/races/{decision_night['sd13']}"
    away = await client.get(race, follow_redirects=False)
    assert away.status_code == 303 and "/staff/sign-in" in away.headers["location"]
    csrf = await sign_in(client, people["viewer"])
    page = await client.get(race)
    assert page.status_code == 200 and "Dante Bartolomeo" in page.text
    assert "Call the race</button>" not in page.text and "Mark incumbent" not in page.text
    refused = await client.post(
        f"{race}/call", data={"_csrf": csrf, "candidacy_id": str(decision_night["dante"])}
    )
    assert refused.status_code == 403
    assert await ballot.conn.fetchval("select count(*) from race_decisions") == 0


async def test_a_form_without_its_csrf_token_is_refused(
    client: Client, ballot: Ballot, decision_night: dict[str, int], people: dict[str, str]
) -> None:
    await sign_in(client, people["editor"])
    race = f"/staff/races/{decision_night['sd13']}"
    page = await client.get(race)
    assert csrf_of(page.text)
    forged = await client.post(f"{race}/call", data={"candidacy_id": str(decision_night["dante"])})
    assert forged.status_code == 403
    assert await ballot.conn.fetchval("select count(*) from race_decisions") == 0


async def test_the_race_page_in_a_browser(
    live: str, page: Page, ballot: Ballot, decision_night: dict[str, int], people: dict[str, str]
) -> None:
    refused: list[str] = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security" in m.text else None,
    )
    await page.goto(live + "/staff/sign-in")
    await page.get_by_label("Name").fill(people["editor"])
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(live + "/staff")
    await page.get_by_role("link", name="Races", exact=True).click()
    await page.get_by_role("link", name="State Senate 13").click()
    await expect(page.get_by_role("heading", name="State Senate 13")).to_be_visible()
    await page.get_by_role("radio", name="Dante Bartolomeo").check()
    await page.get_by_label("Why (optional)").fill("AP call at 11:40 pm")
    await page.get_by_role("button", name="Call the race").click()
    await expect(page.get_by_text("Called State Senate 13 for Dante Bartolomeo.")).to_be_visible()
    await expect(page.locator('[data-badge="called"]').first).to_be_visible()
    await page.get_by_role("button", name="Mark incumbent: Dante Bartolomeo").click()
    await expect(page.get_by_text("Marked Dante Bartolomeo incumbent.")).to_be_visible()
    assert refused == []
    await shoot(page, "staff-race-called")
    row = await ballot.conn.fetchrow(
        "select outcome, tally from figure_races(array[$1::bigint])"
        " where candidate = 'Dante Bartolomeo'",
        ballot.general,
    )
    assert (row["outcome"], row["tally"]) == ("WON", "won")

    await page.goto(f"{live}/staff/races/{decision_night['sd1']}")
    await page.get_by_role("button", name="Exclude the race").click()
    await expect(page.get_by_text("say why the race leaves the figures")).to_be_visible()
    await page.get_by_label("Reason (shown beside the race everywhere)").fill(
        "two endorsed candidates in one race"
    )
    await page.get_by_role("button", name="Exclude the race").click()
    await expect(page.locator('[data-badge="excluded"]').first).to_have_text(
        "Excluded: two endorsed candidates in one race"
    )
    await page.goto(f"{live}/staff/races?election={ballot.slug}&stage=general")
    await page.get_by_role("button", name="Mark the general results certified").click()
    await expect(page.get_by_text("Certified the general results.")).to_be_visible()
    await shoot(page, "staff-races")
    night = await page.context.new_page()
    await night.goto(f"{live}/?election={ballot.slug}&stage=general")
    await expect(night.locator('[data-badge="called"]').first).to_have_text("Called by staff")
    await expect(night.locator('[data-badge="excluded"]').first).to_be_visible()
    await shoot(night, "night-staff-badges")
