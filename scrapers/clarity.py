"""Clarity / Scytl Election Night Reporting detail XML (detailxml.zip): fetch and parse.

The source URL is the election's base, `…/{electionid}/`: `current_ver.txt` beside it names the
current version, whose report is `{version}/reports/detailxml.zip` (one `detail.xml` inside).
parse() takes the zip or the bare XML. Units are the finest level the file gives: precincts
(county files) or counties (state files); a contest without either gives its totals (unit "").
Vote types (Election Day, Early Vote, Absentee, …) are summed per choice per unit.

Real files' quirks: a choice's `totalVotes` is its total even when its vote-type or unit rows
add up to less (or more), and the contest gets a `ContestNote` saying both numbers; never the
smaller sum. Votes no unit row holds go to the unit UNALLOCATED; when rows add to more than the
stated total, the contest is given whole (unit "") at its stated totals. "US Senator - REPUBLICAN" names the
contest's party (a primary), not a district. Over/under votes and "Total Votes" choices are
not candidates. Each record keeps the contest's name as printed (`printed`) and the choice's
`key` (`candidate_key`: Clarity keeps a choice's key when its text is corrected).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from xml.parsers import expat

import httpx

from scrapers._archive import plain_xml, unzip_member
from scrapers._common import (
    VALID_STATUSES,
    clean_candidate,
    is_pseudo_candidate,
    is_write_in,
    to_int,
)
from scrapers._http import Policy, child_url, get, kept_headers, poll_version
from scrapers.records import (
    ContestNote,
    Fetched,
    FetchError,
    Parsed,
    ParseError,
    ResultRecord,
    SourceState,
)

FORMAT = "clarity"

# US zone abbreviations Clarity writes after the time ("11/13/2014 2:58:41 PM CST").
_ZONES = {
    "UTC": 0, "GMT": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6,
    "PST": -8, "PDT": -7, "AKST": -9, "AKDT": -8, "HST": -10,
}  # fmt: skip
_DISTRICT = re.compile(r"^(?P<office>.*?)[\s,-]*\b(?:District|Dist\.)\s+(?P<district>[\w-]+)$")
_PARTY_SUFFIX = re.compile(
    r"^(?P<office>.*?)\s*[-–(]\s*(?P<party>DEMOCRATIC|DEMOCRAT|DEM|REPUBLICAN|REP|GREEN|"
    r"LIBERTARIAN|LIB|CONSTITUTION|INDEPENDENT|WORKING FAMILIES|NONPARTISAN)\s*\)?$",
    re.IGNORECASE,
)
_PARTY_NAMES = {"DEM": "Democratic", "DEMOCRAT": "Democratic", "REP": "Republican",
                "LIB": "Libertarian"}  # fmt: skip
_UNIT_TAGS = ("Precinct", "County")  # finest first
UNALLOCATED = "(in the stated total, in no unit row)"
_CHUNK = 1 << 20


async def fetch(
    client: httpx.AsyncClient, url: str, state: SourceState, mapping: dict[str, Any] | None = None
) -> Fetched | None:
    """Poll current_ver.txt; on a new version fetch its detailxml.zip."""
    policy = Policy.from_mapping(mapping)
    moved = await poll_version(client, url, "current_ver.txt", policy, state, _parse_version)
    if moved is None:
        return None
    version, polled = moved
    report = await get(client, child_url(url, version, "reports", "detailxml.zip"), policy)
    if report is None:  # only a conditional GET can answer 304
        raise FetchError(url, f"version {version}: detailxml.zip answered 304 to a plain GET")
    return Fetched(
        body=report.content,
        url=str(report.url),
        headers=kept_headers(report),
        etag=polled.headers.get("etag"),
        last_modified=polled.headers.get("last-modified"),
        version=version,
    )


def _parse_version(body: bytes) -> str:
    """current_ver.txt holds the version number and nothing else."""
    version = body.decode("ascii", errors="replace").strip()
    if not version.isdigit():
        raise ParseError(f"clarity current_ver.txt: {version[:40]!r} is not a number")
    return version


def load_path(path: Path) -> bytes:
    """A local detailxml.zip or detail.xml, as is."""
    return path.read_bytes()


def _xml_chunks(body: bytes) -> Iterator[bytes]:
    """The XML of detailxml.zip (or bare XML) in chunks, every expansion capped (_archive)."""
    if body.startswith(b"PK"):
        chunks = unzip_member(body, ".xml", "clarity")
    else:
        chunks = (body[start : start + _CHUNK] for start in range(0, len(body), _CHUNK))
    return plain_xml(chunks, "clarity")


def _parse_timestamp(text: str | None) -> datetime | None:
    """'11/13/2014 2:58:41 PM CST' -> an aware datetime; None if absent or zone unknown."""
    parts = (text or "").split()
    if len(parts) != 4 or parts[3] not in _ZONES:
        return None
    try:
        naive = datetime.strptime(" ".join(parts[:3]), "%m/%d/%Y %I:%M:%S %p")
    except ValueError:
        return None
    return naive.replace(tzinfo=timezone(timedelta(hours=_ZONES[parts[3]]), parts[3]))


def _parse_contest_party(text: str) -> tuple[str, str | None]:
    """'US Senator - REPUBLICAN' -> ('US Senator', 'Republican'): a primary's party."""
    match = _PARTY_SUFFIX.match(text.strip())
    if match is None or not match["office"]:
        return text.strip(), None
    party = match["party"].upper()
    return match["office"], _PARTY_NAMES.get(party, party.title())


