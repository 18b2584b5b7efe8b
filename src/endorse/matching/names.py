"""Person names as staff type them and as ballots print them: parse, fold, compare, score.

Pure functions, no database. A name is parsed with nameparser ("Tong, William", "Sen. John W.
Fonfara", "Edward Kennedy Jr.", 'William "Bill" Tong'), then folded: accents stripped
(unicodedata), case and punctuation dropped, hyphens and spaces inside a last name ignored.
score() gives 0-100 for "same person?" within one contest:

* generational suffixes (Jr, Sr, II, III, IV) must agree, absent counting as a value:
  "Smith Jr" is never "Smith" -- father and son run for the same seats;
* last names: equal after folding 100, one part of a hyphenated name 90, else rapidfuzz ratio;
* first names: equal or the ballot's quoted nickname 100, nickname-equivalent (Bill/William,
  from the nicknames table) 95, one goes by the other's middle name 90, an initial 88, one side
  missing 70, else rapidfuzz ratio; two different middle initials cost 10.
* score = 0.6 last + 0.4 first - penalty.
* a ticket ("Ned Lamont and Susan Bysiewicz": Governor and Lieutenant Governor on one ballot
  line) scores as its best running mate, so "Lamont, Ned" finds the ticket.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from nameparser import HumanName
from nameparser.config import CONSTANTS
from rapidfuzz import fuzz

_GENERATIONS = {"jr": "jr", "junior": "jr", "sr": "sr", "senior": "sr", "ii": "ii", "2nd": "ii",
                "iii": "iii", "3rd": "iii", "iv": "iv", "4th": "iv", "v": "v"}  # fmt: skip
# nameparser does not know "2nd"/"3rd": move them into a suffix position it understands
_ORDINAL_TAIL = re.compile(r"\s+(2nd|3rd|4th)\.?\s*$", re.IGNORECASE)
_TICKET = re.compile(r"\s+(?:and|&)\s+", re.IGNORECASE)  # "Ned Lamont and Susan Bysiewicz"


def running_mates(text: str) -> list[str]:
    """A ticket's names ('A and B', 'A & B'); a single name is itself."""
    return [part for part in _TICKET.split(text.strip()) if part] or [text]


# Words that make nameparser do more than first/middle/last: titles, suffixes, particles
# ("van", "de"), conjunctions. A name of plain words and none of these parses the simple way.
_RESERVED = frozenset(
    word.lower()
    for words in (
        CONSTANTS.titles,
        CONSTANTS.first_name_titles,
        CONSTANTS.suffix_acronyms,
        CONSTANTS.suffix_not_acronyms,
        CONSTANTS.prefixes,
        CONSTANTS.conjunctions,
    )
    for word in words
)


