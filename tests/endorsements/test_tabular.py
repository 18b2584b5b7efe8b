"""The pure spreadsheet helpers: formula escaping, header mapping, dates and flags."""

from __future__ import annotations

import datetime as dt

import pytest
from litestar.testing import AsyncTestClient

from endorse.endorsements import rules
from endorse.endorsements.tabular import FileError, escape_cell, parse_mapping, unescape_cell


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),  # a quote already there is kept by adding one more
        ("''+x", "'''+x"),
        ("O'Brien", "O'Brien"),
        ("'quoted'", "'quoted'"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_escape_round_trips(value: str, escaped: str) -> None:
    assert escape_cell(value) == escaped
    assert unescape_cell(escaped) == value


def test_mapping() -> None:
    assert parse_mapping("Candidate  Name:candidate, Date:Endorsed_On ,ID:-") == {
        "candidate name": "candidate",
        "date": "endorsed_on",
        "id": "-",
    }
    assert parse_mapping("Time: 9:00:notes") == {"time: 9:00": "notes"}  # last colon splits
    assert parse_mapping(None) == {} == parse_mapping("")
    with pytest.raises(FileError, match="map: 'Date' is not"):
        parse_mapping("Date")
    with pytest.raises(FileError, match="map: 'nope' is not a column"):
        parse_mapping("Date:nope")


def test_dates_and_flags() -> None:
    assert rules.parse_date(" 2018-09-20 ") == dt.date(2018, 9, 20)
    assert rules.parse_date("9/20/2018") == dt.date(2018, 9, 20)
    for bad in ("2018-9-20", "20180920", "2018-02-30", "13/1/2018", "Sept 20", "20/9/2018"):
        with pytest.raises(ValueError, match="not a date"):
            rules.parse_date(bad)
    assert [rules.parse_bool(x) for x in ("TRUE", "yes", "1", "x", "", "no", "False")] == [
        True,
        True,
        True,
        True,
        False,
        False,
        False,
    ]
    with pytest.raises(ValueError, match="not true/false"):
        rules.parse_bool("maybe")
    assert rules.is_late(dt.date(2018, 11, 6), dt.date(2018, 11, 6))  # election day is too late
    assert not rules.is_late(dt.date(2018, 11, 5), dt.date(2018, 11, 6))


async def test_openapi_lists_the_registry(client: AsyncTestClient) -> None:
    schema = (await client.get("/schema/openapi.json")).json()
    for path in (
        "/api/v1/endorsements",
        "/api/v1/endorsements/{endorsement_id}",
        "/api/v1/endorsements/{endorsement_id}/history",
        "/api/v1/endorsements/{endorsement_id}/rescind",
        "/api/v1/endorsements/import",
        "/api/v1/endorsements/export",
        "/api/v1/admin/tokens",
        "/api/v1/admin/audit",
        "/api/v1/bodies/{body_id}",
    ):
        assert path in schema["paths"], path
