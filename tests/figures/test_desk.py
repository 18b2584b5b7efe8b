"""The review desk: review cards beside the ballot, unmatched cards, matches picked by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from litestar.testing import AsyncTestClient

from endorse.elections.schemas import ElectionCreate, Stage
from endorse.elections.service import create_election, stage_id
from endorse.matching import desk, pick
from endorse.matching.run import match_stage
from tests.figures.conftest import Ballot


async def test_review_card_shows_the_contest_side_by_side(ballot: Ballot) -> None:
    race = await ballot.contest("State House", "12")
    smith = await ballot.candidate(race, "John Smith", {"Democratic": 900, "Working Families": 80})
    await ballot.candidate(race, "Mary Jones", {"Republican": 700})
    await ballot.endorse("John Smyth", "State House", "12")
    await match_stage(ballot.conn, ballot.general)

    [card] = await desk.review_cards(ballot.conn, election=ballot.slug)
    assert card.item.candidate == "John Smyth" and card.reason == "score 88 needs a person"
    [contest] = card.contests
    assert [(c.name, c.votes, c.proposed) for c in contest.candidates] == [
        ("John Smith", 980, True),
        ("Mary Jones", 700, False),
    ]
    first = contest.candidates[0]
    assert first.candidacy_id == smith and first.score == 88
    assert [(x.party, x.votes) for x in first.lines] == [
        ("Democratic", 900),
        ("Working Families", 80),
    ]
    assert (await desk.review_card(ballot.conn, card.item.id)).item.id == card.item.id


async def test_unmatched_then_picked_by_hand_and_remembered_next_cycle(ballot: Ballot) -> None:
    race = await ballot.contest("State Senate", "3")
    await ballot.candidate(race, "Dana Lee", 50)
    kim = await ballot.candidate(race, "Robin Kim", 40)
    elsewhere = await ballot.candidate(await ballot.contest("State Senate", "4"), "Al Bo", 1)
    e = await ballot.endorse("R. Kimberly-Stone", "State Senate", "3")
    await ballot.endorse("Nobody Here", "State Senate", "99")
    await match_stage(ballot.conn, ballot.general)

    cards = await desk.unmatched_cards(ballot.conn, ballot.slug)
    by_name = {c.candidate: c for c in cards}
    assert [c.name for c in by_name["R. Kimberly-Stone"].contests[0].candidates] == [
        "Dana Lee",
        "Robin Kim",
    ]
    assert by_name["Nobody Here"].contests == []
    assert "no contest" in by_name["Nobody Here"].reason

    with pytest.raises(pick.NotOnBallot, match=r"^candidacy_id"):
        await pick.pick(ballot.conn, e, elsewhere, actor="ann")
    await pick.pick(ballot.conn, e, kim, actor="ann")
    row = await ballot.conn.fetchrow(
        "select candidacy_id, match_method from endorsements where id = $1", e
    )
    assert (row["candidacy_id"], row["match_method"]) == (kim, "manual")
    assert [c.candidate for c in await desk.unmatched_cards(ballot.conn, ballot.slug)] == [
        "Nobody Here"
    ]
    await match_stage(ballot.conn, ballot.general)  # the matcher leaves a person's pick alone
    assert (
        await ballot.conn.fetchval("select candidacy_id from endorsements where id = $1", e) == kim
    )
    audit = await ballot.conn.fetchrow(
        "select actor, after from audit_log where action = 'endorsement.match'"
    )
    assert audit["actor"] == "ann" and audit["after"]["match_method"] == "manual"

    day = dt.date(2020, 11, 3)
    await create_election(
        ballot.conn, ElectionCreate("2020-ct", "2020", day, [Stage("general", day)]), actor="t"
    )
    g2020 = await stage_id(ballot.conn, "2020-ct", "general")
    kim2 = await ballot.candidate(
        await ballot.contest("State Senate", "3", stage=g2020), "Robin Kim"
    )
    e2 = await ballot.endorse(
        "R. Kimberly-Stone", "State Senate", "3", stage=g2020, endorsed_on=dt.date(2020, 9, 1)
    )
    await match_stage(ballot.conn, g2020)
    assert await ballot.conn.fetchval(
        "select candidacy_id from endorsements where id = $1", e2
    ) == (kim2)


async def test_pick_closes_the_open_review(ballot: Ballot) -> None:
    race = await ballot.contest("State House", "12")
    await ballot.candidate(race, "John Smith")
    await ballot.candidate(race, "Mary Jones")
    e = await ballot.endorse("John Smyth", "State House", "12")
    await match_stage(ballot.conn, ballot.general)
    [card] = await desk.review_cards(ballot.conn)
    [other] = [c.candidacy_id for c in card.contests[0].candidates if not c.proposed]
    await pick.pick(ballot.conn, e, other, actor="ann")
    assert await desk.review_cards(ballot.conn) == []
    status = await ballot.conn.fetchval(
        "select status from match_reviews where id = $1", card.item.id
    )
    assert status == "stale"


async def test_pick_api(
    client: AsyncTestClient, auth: dict[str, dict[str, str]], ballot: Ballot
) -> None:
    race = await ballot.contest("State Senate", "3")
    kim = await ballot.candidate(race, "Robin Kim", 40)
    e = await ballot.endorse("R. Stone", "State Senate", "3")
    url = f"/api/v1/endorsements/{e}/match"
    assert (await client.post(url, json={"candidacy_id": kim})).status_code == 401
    bad = await client.post(url, json={"candidacy_id": kim + 99}, headers=auth["editor"])
    assert bad.status_code == 400 and "candidacy_id" in bad.json()["detail"]
    ok = await client.post(url, json={"candidacy_id": kim}, headers=auth["editor"])
    assert ok.status_code == 200
    missing = await client.post(
        "/api/v1/endorsements/999999/match", json={"candidacy_id": kim}, headers=auth["editor"]
    )
    assert missing.status_code == 404
    cards = await client.get(
        "/api/v1/review/unmatched", params={"election": ballot.slug}, headers=auth["viewer"]
    )
    assert cards.status_code == 200 and cards.json() == []
