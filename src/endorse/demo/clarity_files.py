"""Harbor City's municipal contests as a Clarity / Scytl results site serves them.

Under the election's base: `current_ver.txt` (the version, the cheap file to poll) and per
version `{v}/json/en/summary.json` (contest totals) and `{v}/reports/detailxml.zip` (one
detail.xml: contest > choice > vote type > precinct).
"""

from __future__ import annotations

import io
import json
import zipfile
from functools import cache
from xml.etree import ElementTree as ET

from endorse.demo import returns, state
from endorse.demo.model import Race, races

VERSION_BASE = 310000
ELECTION_ID = "120455"


def version(step: int) -> int:
    return VERSION_BASE + step


def _races() -> list[Race]:
    return [r for r in races() if r.feed == "clarity"]


def _precinct(place: returns.Place) -> str:
    return f"{state.TOWNS[place[0]][0]} {place[1]}"


def _timestamp(step: int) -> str:
    # the night's own clock: polls close at 8 PM, a new count every 20 minutes
    minutes = 20 * step
    hour, minute = 8 + minutes // 60, minutes % 60
    return f"{state.DAY.month}/{state.DAY.day}/{state.DAY.year} {hour}:{minute:02d}:00 PM EST"


@cache
def detail_xml(step: int) -> bytes:
    root = ET.Element("ElectionResult")
    ET.SubElement(root, "Timestamp").text = _timestamp(step)
    ET.SubElement(root, "ElectionName").text = state.NAME
    ET.SubElement(root, "ElectionDate").text = f"{state.DAY:%m/%d/%Y}"
    ET.SubElement(root, "Region").text = state.TOWNS[state.CLARITY_TOWN][0]
    done = returns.reported(step)
    for key, race in enumerate(_races(), start=1):
        where = returns.places(race.towns)
        reported = sum(p in done for p in where)
        contest = ET.SubElement(
            root,
            "Contest",
            key=str(key),
            text=race.office,
            voteFor=str(race.seats),
            isQuestion="false",
            precinctsParticipating=str(len(where)),
            precinctsReported=str(reported),
            precinctsReportingPercent=f"{100 * reported / len(where):.2f}",
        )
        for n, (line, total) in enumerate(returns.votes(race, step), start=1):
            choice = ET.SubElement(
                contest, "Choice", key=str(n), text=line.candidate, party=line.party,
                totalVotes=str(total),
            )  # fmt: skip
            vote_type = ET.SubElement(choice, "VoteType", name="Election Day", votes=str(total))
            for place in where:
                votes = line.by_place[place] if place in done else 0
                ET.SubElement(vote_type, "Precinct", name=_precinct(place), votes=str(votes))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


@cache
def detail_zip(step: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        # a fixed date: the same step gives the same bytes, so an unchanged file is unchanged
        archive.writestr(zipfile.ZipInfo("detail.xml", (2026, 11, 3, 20, 0, 0)), detail_xml(step))
    return out.getvalue()


@cache
def summary_json(step: int) -> bytes:
    done = returns.reported(step)
    contests = []
    for key, race in enumerate(_races(), start=1):
        counted = returns.votes(race, step)
        where = returns.places(race.towns)
        contests.append(
            {
                "K": key,
                "C": race.office,
                "VF": race.seats,
                "CH": [line.candidate for line, _ in counted],
                "P": [line.party for line, _ in counted],
                "V": [v for _, v in counted],
                "PR": sum(p in done for p in where),
                "TP": len(where),
            }
        )
    return json.dumps(contests).encode()


def file(path: str, current: int) -> bytes | None:
    """A path under the election's base -> body, or None; old version folders stay served."""
    if path == "current_ver.txt":
        return str(version(current)).encode()
    folder, _, rest = path.partition("/")
    if not folder.isdigit() or not VERSION_BASE <= int(folder) <= version(current):
        return None
    step = int(folder) - VERSION_BASE
    return {"reports/detailxml.zip": detail_zip, "json/en/summary.json": summary_json}.get(
        rest, lambda _: None
    )(step)
