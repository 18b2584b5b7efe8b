"""Names: parsing, folding and the score that decides auto / review / no match (pure)."""

from __future__ import annotations

import pytest

from endorse.matching.choose import AUTO, REVIEW, BallotEntry, choose, contest_key, party_key
from endorse.matching.names import Nicknames, _parse_human, fold, parse_name, person_key, score

NICKS = Nicknames(
    [
        ("bill", "william"),
        ("will", "william"),
        ("beth", "elizabeth"),
        ("liz", "elizabeth"),
        ("jim", "james"),
        ("joe", "joseph"),
    ]
)


@pytest.mark.parametrize(
    ("typed", "ballot"),
    [
        ("Bill Tong", "William Tong"),
        ("Tong, William", "William Tong"),
        ("TONG, WILLIAM", "William Tong"),
        ("Sen. John W. Fonfara", "John W. Fonfara"),
        ("Fonfara, John W.", "John W. Fonfara"),
        ("J. Fonfara", "John W. Fonfara"),
        ("Elizabeth Bye", "Beth Bye"),
        ("Bill Smith", "Will Smith"),  # both stand for William
        ("José Álvarez-Núñez", "Jose Alvarez-Nunez"),
        ("Maria Lopez Garcia", "Maria Lopez-Garcia"),
        ("Steve Tracey", '"Big" Steve Tracey'),
        ("Kennedy Jr., Edward", "Edward Kennedy Jr."),
        ("John Smith III", "John Smith 3rd"),
        ("Edward Brown", "J. Edward Brown"),  # goes by the middle name
        ("Ned Lamont", "Ned Lamont and Susan Bysiewicz"),  # a ticket: governor and LG
        ("Lamont, Ned", "Ned Lamont and Susan Bysiewicz"),
        ("Ned Lamont and Susan Bysiewicz", "Ned Lamont and Susan Bysiewicz"),
        ("Bob Stefanowski", "Bob Stefanowski & Laura Devlin"),
    ],
)
def test_same_person_scores_above_auto(typed: str, ballot: str) -> None:
    assert score(typed, ballot, NICKS) >= AUTO


@pytest.mark.parametrize(
    ("typed", "ballot"),
    [
        ("Smith Jr", "John Smith"),
        ("John Smith Jr.", "John Smith"),
        ("John Smith", "John Smith Sr."),
        ("John Smith II", "John Smith III"),
    ],
)
def test_generational_suffix_mismatch_never_matches(typed: str, ballot: str) -> None:
    assert score(typed, ballot, NICKS) == 0


@pytest.mark.parametrize(
    ("typed", "ballot"),
    [
        ("John Smyth", "John Smith"),
        ("Fonfara", "John W. Fonfara"),
        ("Martin A. Looney", "Martin M. Looney"),
    ],
)
def test_uncertain_pairs_go_to_review(typed: str, ballot: str) -> None:
    assert REVIEW <= score(typed, ballot, NICKS) < AUTO


def test_different_people_score_low() -> None:
    assert score("Joe Smith", "Mary Smith", NICKS) < REVIEW
    assert score("Bruce Wilson Jr.", "Edward Kennedy Jr.", NICKS) < REVIEW


def test_keys_fold_order_case_accents_and_titles() -> None:
    assert (
        person_key("Tong, William")
        == person_key("WILLIAM  TONG")
        == person_key("Rep. William Tong")
    )
    assert person_key("Kennedy Jr., Edward") == "edward kennedy jr"
    assert fold("Núñez-O'Brien") == "nunez obrien"
    assert parse_name("Fonfara").last == "fonfara"


def test_party_names_fold() -> None:
    assert party_key("DEM") == party_key("Democratic Party") == party_key("democratic")
    assert party_key("WFP") == party_key("Working Families Party")


def test_two_close_candidates_go_to_review() -> None:
    pool = [BallotEntry(1, "John Smith", ""), BallotEntry(2, "Jane Smith", "")]
    choice = choose("J. Smith", "State House", "5", pool, {}, NICKS)
    assert (choice.candidacy_id, choice.review, choice.review_id) == (None, True, 1)


def test_remembered_decisions_win_over_scores() -> None:
    pool = [BallotEntry(1, "John Smith", ""), BallotEntry(2, "Jon Smith", "")]
    confirmed = {("jon smith", "john smith", "State House", "5"): "confirmed"}
    choice = choose("Jon Smith", "State House", "5", pool, confirmed, NICKS)
    assert (choice.candidacy_id, choice.method) == (1, "confirmed")
    rejected = {("jon smith", "jon smith", "State House", "5"): "rejected"}
    choice = choose("Jon Smith", "State House", "5", pool, rejected, NICKS)
    assert (choice.candidacy_id, choice.method) == (1, "auto")  # never candidacy 2 again


def test_contest_key_reads_a_town_from_the_office() -> None:
    assert contest_key("Board of Education - Hartford", "") == ("Board of Education", "Hartford")
    assert contest_key("State Senator", "District 001") == ("State Senate", "1")
    assert contest_key("Board of Education", "Hartford") == ("Board of Education", "Hartford")
    assert contest_key("Friends - of the Library", None) == ("Friends - of the Library", "")


def test_ticket_names_split_only_on_a_word_and() -> None:
    from endorse.matching.names import running_mates

    assert running_mates("Ned Lamont and Susan Bysiewicz") == ["Ned Lamont", "Susan Bysiewicz"]
    assert running_mates("Andrea Anderson") == ["Andrea Anderson"]
    assert score("Ned Lamont", "Bob Stefanowski and Laura Devlin", NICKS) < REVIEW


@pytest.mark.parametrize(
    "text",
    [
        "William Tong",
        "John W Fonfara",
        "Mary Ann Smith",
        "J Smith",
        "TONG WILLIAM",
        "josé núñez",
        "Maria De Leon",  # a particle: nameparser makes "De Leon" the surname
        "Pat Van Dyke",
        "John Smith Jr",
        "Dr John Smith",
        "Sir Elton John",
        "Mark Ii",
        "Bob And Sue",
        "Robert Smith 3rd",
        "Tong, William",
        "Robert (Bob) Smith",
    ],
)
def test_plain_names_skip_nameparser_and_read_as_it_reads_them(text: str) -> None:
    from endorse.matching.names import _parse_human

    assert parse_name.__wrapped__(text) == _parse_human(text)


@pytest.mark.parametrize(
    "text",
    ["TONG, WILLIAM", "Fonfara, John W", "Fonfara, John W.", "Lamont, Ned", "O'Brien, Mary",
     "Núñez, José", "Kennedy, Edward Jr", "SMITH, J", "Van Dyke, John", "Smith, Dr John",
     "Smith, Jr., John", "Jones,  Mary   Ann", "William Tong", "John W Fonfara", "Núñez Ortiz"],
)  # fmt: skip
def test_the_fast_paths_read_a_name_as_nameparser_does(text: str) -> None:
    parse_name.cache_clear()
    assert parse_name(text) == _parse_human(text)