def _parse_contest_text(text: str) -> tuple[str, str | None]:
    """'State Representative District 12' -> ('State Representative', '12')."""
    match = _DISTRICT.match(text.strip())
    if match is None or not match["office"]:
        return text.strip(), None
    return match["office"], match["district"]


class _Choice:
    """A Choice element as the parser needs it: its attributes, its VoteType children's, and
    the votes of the Precinct / County rows under those, summed by unit name as they are read.
    Plain objects, not an element tree: building ElementTree elements for a statewide file cost
    more than reading it (bench/bench_parsers.py)."""

    __slots__ = ("attrs", "bad", "direct", "sums", "vote_types")

    def __init__(self, attrs: dict[str, str]) -> None:
        self.attrs = attrs
        self.vote_types: list[dict[str, str]] = []
        # unit tag -> votes by unit name, in the order the units first appear
        self.sums: dict[str, dict[str, int]] = {}
        # unit tag -> its first row without a name or a count (name, votes): raised only if
        # that tag turns out to be the contest's unit level, as a tree walk would
        self.bad: dict[str, tuple[str | None, str]] = {}
        self.direct: set[str] = set()  # unit tags found as direct children of a VoteType

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)

    def add_slow(self, tag: str, name: str | None, votes: str) -> None:
        """A row whose count is not plain digits ("1,234", " 12 ", or junk)."""
        if tag in self.bad:
            return
        text = votes.strip().replace(",", "")
        if name and text.isdigit():  # what to_int accepts
            by_unit = self.sums.setdefault(tag, {})
            by_unit[name] = by_unit.get(name, 0) + int(text)
        else:
            self.bad[tag] = (name, votes)


class _Contest:
    """A Contest element: attributes, ParticipatingCounties/County rows, direct Choices."""

    __slots__ = ("attrs", "choices", "counties")

    def __init__(self, attrs: dict[str, str]) -> None:
        self.attrs = attrs
        self.counties: list[dict[str, str]] = []
        self.choices: list[_Choice] = []

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)


def _parse_precincts(contest: _Contest, where: str) -> tuple[int | None, int | None]:
    """Contest precincts: reported, participating (older files call the total precinctsReporting),
    else the sums over ParticipatingCounties."""
    reported = contest.get("precinctsReported")
    total = contest.get("precinctsParticipating") or contest.get("precinctsReporting")
    if reported is not None and total is not None:
        return to_int(reported, where), to_int(total, where)
    counties = contest.counties
    if counties:
        return (
            sum(to_int(c.get("precinctsReported", ""), where) for c in counties),
            sum(to_int(c.get("precinctsParticipating", ""), where) for c in counties),
        )
    return None, None


def _parse_choice(choice: _Choice, tag: str | None, where: str) -> dict[str, int]:
    """One Choice's votes by unit, vote types summed; unit "" when `tag` is None (totals)."""
    vote_types = choice.vote_types
    if tag is None:
        total = (
            sum(to_int(vt.get("votes", ""), where) for vt in vote_types)
            if vote_types
            else (to_int(choice.get("totalVotes", ""), where))
        )
        return {"": total}
    bad = choice.bad.get(tag)
    if bad is not None:
        name, votes = bad
        if not name:
            raise ParseError(f"{where}: a {tag} without a name")
        to_int(votes, f"{where} {name}")  # raises, saying what the count was
    return choice.sums.get(tag, {})


