"""HTML result tables through a declared mapping: mapping checks, helpers, fixture page, fetch."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from selectolax.lexbor import LexborHTMLParser

from scrapers import ParseError, SourceState, html

PAGE = "20231107_ct_millbrook_results.html"
MAYOR = {
    "rows": "table#mayor tbody tr",
    "columns": {"candidate": 0, "party": 1, "votes": 2},
    "office": "Mayor",
    "unit": "Millbrook",
    "precincts": "#reporting",
    "winner": "img.elected",
}
BOARD = {
    "rows": "table#boe tbody tr",
    "columns": {"district": 0, "candidate": 1, "party": 2, "votes": 3},
    "office": "Board of Education",
    "seats": 3,
    "status": "official",
}


@pytest.fixture
def page(fixtures: Path) -> bytes:
    return (fixtures / PAGE).read_bytes()


# --- the mapping -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"row": "tr"}, "mapping key 'row' is unknown"),
        ({"rows": None}, "mapping key 'rows' must be a string"),
        ({"columns": [0, 1]}, "mapping key 'columns' must map field names"),
        (
            {"columns": {"candidate": 0, "votes": "2"}},
            "mapping key 'columns.votes' must be a cell index",
        ),
        (
            {"columns": {"candidate": 0, "votes": -1}},
            "mapping key 'columns.votes' must be a cell index",
        ),
        ({"columns": {"candidate": 0, "tally": 2}}, "mapping key 'columns.tally' is not a field"),
        ({"columns": {"candidate": 0}}, "mapping key 'columns.votes' is missing"),
        ({"office": ""}, "mapping key 'office' is missing"),
        ({"seats": 0}, "mapping key 'seats' must be a whole number"),
        ({"status": "final"}, "mapping key 'status' must be one of"),
        ({"skip": "Total"}, "mapping key 'skip' must be a list"),
    ],
)
def test_parse_mapping_names_the_bad_key(change: dict, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        html._parse_mapping(MAYOR | change)


def test_parse_mapping_requires_rows_and_a_mapping() -> None:
    with pytest.raises(ParseError, match="a mapping is required"):
        html._parse_mapping(None)
    with pytest.raises(ParseError, match="mapping key 'rows' is missing"):
        html._parse_mapping({"columns": {"candidate": 0, "votes": 1}, "office": "Mayor"})


def test_parse_mapping_defaults() -> None:
    m = html._parse_mapping(
        {"rows": "tr", "columns": {"candidate": 0, "votes": 1}, "office": "Mayor"}
    )
    assert (m.cells, m.seats, m.status, m.precincts, m.winner) == (
        "td",
        1,
        "unofficial",
        None,
        None,
    )
    assert m.constants == {"office": "Mayor", "district": None, "unit": ""}
    assert "total" in m.skip


# --- one test per element helper -------------------------------------------------------------


def test_text_collapses_whitespace() -> None:
    node = LexborHTMLParser(
        "<table><tr><td> <b>Kevin</b>\n  O&#39;Brien </td></tr></table>"
    ).css_first("td")
    assert html._text(node) == "Kevin O'Brien"


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ([["Ann Lee", "Democratic", "1,204"], ["", "Bo Chu", "-"]], None),  # nothing to collapse
        ([["José Ruiz", "Verde"], ["Zoë", ""]], None),  # not ASCII, still nothing
        ([["Ann\tLee", "Democratic"], ["Bo Chu", "Green"]], [["Ann Lee", "Democratic"]]),
        ([["Ann Lee", "Democratic "], ["Bo Chu", "Green"]], [["Ann Lee", "Democratic"]]),
        ([["Ann Lee", ""], [" Bo Chu", "Green"]], [["Ann Lee", ""], ["Bo Chu", "Green"]]),
        ([["Ann  Lee", "Democratic"]], [["Ann Lee", "Democratic"]]),
        ([["José\u00a0Ruiz", "Verde"]], [["José Ruiz", "Verde"]]),  # no-break space
        ([["Ann Lee\n", "x"]], [["Ann Lee", "x"]]),
    ],
)
def test_collapsed_looks_once_per_page(cells: list[list[str]], expected: list | None) -> None:
    """A page that needs no collapsing comes back as it is; one odd cell anywhere (a tab, an
    edge space beside an empty cell, a no-break space) has every cell collapsed."""
    out = html._collapsed(cells)
    if expected is None:
        assert out is cells
    else:
        assert out[: len(expected)] == expected
        assert out == [[" ".join(text.split()) for text in row] for row in cells]


def test_parse_precincts(page: bytes) -> None:
    tree = LexborHTMLParser(page)
    assert html._parse_precincts(tree, html._parse_mapping(MAYOR)) == (3, 4)
    assert html._parse_precincts(tree, html._parse_mapping(BOARD)) == (None, None)
    with pytest.raises(ParseError, match=r"mapping key 'precincts' \('#gone'\) matched nothing"):
        html._parse_precincts(tree, html._parse_mapping(MAYOR | {"precincts": "#gone"}))
    with pytest.raises(ParseError, match="does not read 'N of M'"):
        html._parse_precincts(tree, html._parse_mapping(MAYOR | {"precincts": "h1"}))


def test_parse_row() -> None:
    m = html._parse_mapping(MAYOR)
    rows = LexborHTMLParser(
        "<table><tr><th>Candidate</th></tr>"
        "<tr><td>Ann Lee (I)</td><td>Democratic</td><td>1,204</td><td><img class=elected></td></tr>"
        "<tr><td>Total</td><td></td><td>1,204</td><td></td></tr>"
        "<tr><td>Bo Chu</td><td>Green</td></tr></table>"
    ).css("tr")
    assert html._parse_row(rows[0], 1, m, (None, None)) is None  # header: no td
    record = html._parse_row(rows[1], 2, m, (3, 4))
    assert record is not None
    assert (record.candidate, record.party, record.votes, record.incumbent, record.winner) == (
        "Ann Lee",
        "Democratic",
        1204,
        True,
        True,
    )
    assert (record.office, record.unit, record.precincts_reporting) == ("Mayor", "Millbrook", 3)
    assert html._parse_row(rows[2], 3, m, (None, None)) is None  # the total line
    with pytest.raises(ParseError, match="row 4 has 2 cells, the mapping needs 3"):
        html._parse_row(rows[3], 4, m, (None, None))


# --- the fixture page ------------------------------------------------------------------------


def test_parse_mayor_table(page: bytes) -> None:
    records = html.parse(page, MAYOR).records
    # Ferraro on two lines (fusion): 2,418 Democratic + 187 Working Families = 2,605.
    ferraro = [r for r in records if r.candidate == "Diane Ferraro"]
    assert {(r.party, r.votes) for r in ferraro} == {
        ("Democratic", 2418),
        ("Working Families", 187),
    }
    assert sum(r.votes for r in ferraro) == 2605
    assert all(r.incumbent and r.winner for r in ferraro)
    obrien = next(r for r in records if r.party == "Republican")
    assert (obrien.candidate, obrien.votes, obrien.winner) == ("Kevin O'Brien", 2244, False)
    writein = next(r for r in records if r.write_in)
    assert (writein.candidate, writein.party, writein.votes) == ("Write-in", None, 12)
    # The "Total" row (4,861 = 2,418 + 187 + 2,244 + 12) is skipped, never a candidate.
    assert len(records) == 4 and sum(r.votes for r in records) == 4861
    assert {(r.office, r.unit, r.precincts_reporting, r.precincts_total) for r in records} == {
        ("Mayor", "Millbrook", 3, 4)
    }


def test_parse_board_table_vote_for_three(page: bytes) -> None:
    records = html.parse(page, BOARD).records
    assert [(r.candidate, r.votes) for r in records] == [
        ("Rachel Lindgren", 2301),
        ("Samuel Osei", 2190),
        ("Margaret Hale", 2275),
        ("Dennis Kowal", 1986),
        ("Yvonne Clarke", 0),  # "-": nothing counted yet
    ]
    assert {(r.seats, r.district, r.unit, r.status, r.winner) for r in records} == {
        (3, "At Large", "", "official", None)
    }
    assert [r.incumbent for r in records] == [False, False, True, False, False]


# --- bad input -------------------------------------------------------------------------------


def test_empty_body() -> None:
    with pytest.raises(ParseError, match="html: empty body"):
        html.parse(b"", MAYOR)


def test_rows_not_found(page: bytes) -> None:
    with pytest.raises(ParseError, match=r"mapping key 'rows' .* matched nothing"):
        html.parse(page, MAYOR | {"rows": "table#governor tr"})
    with pytest.raises(ParseError, match=r"mapping key 'rows' .* matched nothing"):
        html.parse(b"<html><body><p>Results will be posted after 8 PM.</p></body></html>", MAYOR)


def test_invalid_selector(page: bytes) -> None:
    with pytest.raises(ParseError, match="mapping key 'winner' is not a valid CSS selector"):
        html.parse(page, MAYOR | {"winner": "img[["})


def test_only_header_rows(page: bytes) -> None:
    with pytest.raises(ParseError, match="hold no candidate rows"):
        html.parse(page, MAYOR | {"rows": "table#mayor thead tr"})


def test_non_numeric_votes(page: bytes) -> None:
    broken = page.replace(b"<td>2,244</td>", b"<td>2.2k</td>")
    with pytest.raises(ParseError, match=r"html: row 3 votes: '2.2k' is not a whole number"):
        html.parse(broken, MAYOR)


def test_truncated_page(page: bytes) -> None:
    cut = page[: page.index(b"<td>187</td>")]  # the table stops mid-row
    with pytest.raises(ParseError, match="row 2 has 2 cells, the mapping needs 3"):
        html.parse(cut, MAYOR)


# --- fetch over real HTTP --------------------------------------------------------------------


@pytest.mark.asyncio
async def test_fetch_is_a_conditional_get(server, fast, page: bytes) -> None:
    url = server.url(f"/files/{PAGE}")
    async with httpx.AsyncClient() as client:
        fetched = await html.fetch(client, url, SourceState(), MAYOR | fast)
        assert fetched is not None and fetched.body == page
        assert fetched.headers["content-type"].startswith("text/html")
        state = SourceState(etag=fetched.etag, last_modified=fetched.last_modified)
        assert await html.fetch(client, url, state, MAYOR | fast) is None
    assert html.parse(fetched.body, MAYOR | fast).records == html.parse(page, MAYOR).records
