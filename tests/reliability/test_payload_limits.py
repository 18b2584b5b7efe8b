"""Item 1 of issue 14 in the payload: a zip inflates under caps on size, ratio and members, a
member may not leave the archive, XML cannot declare entities; a hostile load stays far below
512 MB of memory, measured on a real `endorse results load` in a child process."""

from __future__ import annotations

import asyncio
import io
import os
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import asyncpg
import pytest

from scrapers import ParseError, clarity
from scrapers._archive import MAX_MEMBERS
from tests.reliability.conftest import SLUG

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "hostile" / "transport"
GOOD_XML = Path(__file__).resolve().parents[1] / "fixtures" / "20241105_ct_fairfield_clarity"
MB = 1024 * 1024


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def zip_bomb(
    path: Path, inflated: int, head: bytes = b"<?xml version='1.0'?><ElectionResult>"
) -> Path:
    """detail.xml of `inflated` bytes (an XML start, then blanks) in a zip of a few MB, written
    in about a second: after a full flush deflate forgets its history, so every megabyte of
    blanks compresses to the same bytes, computed once."""
    blank = b" " * MB
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = squeeze.compress(head) + squeeze.flush(zlib.Z_FULL_FLUSH)
    block = squeeze.compress(blank) + squeeze.flush(zlib.Z_FULL_FLUSH)
    end = squeeze.flush(zlib.Z_FINISH)
    count = inflated // MB
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(blank, crc)
    size = len(head) + count * MB
    packed = len(start) + count * len(block) + len(end)
    name = b"detail.xml"
    with path.open("wb") as out:
        out.write(
            struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, packed, size, len(name), 0)
        )
        out.write(name + start)
        for _ in range(count):
            out.write(block)
        out.write(end)
        directory = (
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0,
                crc,
                packed,
                size,
                len(name),
                0,
                0,
                0,
                0,
                0,
                0,
            )
            + name
        )
        offset = out.tell()
        out.write(directory)
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(directory), offset, 0))
    return path


def test_the_good_zip_still_parses() -> None:
    parsed = clarity.parse((GOOD_XML / "detailxml.zip").read_bytes())
    assert parsed.records


def test_a_zip_bomb_is_refused_by_its_ratio(tmp_path: Path) -> None:
    body = zip_bomb(tmp_path / "bomb.zip", 64 * MB).read_bytes()
    with pytest.raises(ParseError, match="refused as a zip bomb"):
        clarity.parse(body)


@pytest.mark.parametrize(
    "name", ["../detail.xml", "reports/../../detail.xml", "/etc/detail.xml", "C:\\detail.xml"]
)
def test_a_member_leaving_the_archive_is_refused(name: str) -> None:
    xml = (GOOD_XML / "detail.xml").read_bytes()
    with pytest.raises(ParseError, match="leaves the archive; refused"):
        clarity.parse(_zip({name: xml}))


def test_a_zip_of_many_members_is_refused_before_it_is_read() -> None:
    body = _zip({f"m{i}.txt": b"" for i in range(MAX_MEMBERS + 1)})
    with pytest.raises(ParseError, match="too many members"):
        clarity.parse(body)


@pytest.mark.parametrize("name", ["billion_laughs.xml", "external_entity.xml", "utf16_doctype.xml"])
def test_xml_cannot_declare_entities(name: str) -> None:
    body = (CORPUS / name).read_bytes()
    with pytest.raises(ParseError, match=r"document type|UTF-16"):
        clarity.parse(body)
    with pytest.raises(ParseError, match=r"document type|UTF-16"):
        clarity.parse(_zip({"detail.xml": body}))


def test_a_truncated_zip_is_a_parse_error() -> None:
    body = (GOOD_XML / "detailxml.zip").read_bytes()
    with pytest.raises(ParseError, match="corrupt or truncated zip"):
        clarity.parse(body[: len(body) // 2])


def _load_in_child(db_url: str, tmp_path: Path, target: str) -> tuple[int, str, int]:
    """Run `endorse results load --format clarity TARGET` and measure the child alone:
    os.wait4 gives the rusage of that one process (ru_maxrss in KiB on Linux)."""
    env = {**os.environ, "DATABASE_URL": db_url, "ENDORSE_DATA_DIR": str(tmp_path / "data")}
    command = [sys.executable, "-m", "endorse", "results", "load", "--format", "clarity"]
    with subprocess.Popen(
        [*command, target, "--election", SLUG, "--json"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    ) as child:
        assert child.stdout is not None
        output = child.stdout.read().decode()
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, output, usage.ru_maxrss * 1024


async def test_a_zip_bomb_load_stays_far_below_512_mb(
    conn: asyncpg.Connection, db_url: str, stage: int, tmp_path: Path
) -> None:
    bomb = await asyncio.to_thread(zip_bomb, tmp_path / "detailxml.zip", 2200 * MB)
    code, output, peak = await asyncio.to_thread(_load_in_child, db_url, tmp_path, str(bomb))
    assert code == 1, output
    assert "refused as a zip bomb" in output
    assert peak < 512 * MB, f"peak RSS {peak / MB:.0f} MB"
    print(f"zip bomb of 2200 MB inflated: peak RSS of the load {peak / MB:.0f} MB")
    status = await conn.fetchval("select status from snapshots order by id desc limit 1")
    assert status == "quarantined"  # kept, with its reason, never applied


async def test_a_local_file_over_the_byte_cap_is_refused_before_it_is_read(
    db_url: str, stage: int, tmp_path: Path
) -> None:
    big = tmp_path / "detail.xml"
    big.write_bytes(b"<ElectionResult>" + b" " * 4096 + b"</ElectionResult>")
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "ENDORSE_DATA_DIR": str(tmp_path / "data"),
        "ENDORSE_FETCH_MAX_BYTES": "2048",
    }
    command = [sys.executable, "-m", "endorse", "results", "load", "--format", "clarity"]
    done = await asyncio.to_thread(
        subprocess.run,
        [*command, str(big), "--election", SLUG],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "4,129 bytes is over the cap of 2,048 (ENDORSE_FETCH_MAX_BYTES)" in done.stderr
