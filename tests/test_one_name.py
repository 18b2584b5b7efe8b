"""The name staff typed for an endorsed candidate is called `candidate` and nothing else
(docs/CONVENTIONS.md, "The typed name"). It used to be `candidate_name` in the endorsements
table and match reports and `typed_name` in the review queue; this keeps the fold folded."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

RETIRED = re.compile(r"\b(candidate_name|typed_name)\b")
# Where code, SQL, templates and scripts live; tests are included so no fixture keeps the old
# spelling alive (this file names them on purpose).
SEARCHED = ("src", "sql", "scrapers", "bench", "tests")
SUFFIXES = {".py", ".sql", ".html", ".js", ".css", ".toml"}
# The baseline migrations created the old columns and 0110 renamed them: applied files never
# change (the runner refuses an edited one), so they keep the words that were true then.
HISTORY = re.compile(r"^sql/0*(\d+)_[^/]*\.sql$")
LAST_WITH_OLD_NAMES = 110


def searched_files() -> Iterator[tuple[str, str]]:
    """(path relative to the checkout, text) of every file the rule covers."""
    for top in SEARCHED:
        for path in sorted((ROOT / top).rglob("*")):
            if path.is_file() and path.suffix in SUFFIXES and "__pycache__" not in path.parts:
                yield path.relative_to(ROOT).as_posix(), path.read_text(encoding="utf-8")


# This file, and the test that builds a database from before sql/0110 to migrate it.
NAMES_THE_OLD_WORDS = {"tests/test_one_name.py", "tests/db/test_migrate.py"}


def exempt(relative: str) -> bool:
    if relative in NAMES_THE_OLD_WORDS:
        return True
    history = HISTORY.match(relative)
    return history is not None and int(history.group(1)) <= LAST_WITH_OLD_NAMES


def old_names(files: Iterable[tuple[str, str]]) -> list[str]:
    found = []
    for relative, text in files:
        if exempt(relative):
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if RETIRED.search(line):
                found.append(f"{relative}:{number}: {line.strip()}")
    return found


def test_the_typed_name_has_one_name() -> None:
    assert old_names(searched_files()) == [], "the typed name is `candidate` (CONVENTIONS.md)"


def test_the_check_sees_an_old_name_come_back() -> None:
    back = [
        ("src/endorse/matching/run.py", "key = person_key(row['typed_name'])"),
        ("sql/queries/endorsements.sql", "select candidate_name from endorsements;"),
        ("sql/0111_later.sql", "alter table endorsements add column typed_name text;"),
    ]
    assert len(old_names(back)) == len(back)
    fine = [
        ("sql/0004_endorsements.sql", "candidate_name  text not null,"),
        ("sql/0110_one_name_for_the_typed_candidate.sql", "rename column typed_name to candidate"),
        ("src/endorse/matching/run.py", "key = person_key(row['candidate'])  # typed_key"),
    ]
    assert old_names(fine) == []
