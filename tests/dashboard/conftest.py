"""The night page's fixtures: the invented Elmvale night of tests/results, with endorsements.

The results reach the database the real way: the Clarity scraper polls the fixture server over
HTTP and the pipeline ingests (endorse.results.pipeline.poll_source). Worked out by hand in
tests/results/night.py; with our three endorsements:

  v1  2 of 5 precincts: Delgado 512-430, Cho 465-445; board 1 of 3, Ruiz 210   -> all pending
  v2  all in: Delgado 1,165-1,090 WON by 75; Cho 1,060-1,127 LOST by 67; board (vote for 2):
      Best 695, Ruiz 550, Moss 510: Ruiz WON the 2nd seat by 40            -> 2 of 3 (67%)
  v3  the canvass: Delgado 1,170 (DEM 1,105 + WF 65), Hale 1,088; nothing else moves (Hale's
      lowered precinct holds the Governor back until a person accepts it: ingest() does)
"""

from __future__ import annotations

import asyncpg
import httpx
import pytest

from endorse.endorsements.importer import import_file
from endorse.results.pipeline import poll_source
from tests.results.conftest import fixture_server, http, night, stage  # noqa: F401 (fixtures)
from tests.results.helpers import accept_held
from tests.results.replay import Night

ENDORSEMENTS = b"""election,stage,office,district,candidate,party,endorsed_by,endorsed_on,notes
2026-ct-general,general,Governor,,Rosa Delgado,Democratic,AFT Connecticut,2026-09-01,
2026-ct-general,general,State Senate,9,Ian Cho,Democratic,AFT Connecticut,2026-09-01,
2026-ct-general,general,Board of Education,Elmvale,Ana Ruiz,Democratic,Elmvale Teachers,2026-09-01,
"""


class Scenario:
    def __init__(self, conn: asyncpg.Connection, feed: Night, source_id: int) -> None:
        self.conn = conn
        self.night = feed
        self.source_id = source_id

    async def ingest(self, version: int) -> None:
        """Publish version `version` on the fixture server and let the pipeline poll it."""
        self.night.publish("clarity", version)
        async with httpx.AsyncClient() as client:
            result = await poll_source(self.conn, self.source_id, client, force=True)
        assert result.outcome == "applied", result.error
        if result.stats is not None and result.stats.held:  # v3 lowers a row: a person accepts
            assert await accept_held(self.conn) == ["Governor"]


@pytest.fixture
async def scenario(conn: asyncpg.Connection, stage: int, night: Night) -> Scenario:  # noqa: F811
    await conn.execute(
        "insert into bodies (name, kind) values ('AFT Connecticut', 'state_federation'),"
        " ('Elmvale Teachers', 'local')"
    )
    # announced: the night page shows endorsed names to anonymous visitors only for a public
    # stage (tests/staff/test_browser_endorsements.py checks the private default)
    await conn.execute("update stages set visibility = 'public'")
    report = await import_file(conn, ENDORSEMENTS, actor="test", content_type="text/csv")
    assert report.ok, report.results
    return Scenario(conn, night, await night.register(conn, stage, "clarity"))
