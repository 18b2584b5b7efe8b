"""Matching endorsements to ballot candidacies against the database (endorse.matching.run)."""

from __future__ import annotations

import datetime as dt

import pytest

from endorse.elections.schemas import ElectionCreate, Stage
from endorse.elections.service import UnknownElection, create_election, stage_id
from endorse.matching import review
from endorse.matching.run import match_election, match_stage
from tests.figures.conftest import Ballot


async def _candidacy_of(ballot: Ballot, endorsement: int) -> tuple[int | None, str | None]:
    row = await ballot.conn.fetchrow(
        "select candidacy_id, match_method from endorsements where id = $1", endorsement
    )
    return row["candidacy_id"], row["match_method"]


async def test_bill_is_william_within_the_contest(ballot: Ballot) -> None:
    ag = await ballot.contest("Attorney General")
    tong = await ballot.candidate(ag, "William Tong")
    await ballot.candidate(ag, "Sue Hatfield")
    e = await ballot.endorse("Bill Tong", "Attorney General")
    report = await match_stage(ballot.conn, ballot.general)
    assert (report.election, report.stage) == (ballot.slug, "general")
    assert await _candidacy_of(ballot, e) == (tong, "auto")
    assert [(c.endorsement_id, c.ballot_name, c.method) for c in report.changed] == [
        (e, "William Tong", "auto")
    ]
    audit = await ballot.conn.fetchrow(
        "select actor, action, before, after from audit_log where entity = 'endorsements'"
    )
    assert (audit["actor"], audit["action"]) == ("matcher", "endorsement.match")
    assert audit["before"] == {"candidacy_id": None, "match_method": None}
    assert audit["after"]["candidacy_id"] == tong
    # the registry's trigger keeps the change as a 'match' version, by the matcher
    version = await ballot.conn.fetchrow(
        "select op, changed_by from endorsement_versions where endorsement_id = $1 "
        "order by version desc limit 1",
        e,
    )
    assert tuple(version) == ("match", "matcher")


async def test_contest_first_office_synonyms_and_district_forms(ballot: Ballot) -> None:
    sd1 = await ballot.contest("State Senate", "1")
    sd2 = await ballot.contest("State Senate", "2")
    await ballot.candidate(sd1, "John W. Fonfara")
    other = await ballot.candidate(sd2, "John Fonfara")  # same name, other district
    e = await ballot.endorse("Fonfara, John W.", "State Senator", "District 002")
    await match_stage(ballot.conn, ballot.general)
    assert await _candidacy_of(ballot, e) == (other, "auto")


async def test_smith_jr_never_matches_smith(ballot: Ballot) -> None:
    race = await ballot.contest("State House", "5")
    await ballot.candidate(race, "John Smith")
    e = await ballot.endorse("John Smith Jr.", "State House", "5")
    report = await match_stage(ballot.conn, ballot.general)
    assert await _candidacy_of(ballot, e) == (None, None)
    assert [u.endorsement_id for u in report.unmatched] == [e]
    assert report.review == []


async def test_unmatched_is_reported_with_a_reason(ballot: Ballot) -> None:
    e = await ballot.endorse("Jane Doe", "State Senate", "40")
    report = await match_stage(ballot.conn, ballot.general)
    assert [(u.endorsement_id, u.reason) for u in report.unmatched] == [
        (e, "no State Senate 40 contest on this ballot")
    ]


async def test_second_run_changes_nothing(ballot: Ballot) -> None:
    race = await ballot.contest("State House", "99")
    await ballot.candidate(race, "James M. Albis")
    e = await ballot.endorse("Jim Albis", "State House", "99")
    await match_stage(ballot.conn, ballot.general)
    version = await ballot.conn.fetchval("select version from endorsements where id = $1", e)
    audits = await ballot.conn.fetchval("select count(*) from audit_log")
    report = await match_stage(ballot.conn, ballot.general, actor="cli:someone")
    assert report.changed == [] and report.matched == 1
    assert await ballot.conn.fetchval("select count(*) from audit_log") == audits
    assert (
        await ballot.conn.fetchval("select version from endorsements where id = $1", e) == version
    )


async def test_people_decisions_are_left_alone(ballot: Ballot) -> None:
    race = await ballot.contest("State House", "7")
    a = await ballot.candidate(race, "Anne Person")
    await ballot.candidate(race, "Anne Persson")
    e = await ballot.endorse("Anne Persson", "State House", "7", candidacy=a, method="manual")
    await match_stage(ballot.conn, ballot.general)
    assert await _candidacy_of(ballot, e) == (a, "manual")


