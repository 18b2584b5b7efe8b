"""Reading a payload that expands: zip members and XML, each under a cap, nothing unbounded.

A zip bomb is a few megabytes that inflate to gigabytes; a zip with a million members costs
its central directory in memory before a byte is inflated; a member named `../x` is a path
attack on whoever unpacks it to disk; an XML document type can declare entities that expand
exponentially ("billion laughs") or fetch files. Each is refused here, before it costs memory.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterator
from pathlib import PurePosixPath

from scrapers.records import ParseError

MAX_INFLATED = 256 * 1024 * 1024  # one member, inflated: a statewide detail.xml is far less
MAX_RATIO = 100  # inflated / compressed; XML results compress 10-20 times, bombs 1,000 times
MAX_MEMBERS = 1000  # a results zip holds one file, or a few
CHUNK = 1 << 20
_EOCD = b"PK\x05\x06"  # end of central directory: member count, directory size


def _member_count(body: bytes, where: str) -> None:
    """Refuse a zip whose central directory is too large to read, before zipfile reads it."""
    end = body.rfind(_EOCD, max(0, len(body) - 65557))  # the record, then a comment <= 64 KiB
    if end < 0 or end + 22 > len(body):
        raise ParseError(f"{where}: corrupt or truncated zip (no end of central directory)")
    entries, directory = struct.unpack_from("<HI", body, end + 10)
    if entries > MAX_MEMBERS or directory > MAX_MEMBERS * 1024:  # 0xFFFF: zip64, also refused
        raise ParseError(f"{where}: zip holds too many members ({entries}; at most {MAX_MEMBERS})")


def _check_name(name: str, where: str) -> None:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or ":" in name:
        raise ParseError(f"{where}: zip member name {name[:80]!r} leaves the archive; refused")


def unzip_member(body: bytes, suffix: str, where: str) -> Iterator[bytes]:
    """The first member whose name ends with `suffix`, inflated in chunks under the caps.

    ParseError for a corrupt zip, a member name with `..` or an absolute path, too many
    members, or a member over MAX_INFLATED bytes or MAX_RATIO times its compressed size (as
    declared, and as actually inflated: a lying header does not get further)."""
    _member_count(body, where)
    try:
        archive = zipfile.ZipFile(io.BytesIO(body))
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise ParseError(f"{where}: corrupt or truncated zip: {exc}") from None
    with archive:
        infos = archive.infolist()
        for info in infos:
            _check_name(info.filename, where)
        chosen = [i for i in infos if i.filename.lower().endswith(suffix) and not i.is_dir()]
        if not chosen:
            names = [i.filename[:80] for i in infos[:10]]
            raise ParseError(f"{where}: zip holds no {suffix} file ({names})")
        info = chosen[0]
        limit = min(MAX_INFLATED, max(info.compress_size, 1) * MAX_RATIO)
        if info.file_size > limit:
            raise ParseError(_too_big(where, info.file_size, info.compress_size))
        inflated = 0
        try:
            with archive.open(info) as member:
                while chunk := member.read(CHUNK):
                    inflated += len(chunk)
                    if inflated > limit:
                        raise ParseError(_too_big(where, inflated, info.compress_size))
                    yield chunk
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
            raise ParseError(f"{where}: corrupt or truncated zip: {exc}") from None


def _too_big(where: str, size: int, compressed: int) -> str:
    return (
        f"{where}: zip member inflates to {size:,}+ bytes from {compressed:,} (caps: "
        f"{MAX_INFLATED:,} bytes, {MAX_RATIO} times its compressed size); refused as a zip bomb"
    )


_DTD = (b"<!DOCTYPE", b"<!ENTITY")
_WIDE = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"\x00<", b"<\x00")


def plain_xml(chunks: Iterator[bytes], where: str) -> Iterator[bytes]:
    """The chunks as they are, refusing a document type (entities, external references) and
    XML in UTF-16/32, whose declarations this byte scan could not see."""
    tail = b""
    first = True
    for chunk in chunks:
        if first and chunk.lstrip(b" \t\r\n").startswith(_WIDE):
            raise ParseError(f"{where}: XML in UTF-16 or UTF-32 is not accepted")
        first = False
        window = tail + chunk
        if any(mark in window for mark in _DTD):
            raise ParseError(
                f"{where}: XML with a document type (<!DOCTYPE or <!ENTITY) is refused: "
                "entities could expand without bound"
            )
        tail = window[-(len(_DTD[0]) - 1) :]
        yield chunk
