"""The election-night fixture server: a tiny ASGI app on 127.0.0.1 replaying the invented night.

`Night.publish(fmt, v)` puts version v of a format where its scraper looks: one file with an
ETag for OpenElections and HTML, a version file plus immutable version directories for CT
SOTS and Clarity. Every request is logged so tests can count fetches; a file can be made to
fail (status 500) or stall (delay) to test retries and timeouts.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg

from endorse.results.sources import ensure_source

NIGHT = Path(__file__).resolve().parents[1] / "fixtures" / "20261103_elmvale_night"
FORMATS = ("openelections", "clarity", "ct-sots", "html")
FAST = {"http": {"attempts": 2, "backoff": 0.01, "timeout": 0.5}}  # keep failing tests quick
HTML_MAPPING = {
    "rows": "table.results tbody tr",
    "columns": {"office": 0, "district": 1, "candidate": 2, "party": 3, "votes": 4},
    "precincts": "#reporting b",
    "winner": "img.elected",
}
PATHS = {  # format -> the source URL's path (what a person registers)
    "openelections": "/oe/20261103__ct__general__precinct.csv",
    "html": "/elmvale/results.html",
    "ct-sots": "/ctsots/ng-app/data/election/77",
    "clarity": "/clarity/CT/Elmvale/2026",
}


@dataclass
class Reply:
    body: bytes
    status: int = 200
    delay: float = 0.0
    content_type: str = "application/octet-stream"
    etag_salt: str = ""  # a server that changes the ETag without changing the bytes


@dataclass
class FixtureServer:
    files: dict[str, Reply] = field(default_factory=dict)
    requests: list[tuple[str, int]] = field(default_factory=list)  # (path, status answered)

    def count(self, path: str, status: int | None = None) -> int:
        return sum(1 for p, s in self.requests if p == path and status in (None, s))

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        path = scope["path"]
        reply = self.files.get(path, Reply(b"not found", status=404))
        headers = dict(scope["headers"])
        if reply.delay:
            await asyncio.sleep(reply.delay)
        etag = '"' + hashlib.sha256(reply.body + reply.etag_salt.encode()).hexdigest()[:16] + '"'
        status, body = reply.status, reply.body
        if status == 200 and headers.get(b"if-none-match", b"").decode() == etag:
            status, body = 304, b""
        self.requests.append((path, status))
        out = [(b"content-type", reply.content_type.encode())]
        out += [(b"etag", etag.encode())] if reply.status == 200 else []
        out += [(b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": out})
        await send({"type": "http.response.body", "body": body})


def zipped(xml: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("detail.xml", xml)
    return buffer.getvalue()


class Night:
    def __init__(self, server: FixtureServer, base_url: str) -> None:
        self.server = server
        self.base_url = base_url

    def url(self, fmt: str) -> str:
        return self.base_url + PATHS[fmt]

    def main_path(self, fmt: str) -> str:
        """The file a poll fetches every time: the data itself, or the version file."""
        return {
            "ct-sots": PATHS[fmt] + "/Version.json",
            "clarity": PATHS[fmt] + "/current_ver.txt",
        }.get(fmt, PATHS[fmt])

    def payload(self, fmt: str, version: int) -> bytes:
        """Version `version` of a format, as its parse() takes it."""
        name = {
            "openelections": f"openelections_v{version}.csv",
            "html": f"html_results_v{version}.html",
            "clarity": f"clarity_detail_v{version}.xml",
            "ct-sots": f"sots_electiondata_v{version}.json",
        }[fmt]
        body = (NIGHT / name).read_bytes()
        return zipped(body) if fmt == "clarity" else body

    def publish(
        self,
        fmt: str,
        version: int,
        body: bytes | None = None,
        *,
        number: int = 0,
        layout: str = "legacy",
        **reply: Any,
    ) -> None:
        """Serve version `version` (or `body` in its place, e.g. a corrupt one). SOTS and
        Clarity publish it under version number 101 + version (201 + …), plus `number`.
        SOTS in `layout="split"` serves one `{part}_Electiondata.json` per key, as since 2024."""
        body = self.payload(fmt, version) if body is None else body
        base = PATHS[fmt]
        files = self.server.files
        if fmt == "ct-sots":
            number = str(101 + version + number)
            files[f"{base}/Version.json"] = Reply(json.dumps({"Version": int(number)}).encode())
            if layout == "split":
                for part, value in json.loads(body).items():
                    files[f"{base}/{number}/{part}_Electiondata.json"] = Reply(
                        json.dumps(value).encode(), **reply
                    )
            else:
                files[f"{base}/{number}/Electiondata.json"] = Reply(body, **reply)
            files[f"{base}/{number}/Lookupdata.json"] = Reply(
                (NIGHT / "sots_lookupdata.json").read_bytes()
            )
        elif fmt == "clarity":
            number = str(201 + version + number)
            files[f"{base}/current_ver.txt"] = Reply(number.encode(), content_type="text/plain")
            files[f"{base}/{number}/reports/detailxml.zip"] = Reply(body, **reply)
        else:
            kind = "text/html" if fmt == "html" else "text/csv"
            files[base] = Reply(body, content_type=kind, **reply)

    async def register(self, conn: asyncpg.Connection, stage_id: int, fmt: str) -> int:
        mapping = FAST | (HTML_MAPPING if fmt == "html" else {})
        source_id = await ensure_source(
            conn,
            stage_id=stage_id,
            format=fmt,
            url=self.url(fmt),
            mapping=mapping,
            default_seconds=60,
            actor="test",
        )
        await conn.execute("update sources set enabled = true where id = $1", source_id)
        return source_id
