"""Which endorsements count for a stage, and one candidacy counting once
(figure_endorsements and figure_races, sql/functions/endorsement_outcomes.sql)."""

from __future__ import annotations

from tests.figures.conftest import Ballot, day


async def _race(ballot: Ballot) -> tuple[int, int]:
    sd = await ballot.contest("State Senate", "1")
    fonfara = await ballot.candidate(sd, "John W. Fonfara", 20_437)
    ruhe = await ballot.candidate(sd, "Barbara Ruhe", 6_052)
    await ballot.status(sd, "official")
    return fonfara, ruhe


async def test_rescinded_the_day_before_does_not_count(ballot: Ballot) -> None:
    fonfara, _ = await _race(ballot)
    e = await ballot.endorse(
        "John W. Fonfara", "State Senate", "1", candidacy=fonfara, rescinded_on=day(-1)
    )
    assert await ballot.outcome(e) == ("RESCINDED", "rescinded on 2018-11-05")


async def test_rescinded_on_election_day_does_not_count_after_does(ballot: Ballot) -> None:
    fonfara, ruhe = await _race(ballot)
    on_day = await ballot.endorse(
        "Fonfara", "State Senate", "1", candidacy=fonfara, rescinded_on=day(0)
    )
    after = await ballot.endorse("Ruhe", "State Senate", "1", candidacy=ruhe, rescinded_on=day(1))
    assert (await ballot.outcome(on_day))[0] == "RESCINDED"
    assert (await ballot.outcome(after))[0] == "LOST"  # a rescission after the fact: still counts


async def test_endorsed_the_day_after_or_late_ok_never_counts(ballot: Ballot) -> None:
    fonfara, _ = await _race(ballot)
    late = await ballot.endorse(
        "Fonfara", "State Senate", "1", candidacy=fonfara, endorsed_on=day(1)
    )
    on_day = await ballot.endorse(
        "J. Fonfara", "State Senate", "1", candidacy=fonfara, endorsed_on=day(0)
    )
    accepted = await ballot.endorse(
        "John Fonfara", "State Senate", "1", candidacy=fonfara, endorsed_on=day(1), late_ok=True
    )
    counted = await ballot.conn.fetch("select endorsement_id from endorsement_outcomes")
    assert {r["endorsement_id"] for r in counted}.isdisjoint({late, on_day, accepted})
    stats = await ballot.conn.fetchval("select figure_stats($1, 'general')", ballot.slug)
    assert stats["excluded"]["late"] == 3
    assert stats["headline"]["won"] == 0


async def test_soft_deleted_never_counts(ballot: Ballot) -> None:
    fonfara, _ = await _race(ballot)
    e = await ballot.endorse("Fonfara", "State Senate", "1", candidacy=fonfara)
    await ballot.conn.execute("update endorsements set deleted_at = now() where id = $1", e)
    assert await ballot.conn.fetchval("select count(*) from endorsement_outcomes") == 0


async def test_five_locals_one_candidacy_is_one_win(ballot: Ballot) -> None:
    fonfara, _ = await _race(ballot)
    council = await ballot.body("Hartford Council", ballot.federation, kind="council")
    for n in range(5):
        local = await ballot.body(f"Local {1000 + n}", council)
        await ballot.endorse("John Fonfara", "State Senate", "1", candidacy=fonfara, body=local)
    races = await ballot.conn.fetch("select * from figure_races(array[$1::bigint])", ballot.general)
    assert len(races) == 1
    assert (races[0]["endorsements"], races[0]["bodies"]) == (5, ["AFT Connecticut"])
    stats = await ballot.conn.fetchval("select figure_stats($1, 'general')", ballot.slug)
    assert stats["headline"]["text"] == "1 of 1"
    assert [(b["key"], b["text"]) for b in stats["variants"]["by_body"]] == [
        ("AFT Connecticut", "1 of 1")
    ]


async def test_rescinded_by_one_body_still_endorsed_by_another(ballot: Ballot) -> None:
    fonfara, _ = await _race(ballot)
    local = await ballot.body("Local 1018", ballot.federation)
    await ballot.endorse("Fonfara", "State Senate", "1", candidacy=fonfara, rescinded_on=day(-3))
    await ballot.endorse("Fonfara", "State Senate", "1", candidacy=fonfara, body=local)
    races = await ballot.conn.fetch("select * from figure_races(array[$1::bigint])", ballot.general)
    assert [(r["outcome"], r["endorsements"]) for r in races] == [("WON", 1)]


async def test_unmatched_is_listed_never_a_loss(ballot: Ballot) -> None:
    await _race(ballot)
    e = await ballot.endorse("Nobody Known", "State Senate", "1")
    assert await ballot.outcome(e) == ("UNMATCHED", "no ballot candidate matched")
    stats = await ballot.conn.fetchval("select figure_stats($1, 'general')", ballot.slug)
    assert stats["headline"]["lost"] == 0
    assert stats["excluded"]["unmatched"] == 1
    assert stats["unmatched"] == [
        {"candidate": "Nobody Known", "office": "State Senate", "district": "1", "stage": "general"}
    ]
