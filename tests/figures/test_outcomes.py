"""Contest outcomes in SQL (sql/functions/outcomes.sql): every rule on a hand-built contest with stated numbers."""

from __future__ import annotations

from tests.figures.conftest import Ballot, day


async def test_fusion_lines_are_summed_before_ranking_and_flip_the_winner(ballot: Ballot) -> None:
    sd = await ballot.contest("State Senate", "4")
    # Republican line alone: Marchetti 23,000 > Cassano 22,000; with his Working Families line
    # Cassano has 22,000 + 1,500 = 23,500 and wins by 500 (1.06% of 47,000: no recanvass).
    cassano = await ballot.candidate(
        sd, "Steve Cassano", {"Democratic": 22_000, "Working Families": 1_500}
    )
    marchetti = await ballot.candidate(sd, "Lorraine Marchetti", {"Republican": 23_000})
    await ballot.status(sd, "official")
    won = await ballot.candidacy_outcome(cassano)
    lost = await ballot.candidacy_outcome(marchetti)
    assert (won["votes"], won["outcome"], won["reason"]) == (23_500, "WON", "won by 500 votes")
    assert (lost["outcome"], lost["margin"], lost["reason"]) == ("LOST", -500, "lost by 500 votes")
    assert won["percent"] == 50.5  # 23,500 / 46,500 = 50.54% -> 50.5


async def test_party_cap_skips_the_third_highest(ballot: Ballot) -> None:
    # CGS 9-167a: vote for 3, at most 2 from one party. The third Democrat (900) out-polls the
    # first Republican (800) but the Democrats already have two winners: the Republican wins.
    boe = await ballot.contest("Board of Education", "Hartford", seats=3, party_cap=2)
    d1 = await ballot.candidate(boe, "Ann Alpha", {"Democratic": 1_200})
    d2 = await ballot.candidate(boe, "Bea Beta", {"Democratic": 1_000})
    d3 = await ballot.candidate(boe, "Cy Gamma", {"Democratic": 900, "Working Families": 50})
    r1 = await ballot.candidate(boe, "Dee Delta", {"Republican": 800})
    r2 = await ballot.candidate(boe, "Eve Epsilon", {"Republican": 500})
    await ballot.status(boe, "official")
    outcomes = {c: await ballot.candidacy_outcome(c) for c in (d1, d2, d3, r1, r2)}
    assert [outcomes[c]["outcome"] for c in (d1, d2, d3, r1, r2)] == [
        "WON",
        "WON",
        "LOST",
        "WON",
        "LOST",
    ]
    assert outcomes[d3]["capped"] and "party cap" in outcomes[d3]["reason"]
    assert "CGS 9-167a" in outcomes[d3]["reason"]
    # margins: Delta leads Epsilon by 300; Gamma trails Beta (its party's weakest winner) by 50
    assert outcomes[r1]["margin"] == 300
    assert outcomes[d3]["margin"] == -50
    assert outcomes[d2]["margin"] == 50


async def test_nineteen_vote_margin_is_a_recanvass(ballot: Ballot) -> None:
    hd = await ballot.contest("State House", "99")
    a = await ballot.candidate(hd, "James Albis", 5_019)
    b = await ballot.candidate(hd, "Steve Tracey", 5_000)
    third = await ballot.candidate(hd, "Paul Third", 2_000)
    await ballot.status(hd, "official")
    for c in (a, b):
        row = await ballot.candidacy_outcome(c)
        assert row["outcome"] == "PENDING" and row["reason"].startswith("recanvass"), row
        assert "CGS 9-311a" in row["reason"]
    assert (await ballot.candidacy_outcome(third))["outcome"] == "LOST"  # 3,000 behind: decided
    await ballot.candidate(hd, "James Albis", 5_020)  # 20 votes: not under 20 ...
    # ... but 20 < 0.5% of 12,020 = 60.1 and <= 2,000: still a recanvass by the percent rule
    assert (await ballot.candidacy_outcome(a))["outcome"] == "PENDING"
    await ballot.candidate(hd, "James Albis", 5_100)  # 100 > 60.5: decided
    assert (await ballot.candidacy_outcome(a))["outcome"] == "WON"