def _stated_total(choice: _Choice, by_unit: dict[str, int], where: str) -> int | None:
    """The choice's stated totalVotes when its rows add up to something else, else None."""
    stated = choice.get("totalVotes")
    if stated is None:
        return None
    total = to_int(stated, f"{where} totalVotes")
    return None if total == sum(by_unit.values()) else total


def _parse_contest(
    contest: _Contest, status: str, notes: list[ContestNote] | None = None
) -> Iterator[ResultRecord]:
    """One Contest element -> records for its choices at the finest unit level present; a
    stated-total mismatch is added to `notes`."""
    notes = [] if notes is None else notes
    text = contest.get("text")
    if not text:
        raise ParseError(f"clarity: Contest key={contest.get('key')!r} has no text")
    where = f"clarity contest {text!r}"
    bare, contest_party = _parse_contest_party(text)
    office, district = _parse_contest_text(bare)
    seats = to_int(contest.get("voteFor", "1"), f"{where} voteFor")
    reporting, total = _parse_precincts(contest, where)
    # Contest-level VoteTypes (Undervotes, Overvotes) are not choices: only Choice elements count.
    choices = contest.choices
    tag = next((t for t in _UNIT_TAGS if any(t in c.direct for c in choices)), None)
    parsed = []
    mismatches = []
    over = False  # some choice's rows add to more than its stated total
    for choice in choices:
        label = choice.get("text") or ""
        candidate, incumbent, tag_party = clean_candidate(label)
        if not candidate:
            raise ParseError(f"{where}: Choice key={choice.get('key')!r} has no text")
        if is_pseudo_candidate(candidate):
            continue
        by_unit = _parse_choice(choice, tag, f"{where} choice {label!r}")
        stated = _stated_total(choice, by_unit, f"{where} choice {label!r}")
        if stated is not None:
            rows = sum(by_unit.values())
            mismatches.append(f"{candidate}: stated {stated:,}, rows add to {rows:,}")
            over = over or rows > stated
            if tag is not None and stated > rows:  # what no unit row holds, as its own unit
                by_unit = {**by_unit, UNALLOCATED: stated - rows}
        parsed.append((choice, candidate, incumbent, tag_party, by_unit))
    if mismatches:
        notes.append(ContestNote(office, district, "stated_total_mismatch", "; ".join(mismatches)))
    for choice, candidate, incumbent, tag_party, by_unit in parsed:
        party = choice.get("party") or tag_party
        write_in = is_write_in(candidate, party)  # once per choice, not once per unit
        if over or (mismatches and tag is None):
            # Rows above a stated total cannot be trimmed unit by unit: the contest is given
            # whole (unit "") at its stated totals, never at two levels.
            by_unit = {"": to_int(choice.get("totalVotes") or "0", where)}
        for unit, votes in by_unit.items():
            yield ResultRecord(
                office=office,
                district=district,
                candidate=candidate,
                party=party,
                unit=unit,
                votes=votes,
                seats=seats,
                precincts_reporting=reporting,
                precincts_total=total,
                status=status,
                write_in=write_in,
                incumbent=incumbent,
                contest_party=contest_party,
                printed=" ".join(text.split()),
                candidate_key=choice.get("key") or None,
            )


# What an element is to the reader, by where it sits (a stack of these mirrors the nesting).
_OTHER, _CONTEST, _SKIPPED, _CHOICE, _COUNTIES, _META = range(6)
_META_TAGS = ("Timestamp", "ElectionName")


