"""Staff accounts for the staff tests: one per role, all with helpers.PASSWORD."""

from __future__ import annotations

import asyncpg
import pytest

from endorse.users.service import create_user
from tests.staff.helpers import PASSWORD


@pytest.fixture
async def staff_users(conn: asyncpg.Connection) -> dict[str, str]:
    """Account names by role: staff_users["editor"] == "Erin Editor"."""
    names = {"viewer": "Vic Viewer", "editor": "Erin Editor", "admin": "Ada Admin"}
    for role, name in names.items():
        await create_user(conn, name=name, role=role, password=PASSWORD, actor="test")
    return names
