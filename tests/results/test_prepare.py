"""prepare() reads each distinct combination of a record's fields once (endorse.results.prepare):
it must build exactly what the rules applied record by record build, and its per-contest hash
must change whenever anything a load writes changes.

The reference below is those rules as prepare() applied them to every record until 2026-11-28,
kept here to compare against on payloads made to exercise every rule that depends on order or
on repeats."""

from __future__ import annotations

import random

import msgspec

from endorse.ballot.service import spelling_key
from endorse.results.prepare import ContestBatch, prepare
from endorse.vocab import canonical_party, contest_identity
from scrapers.records import STATUSES, ResultRecord, status_rank


def _reference(records: list[ResultRecord], primary: bool) -> dict[tuple[str, str, str], dict]:
    """Record by record: contest fields, candidacies and the summed rows of every contest."""
    out: dict[tuple[str, str, str], dict] = {}
    for r in records:
        line = canonical_party(r.party)
        party = canonical_party(r.contest_party) if r.contest_party is not None else line
        office, level, district = contest_identity(r.office, r.district)
        key = (office, district, party if primary else "")
        c = out.get(key)
        if c is None:
            status = r.status if r.status in STATUSES else "unofficial"
            c = out[key] = {
                "level": level, "seats": 1, "reporting": None, "total": None, "status": status,
                "source_office": " ".join((r.printed or r.office).split()), "candidacies": {},
                "votes": {},
            }  # fmt: skip
        c["seats"] = max(c["seats"], r.seats)
        if c["total"] is None and r.precincts_total is not None:
            c["reporting"], c["total"] = r.precincts_reporting, r.precincts_total
        status = r.status if r.status in STATUSES else "unofficial"
        if status_rank(status) < status_rank(c["status"]):
            c["status"] = status
        ballot = " ".join(r.candidate.split())
        name = spelling_key(ballot)
        ca = c["candidacies"].setdefault(name, [ballot, [], False, False, None])
        if line and line not in ca[1]:
            ca[1].append(line)
        ca[2] = ca[2] or r.incumbent
        ca[3] = ca[3] or r.write_in
        if r.winner is not None:
            ca[4] = bool(ca[4]) or r.winner
        row = (name, line, r.unit.strip())
        c["votes"][row] = c["votes"].get(row, 0) + r.votes
    return out


def _seen(batch: ContestBatch) -> dict:
    return {
        "level": batch.level, "seats": batch.seats, "reporting": batch.precincts_reporting,
        "total": batch.precincts_total, "status": batch.status,
        "source_office": batch.source_office,
        "candidacies": {
            k: [c.ballot_name, c.parties, c.incumbent, c.write_in, c.winner]
            for k, c in batch.candidacies.items()
        },
        "votes": batch.votes,
    }  # fmt: skip


def _payload(rng: random.Random, n: int) -> list[ResultRecord]:
    """Few texts, many rows: every combination repeats, fields vary where rules order them."""
    offices = ["State Senator", "Board of Education - Darien", "Governor", " Governor "]
    parties = ["DEM", "Democratic Party", "REP", "Working Families", None, ""]
    return [
        ResultRecord(
            office=rng.choice(offices),
            district=rng.choice([None, "1", "01", "District 1"]),
            candidate=rng.choice(["Ana  Ruiz", "Ana Ruiz", "Ben Cho", "BEN CHO", "Cy Dee"]),
            party=rng.choice(parties),
            unit=rng.choice(["Avon", " Avon", "Bethel", "", "Canton"]),
            votes=rng.randrange(0, 50),
            seats=rng.choice([1, 1, 1, 2, 3]),
            precincts_reporting=rng.choice([None, None, 3, 4]),
            precincts_total=rng.choice([None, None, 9, 10]),
            status=rng.choice(["unofficial", "official", "certified", "bogus"]),
            write_in=rng.random() < 0.05,
            incumbent=rng.random() < 0.1,
            winner=rng.choice([None, None, None, True, False]),
            contest_party=rng.choice([None, None, None, "DEM", "Republican"]),
            printed=rng.choice([None, None, "GOVERNOR  (vote for 1)"]),
        )
        for _ in range(n)
    ]


def test_prepare_builds_what_the_record_by_record_rules_build() -> None:
    rng = random.Random(15)
    for round_ in range(60):
        records = _payload(rng, rng.choice([1, 5, 40, 400]))
        primary = round_ % 2 == 1
        want = _reference(records, primary)
        got = prepare(records, primary=primary)
        assert list(got) == list(want)  # contests in order of first sight
        assert {k: _seen(b) for k, b in got.items()} == want
        assert all(b.total_votes == sum(want[k]["votes"].values()) for k, b in got.items())
        assert sum(b.rows for b in got.values()) == sum(len(c["votes"]) for c in want.values())


def test_prepare_consume_lets_the_records_go_and_builds_the_same() -> None:
    records = _payload(random.Random(7), 70_000)  # more than one step (prepare.CHUNK)
    want = {k: (_seen(b), b.digest) for k, b in prepare(records).items()}
    assert {k: (_seen(b), b.digest) for k, b in prepare(records, consume=True).items()} == want
    assert records == []
    assert {
        k: (_seen(b), b.digest)
        for k, b in prepare(iter(_payload(random.Random(7), 70_000))).items()
    } == want


def test_the_hash_changes_with_anything_a_load_writes() -> None:
    rng = random.Random(3)
    records = _payload(rng, 300)
    base = {k: b.digest for k, b in prepare(records).items()}
    assert {k: b.digest for k, b in prepare(list(records)).items()} == base  # same payload
    changes = [
        {"votes": 999}, {"unit": "Durham"}, {"party": "Green"}, {"candidate": "Dot Eng"},
        {"seats": 7}, {"precincts_total": 99, "precincts_reporting": 1}, {"status": "bogus"},
        {"incumbent": True}, {"write_in": True}, {"winner": True},
    ]  # fmt: skip
    for i, change in enumerate(changes):
        at = rng.randrange(len(records))
        changed = list(records)
        changed[at] = msgspec.structs.replace(records[at], **change)
        want = _reference(changed, False)
        got = prepare(changed)
        moved = [k for k in want if k not in base or want[k] != _reference(records, False).get(k)]
        for key in moved:  # every contest whose written content changed has a new hash
            assert got[key].digest != base.get(key), (i, change, key)