def _contests(chunks: Iterator[bytes], meta: dict[str, str | None]) -> Iterator[_Contest]:
    """Each Contest (ballot questions left out) as its end tag is read, streaming; `meta`
    gets Timestamp and ElectionName. ParseError with the line and column.

    expat called directly, keeping only what a record needs: ElementTree built an element per
    precinct row and took twice the time of the whole parse now. Inside a choice's VoteType
    (nearly every tag of a file) two lean handlers take over and count depth instead of
    keeping a stack. Hostile XML: a document type is refused before it reaches the parser
    (_archive.plain_xml); under that, an entity declaration is refused here, external
    entities are never fetched (no handler for them), and expat >= 2.4 caps entity expansion.
    """
    # namespace_separator as ElementTree sets it: the same names match, the same errors raise
    parser = expat.ParserCreate(None, "}")
    parser.buffer_text = True
    roles: list[int] = [_OTHER]
    open_contests: list[_Contest] = []
    done: list[_Contest] = []
    text: list[str] = []
    unit_tags = _UNIT_TAGS
    choice = _Choice({})  # the Choice being read
    depth = 0  # elements open inside the current VoteType
    sums: dict[str, int] = {}  # choice.sums[sums_tag]
    sums_tag = ""

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal choice, depth, sums_tag
        parent = roles[-1]
        if parent == _META:
            parser.CharacterDataHandler = None  # ElementTree's .text: before the first child
        if tag == "Contest":
            if attrs.get("isQuestion") == "true":  # ballot questions are not candidacies
                roles.append(_SKIPPED)
                return
            open_contests.append(_Contest(attrs))
            roles.append(_CONTEST)
        elif parent == _CONTEST and tag == "Choice":
            choice = _Choice(attrs)
            open_contests[-1].choices.append(choice)
            roles.append(_CHOICE)
        elif parent == _CHOICE and tag == "VoteType":
            choice.vote_types.append(attrs)
            depth, sums_tag = 0, ""
            parser.StartElementHandler = vote_type_start
            parser.EndElementHandler = vote_type_end  # pops nothing: no role was pushed
        elif parent == _CONTEST and tag == "ParticipatingCounties":
            roles.append(_COUNTIES)
        elif parent == _COUNTIES and tag == "County":
            open_contests[-1].counties.append(attrs)
            roles.append(_OTHER)
        elif tag in _META_TAGS:
            text.clear()
            parser.CharacterDataHandler = text.append
            roles.append(_META)
        else:
            roles.append(_OTHER)

    def end(tag: str) -> None:
        role = roles.pop()
        if role == _CONTEST:
            done.append(open_contests.pop())
        elif role == _META:
            parser.CharacterDataHandler = None
            meta[tag] = "".join(text).strip() or None

    def vote_type_start(tag: str, attrs: dict[str, str]) -> None:
        """The hot path: a Precinct or County row of the choice, summed now, nothing kept."""
        nonlocal depth, sums, sums_tag
        depth += 1
        if tag not in unit_tags:
            return
        if depth == 1:
            choice.direct.add(tag)
        if tag != sums_tag:
            sums_tag = tag
            sums = choice.sums.setdefault(tag, {})
        name = attrs.get("name")
        votes = attrs.get("votes", "")
        if name and votes.isdecimal():
            sums[name] = sums.get(name, 0) + int(votes)
        else:
            choice.add_slow(tag, name, votes)

    def vote_type_end(tag: str) -> None:
        nonlocal depth
        if depth:
            depth -= 1
        else:  # the VoteType itself
            parser.StartElementHandler = start
            parser.EndElementHandler = end

    def refuse_entity(name: str, *_: object) -> None:
        raise ParseError(f"clarity: XML declares the entity {name!r}; refused")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.EntityDeclHandler = refuse_entity
    broken: expat.ExpatError | None = None
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
            yield from done
            done.clear()
        parser.Parse(b"", True)  # raises on a document cut short
    except expat.ExpatError as exc:
        broken = exc
    # the contests that ended before the break first: their errors are the ones to report
    yield from done
    if broken is not None:
        line, column = broken.lineno, broken.offset
        raise ParseError(f"clarity: malformed XML at line {line}, column {column}: {broken}")


def parse(body: bytes, mapping: dict[str, Any] | None = None) -> Parsed:
    """detailxml.zip or detail.xml -> records. mapping: {"status": "certified"} if known."""
    status = (mapping or {}).get("status", "unofficial")
    if status not in VALID_STATUSES:
        raise ParseError(f"clarity: mapping key 'status' must be one of {VALID_STATUSES}")
    if not body.strip():
        raise ParseError("clarity: empty body")
    records: list[ResultRecord] = []
    notes: list[ContestNote] = []
    meta: dict[str, str | None] = {}
    for contest in _contests(_xml_chunks(body), meta):
        records.extend(_parse_contest(contest, status, notes))
    return Parsed(
        records=records,
        as_of=_parse_timestamp(meta.get("Timestamp")),
        election_name=meta.get("ElectionName"),
        notes=notes,
    )
