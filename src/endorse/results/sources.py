"""Results sources: register, find or create for a one-off load, list with their state."""

from __future__ import annotations

from typing import Any

import asyncpg
import msgspec

from endorse.auth.audit import record
from endorse.db.queries import load
from endorse.elections.service import stage_id as find_stage
from endorse.errors import Conflict, Invalid, NotFound
from endorse.results.schemas import Source, SourceCreate
from endorse.results.source_state import health
from scrapers import FORMATS
from scrapers._http import Policy

q = load("results")


class DuplicateSource(Conflict):
    """The stage already has a source with this format and URL."""


def _storable(value: Any, where: str = "mapping") -> None:
    """Every key and text of a mapping fits in jsonb: no NUL (jsonb refuses it) and no
    unpaired surrogate (not UTF-8). `make fuzz` sent both; they were 500s from PostgreSQL."""
    if isinstance(value, dict):
        for key, item in value.items():
            _storable(key, where)
            _storable(item, f"{where}.{key}" if key.isprintable() and len(key) < 40 else where)
    elif isinstance(value, list):
        for item in value:
            _storable(item, where)
    elif isinstance(value, str):
        if "\x00" in value:
            raise Invalid(f"{where}: text may not hold a NUL character")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise Invalid(f"{where}: text holds an unpaired surrogate, not Unicode") from None


def check_mapping(mapping: Any) -> dict[str, Any]:
    """A mapping is a JSON object jsonb can hold; its "http" options must be ones the fetcher
    knows."""
    if not isinstance(mapping, dict):
        raise Invalid("mapping: must be a JSON object")
    _storable(mapping)
    try:
        Policy.from_mapping(mapping)
    except (TypeError, ValueError) as exc:
        raise Invalid(f"mapping: {exc}") from None
    return mapping


def _source(row: asyncpg.Record) -> Source:
    warning = None
    if row["quarantined_snapshot_id"] is not None:
        warning = (
            f"payload of {row['quarantined_at']:%Y-%m-%d %H:%M:%S%z} quarantined "
            f"(snapshot {row['quarantined_snapshot_id']}): {row['quarantine_error']}; "
            "showing the last good data"
        )
    state, reason = health(row)
    return msgspec.convert(
        {k: v for k, v in row.items() if k in Source.__struct_fields__}
        | {"warning": warning, "health": state, "health_reason": reason},
        Source,
    )


async def add_source(
    conn: asyncpg.Connection, slug: str, data: SourceCreate, *, default_seconds: int, actor: str
) -> Source:
    """Register a source for polling (audited); DuplicateSource if it exists."""
    if data.format not in FORMATS:
        raise Invalid(f"format: unknown format {data.format!r}")
    check_mapping(data.mapping)
    async with conn.transaction():
        stage = await find_stage(conn, slug, data.stage)
        source_id = await conn.fetchval(
            *q.insert_source(
                stage_id=stage,
                format=data.format,
                url=data.url,
                mapping=data.mapping,
                schedule_seconds=data.schedule_seconds or max(5, default_seconds),
                enabled=data.enabled,
            )
        )
        if source_id is None:
            raise DuplicateSource(
                f"url: election {slug!r} stage {data.stage} already has this {data.format} source"
            )
        await record(
            conn,
            actor=actor,
            action="source.create",
            entity="sources",
            entity_id=source_id,
            after=data,
        )
        return await get_source(conn, source_id)


async def ensure_source(
    conn: asyncpg.Connection,
    *,
    stage_id: int,
    format: str,
    url: str,
    mapping: dict[str, Any] | None,
    default_seconds: int,
    actor: str,
) -> int:
    """The source a one-off load records its snapshot under: found, or created disabled (a
    `results load` never starts polling by itself). A given mapping replaces the stored one."""
    existing = await conn.fetchval(*q.source_id(stage_id=stage_id, format=format, url=url))
    if existing is not None:
        if mapping is not None:
            await conn.execute(*q.update_source_mapping(id=existing, mapping=mapping))
        return existing
    async with conn.transaction():
        created = await conn.fetchval(
            *q.insert_source(
                stage_id=stage_id,
                format=format,
                url=url,
                mapping=mapping or {},
                schedule_seconds=max(5, default_seconds),
                enabled=False,
            )
        )
        if created is None:  # registered meanwhile by someone else
            return await conn.fetchval(*q.source_id(stage_id=stage_id, format=format, url=url))
        after = {"format": format, "url": url, "mapping": mapping or {}, "enabled": False}
        await record(
            conn,
            actor=actor,
            action="source.create",
            entity="sources",
            entity_id=created,
            after=after,
        )
    return created


async def list_sources(conn: asyncpg.Connection, slug: str | None = None) -> list[Source]:
    return [_source(r) for r in await conn.fetch(*q.list_sources(slug=slug, id=None))]


async def get_source(conn: asyncpg.Connection, source_id: int) -> Source:
    row = await conn.fetchrow(*q.list_sources(slug=None, id=source_id))
    if row is None:
        raise NotFound(f"source: no source with id {source_id}")
    return _source(row)