async def test_primaries_match_by_party(ballot: Ballot) -> None:
    dem = await ballot.contest("Governor", stage=ballot.primary, party="Democratic")
    rep = await ballot.contest("Governor", stage=ballot.primary, party="Republican")
    await ballot.candidate(dem, "Chris Smith")
    rsmith = await ballot.candidate(rep, "Chris Smith")
    e = await ballot.endorse(
        "Chris Smith",
        "Governor",
        stage=ballot.primary,
        party="GOP",
        endorsed_on=dt.date(2018, 7, 1),
    )
    await match_stage(ballot.conn, ballot.primary)
    assert await _candidacy_of(ballot, e) == (rsmith, "auto")


async def test_review_confirm_is_remembered_next_cycle(ballot: Ballot) -> None:
    race = await ballot.contest("State House", "12")
    smith = await ballot.candidate(race, "John Smith")
    e = await ballot.endorse("John Smyth", "State House", "12")
    report = await match_stage(ballot.conn, ballot.general)
    assert [(r.endorsement_id, r.candidacy_id) for r in report.review] == [(e, smith)]
    assert await _candidacy_of(ballot, e) == (None, None)
    [item] = await review.list_reviews(ballot.conn)
    assert (item.candidate, item.ballot_name, item.status) == ("John Smyth", "John Smith", "open")
    again = await match_stage(ballot.conn, ballot.general)  # still one open item, not two
    assert len(again.review) == 1 and len(await review.list_reviews(ballot.conn)) == 1

    decided = await review.decide(ballot.conn, item.id, confirm=True, actor="editor-1")
    assert decided.status == "confirmed" and decided.decided_by == "editor-1"
    assert await _candidacy_of(ballot, e) == (smith, "confirmed")
    with pytest.raises(review.ReviewClosed):
        await review.decide(ballot.conn, item.id, confirm=False, actor="editor-1")

    # next cycle: the 2020 ballot, same office and district, same typed name -> no question
    day = dt.date(2020, 11, 3)
    await create_election(
        ballot.conn, ElectionCreate("2020-ct", "2020", day, [Stage("general", day)]), actor="test"
    )
    g2020 = await stage_id(ballot.conn, "2020-ct", "general")
    race2 = await ballot.contest("State House", "12", stage=g2020)
    smith2 = await ballot.candidate(race2, "John Smith")
    e2 = await ballot.endorse(
        "John Smyth", "State House", "12", stage=g2020, endorsed_on=dt.date(2020, 9, 1)
    )
    report = await match_stage(ballot.conn, g2020)
    assert report.review == []
    assert await _candidacy_of(ballot, e2) == (smith2, "confirmed")


async def test_rejection_is_remembered(ballot: Ballot) -> None:
    race = await ballot.contest("State House", "14")
    await ballot.candidate(race, "John Smith")
    e = await ballot.endorse("John Smyth", "State House", "14")
    await match_stage(ballot.conn, ballot.general)
    [item] = await review.list_reviews(ballot.conn)
    await review.decide(ballot.conn, item.id, confirm=False, actor="editor-1")
    report = await match_stage(ballot.conn, ballot.general)
    assert report.review == [] and [u.endorsement_id for u in report.unmatched] == [e]
    actions = [
        r["action"] for r in await ballot.conn.fetch("select action from audit_log order by id")
    ]
    assert actions == ["election.create", "match_review.create", "match_review.reject"]


async def test_match_election_names_the_missing_field(ballot: Ballot) -> None:
    with pytest.raises(UnknownElection, match=r"^election"):
        await match_election(ballot.conn, "nope")
    with pytest.raises(UnknownElection, match=r"^stage"):
        await match_election(ballot.conn, ballot.slug, stage="runoff")
    reports = await match_election(ballot.conn, ballot.slug)
    assert [r.stage for r in reports] == ["primary", "general"]


async def test_a_ticket_is_matched_by_its_governor(ballot: Ballot) -> None:
    governor = await ballot.contest("Governor")
    ticket = await ballot.candidate(governor, "Ned Lamont and Susan Bysiewicz")
    await ballot.candidate(governor, "Bob Stefanowski and Laura Devlin")
    first = await ballot.endorse("Ned Lamont", "Governor")
    last_first = await ballot.endorse("Lamont, Ned", "Governor and Lieutenant Governor")
    await match_stage(ballot.conn, ballot.general)
    assert await _candidacy_of(ballot, first) == (ticket, "auto")
    assert await _candidacy_of(ballot, last_first) == (ticket, "auto")