async def test_half_percent_rule_is_capped_at_2000_votes(ballot: Ballot) -> None:
    gov = await ballot.contest("Governor")
    # 600,000 votes cast: 0.5% is 3,000, but CGS 9-311a caps the recanvass margin at 2,000.
    lamont = await ballot.candidate(gov, "Ned Lamont", 301_050)  # margin 2,100 (0.35%)
    stefanowski = await ballot.candidate(gov, "Bob Stefanowski", 298_950)
    await ballot.status(gov, "official")
    assert (await ballot.candidacy_outcome(lamont))["outcome"] == "WON"
    assert (await ballot.candidacy_outcome(stefanowski))["outcome"] == "LOST"
    assert not (await ballot.candidacy_outcome(lamont))["close"]
    # margin 1,900 of 599,800 (0.32%, under the cap): recanvass
    await ballot.candidate(gov, "Ned Lamont", 300_850)
    row = await ballot.candidacy_outcome(lamont)
    assert (row["outcome"], row["close"]) == ("PENDING", True)
    assert row["reason"] == "recanvass: margin 1,900 of 599,800 votes cast (CGS 9-311a / 9-445)"
    # exactly 2,000: the statute says "not more than two thousand votes" -> still a recanvass
    await ballot.candidate(gov, "Ned Lamont", 300_950)
    assert (await ballot.candidacy_outcome(lamont))["outcome"] == "PENDING"


async def test_primary_cap_is_1000_votes(ballot: Ballot) -> None:
    # CGS 9-445: in a primary the cap is 1,000. 400,000 cast, margin 1,500 (0.375%): decided.
    race = await ballot.contest("Governor", stage=ballot.primary, party="Democratic")
    a = await ballot.candidate(race, "Ned Lamont", 200_750)
    await ballot.candidate(race, "Joe Ganim", 199_250)
    await ballot.status(race, "official")
    row = await ballot.candidacy_outcome(a)
    assert (row["outcome"], row["reason"]) == (
        "ADVANCED",
        "won the primary; advances to the general election",
    )
    assert row["tally"] == "won"


async def test_exact_tie_goes_to_an_adjourned_election(ballot: Ballot) -> None:
    race = await ballot.contest("Board of Finance", "Ashford")
    a = await ballot.candidate(race, "Tie One", 812)
    b = await ballot.candidate(race, "Tie Two", 812)
    await ballot.status(race, "unofficial", reporting=3, total=3)
    for c in (a, b):
        row = await ballot.candidacy_outcome(c)
        assert (row["outcome"], row["reason"]) == ("PENDING", "tie, adjourned election")


async def test_certified_results_are_past_the_recanvass(ballot: Ballot) -> None:
    hd = await ballot.contest("State House", "53")
    a = await ballot.candidate(hd, "Sam Belsito", 6_385)  # margin 48 < 0.5% of 12,722
    await ballot.candidate(hd, "Susan Eastwood", 6_337)
    await ballot.status(hd, "official")
    assert (await ballot.candidacy_outcome(a))["outcome"] == "PENDING"
    await ballot.status(hd, "certified")
    row = await ballot.candidacy_outcome(a)
    assert (row["outcome"], row["close"]) == ("WON", True)  # still a close race in the variants


async def test_partial_reporting_is_pending_until_all_precincts_report(ballot: Ballot) -> None:
    sd = await ballot.contest("State Senate", "9")
    doyle = await ballot.candidate(sd, "Paul Doyle", 9_000)
    await ballot.candidate(sd, "Earle Roberts", 5_000)
    await ballot.status(sd, "unofficial", reporting=40, total=100)
    row = await ballot.candidacy_outcome(doyle)
    assert (row["outcome"], row["call_status"]) == ("PENDING", "partial")
    assert row["reason"] == "not called: 40 of 100 precincts reporting"
    await ballot.status(sd, "unofficial", reporting=100, total=100)
    row = await ballot.candidacy_outcome(doyle)
    assert (row["outcome"], row["call_status"]) == ("WON", "all reporting")


async def test_no_results_is_not_reporting(ballot: Ballot) -> None:
    sd = await ballot.contest("State Senate", "10")
    c = await ballot.candidate(sd, "Gary Winfield")
    row = await ballot.candidacy_outcome(c)
    assert (row["outcome"], row["call_status"], row["reason"]) == (
        "PENDING",
        "not reporting",
        "not called: no results yet",
    )


