"""One election vocabulary: canonical office, level, district and party. Pure functions.

Sources and staff spell the same contest many ways ("State Senator 1st District", "State
Senate" + "District 001", "Board of Education - Darien", "BOARD OF EDUCATION" + "Darien"); every
table stores the canonical forms so a contest created by an import, by staff and by an ingest
is one row, and an endorsement meets its contest. contest_identity() is the one rule; the
registry (endorse.endorsements.rules), the ballot service, the results ingestion and the
figures matcher all call it.

Office = a known office (alias table below, matched on its leading words) + what follows it:

============================================  ==========================================
tail after the known office                   becomes
============================================  ==========================================
" - Darien" (no district given)               district "Darien" (town offices, OpenElections)
" - Darien" (district "Darien" given)         dropped: it repeats the district
" - Darien" (another district given)          the given district stays; "(Darien)" is kept
"1st District", "District 1", "012", "D12"    district "1" / "12" when none is given; when a
                                              different district is given (CT SOTS gives the
                                              town), kept in the office: "(District 1)"
"Ward 3", "3rd Ward", "At Large"              the same, as "Ward 3" / "At Large"
"Full Term", "Regular Term"                   dropped: the regular seat is the office itself
"Two Year Term", "Full 2 Year Term"           kept: "(Two Year Term)"
"Beginning in 2021"                           kept: "(Begins 2021)"
"Unexpired Term"                              kept: "(Unexpired Term)"
"To Fill A Vacancy For Two Years",            kept: "(To Fill Vacancy for Two Years)"
"to fill two years vacancy", ...
"Four to be Elected, Not More Than Two        dropped: seats and party cap are columns,
From One Party", "Vote for up to 3"           not part of the name
anything else ("Alternate")                   kept, title-cased: "Board of Finance (Alternate)"
============================================  ==========================================

Several kept qualifiers are joined: "Board of Education (Three Year Term, Begins 2021)". So
"Board of Education Full Term - Stamford" and "Board of Education To Fill Vacancy for One
Year - Stamford" stay two contests (both are on Stamford's 2016 ballot), while "Board of
Education - Stamford" typed by staff is the full-term one. A leading "Non Partisan" /
"NonPartisan" is dropped (Berlin elects its board without party labels; it is still its board
of education). An office that is not in the table passes through as typed (whitespace
collapsed), level "other", and a " - Town" after it is left alone. The canonical forms are
fixed points: contest_identity(office, district) of its own result returns that result.

Party lines: canonical_party() ("Democratic Party", "DEM" -> "Democratic"), the one spelling
results, candidacies, primary contests and endorsements store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

LEVELS = (
    "federal",
    "statewide",
    "state_senate",
    "state_house",
    "county",
    "municipal",
    "school_board",
    "other",
)

# alias (lower-case, punctuation dropped: see _key) -> (canonical office, level)
_OFFICES: dict[str, tuple[str, str]] = {}


def _key(text: str) -> str:
    """Lower-case words: '.' and "'" dropped ("U.S." -> "us"), '&' -> 'and', other punctuation
    (dashes, commas, parentheses, slashes) -> spaces, "Connecticut"/"CT" dropped."""
    text = re.sub(r"[.'\u2019]", "", text.lower()).replace("&", " and ")
    text = re.sub(r"[^0-9a-z]+", " ", text)
    return " ".join(w for w in text.split() if w not in ("connecticut", "ct"))


def _alias(office: str, level: str, *aliases: str) -> None:
    for name in (office, *aliases):
        _OFFICES[_key(name)] = (office, level)


_alias(
    "President",
    "federal",
    "President of the United States",
    "Presidential Electors",
    "Presidential Electors for",
    "US President",
)
_alias(
    "U.S. Senate",
    "federal",
    "United States Senator",
    "US Senator",
    "US Senate",
    "United States Senate",
    "Senator in Congress",
)
_alias(
    "U.S. House",
    "federal",
    "Representative in Congress",
    "US House",
    "US Representative",
    "United States Representative",
    "Congress",
    "US Congress",
)
_alias("Governor", "statewide", "Governor and Lieutenant Governor", "Gov")
_alias("Lieutenant Governor", "statewide", "Lt Governor")
_alias("Attorney General", "statewide")
_alias("Secretary of the State", "statewide", "Secretary of State")
_alias("State Treasurer", "statewide", "Treasurer")
_alias("State Comptroller", "statewide", "Comptroller")
_alias("State Senate", "state_senate", "State Senator", "Senate", "State Senator District")
_alias(
    "State House",
    "state_house",
    "State Representative",
    "State Rep",
    "House of Representatives",
    "Representative in General Assembly",
    "General Assembly",
)
_alias("Judge of Probate", "county", "Probate Judge")
_alias("Registrar of Voters", "municipal")
_alias("Mayor", "municipal", "First Selectman", "First Selectperson")
_alias("Board of Selectmen", "municipal", "Selectman", "Board of Selectpersons")
_alias("Town Council", "municipal", "City Council", "Common Council", "Council")
_alias("Board of Finance", "municipal")
_alias("Board of Education", "school_board", "School Board", "Board of Ed", "BOE")
# a regional district's board is another body: Ashford, Hebron, Redding, ... elect both (2021)
_alias("Regional Board of Education", "school_board")

# the longest alias that the office's words start with
_KNOWN = re.compile(
    r"^(?:non ?partisan )?(?P<alias>"
    + "|".join(re.escape(a) for a in sorted(_OFFICES, key=len, reverse=True))
    + r")(?: (?P<tail>.*))?$"
)

# --- the words after a known office (and district texts) ---------------------------------

_NUMBER_WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                 "eleven", "twelve"]  # fmt: skip
_ORDINAL_WORDS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
                  "ninth", "tenth", "eleventh", "twelfth"]  # fmt: skip
_ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]
_N = r"(?:\d+|" + "|".join(_NUMBER_WORDS) + ")"
_ORD = r"(?:\d+(?:st|nd|rd|th)|" + "|".join(_ORDINAL_WORDS) + ")"
_BEGINS = r"(?:begins|beginning|starting|starts)(?: in)? (?P<y>\d{4})"


def _number(word: str) -> int:
    """'3', '3rd', 'three', 'third', 'iii' -> 3."""
    digits = re.match(r"\d+", word)
    if digits:
        return int(digits.group())
    for table in (_NUMBER_WORDS, _ORDINAL_WORDS, _ROMAN):
        if word in table:
            return table.index(word) + 1
    raise ValueError(word)


def _in_words(n: int) -> str:
    return _NUMBER_WORDS[n - 1].title() if 1 <= n <= len(_NUMBER_WORDS) else str(n)


def _years(n: int) -> str:
    return f"{_in_words(n)} Year" + ("" if n == 1 else "s")


# (kind, pattern) in the order they are taken out of a tail; each pattern matches whole words
_TAIL_RULES: list[tuple[str, re.Pattern[str]]] = [
    (kind, re.compile(r"(?<!\S)(?:" + pattern + r")(?!\S)"))
    for kind, pattern in [
        ("seats", rf"vote for (?:up to |not more than |no more than )?{_N}"),
        ("seats", rf"(?:{_N} )?to be elected"),
        ("seats", rf"(?:but )?(?:not|no) more than {_N} from (?:one|any|the same) party"),
        (
            "vacancy",
            rf"to fill (?:a |an |the )?(?:(?P<a>{_N}) years? )?(?:vacanc(?:y|ies)|term)"
            rf"(?: (?:for|of) (?:the )?(?:remaining )?(?P<b>{_N}) years?)?"
            rf"(?: of (?:a |an |the )?{_N} years? term)?",
        ),
        ("vacancy", r"vacancy term"),
        ("unexpired", r"unexpired(?: term| portion(?: of (?:the )?term)?)?"),
        ("term", rf"(?:full )?(?P<n>{_N}) years? term(?: {_BEGINS})?"),
        ("begins", _BEGINS),
        ("full", r"(?:full|regular) term"),
        # "District IV" (Darien's RTM) is a number; "District C" is a letter
        ("district", r"(?:district|dist) (?P<roman>" + "|".join(_ROMAN) + ")"),
        ("district", rf"(?:district|dist) (?P<n>{_N})"),
        ("district", r"(?:district|dist) (?P<code>\d+[a-z])"),
        ("district", r"(?:district|dist) (?P<letter>[a-z])"),
        ("district", rf"(?P<n>{_ORD}) district"),
        ("ward", rf"ward (?P<n>{_N})|(?P<ordinal>{_ORD}) ward"),
        ("at_large", r"at large"),
        ("district", r"d ?(?P<n>\d+)"),
        ("district", r"(?P<code>\d+[a-z])"),
        ("district", r"(?P<n>\d+)(?:st|nd|rd|th)?"),
    ]
]
_SMALL_WORDS = {"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to"}
_TERM_ORDER = ("term", "begins", "unexpired", "vacancy")


@dataclass(frozen=True, slots=True)
class _Tail:
    districts: tuple[str, ...]  # canonical district forms, in order of appearance
    qualifiers: tuple[str, ...]  # rendered term qualifiers, in _TERM_ORDER
    rest: str  # words no rule knows (lower-case), '' when every word was understood


def _district(kind: str, groups: dict[str, str | None]) -> str:
    if kind == "at_large":
        return "At Large"
    if kind == "ward":
        return f"Ward {_number(groups['n'] or groups['ordinal'] or '')}"
    if groups.get("code"):
        code = groups["code"] or ""
        return f"{int(code[:-1])}{code[-1].upper()}"
    if groups.get("letter"):
        return (groups["letter"] or "").upper()
    return str(_number(groups.get("roman") or groups.get("n") or ""))


@lru_cache(maxsize=4096)
def _parse_tail(tail: str) -> _Tail:
    """Take the known phrases out of a tail (lower-case words as _key leaves them)."""
    districts: list[tuple[int, str]] = []
    terms: dict[str, str] = {}
    for kind, pattern in _TAIL_RULES:
        for m in pattern.finditer(tail):
            groups = m.groupdict()
            if kind in ("district", "ward", "at_large"):
                districts.append((m.start(), _district(kind, groups)))
            elif kind == "term":
                terms["term"] = f"{_in_words(_number(groups['n'] or ''))} Year Term"
                if groups["y"]:
                    terms["begins"] = f"Begins {groups['y']}"
            elif kind == "begins":
                terms["begins"] = f"Begins {groups['y']}"
            elif kind == "unexpired":
                terms["unexpired"] = "Unexpired Term"
            elif kind == "vacancy":
                years = groups.get("a") or groups.get("b")
                terms["vacancy"] = "To Fill Vacancy" + (
                    f" for {_years(_number(years))}" if years else ""
                )
        # blank out what was taken (same length, so later positions stay comparable)
        tail = pattern.sub(lambda m: " " * len(m.group()), tail)
    return _Tail(
        tuple(text for _, text in sorted(districts)),
        tuple(terms[k] for k in _TERM_ORDER if k in terms),
        " ".join(tail.split()),
    )


def _title(words: str) -> str:
    """'alternate to the board' -> 'Alternate to the Board'."""
    return " ".join(
        w if i and w in _SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words.split())
    )


def _tidy(text: str) -> str:
    """Whitespace collapsed; an all-lower or all-upper text title-cased ('DARIEN' -> 'Darien')."""
    text = " ".join(text.split())
    if text == text.lower() or text == text.upper():
        return "-".join(
            " ".join(w[:1].upper() + w[1:].lower() for w in part.split(" "))
            for part in text.split("-")
        )
    return text


@lru_cache(maxsize=8192)
def normalize_district(text: str | None) -> str:
    """A district as contests store it. One designation becomes its short form; any other text
    (a town) is kept, whitespace collapsed, title-cased when typed all in one case:

    ==============================================  ===========
    typed / published                               stored
    ==============================================  ===========
    None, "", "  "                                  ""
    "1", "01", "001", "District 1", "district 01",  "1"
    "Dist. 1", "D1", "d 1", "1st", "1st District",
    "First District", "District One", "District I"
    "12th", "12th District", "D12", "District 12"   "12"
    "District 5A"                                   "5A"
    "District A"                                    "A"
    "Ward 3", "ward 03", "3rd Ward"                 "Ward 3"
    "At Large", "at-large", "AT LARGE"              "At Large"
    "Darien", "DARIEN", "darien"                    "Darien"
    "Danbury", "Deep River"                         kept (a leading "D" is a prefix only
                                                    when digits follow it: "D12")
    "new  haven"                                    "New Haven"
    "Darien-1", "McLean"                            kept
    ==============================================  ===========
    """
    if text is None or not text.strip():
        return ""
    key = _key(text)
    tail = _parse_tail(key)
    if len(tail.districts) == 1 and not tail.qualifiers and not tail.rest:
        return tail.districts[0]
    return _tidy(text)


# " - Darien" (or an en/em dash): a town after a spaced dash; the greedy head splits at the last
_PLACE_SUFFIX = re.compile(r"^(?P<office>.*\S)\s+[-\u2013\u2014]\s+(?P<place>\S.*)$")


def _identity(typed: str, given: str) -> tuple[str, str, str] | None:
    """(office, level, district) of a known office, or None when the office is not known."""
    known = _KNOWN.match(_key(typed))
    if known is None:
        return None
    office, level = _OFFICES[known["alias"]]
    tail = _parse_tail(known["tail"] or "")
    district = given
    qualifiers: list[str] = []
    if tail.rest:
        qualifiers.append(_title(tail.rest))
    for found in tail.districts:
        if not district:
            district = found
        elif found != district:
            named = found == "At Large" or found.startswith("Ward ")
            qualifiers.append(found if named else f"District {found}")
    qualifiers += [q for q in tail.qualifiers if q not in qualifiers]
    if qualifiers:
        office = f"{office} ({', '.join(qualifiers)})"
    return office, level, district


@lru_cache(maxsize=8192)
def contest_identity(office: str, district: str | None = None) -> tuple[str, str, str]:
    """(canonical office, level, normalized district) of an office and district as typed or
    published; see the module docstring for the rules. Unknown offices pass through."""
    typed = " ".join(office.split())
    given = normalize_district(district)
    split = _PLACE_SUFFIX.match(typed)
    if split and _parse_tail(_key(split["place"])).rest:  # a place, not "- Full Term"
        where = normalize_district(split["place"])
        if not given or where == given:
            town_office = _identity(split["office"], where)
            if town_office is not None:
                return town_office
    known = _identity(typed, given)
    return (typed, "other", given) if known is None else known


def canonical_office(name: str) -> tuple[str, str]:
    """(canonical office, level) for an office as typed or published, on its own (a district or
    town in the name goes to the district, so it is not part of the office)."""
    office, level, _ = contest_identity(name, None)
    return office, level


# --- parties --------------------------------------------------------------------------------

# alias (lower-case words, trailing "party" dropped) -> canonical party line
_PARTIES: dict[str, str] = {}


def _party_key(text: str) -> str:
    key = " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower().replace(".", "")).split())
    return key.removesuffix(" party") if key != "party" else key


def _party(name: str, *aliases: str) -> None:
    for alias in (name, *aliases):
        _PARTIES[_party_key(alias)] = name


_party("Democratic", "Democratic Party", "Democrat", "Democrats", "Dem", "D")
_party("Republican", "Republican Party", "Republicans", "Rep", "GOP", "R")
_party("Working Families", "Working Families Party", "Working Family", "WF", "WFP")
_party("Independent", "Independent Party", "Ind", "I")
_party("Green", "Green Party", "Grn", "G")
_party("Libertarian", "Libertarian Party", "Lib", "LBT", "L")
_party("Write In", "Write-In", "Write-Ins", "Write In Candidate", "WI", "W/I")
_party("Petitioning Candidate", "Petitioning", "Petition", "Pet")
_party("Non Partisan", "Nonpartisan", "Non-Partisan", "NP")


@lru_cache(maxsize=1024)
def canonical_party(name: str | None) -> str:
    """A party line as every table stores it (results, candidacies, contests' primary party,
    endorsements): "Democratic Party" / "DEM" / "Democrat" -> "Democratic", "WFP" -> "Working
    Families", "Write-In" -> "Write In", "Petitioning Candidate" kept. Other parties: whitespace
    collapsed, a trailing " Party" dropped ("The Bottom Line Party" -> "The Bottom Line"), an
    all-lower/all-upper name title-cased. '' for none."""
    if name is None or not name.strip():
        return ""
    known = _PARTIES.get(_party_key(name))
    if known is not None:
        return known
    text = re.sub(r"(?i)\s+party$", "", " ".join(name.split()))
    return _tidy(text)
