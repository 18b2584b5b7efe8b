"""Win rates (sql/functions/rates.sql) and the sentence (endorse.figures.stats)."""

from __future__ import annotations

import datetime as dt

import pytest

from endorse.elections.service import UnknownElection
from endorse.figures.stats import get_stats
from tests.figures.conftest import Ballot


async def _races(ballot: Ballot, won: int, lost: int, pending: int = 0, **kw: object) -> None:
    """won + lost + pending single-seat races, each with one endorsed candidate."""
    for n in range(won + lost + pending):
        race = await ballot.contest("State House", str(n + 1))
        mine = await ballot.candidate(race, f"Mine Number{n}", 6_000 if n < won else 4_000, **kw)
        await ballot.candidate(race, f"Theirs Number{n}", 5_000)
        if n < won + lost:
            await ballot.status(race, "official")
        else:
            await ballot.status(race, "unofficial", reporting=10, total=20)
        await ballot.endorse(f"Mine Number{n}", "State House", str(n + 1), candidacy=mine)


@pytest.mark.parametrize(
    ("won", "n", "percent"),
    [(1, 8, 13), (3, 8, 38), (30, 41, 73), (1, 3, 33), (2, 3, 67), (1, 2, 50), (0, 4, 0)],
)
async def test_percent_rounds_half_up_in_integer_arithmetic(
    ballot: Ballot, won: int, n: int, percent: int
) -> None:
    # 1 of 8 = 12.5% -> 13 (half up; Python's round() would say 12); 3 of 8 = 37.5% -> 38
    assert await ballot.conn.fetchval("select figure_pct($1, $2)", won, n) == percent
    assert await ballot.conn.fetchval("select figure_pct(0, 0)") is None


async def test_one_of_eight_and_the_sentence(ballot: Ballot) -> None:
    await _races(ballot, won=1, lost=7)
    stats = await get_stats(ballot.conn, ballot.slug, "general")
    assert (stats.headline.text, stats.headline.percent) == ("1 of 8", 13)
    assert stats.sentence == (
        "Of the 8 candidates we endorsed in the 2018 general election, 1 won (13%)."
    )
    assert not stats.pooled and stats.stages == ["general"]


async def test_pending_range_and_sentence(ballot: Ballot) -> None:
    await _races(ballot, won=3, lost=1, pending=2)
    stats = await get_stats(ballot.conn, ballot.slug)
    h = stats.headline
    # 3 of 4 decided = 75%; all pending lost: 3 of 6 = 50%; all pending won: 5 of 6 = 83%
    assert (h.won, h.lost, h.pending, h.percent, h.low, h.high) == (3, 1, 2, 75, 50, 83)
    assert stats.sentence == (
        "Of the 4 candidates we endorsed in the 2018 general election whose races have been "
        "decided, 3 won (75%); 2 more candidates' races are still pending, so the final rate "
        "will be between 50% and 83%."
    )


async def test_zero_cases(ballot: Ballot) -> None:
    stats = await get_stats(ballot.conn, ballot.slug)
    assert stats.headline.percent is None
    assert stats.sentence == "We have no counted endorsements in the 2018 general election yet."
    await _races(ballot, won=0, lost=0, pending=1)
    stats = await get_stats(ballot.conn, ballot.slug)
    assert stats.sentence == (
        "The race of the 1 candidate we endorsed in the 2018 general election has not been "
        "decided yet."
    )


async def test_variants(ballot: Ballot) -> None:
    # contested: an incumbent who won, a challenger who lost, a challenger who won
    for n, (name, votes, incumbent) in enumerate(
        [("Inc Winner", 6_000, True), ("New Loser", 4_000, False), ("New Winner", 7_000, False)]
    ):
        race = await ballot.contest("State Senate", str(n + 1))
        mine = await ballot.candidate(race, name, votes, incumbent=incumbent)
        await ballot.candidate(race, f"Opponent {n}", 5_000)
        await ballot.status(race, "official")
        await ballot.endorse(name, "State Senate", str(n + 1), candidacy=mine)
    # uncontested incumbent house member, endorsed by a local of a different root body
    race = await ballot.contest("State House", "7")
    solo = await ballot.candidate(race, "Solo Member", 3_000, incumbent=True)
    await ballot.status(race, "official")
    other_root = await ballot.body("CEA", kind="state_federation")
    await ballot.endorse("Solo Member", "State House", "7", candidacy=solo, body=other_root)
    # a close one (19 votes): pending recanvass, counted in "close"
    race = await ballot.contest("State House", "8")
    close = await ballot.candidate(race, "Close Call", 5_019)
    await ballot.candidate(race, "Close Rival", 5_000)
    await ballot.status(race, "official")
    await ballot.endorse("Close Call", "State House", "8", candidacy=close)

    v = (await get_stats(ballot.conn, ballot.slug)).variants
    assert (await get_stats(ballot.conn, ballot.slug)).headline.text == "3 of 4"
    assert (v.contested.text, v.contested.pending) == ("2 of 3", 1)
    assert v.non_incumbents_contested.text == "1 of 2"
    assert (v.incumbents.text, v.non_incumbents.text) == ("2 of 2", "1 of 2")
    assert (v.close.text, v.close.pending) == ("0 of 0", 1)
    assert [(r.key, r.text) for r in v.by_level] == [
        ("state_house", "1 of 1"),
        ("state_senate", "2 of 3"),
    ]
    assert [(r.key, r.text) for r in v.by_body] == [
        ("AFT Connecticut", "2 of 3"),
        ("CEA", "1 of 1"),
    ]


async def test_primary_and_general_are_pooled_only_on_request(ballot: Ballot) -> None:
    prim = await ballot.contest("State Senate", "5", stage=ballot.primary, party="Democratic")
    beth = await ballot.candidate(prim, "Beth Bye", 4_000)
    await ballot.candidate(prim, "Other Dem", 1_000)
    await ballot.status(prim, "certified")
    await ballot.endorse(
        "Beth Bye",
        "State Senate",
        "5",
        candidacy=beth,
        stage=ballot.primary,
        endorsed_on=dt.date(2018, 7, 1),
    )
    gen = await ballot.contest("State Senate", "5")
    beth_g = await ballot.candidate(gen, "Beth Bye", 4_000)
    await ballot.candidate(gen, "Mark Merritt", 5_000)
    await ballot.status(gen, "certified")
    await ballot.endorse("Beth Bye", "State Senate", "5", candidacy=beth_g)

    general = await get_stats(ballot.conn, ballot.slug, "general")
    primary = await get_stats(ballot.conn, ballot.slug, "primary")
    pooled = await get_stats(ballot.conn, ballot.slug, "all")
    assert (general.headline.text, primary.headline.text) == ("0 of 1", "1 of 1")
    assert primary.sentence == ("Of the 1 candidate we endorsed in the 2018 primary, 1 won (100%).")
    assert (pooled.pooled, pooled.headline.text) == (True, "1 of 2")
    assert pooled.sentence == (
        "Of the 2 candidates we endorsed in the 2018 primary and general elections "
        "(counted together), 1 won (50%)."
    )
    assert [(r.key, r.text) for r in pooled.variants.by_stage] == [
        ("general", "0 of 1"),
        ("primary", "1 of 1"),
    ]


async def test_unknown_election_or_stage_names_the_field(ballot: Ballot) -> None:
    with pytest.raises(UnknownElection, match=r"^election: "):
        await get_stats(ballot.conn, "no-such-election")
    with pytest.raises(UnknownElection, match=r"^stage: .* no 'runoff' stage"):
        await get_stats(ballot.conn, ballot.slug, "runoff")
