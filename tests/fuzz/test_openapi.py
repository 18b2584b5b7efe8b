"""schemathesis against the live OpenAPI schema: no operation answers 5xx (issue 14, item 9).

Every operation the app publishes at /schema/openapi.json is called over a real socket with
cases generated from the schema, valid ones and deliberately invalid ones, each sent as
anonymous, viewer, editor and admin; a third pass puts the ids of a real ballot in the path so
the handlers behind the 404s are reached too. Bounded for the suite (ENDORSE_FUZZ_EXAMPLES cases
per operation and pass, 3 by default); `make fuzz` runs it with many more.

Only server errors fail this test: a 4xx for a wrong case is the contract working.
"""

from __future__ import annotations

import contextlib
import os
from typing import Any

import asyncpg
import hypothesis
import hypothesis.errors
import requests
import schemathesis
from hypothesis import HealthCheck, Phase
from schemathesis import GenerationMode

from endorse.elections.visibility import set_visibility
from endorse.figures.published import publish
from tests.staff import pages_data

EXAMPLES = int(os.environ.get("ENDORSE_FUZZ_EXAMPLES", "3"))
STREAMS = {"/api/v1/events"}  # never ends by design; tests/security/test_sse_cap.py covers it
SENT = {"cases": 0, "requests": 0}  # what a run sent, printed at its end (pytest -s shows it)


async def seeded_ids(conn: asyncpg.Connection) -> dict[str, Any]:
    """A real ballot, so the known-ids pass reaches past the 404s."""
    ids = await pages_data.ballot(conn)
    await set_visibility(conn, pages_data.SLUG, "general", "public", actor="test")
    figure = await publish(conn, pages_data.SLUG, "general", actor="test")
    review = await conn.fetchval("select min(id) from match_reviews")
    body = await conn.fetchval("select min(id) from bodies")
    return {
        "slug": pages_data.SLUG,
        "stage": "general",
        "endorsement_id": ids["John Smyth"],
        "figure_id": figure.id,
        "review_id": review or 1,
        "body_id": body or 1,
    }


def _fuzz(
    operation: Any,
    base: str,
    roles: dict[str, dict[str, str]],
    failures: list[str],
    session: requests.Session,
    mode: GenerationMode,
    path_parameters: dict[str, Any] | None,
) -> None:
    strategy = operation.as_strategy(generation_mode=mode, path_parameters=path_parameters)

    @hypothesis.settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,  # the same cases every run: a failure here is reproducible
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis.given(case=strategy)
    def run(case: Any) -> None:
        SENT["cases"] += 1
        for role, headers in roles.items():
            SENT["requests"] += 1
            sent = dict(headers)  # the call adds its own headers to the dict it is given
            answer = case.call(base_url=base, session=session, headers=sent, timeout=30)
            if answer.status_code >= 500:
                failures.append(
                    f"{answer.status_code} {operation.label} as {role} ({mode.value}): "
                    f"{case.as_curl_command(headers=headers)}"
                )

    # Unsatisfiable: nothing to make invalid (an operation without parameters or body)
    with contextlib.suppress(hypothesis.errors.Unsatisfiable):
        run()


async def test_no_operation_answers_a_server_error(
    live: str, conn: asyncpg.Connection, auth: dict[str, dict[str, str]]
) -> None:
    known = await seeded_ids(conn)
    schema = schemathesis.openapi.from_url(live + "/schema/openapi.json")
    roles = {"anonymous": {}, **auth}
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40  # the whole API was seen
    with requests.Session() as session:
        for operation in operations:
            if operation.path in STREAMS:
                continue
            names = {p.name for p in operation.path_parameters}
            fixed = {k: v for k, v in known.items() if k in names} if names else None
            passes = [(GenerationMode.POSITIVE, None), (GenerationMode.NEGATIVE, None)]
            if fixed:
                passes.append((GenerationMode.POSITIVE, fixed))
            for mode, path_parameters in passes:
                _fuzz(operation, live, roles, failures, session, mode, path_parameters)
    print(  # the figures docs/RELIABILITY.md quotes
        f"\nfuzz: {len(operations)} operations, {SENT['cases']} cases, "
        f"{SENT['requests']} requests, {len(failures)} server errors"
    )
    assert failures == [], "\n".join(failures[:40])
