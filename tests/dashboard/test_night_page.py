"""The night page read without JavaScript: tally, cards, filters in the URL, the live patch."""

from __future__ import annotations

import re

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.dashboard.conftest import Scenario

PAGE = "/elections/2026-ct-general"


def _card(html: str, office: str) -> str:
    """The HTML of the race card whose title is `office`."""
    for card in re.findall(r"<article class=\"race.*?</article>", html, re.S):
        if f'<h3 class="race-title">{office}</h3>' in card:
            return card
    raise AssertionError(f"no card {office!r}")


def _tile(html: str, name: str) -> int:
    return int(re.search(rf'data-count="{name}">(\d+)<', html).group(1))


async def test_page_shows_tally_and_every_candidate(
    client: AsyncTestClient[Litestar], scenario: Scenario
) -> None:
    await scenario.ingest(1)
    html = (await client.get("/")).text  # the newest election
    assert [_tile(html, k) for k in ("won", "lost", "pending", "not-reporting")] == [0, 0, 3, 0]
    await scenario.ingest(2)
    response = await client.get(PAGE)
    assert response.status_code == 200
    html = response.text
    assert [_tile(html, k) for k in ("won", "lost", "pending", "not-reporting")] == [2, 1, 0, 0]
    assert "2 of 3 (67%)" in html
    assert "Of the 3 candidates we endorsed in the 2026 general election, 2 won (67%)." in html
    governor = _card(html, "Governor")
    assert 'data-outcome="won"' in governor
    # every candidate, the endorsed one marked, fusion lines shown, percent of votes cast
    assert re.search(r'class="endorsed".*?Rosa Delgado.*?tag-endorsed', governor, re.S)
    assert "Democratic 1,100 · Working Families 65" in governor and "Martin Hale" in governor
    assert "51.6%" in governor  # 1,165 of 2,259
    assert "5 of 5 precincts (100%)" in governor
    assert "Margin 75" in governor
    senate = _card(html, "State Senate 9")
    assert 'data-outcome="lost"' in senate and "lost by 67 votes" in senate
    assert "/api/v1/elections/2026-ct-general/races?stage=general&amp;format=csv" in html


async def test_filters_search_and_sort_live_in_the_url(
    client: AsyncTestClient[Litestar], scenario: Scenario
) -> None:
    await scenario.ingest(2)

    def titles(html: str) -> list[str]:
        return re.findall(r'<h3 class="race-title">(.*?)</h3>', html)

    assert titles((await client.get(PAGE)).text) == [
        "Governor",
        "State Senate 9",
        "Board of Education Elmvale",
    ]
    assert titles((await client.get(PAGE + "?outcome=lost")).text) == ["State Senate 9"]
    assert titles((await client.get(PAGE + "?q=cho")).text) == ["State Senate 9"]
    assert titles((await client.get(PAGE + "?body=Elmvale+Teachers")).text) == [
        "Board of Education Elmvale"
    ]
    assert titles((await client.get(PAGE + "?level=statewide&outcome=lost")).text) == []
    assert titles((await client.get(PAGE + "?close=1")).text) == []  # none within 0.5%
    # closest first: board seat by 40 (2.3%), Senate 9 lost by 67 (3.0%), Governor by 75 (3.3%)
    html = (await client.get(PAGE + "?sort=close")).text
    assert titles(html) == ["Board of Education Elmvale", "State Senate 9", "Governor"]
    assert '<option value="close" selected>' in html  # the form shows the state it came from
    bad = await client.get(PAGE + "?stage=runoff")
    assert bad.status_code == 400 and "stage" in bad.text
    assert (await client.get(PAGE + "?outcome=maybe")).status_code == 400
    assert (await client.get("/elections/nope")).status_code == 404


async def test_live_patch_sends_only_what_changed(
    client: AsyncTestClient[Litestar], scenario: Scenario
) -> None:
    await scenario.ingest(2)
    seq = int(re.search(r'data-seq="(\d+)"', (await client.get(PAGE)).text).group(1))
    await scenario.ingest(3)  # the canvass moves the Governor race only
    patch = (await client.get(f"{PAGE}/live?since={seq}")).text
    assert titles_in(patch) == ["Governor"]
    assert "1,170" in patch
    newer = int(re.search(r'id="patch" data-seq="(\d+)"', patch).group(1))
    assert newer > seq
    order = re.search(r'data-order="([\d,]+)"', patch).group(1).split(",")
    assert len(order) == 3  # the whole list's order, for the page to re-sort
    assert titles_in((await client.get(f"{PAGE}/live?since={newer}")).text) == []
    assert len(titles_in((await client.get(f"{PAGE}/live")).text)) == 3


def titles_in(html: str) -> list[str]:
    return re.findall(r'<h3 class="race-title">(.*?)</h3>', html)


async def test_projector_mode_and_no_elections(client: AsyncTestClient[Litestar]) -> None:
    empty = await client.get("/")
    assert empty.status_code == 200 and "No elections yet" in empty.text


async def test_stages_are_never_pooled_and_sources_in_trouble_show(
    client: AsyncTestClient[Litestar], scenario: Scenario
) -> None:
    await scenario.ingest(2)
    primary = (await client.get(PAGE + "?stage=primary")).text
    assert "No endorsed races on the primary ballot yet." in primary
    assert 'href="/elections/2026-ct-general?stage=general"' in primary  # the switch back
    assert "stage=all" not in primary
    html = (await client.get(PAGE)).text
    assert "banner-error" not in html and "Paused" not in html
    assert re.search(r'class="source source-ok"[^>]*>clarity \d+:\d\d:\d\d [AP]M E[SD]T', html)
    await scenario.conn.execute("update sources set last_error = 'timed out after 3 tries'")
    html = (await client.get(PAGE)).text
    assert "Source degraded:" in html and "had a problem at its last poll" in html
    assert "timed out" not in html  # error text is for staff (tests/security/test_no_echo.py)
    await scenario.conn.execute("update sources set enabled = false, last_error = null")
    assert "Paused:" in (await client.get(PAGE)).text