async def test_declared_winner_overrides_the_computed_leader(ballot: Ballot) -> None:
    # partial count has Smith ahead, but the source's winner list names Jones: Jones won.
    race = await ballot.contest("Mayor", "Stamford")
    smith = await ballot.candidate(race, "Al Smith", 5_000, declared_winner=False)
    jones = await ballot.candidate(race, "Bo Jones", 4_990, declared_winner=True)
    await ballot.status(race, "unofficial", reporting=90, total=100)
    assert (await ballot.candidacy_outcome(jones))["outcome"] == "WON"
    assert (await ballot.candidacy_outcome(jones))["reason"] == "declared winner (source)"
    assert (await ballot.candidacy_outcome(smith))["outcome"] == "LOST"


async def test_withdrawn_candidate(ballot: Ballot) -> None:
    race = await ballot.contest("State House", "12")
    gone = await ballot.candidate(race, "Early Exit", 40, withdrew_on=day(-30))
    await ballot.candidate(race, "Stays In", 5_000)
    await ballot.candidate(race, "Other One", 4_000)
    await ballot.status(race, "official")
    row = await ballot.candidacy_outcome(gone)
    assert (row["outcome"], row["reason"], row["tally"]) == (
        "WITHDREW",
        "withdrew on 2018-10-07",
        "excluded",
    )


async def test_write_in_only_opponent_is_uncontested(ballot: Ballot) -> None:
    sd = await ballot.contest("State Senate", "34")
    fasano = await ballot.candidate(sd, "Len Fasano", {"Republican": 30_000, "Independent": 5_049})
    await ballot.candidate(sd, "David Bedell", {"Write In": 11}, write_in=True)
    await ballot.status(sd, "official")
    row = await ballot.candidacy_outcome(fasano)
    assert (row["outcome"], row["uncontested"], row["reason"]) == ("WON", True, "uncontested")


async def test_runoff_candidates_advance(ballot: Ballot) -> None:
    runoff_day = day(28)
    await ballot.conn.execute(
        "insert into stages (election_id, kind, election_day) "
        "select election_id, 'runoff', $2 from stages where id = $1",
        ballot.general,
        runoff_day,
    )
    runoff = await ballot.conn.fetchval("select id from stages where kind = 'runoff'")
    first = await ballot.contest("Mayor", "Atlanta")
    a = await ballot.candidate(first, "Ann Lead", 4_000)
    b = await ballot.candidate(first, "Bob Second", 3_500)
    c = await ballot.candidate(first, "Cal Third", 3_000)
    await ballot.status(first, "official")
    second = await ballot.contest("Mayor", "Atlanta", stage=runoff)
    await ballot.candidate(second, "Ann Lead")
    await ballot.candidate(second, "Bob Second")
    assert (await ballot.candidacy_outcome(a))["outcome"] == "ADVANCED"
    row = await ballot.candidacy_outcome(b)
    assert (row["outcome"], row["reason"], row["tally"]) == (
        "ADVANCED",
        "advances to the runoff",
        "pending",
    )
    assert (await ballot.candidacy_outcome(c))["outcome"] == "LOST"


async def test_votes_are_candidacy_totals_and_a_contest_subset_decides_alike(
    ballot: Ballot,
) -> None:
    # the outcome functions read fusion totals from the candidacy_totals view, one definition
    sd = await ballot.contest("State Senate", "4")
    await ballot.candidate(sd, "Steve Cassano", {"Democratic": 22_000, "Working Families": 1_500})
    await ballot.candidate(sd, "Lorraine Marchetti", {"Republican": 23_000, "Independent": 10})
    other = await ballot.contest("State Senate", "5")
    await ballot.candidate(other, "Beth Bye", {"Democratic": 30_655})
    await ballot.status(sd, "official")
    rows = await ballot.conn.fetch(
        """select o.candidacy_id, o.votes, t.votes as total, o.outcome
             from figure_candidacies(array[$1::bigint]) o
             join candidacy_totals t using (candidacy_id) order by 1""",
        ballot.general,
    )
    assert [r["votes"] for r in rows] == [r["total"] for r in rows] == [23_500, 23_010, 30_655]
    subset = await ballot.conn.fetch(
        "select candidacy_id, outcome from figure_candidacies(array[$1::bigint], array[$2::bigint])"
        " order by 1",
        ballot.general,
        sd,
    )
    assert [tuple(r) for r in subset] == [(r["candidacy_id"], r["outcome"]) for r in rows[:2]]
