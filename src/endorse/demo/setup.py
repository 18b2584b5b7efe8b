"""Set the demo night up the way staff would, through the product's own services.

The election (marked demo), the federation and its locals, the two contests staff shape by hand
(Harbor City's board with its party cap, a withdrawal), the endorsement spreadsheet through the
importer, and the two official sources registered for the worker to poll. No result is written
here: every vote arrives through the worker, the scrapers and the ingest, as on a real night.
"""

from __future__ import annotations

import asyncpg

from endorse.admin.bodies import create_body
from endorse.admin.schemas import BodyCreate
from endorse.ballot.schemas import CandidacyCreate, ContestCreate
from endorse.ballot.service import create_contest
from endorse.db.queries import load
from endorse.demo import model, state
from endorse.demo.feed import urls
from endorse.demo.remove import Removed, remove_demo
from endorse.elections.schemas import ElectionCreate, Stage
from endorse.elections.service import create_election
from endorse.elections.visibility import set_visibility
from endorse.endorsements.importer import import_file
from endorse.errors import Conflict
from endorse.results.schemas import SourceCreate
from endorse.results.sources import add_source

q = load("demo")
admin = load("admin")
POLL_SECONDS = 5  # the shortest interval a source may have


class DemoRefused(Conflict):
    """The demo would mix with real work; the message says why."""


async def refuse_beside_real_work(conn: asyncpg.Connection) -> None:
    real = [r["slug"] for r in await conn.fetch(*q.real_elections())]
    if real:
        shown = ", ".join(real[:3]) + (" ..." if len(real) > 3 else "")
        raise DemoRefused(
            f"the database holds {len(real)} real election(s) ({shown}): the demo starts only "
            "on an empty one"
        )


async def _bodies(conn: asyncpg.Connection, *, actor: str) -> None:
    wanted = [(state.FEDERATION, "state_federation", None)]
    wanted += [(name, "local", state.FEDERATION) for name in state.LOCALS]
    for name, kind, parent in wanted:
        if await conn.fetchrow(*admin.body_by_name(name=name)) is not None:
            continue  # a body of that name is real work: use it, never remove it
        body = await create_body(conn, BodyCreate(name=name, kind=kind, parent=parent), actor=actor)
        await conn.execute(*q.mark_body_demo(id=body.id))


async def _ballot(conn: asyncpg.Connection, *, actor: str) -> None:
    """What staff enter by hand before the night: the board's cap, a withdrawal."""
    for race in model.races():
        if race.party_cap is not None:
            office, _, town = race.office.partition(" - ")
            contest = ContestCreate(
                office=office, district=town, seats=race.seats, party_cap=race.party_cap
            )
            await create_contest(conn, state.SLUG, contest, actor=actor)
    for (office, district, name), day in state.WITHDRAWN.items():
        race = next(r for r in model.races() if r.staff_district == district
                    and r.staff_office == office)  # fmt: skip
        people = [CandidacyCreate(name=c, parties=[state.PARTIES[p]]) for c, p, _ in race.lines]
        contest = ContestCreate(office=office, district=district, candidates=people)
        created = await create_contest(conn, state.SLUG, contest, actor=actor)
        at = [c for c, _, _ in race.lines].index(name)
        await conn.execute(*q.mark_withdrawn(id=created.candidacy_ids[at], withdrew_on=day))


async def set_up(conn: asyncpg.Connection, feed_base: str, *, actor: str) -> list[int]:
    """A fresh demo night (an earlier one is removed first); returns the source ids.

    Raises DemoRefused when the database holds real elections.
    """
    async with conn.transaction():
        await refuse_beside_real_work(conn)
        await remove_demo(conn, actor=actor)
        election = ElectionCreate(state.SLUG, state.NAME, state.DAY, [Stage("general", state.DAY)])
        await create_election(conn, election, actor=actor, demo=True)
        # fictional data: the night page shows it to anyone
        await set_visibility(conn, state.SLUG, "general", "public", actor=actor)
        await _bodies(conn, actor=actor)
        await _ballot(conn, actor=actor)
        await import_file(conn, model.endorsements_csv(), actor=actor, content_type="text/csv")
        ids = []
        for fmt, url in urls(feed_base).items():
            source = SourceCreate(format=fmt, url=url, schedule_seconds=POLL_SECONDS)
            created = await add_source(conn, state.SLUG, source, default_seconds=5, actor=actor)
            ids.append(created.id)
    return ids


__all__ = ["DemoRefused", "Removed", "refuse_beside_real_work", "set_up"]
