"""Named queries: :params become bound $n parameters; casts and literals are left alone."""

from __future__ import annotations

from pathlib import Path

import asyncpg
import pytest

from endorse.db.queries import Queries


def _queries(tmp_path: Path, text: str) -> Queries:
    path = tmp_path / "q.sql"
    path.write_text(text)
    return Queries(path)


def test_params_numbered_in_order_of_first_use(tmp_path: Path) -> None:
    q = _queries(
        tmp_path,
        "-- name: pick\n-- a comment with :not_a_param\n"
        "select :b::int + :a, ':lit', :b where x = 'it''s :no';\n",
    )
    sql, *args = q.pick(a=1, b=2)
    assert "$1::int + $2" in sql
    assert "':lit'" in sql and ":not_a_param" in sql and "'it''s :no'" in sql
    assert args == [2, 1]


def test_missing_or_extra_arguments_fail(tmp_path: Path) -> None:
    q = _queries(tmp_path, "-- name: one\nselect :a;\n")
    with pytest.raises(TypeError, match="missing"):
        q.one()
    with pytest.raises(TypeError, match="unexpected"):
        q.one(a=1, b=2)


async def test_values_are_bound_not_spliced(tmp_path: Path, conn: asyncpg.Connection) -> None:
    q = _queries(tmp_path, "-- name: echo\nselect :text::text;\n")
    hostile = "'); drop table elections; --"
    assert await conn.fetchval(*q.echo(text=hostile)) == hostile
    assert await conn.fetchval("select count(*) from elections") == 0
