"""`endorse match`, `endorse review`, `endorse stats` as a user runs them (a real subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.figures.conftest import Ballot

ENDORSE = str(Path(sys.executable).with_name("endorse"))


def _run(db_url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "ENDORSE_DATA_DIR": str(tmp_path / "data"),
        "COLUMNS": "200",
    }  # rich wraps at the terminal width
    return subprocess.run([ENDORSE, *args], env=env, capture_output=True, text=True, timeout=120)


async def test_match_review_stats(ballot: Ballot, db_url: str, tmp_path: Path) -> None:
    sd = await ballot.contest("State Senate", "5")
    await ballot.candidate(sd, "Beth Bye", {"Democratic": 30_655})
    await ballot.candidate(sd, "Mark Merritt", {"Republican": 21_128})
    await ballot.status(sd, "official")
    hd = await ballot.contest("State House", "12")
    await ballot.candidate(hd, "John Smith", 4_000)
    await ballot.candidate(hd, "Other Person", 5_000)
    await ballot.status(hd, "official")
    await ballot.endorse("Elizabeth Bye", "State Senate", "5")
    await ballot.endorse("John Smyth", "State House", "12")
    await ballot.endorse("Nobody Here", "State House", "99")

    done = _run(db_url, tmp_path, "match", "--election", ballot.slug, "--stage", "general")
    assert done.returncode == 0, done.stderr
    assert "1 matched" in done.stdout and "1 waiting for review" in done.stdout
    assert "no State House 99 contest on this ballot" in done.stdout

    listed = _run(db_url, tmp_path, "review", "list", "--json")
    [item] = json.loads(listed.stdout)
    assert (item["candidate"], item["ballot_name"]) == ("John Smyth", "John Smith")
    confirmed = _run(db_url, tmp_path, "review", "confirm", str(item["id"]), "--json")
    assert confirmed.returncode == 0 and json.loads(confirmed.stdout)["status"] == "confirmed"
    assert json.loads(confirmed.stdout)["decided_by"].startswith("cli:")
    again = _run(db_url, tmp_path, "review", "reject", str(item["id"]))
    assert again.returncode == 2 and "already confirmed" in again.stderr

    stats = _run(db_url, tmp_path, "stats", "--election", ballot.slug, "--json")
    body = json.loads(stats.stdout)
    assert (body["headline"]["text"], body["excluded"]["unmatched"]) == ("1 of 2", 1)
    text = _run(db_url, tmp_path, "stats", "--election", ballot.slug)
    assert (
        "Of the 2 candidates we endorsed in the 2018 general election, 1 won (50%)." in text.stdout
    )
    bad = _run(db_url, tmp_path, "stats", "--election", "nope")
    assert bad.returncode == 2 and "election: no election with slug 'nope'" in bad.stderr
