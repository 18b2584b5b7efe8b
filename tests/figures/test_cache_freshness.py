"""The stats and races routes over a real socket, in bursts of concurrent requests: a commit
made by another connection before a burst is seen by every request of it, the stage's
visibility is proven by the same shared check as the figures, and a private stage never
leaks through the cache (endorse.figures.cache)."""

from __future__ import annotations

import asyncio

import asyncpg
import httpx

from endorse.elections.visibility import set_visibility
from tests.figures.conftest import Ballot, day

BURST = 20
WON_WITH_WF = 3_000  # Dante's Working Families line that puts him ahead of Suzio


async def _two_races(ballot: Ballot) -> tuple[int, int]:
    """SD 1: Fonfara won 20,437 to 6,052; SD 13: Dante lost 20,866 to 21,761. Both endorsed;
    returns (Dante's candidacy, his endorsement)."""
    sd1 = await ballot.contest("State Senate", "1")
    fonfara = await ballot.candidate(sd1, "John W. Fonfara", {"Democratic": 20_437})
    await ballot.candidate(sd1, "Barbara Ruhe", {"Republican": 6_052})
    await ballot.status(sd1, "official")
    sd13 = await ballot.contest("State Senate", "13")
    dante = await ballot.candidate(
        sd13, "Dante Bartolomeo", {"Democratic": 19_866, "Working Families": 1_000}
    )
    await ballot.candidate(sd13, "Len Suzio", {"Republican": 21_761})
    await ballot.status(sd13, "official")
    await ballot.endorse("John W. Fonfara", "State Senate", "1", candidacy=fonfara)
    endorsement = await ballot.endorse("Dante Bartolomeo", "State Senate", "13", candidacy=dante)
    return dante, endorsement


async def _burst(
    http: httpx.AsyncClient, url: str, headers: dict[str, str] | None = None
) -> list[httpx.Response]:
    return await asyncio.gather(*(http.get(url, headers=headers) for _ in range(BURST)))


def _headlines(answers: list[httpx.Response]) -> set[str]:
    assert {a.status_code for a in answers} == {200}, answers[0].text
    return {a.json()["headline"]["text"] for a in answers}


async def test_a_commit_before_a_burst_is_seen_by_every_request_of_it(
    live: str, ballot: Ballot, auth: dict[str, dict[str, str]]
) -> None:
    dante, endorsement = await _two_races(ballot)
    stats = f"{live}/api/v1/elections/{ballot.slug}/stats?stage=general"
    races = f"{live}/api/v1/elections/{ballot.slug}/races?stage=general"
    async with httpx.AsyncClient(timeout=60) as http:
        assert _headlines(await _burst(http, stats)) == {"1 of 2"}
        assert _headlines(await _burst(http, stats)) == {"1 of 2"}  # from the cache

        # a new result row (a town's count arriving) puts Dante ahead
        await ballot.conn.execute(
            "insert into results (candidacy_id, party, unit, votes) values ($1, $2, $3, $4)",
            dante,
            "Working Families",
            "Hartford",
            WON_WITH_WF,
        )
        assert _headlines(await _burst(http, stats)) == {"2 of 2"}

        # an endorsement edit: rescinded before election day, so it no longer counts
        await ballot.conn.execute(
            "update endorsements set rescinded_on = $2 where id = $1", endorsement, day(-2)
        )
        assert _headlines(await _burst(http, stats)) == {"1 of 1"}
        await _burst(http, races)  # the race table cached too, while public

        # made private: every anonymous request of the next burst is refused, staff still read
        await set_visibility(ballot.conn, ballot.slug, "general", "private", actor="test")
        for url in (stats, races):
            refused = await _burst(http, url)
            assert {a.status_code for a in refused} == {403}, refused[0].text
            assert not any("Fonfara" in a.text for a in refused)
        assert _headlines(await _burst(http, stats, auth["viewer"])) == {"1 of 1"}

        # public again: the next burst reads it
        await set_visibility(ballot.conn, ballot.slug, "general", "public", actor="test")
        assert _headlines(await _burst(http, stats)) == {"1 of 1"}


async def test_a_private_stage_never_leaks_through_what_staff_cached(
    live: str, ballot: Ballot, auth: dict[str, dict[str, str]]
) -> None:
    await _two_races(ballot)
    await set_visibility(ballot.conn, ballot.slug, "general", "private", actor="test")
    paths = (
        "stats?stage=general",
        "stats?stage=all",  # one private stage keeps the pooled answer private
        "races?stage=general",
        "races?stage=general&format=csv",
    )
    async with httpx.AsyncClient(timeout=60) as http:
        for path in paths:
            url = f"{live}/api/v1/elections/{ballot.slug}/{path}"
            staff = await _burst(http, url, auth["viewer"])  # computes and caches the answer
            assert {a.status_code for a in staff} == {200}, staff[0].text
            anonymous = await _burst(http, url)  # the same cached entry, refused
            assert {a.status_code for a in anonymous} == {403}, path
            assert not any("Fonfara" in a.text or "1 of 2" in a.text for a in anonymous)
            again = await http.get(url, headers=auth["viewer"])
            assert again.status_code == 200 and again.content == staff[0].content


async def test_unchanged_public_figures_are_served_without_reading_the_stage(
    live: str, ballot: Ballot, conn: asyncpg.Connection
) -> None:
    """The visibility of a cached answer is proven by the cache's shared check, not read again
    per request: with the stages table locked, reads of unchanged figures still answer (before,
    each request read the stage's visibility and waited on the lock)."""
    await _two_races(ballot)
    stats = f"{live}/api/v1/elections/{ballot.slug}/stats?stage=general"
    async with httpx.AsyncClient(timeout=60) as http:
        assert _headlines(await _burst(http, stats)) == {"1 of 2"}
        async with conn.transaction():
            await conn.execute("lock table stages in access exclusive mode")
            # a bound on the wait, not a measurement: a request reading stages would wait on
            # the lock until this transaction ends
            answers = await asyncio.wait_for(_burst(http, stats), timeout=30)
        assert _headlines(answers) == {"1 of 2"}
