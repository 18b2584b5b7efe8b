"""Handler parameter types for the app-wide dependencies (see create_app).

async def handler(self, conn: Conn, principal: Authed) -> ...
"""

from __future__ import annotations

import asyncpg
from litestar.di import NamedDependency

from endorse.auth.tokens import Principal

Conn = NamedDependency[asyncpg.Connection]  # a pooled connection for this request
Authed = NamedDependency[Principal]  # the token's principal; only on guarded handlers
