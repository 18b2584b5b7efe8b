"""The two ways a CT SOTS version folder holds its data, read into the one body parse() takes.

legacy (to 2023): `{N}/Electiondata.json` + `{N}/Lookupdata.json`.
split (since 2024): `{N}/{part}_Electiondata.json` for each part below + `{N}/Lookupdata.json`;
each part's content is the same-named key of the legacy file, so the body puts the parts back
under "Electiondata" and parse() reads both layouts the same way. The layout is told from what
the folder holds (on disk: its file names; over HTTP: whether `stateVotes_Electiondata.json`
is there, since a web folder cannot be listed), and written into the body as "layout".
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import msgspec

from scrapers._http import Policy, child_url, get
from scrapers.records import FetchError

LEGACY_FILE = "Electiondata.json"
LOOKUP_FILE = "Lookupdata.json"
# Without these four a version cannot be read: the real 2016 folder as the site serves it now
# holds exactly these (with Lookupdata), so the others are optional.
REQUIRED_PARTS = ("stateVotes", "townVotes", "election")
OPTIONAL_PARTS = (
    "townStatus",
    "officePrecincts",
    "reports",
    "voterTurnout",
    "districts",
    "ballotQuestion",
    "candidateGrouping",
)
PARTS = REQUIRED_PARTS + OPTIONAL_PARTS
_BOM = b"\xef\xbb\xbf"


def part_file(part: str) -> str:
    return f"{part}_Electiondata.json"


def _clean(body: bytes) -> bytes:
    return body.removeprefix(_BOM)


def combine(version: str, electiondata: bytes, lookupdata: bytes, layout: str = "legacy") -> bytes:
    """The one body parse() reads, built without re-encoding the files."""
    return b"".join(
        [
            b'{"version":',
            msgspec.json.encode(int(version) if version.isdigit() else version),
            b',"layout":',
            msgspec.json.encode(layout),
            b',"Electiondata":',
            _clean(electiondata),
            b',"Lookupdata":',
            _clean(lookupdata),
            b"}",
        ]
    )


def join_parts(parts: dict[str, bytes]) -> bytes:
    """{"stateVotes": b"{…}", …} -> the legacy Electiondata object, parts absent left out."""
    pieces = [
        msgspec.json.encode(part) + b":" + _clean(parts[part]) for part in PARTS if part in parts
    ]
    return b"{" + b",".join(pieces) + b"}"


def detect(names: set[str]) -> str:
    """'split' or 'legacy' from the file names a version folder holds (the split one wins)."""
    if part_file("stateVotes") in names:
        return "split"
    if LEGACY_FILE in names:
        return "legacy"
    raise FileNotFoundError(
        f"neither {part_file('stateVotes')} (the split layout) nor {LEGACY_FILE} is there"
    )


def read_dir(path: Path, version: str) -> bytes:
    """A version folder on disk -> the combined body, in whichever layout it holds."""
    names = {child.name for child in path.iterdir()}
    try:
        layout = detect(names)
    except FileNotFoundError as exc:
        raise FileNotFoundError(f"{path}: {exc}") from None
    lookup = (path / LOOKUP_FILE).read_bytes()
    if layout == "legacy":
        return combine(version, (path / LEGACY_FILE).read_bytes(), lookup)
    missing = [part_file(p) for p in REQUIRED_PARTS if part_file(p) not in names]
    if missing:
        raise FileNotFoundError(f"{path}: split layout without {', '.join(missing)}")
    parts = {p: (path / part_file(p)).read_bytes() for p in PARTS if part_file(p) in names}
    return combine(version, join_parts(parts), lookup, "split")


async def _optional(client: httpx.AsyncClient, url: str, policy: Policy) -> bytes | None:
    """A file's bytes, or None when the server says it is not there (404/410)."""
    try:
        response = await get(client, url, policy)
    except FetchError as exc:
        if exc.reason in ("HTTP 404", "HTTP 410"):
            return None
        raise
    if response is None:  # only a conditional GET can answer 304
        raise FetchError(url, "a data file answered 304 to a plain GET")
    return response.content


async def _gather(client: httpx.AsyncClient, urls: list[str], policy: Policy) -> list[bytes | None]:
    answers = await asyncio.gather(
        *(_optional(client, url, policy) for url in urls),
        return_exceptions=True,  # let all finish, then report the first failure
    )
    for answer in answers:
        if isinstance(answer, BaseException):
            raise answer
    return answers  # type: ignore[return-value]


async def fetch_version(client: httpx.AsyncClient, url: str, version: str, policy: Policy) -> bytes:
    """Version `version` of the election at `url`, in the layout its folder holds."""
    lookup_url = child_url(url, version, LOOKUP_FILE)
    probe_url = child_url(url, version, part_file("stateVotes"))
    lookup, state_votes = await _gather(client, [lookup_url, probe_url], policy)
    if lookup is None:
        raise FetchError(lookup_url, "HTTP 404")
    if state_votes is None:  # no split files: the legacy layout
        legacy_url = child_url(url, version, LEGACY_FILE)
        (legacy,) = await _gather(client, [legacy_url], policy)
        if legacy is None:
            raise FetchError(legacy_url, f"HTTP 404 (and no {part_file('stateVotes')} either)")
        return combine(version, legacy, lookup)
    others = [p for p in PARTS if p != "stateVotes"]
    bodies = await _gather(client, [child_url(url, version, part_file(p)) for p in others], policy)
    parts = {"stateVotes": state_votes} | {
        p: body for p, body in zip(others, bodies, strict=True) if body is not None
    }
    missing = [part_file(p) for p in REQUIRED_PARTS if p not in parts]
    if missing:
        raise FetchError(child_url(url, version), f"split layout without {', '.join(missing)}")
    return combine(version, join_parts(parts), lookup, "split")