_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower-case, accents stripped, punctuation to spaces: 'Núñez-O'Brien' -> 'nunez obrien'.
    Cached: the same given names and surnames come back on every ballot."""
    if not text.isascii():  # ASCII has nothing to decompose
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = text.lower().replace("'", "").replace("\u2019", "")
    return " ".join(_NOT_ALNUM.sub(" ", plain).split())


@dataclass(frozen=True)
class Name:
    first: str
    middle: str
    last: str
    suffix: str  # generational only: '', 'jr', 'sr', 'ii', ...
    nickname: str


@lru_cache(maxsize=1 << 16)
def parse_name(text: str) -> Name:
    """'Tong, William' / 'William Tong' / 'TONG, WILLIAM' -> the same Name.

    Cached: matching scores every typed name against every ballot name of its contest, and
    nameparser is the slow part (Name is frozen, so sharing results is safe).
    """
    surname, comma, given = text.partition(",")
    words = given.split() if comma else text.split()
    if comma:  # "TONG, William" / "Fonfara, John W": one surname word, then one or two words
        plain = len(surname.split()) == 1 and 1 <= len(words) <= 2 and "," not in given
        words = [*words, surname.strip()]
    else:
        plain = 2 <= len(words) <= 3
    if plain and all(w.isalpha() for w in words) and _RESERVED.isdisjoint(w.lower() for w in words):
        # what nameparser makes of these, ~100x cheaper (a 20,000-candidate ballot spent
        # most of its first matching in nameparser)
        first, *middle, last = words
        return Name(fold(first), fold(" ".join(middle)), fold(last), "", "")
    return _parse_human(text)


def _parse_human(text: str) -> Name:
    """parse_name() through nameparser: titles, suffixes, particles, nicknames, "LAST, First"."""
    text = _ORDINAL_TAIL.sub(lambda m: ", " + {"2": "II", "3": "III", "4": "IV"}[m[1][0]], text)
    human = HumanName(" ".join(text.split()))
    suffixes = [_GENERATIONS.get(fold(s)) for s in re.split(r"[,\s]+", human.suffix) if s]
    first, middle, last = fold(human.first), fold(human.middle), fold(human.last)
    if first and not last:  # a single word is a surname: "Fonfara"
        first, last = "", first
    return Name(first, middle, last, next((s for s in suffixes if s), ""), fold(human.nickname))


def person_key(text: str) -> str:
    """One person's name however written: parsed, folded, in first-last order ("Tong, William",
    "Rep. William Tong" -> "william tong"); keys the decisions people made (match_decisions).
    Nicknames are not folded here: "Bill" and "William" are scored, not keyed, alike."""
    n = parse_name(text)
    return " ".join(p for p in (n.first, n.middle, n.last, n.suffix) if p)


class Nicknames:
    """Nickname equivalence from (nickname, given) rows: bill~william, bill~will."""

    def __init__(self, rows: Iterable[tuple[str, str]]) -> None:
        self._givens: dict[str, set[str]] = {}
        for nickname, given in rows:
            self._givens.setdefault(nickname, set()).add(given)

    def _forms(self, name: str) -> set[str]:
        return {name} | self._givens.get(name, set())

    def same(self, a: str, b: str) -> bool:
        return bool(self._forms(a) & self._forms(b))


def _last_score(a: Name, b: Name) -> float:
    joined_a, joined_b = a.last.replace(" ", ""), b.last.replace(" ", "")
    if joined_a == joined_b:
        return 100
    # "Mary Smith Jones" parses last='jones', middle='smith': try the last middle word too
    tails_a = {joined_a, (a.middle.split()[-1:] or [""])[0] + joined_a}
    tails_b = {joined_b, (b.middle.split()[-1:] or [""])[0] + joined_b}
    if tails_a & tails_b:
        return 100
    if set(a.last.split()) & set(b.last.split()):
        return 90  # one part of a hyphenated name: "Lopez-Garcia" / "Lopez"
    return fuzz.ratio(joined_a, joined_b)


def _first_score(a: Name, b: Name, nicknames: Nicknames) -> float:
    if not a.first or not b.first:
        return 70
    if a.first == b.first or a.first in (b.nickname,) or b.first in (a.nickname,):
        return 100
    if nicknames.same(a.first, b.first):
        return 95
    if (a.middle and a.middle.split()[0] == b.first) or (
        b.middle and b.middle.split()[0] == a.first
    ):
        return 90
    if (len(a.first) == 1 or len(b.first) == 1) and a.first[0] == b.first[0]:
        return 88
    return fuzz.ratio(a.first, b.first)


def score(typed: str | Name, ballot: str | Name, nicknames: Nicknames) -> int:
    """0-100: how sure we are that the typed name is the ballot name (same contest assumed)."""
    if isinstance(ballot, str) and len(mates := running_mates(ballot)) > 1:
        return max(score(typed, mate, nicknames) for mate in mates)
    if isinstance(typed, str) and len(mates := running_mates(typed)) > 1:
        return max(score(mate, ballot, nicknames) for mate in mates)
    a = typed if isinstance(typed, Name) else parse_name(typed)
    b = ballot if isinstance(ballot, Name) else parse_name(ballot)
    if a.suffix != b.suffix or not a.last or not b.last:
        return 0
    penalty = 0
    if a.middle and b.middle and a.middle[0] != b.middle[0]:
        penalty = 10
    value = 0.6 * _last_score(a, b) + 0.4 * _first_score(a, b, nicknames) - penalty
    return max(0, min(100, round(value)))
