"""The night's returns, generated from the final totals: seeded, so every run is the same night.

Each ballot line's final total is split over the polling places of the towns its contest
covers (weights jittered per line, largest remainder, so the parts add up exactly). The
polling places report in one seeded order: after step s of PARTIAL_STEPS the first
round(places * s / PARTIAL_STEPS) have reported. Step 0 is the ballot with no votes; the
step after the last partial one is the same count declared official.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache

from endorse.demo import state
from endorse.demo.model import Race

PARTIAL_STEPS = 10
STEPS = PARTIAL_STEPS + 2  # 0 (nothing), 1..10 (places come in), 11 (official)
OFFICIAL = STEPS - 1

Place = tuple[int, int]  # (town id, polling place number 1..n)


def places(towns: tuple[int, ...]) -> list[Place]:
    return [(t, n) for t in towns for n in range(1, state.TOWNS[t][1] + 1)]


@cache
def reporting_order() -> tuple[Place, ...]:
    order = places(tuple(state.TOWNS))
    random.Random(f"{state.SEED}:order").shuffle(order)
    return tuple(order)


@cache
def reported(step: int) -> frozenset[Place]:
    """The polling places in by this step."""
    order = reporting_order()
    n = len(order) if step >= PARTIAL_STEPS else round(len(order) * step / PARTIAL_STEPS)
    return frozenset(order[:n])


def _split(total: int, weights: list[float]) -> list[int]:
    """total over the weights, largest remainder: the parts add up to total exactly."""
    raw = [total * w / sum(weights) for w in weights]
    parts = [int(x) for x in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)
    for i in by_remainder[: total - sum(parts)]:
        parts[i] += 1
    return parts


@dataclass(frozen=True)
class LineVotes:
    candidate: str
    party: str
    by_place: dict[Place, int]  # final votes per polling place


@cache
def final_votes(race: Race) -> tuple[LineVotes, ...]:
    where = places(race.towns)
    out = []
    for candidate, party, total in race.lines:
        rng = random.Random(f"{state.SEED}:{race.key}:{candidate}:{party}")
        weights = [0.7 + 0.6 * rng.random() for _ in where]
        out.append(
            LineVotes(candidate, party, dict(zip(where, _split(total, weights), strict=True)))
        )
    return tuple(out)


def votes(race: Race, step: int, town: int | None = None) -> list[tuple[LineVotes, int]]:
    """Each line's votes at this step, in one town or over the whole contest."""
    done = reported(step)
    return [
        (line, sum(v for p, v in line.by_place.items() if p in done and town in (None, p[0])))
        for line in final_votes(race)
    ]


def precincts(towns: tuple[int, ...], step: int) -> tuple[int, int]:
    """(reporting, total) polling places of these towns at this step."""
    where = places(towns)
    return sum(p in reported(step) for p in where), len(where)
