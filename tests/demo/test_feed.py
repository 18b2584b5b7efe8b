"""The demo feed in the real formats, read by the real scrapers over real HTTP."""

from __future__ import annotations

import httpx
import pytest

from endorse.demo import returns, state
from endorse.demo.feed import NightFeed, parser_reads_split, serve_in_thread, urls
from scrapers import Parsed, SourceState, clarity, ct_sots


async def _fetch(feed: NightFeed, fmt: str) -> tuple[str | None, Parsed]:
    module = {"ct-sots": ct_sots, "clarity": clarity}[fmt]
    with serve_in_thread(feed) as base:
        async with httpx.AsyncClient() as client:
            fetched = await module.fetch(client, urls(base)[fmt], SourceState())
    assert fetched is not None
    return fetched.version, module.parse(fetched.body)


@pytest.mark.skipif(not parser_reads_split(), reason="the CT scraper does not read split yet")
async def test_both_ct_layouts_give_the_same_returns() -> None:
    split, legacy = NightFeed(layout="split"), NightFeed(layout="legacy")
    split.step = legacy.step = 6
    assert (await _fetch(split, "ct-sots"))[1] == (await _fetch(legacy, "ct-sots"))[1]


async def test_each_version_counts_more_until_the_final_totals() -> None:
    feed = NightFeed()
    totals = []
    for step in range(returns.STEPS):
        feed.step = step
        version, parsed = await _fetch(feed, "clarity")
        assert version == str(310000 + step)
        totals.append(sum(r.votes for r in parsed.records))
    assert totals[0] == 0
    assert totals == sorted(totals)
    assert totals[-1] == sum(v for *_, lines in state.CLARITY for _, _, v in lines)
