"""Handler parameter types for the app-wide dependencies (see create_app).

async def handler(self, conn: Conn, principal: Authed) -> ...
"""

from __future__ import annotations

from typing import Annotated

import asyncpg
from litestar.di import NamedDependency
from litestar.params import PathParameter, QueryParameter

from endorse.auth.tokens import Principal

Conn = NamedDependency[asyncpg.Connection]  # a pooled connection for this request
Authed = NamedDependency[Principal]  # the token's principal; only on guarded handlers

# Query strings that name an election or a stage: bounded, and never a NUL (PostgreSQL text
# cannot hold one, so it would fail in the database instead of as a 400 naming the parameter).
TEXT_NO_NUL = r"^[^\x00]*$"
ElectionQuery = Annotated[str | None, QueryParameter(max_length=100, pattern=TEXT_NO_NUL)]
StageQuery = Annotated[str | None, QueryParameter(max_length=20, pattern=TEXT_NO_NUL)]

# A row id in a path: a positive bigint, else a 400 naming the parameter (a larger number would
# fail in the database instead).
RowId = Annotated[int, PathParameter(ge=1, le=2**63 - 1)]
