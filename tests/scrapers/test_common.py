"""The shared text rules, and the registry."""

from __future__ import annotations

import pytest

import scrapers
from scrapers import ParseError
from scrapers._common import clean_candidate, is_write_in, parse_of, to_int


def test_registry_lists_every_format() -> None:
    assert set(scrapers.FORMATS) == {"ct-sots", "clarity", "openelections", "html"}
    for name, module in scrapers.FORMATS.items():
        assert name == module.FORMAT
        assert callable(module.fetch) and callable(module.parse) and callable(module.load_path)
    assert issubclass(ParseError, ValueError)


def test_to_int_reads_thousands_separators() -> None:
    assert to_int("1,422,836", "x") == 1422836
    assert to_int(" 42 ", "x") == 42
    assert to_int(7, "x") == 7
    with pytest.raises(ParseError, match=r"row 3: 'n/a' is not a whole number"):
        to_int("n/a", "row 3")
    with pytest.raises(ParseError):
        to_int("-5", "x")


def test_parse_of_reads_reporting_counts() -> None:
    assert parse_of("760 of 763 (99.61%)", "x") == (760, 763)
    assert parse_of("0 of 0 (0.00%)", "x") == (0, 0)
    with pytest.raises(ParseError, match="'all' does not look like 'N of M'"):
        parse_of("all", "x")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Janet Hollis (I)", ("Janet Hollis", True, None)),
        ("Carol Mendes (WF)", ("Carol Mendes", False, "WF")),
        ("Jane Q.  Doe (I) (DEM)", ("Jane Q. Doe", True, "DEM")),
        ("Robert (Bobby) Sanchez", ("Robert (Bobby) Sanchez", False, None)),  # a nickname stays
        ("(I)", ("(I)", False, None)),  # nothing left to be a name: leave it alone
    ],
)
def test_clean_candidate_strips_markers(text: str, expected: tuple) -> None:
    assert clean_candidate(text) == expected


def test_is_write_in() -> None:
    assert is_write_in("Peter Lindqvist", "Write In")
    assert is_write_in("Basiago and Kinnison", "Write-In")  # the 2016 OpenElections spelling
    assert is_write_in("Write-ins", None)
    assert is_write_in("WRITE-IN", None)
    assert is_write_in("Scattered", None)
    assert not is_write_in("Wright Inman", "Democratic Party")
