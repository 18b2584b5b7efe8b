"""Win rates for an election stage: one SQL call (figure_stats, sql/functions/rates.sql) plus the sentence.

The sentence, decided once here so the API, the CLI and published figures say the same thing:

* all decided:   "Of the 41 candidates we endorsed in the 2018 general election, 30 won (73%)."
* some pending:  "Of the 38 candidates we endorsed in the 2018 general election whose races
                 have been decided, 28 won (74%); 3 more candidates' races are still pending,
                 so the final rate will be between 67% and 76%."
* none decided:  "None of the races of the 5 candidates we endorsed in the 2018 general
                 election have been decided yet."
* none counted:  "We have no counted endorsements in the 2018 general election yet."
* stage=all:     "... in the 2018 primary and general elections (counted together), ..."

n is always WON + LOST (the denominator of the percent), so the sentence and the number agree;
withdrawn, rescinded, unmatched and late endorsements are listed in `excluded`, not in n.
Every count in it is of candidates, never of races: a board with three seats can hold two of
ours, so "58 pending" may be 55 races, and the sentence must not say 58 races.
"""

from __future__ import annotations

import asyncpg
import msgspec

from endorse.db.queries import load
from endorse.elections.service import UnknownElection
from endorse.figures.schemas import Rate, Stats

q = load("figures")

_STAGE_WORDS = {
    "general": "general election",
    "primary": "primary",
    "special": "special election",
    "runoff": "runoff",
    "adjourned": "adjourned election",
}


def _where(stats: Stats) -> str:
    if stats.pooled:
        kinds = " and ".join(stats.stages)
        return f"in the {stats.year} {kinds} elections (counted together)"
    return f"in the {stats.year} {_STAGE_WORDS.get(stats.stage, stats.stage)}"


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def sentence(stats: Stats) -> str:
    """The ready-to-paste sentence for the headline rate (wording: see the module docstring)."""
    h: Rate = stats.headline
    where = _where(stats)
    if h.decided == 0 and h.pending == 0:
        return f"We have no counted endorsements {where} yet."
    if h.decided == 0:
        if h.pending == 1:
            return f"The race of the 1 candidate we endorsed {where} has not been decided yet."
        return (
            f"None of the races of the {h.pending} candidates we endorsed {where} "
            "have been decided yet."
        )
    lead = f"Of the {h.decided} {_plural(h.decided, 'candidate', 'candidates')} we endorsed {where}"
    if h.pending == 0:
        return f"{lead}, {h.won} won ({h.percent}%)."
    more = _plural(h.pending, "candidate's race is", "candidates' races are")
    return (
        f"{lead} whose races have been decided, {h.won} won ({h.percent}%); "
        f"{h.pending} more {more} still pending, so the final rate will be between "
        f"{h.low}% and {h.high}%."
    )


def stats_from(value: dict) -> Stats:
    """The SQL answer as a Stats, with its sentence; UnknownElection naming the field."""
    if "error" in value:
        if value["error"] == "election":
            raise UnknownElection(f"election: no election with slug {value['election']!r}")
        raise UnknownElection(
            f"stage: election {value['election']!r} has no {value['stage']!r} stage"
        )
    stats = msgspec.convert(value, Stats, strict=False)
    stats.sentence = sentence(stats)
    return stats


async def compute(conn: asyncpg.Connection, slug: str, stage: str) -> tuple[Stats, str]:
    """(stats, snapshot) in one round trip; the snapshot keys the cache (endorse.figures.cache)."""
    row = await conn.fetchrow(*q.stats(slug=slug, stage=stage))
    value = msgspec.json.decode(row["stats"])  # text, whatever json codec the connection has
    if "error" in value:
        value = {**value, "election": slug, "stage": stage}
    return stats_from(value), row["snapshot"]


async def get_stats(conn: asyncpg.Connection, slug: str, stage: str = "general") -> Stats:
    return (await compute(conn, slug, stage))[0]
