"""Named queries from sql/queries/<domain>.sql, with :name parameters bound by asyncpg.

A file holds blocks that start with `-- name: <query_name>`; the lines after it up to the next
block are the SQL. `:param` becomes `$n` (casts `::type`, quoted text and comments are left
alone), so every value travels as a bound parameter, never as text spliced into SQL.

    q = load("endorsements")
    rows = await conn.fetch(*q.list_endorsements(election="2018-ct-general", limit=50))
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from endorse.db.paths import SQL_DIR

_TOKEN = re.compile(
    r"""'(?:[^']|'')*'            # string literal
      | "[^"]*"                   # quoted identifier
      | \$\$.*?\$\$               # dollar-quoted body
      | --[^\n]*                  # comment
      | (?<![:\w]):([A-Za-z_]\w*) # :param, not ::cast
    """,
    re.VERBOSE | re.DOTALL,
)
_HEADER = re.compile(r"^--\s*name:\s*([A-Za-z_]\w*)\s*$", re.MULTILINE)


class Query:
    """One named query: call it with keyword arguments to get (sql, *args) for asyncpg."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.params: list[str] = []

        def number(match: re.Match[str]) -> str:
            param = match.group(1)
            if param is None:
                return match.group(0)
            if param not in self.params:
                self.params.append(param)
            return f"${self.params.index(param) + 1}"

        self.sql = _TOKEN.sub(number, text).strip()

    def __call__(self, **values: Any) -> tuple[Any, ...]:
        missing = [p for p in self.params if p not in values]
        extra = [k for k in values if k not in self.params]
        if missing or extra:
            raise TypeError(f"query {self.name}: missing {missing}, unexpected {extra}")
        return (self.sql, *(values[p] for p in self.params))


class Queries:
    def __init__(self, path: Path) -> None:
        text = path.read_text(encoding="utf-8")
        self._queries: dict[str, Query] = {}
        heads = list(_HEADER.finditer(text))
        for i, head in enumerate(heads):
            end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
            name = head.group(1)
            if name in self._queries:
                raise ValueError(f"{path.name}: query {name} defined twice")
            self._queries[name] = Query(name, text[head.end() : end])

    def __getattr__(self, name: str) -> Query:
        try:
            return self._queries[name]
        except KeyError:
            raise AttributeError(f"no query named {name}") from None


@cache
def load(domain: str, directory: Path = SQL_DIR / "queries") -> Queries:
    return Queries(directory / f"{domain}.sql")
