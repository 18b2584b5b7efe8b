"""Staff decisions on top of the scraped results (issue 13 part 7): call, exclude, certify,
incumbent; each in the stats, the race table and CSV, a published figure and its reproduction;
undo; the audit log; who may decide.

The night: tests/figures/conftest.py decision_night (every number stated there).
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import asyncpg
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from endorse.errors import Conflict, Invalid
from endorse.figures import decisions, published
from endorse.figures.decisions import DecisionCreate
from tests.figures.conftest import Ballot

Client = AsyncTestClient[Litestar]
Auth = dict[str, dict[str, str]]
ENDORSE = str(Path(sys.executable).with_name("endorse"))


async def _stats(client: Client, slug: str) -> dict:
    res = await client.get(f"/api/v1/elections/{slug}/stats")
    assert res.status_code == 200, res.text
    return res.json()


async def _races(client: Client, slug: str) -> dict[str, dict]:
    res = await client.get(f"/api/v1/elections/{slug}/races")
    assert res.status_code == 200, res.text
    return {r["candidate"]: r for r in res.json()}


async def _decide(client: Client, auth: Auth, slug: str, **body: object) -> dict:
    res = await client.post(
        f"/api/v1/elections/{slug}/decisions", json=body, headers=auth["editor"]
    )
    assert res.status_code == 201, res.text
    return res.json()


async def _withdraw(client: Client, auth: Auth, slug: str, decision_id: int) -> dict:
    res = await client.post(
        f"/api/v1/elections/{slug}/decisions/{decision_id}/withdraw", headers=auth["editor"]
    )
    assert res.status_code == 200, res.text
    return res.json()


async def test_a_staff_call_decides_a_recanvass_race_and_undo_restores_it(
    client: Client, auth: Auth, ballot: Ballot, decision_night: dict[str, int]
) -> None:
    before = await _stats(client, ballot.slug)
    assert (before["headline"]["text"], before["headline"]["pending"]) == ("1 of 2", 1)
    races = await _races(client, ballot.slug)
    assert races["Dante Bartolomeo"]["outcome"] == "PENDING"
    assert races["Dante Bartolomeo"]["reason"].startswith("recanvass")

    call = await _decide(
        client,
        auth,
        ballot.slug,
        kind="call",
        candidacy_id=decision_night["dante"],
        reason="AP call",
    )
    assert (call["kind"], call["candidate"], call["contest_id"]) == (
        "call",
        "Dante Bartolomeo",
        decision_night["sd13"],
    )
    after = await _stats(client, ballot.slug)
    assert (after["headline"]["text"], after["headline"]["pending"]) == ("2 of 3", 0)
    assert [d["kind"] for d in after["decisions"]] == ["call"]
    row = (await _races(client, ballot.slug))["Dante Bartolomeo"]
    assert (row["outcome"], row["reason"], row["tally"]) == ("WON", "called by staff", "won")
    assert row["called_by_staff"] is True

    # one seat, one call: a second one must be withdrawn-first, not silently stacked
    res = await client.post(
        f"/api/v1/elections/{ballot.slug}/decisions",
        json={"kind": "call", "candidacy_id": decision_night["suzio"]},
        headers=auth["editor"],
    )
    assert res.status_code == 409 and "Dante Bartolomeo" in res.json()["detail"]

    undone = await _withdraw(client, auth, ballot.slug, call["id"])
    assert undone["withdrawn_at"] is not None and undone["withdrawn_by"] == "test-editor"
    assert (await _stats(client, ballot.slug))["headline"] == before["headline"]

    # called for the other candidate: ours lost, whatever the margin says
    await _decide(client, auth, ballot.slug, kind="call", candidacy_id=decision_night["suzio"])
    row = (await _races(client, ballot.slug))["Dante Bartolomeo"]
    assert (row["outcome"], row["tally"]) == ("LOST", "lost")
    assert row["reason"] == "staff called the race for another candidate"
    assert (await _stats(client, ballot.slug))["headline"]["text"] == "1 of 3"

    audit = await ballot.conn.fetch(
        "select action, actor, entity_id from audit_log where entity = 'race_decisions' order by id"
    )
    assert [(a["action"], a["actor"]) for a in audit] == [
        ("decision.call", "test-editor"),
        ("decision.withdraw", "test-editor"),
        ("decision.call", "test-editor"),
    ]
    assert audit[0]["entity_id"] == str(call["id"])


async def test_an_excluded_race_leaves_the_rates_with_its_reason_in_the_race_table(
    client: Client, auth: Auth, ballot: Ballot, decision_night: dict[str, int]
) -> None:
    res = await client.post(
        f"/api/v1/elections/{ballot.slug}/decisions",
        json={"kind": "exclude", "contest_id": decision_night["sd1"], "reason": "  "},
        headers=auth["editor"],
    )
    assert res.status_code == 400 and "reason" in res.json()["detail"]
    excluded = await _decide(
        client,
        auth,
        ballot.slug,
        kind="exclude",
        contest_id=decision_night["sd1"],
        reason="two endorsed candidates in one race",
    )
    stats = await _stats(client, ballot.slug)
    assert (stats["headline"]["text"], stats["headline"]["pending"]) == ("0 of 1", 1)
    assert stats["excluded"]["by_staff"] == 1
    row = (await _races(client, ballot.slug))["John W. Fonfara"]
    assert (row["outcome"], row["tally"]) == ("WON", "excluded")
    assert row["excluded_reason"] == "two endorsed candidates in one race"
    assert row["reason"].startswith(
        "excluded from the figures by staff: two endorsed candidates in one race"
    )
    res = await client.get(f"/api/v1/elections/{ballot.slug}/races?format=csv")
    table = {r["candidate"]: r for r in csv.DictReader(io.StringIO(res.text))}
    assert table["John W. Fonfara"]["excluded_reason"] == "two endorsed candidates in one race"
    assert table["John W. Fonfara"]["tally"] == "excluded"
    assert table["Ana Ortiz"]["excluded_reason"] == ""

    await _withdraw(client, auth, ballot.slug, excluded["id"])
    assert (await _stats(client, ballot.slug))["headline"]["text"] == "1 of 2"


async def test_a_certified_stage_has_no_recanvass_pending(
    client: Client, auth: Auth, ballot: Ballot, decision_night: dict[str, int]
) -> None:
    certified = await _decide(client, auth, ballot.slug, kind="certify", reason="SOTS canvass")
    row = (await _races(client, ballot.slug))["Dante Bartolomeo"]
    assert (row["outcome"], row["reason"]) == ("LOST", "lost by 34 votes")
    assert row["certified_by_staff"] is True
    stats = await _stats(client, ballot.slug)
    assert (stats["headline"]["text"], stats["headline"]["pending"]) == ("1 of 3", 0)
    res = await client.post(
        f"/api/v1/elections/{ballot.slug}/decisions",
        json={"kind": "certify"},
        headers=auth["editor"],
    )
    assert res.status_code == 409
    await _withdraw(client, auth, ballot.slug, certified["id"])
    assert (await _races(client, ballot.slug))["Dante Bartolomeo"]["outcome"] == "PENDING"


async def test_incumbents_make_the_incumbent_variants_mean_something(
    client: Client, auth: Auth, ballot: Ballot, decision_night: dict[str, int]
) -> None:
    before = (await _stats(client, ballot.slug))["variants"]
    assert before["incumbents"]["text"] == "0 of 0"
    assert before["non_incumbents"]["text"] == "1 of 2"
    marked = await _decide(
        client, auth, ballot.slug, kind="incumbent", candidacy_id=decision_night["fonfara"]
    )
    v = (await _stats(client, ballot.slug))["variants"]
    assert (v["incumbents"]["text"], v["non_incumbents"]["text"]) == ("1 of 1", "0 of 1")
    assert v["non_incumbents_contested"]["text"] == "0 of 1"
    assert (await _races(client, ballot.slug))["John W. Fonfara"]["incumbent"] is True
    # staff can also say "not the incumbent" over a feed's marker
    await ballot.conn.execute(
        "update candidacies set incumbent = true where id = $1", decision_night["ortiz"]
    )
    assert (await _stats(client, ballot.slug))["variants"]["incumbents"]["text"] == "1 of 2"
    await _decide(
        client,
        auth,
        ballot.slug,
        kind="incumbent",
        candidacy_id=decision_night["ortiz"],
        incumbent=False,
    )
    assert (await _stats(client, ballot.slug))["variants"]["incumbents"]["text"] == "1 of 1"
    await _withdraw(client, auth, ballot.slug, marked["id"])
    assert (await _stats(client, ballot.slug))["variants"]["incumbents"]["text"] == "0 of 0"


async def test_a_published_figure_stores_the_decisions_and_reproduces_them(
    client: Client, auth: Auth, ballot: Ballot, decision_night: dict[str, int]
) -> None:
    call = await _decide(
        client, auth, ballot.slug, kind="call", candidacy_id=decision_night["dante"]
    )
    await _decide(
        client,
        auth,
        ballot.slug,
        kind="exclude",
        contest_id=decision_night["hd5"],
        reason="fusion dispute",
    )
    await _decide(
        client, auth, ballot.slug, kind="incumbent", candidacy_id=decision_night["fonfara"]
    )
    res = await client.post(
        f"/api/v1/elections/{ballot.slug}/figures", json={"note": "late"}, headers=auth["editor"]
    )
    assert res.status_code == 201, res.text
    figure = res.json()
    assert figure["stats"]["headline"]["text"] == "2 of 2"
    assert figure["stats"]["variants"]["incumbents"]["text"] == "1 of 1"
    assert [(d["kind"], d["candidate"], d["reason"]) for d in figure["stats"]["decisions"]] == [
        ("call", "Dante Bartolomeo", ""),
        ("exclude", None, "fusion dispute"),
        ("incumbent", "John W. Fonfara", ""),
    ]
    frozen = {r["candidate"]: r for r in figure["races"]}
    assert frozen["Ana Ortiz"]["excluded_reason"] == "fusion dispute"
    assert frozen["Dante Bartolomeo"]["called_by_staff"] is True

    # the decisions move on: a call withdrawn, a stage certified; the figure still reproduces
    await _withdraw(client, auth, ballot.slug, call["id"])
    await _decide(client, auth, ballot.slug, kind="certify")
    assert (await _stats(client, ballot.slug))["headline"]["text"] == "1 of 2"
    again = await published.reproduce(ballot.conn, figure["id"])
    assert again.matches, again.differences
    assert (await _stats(client, ballot.slug))["headline"]["text"] == "1 of 2"  # rolled back
    later = await client.post(
        f"/api/v1/elections/{ballot.slug}/figures", json={"note": "final"}, headers=auth["editor"]
    )
    final = later.json()
    assert sorted(d["kind"] for d in final["stats"]["decisions"]) == [
        "certify",
        "exclude",
        "incumbent",
    ]
    certified = {r["candidate"]: r for r in final["races"]}["Dante Bartolomeo"]
    assert (certified["outcome"], certified["certified_by_staff"]) == ("LOST", True)
    assert (await published.reproduce(ballot.conn, final["id"])).matches
    shown = await client.get(f"/figures/{figure['id']}")
    assert shown.status_code == 200
    assert "Called by staff" in shown.text and "Excluded: fusion dispute" in shown.text


async def test_only_editors_decide(
    client: Client, auth: Auth, ballot: Ballot, decision_night: dict[str, int]
) -> None:
    url = f"/api/v1/elections/{ballot.slug}/decisions"
    body = {"kind": "certify"}
    assert (await client.post(url, json=body)).status_code == 401
    assert (await client.post(url, json=body, headers=auth["viewer"])).status_code == 403
    assert (await client.get(url)).status_code == 401
    made = await _decide(client, auth, ballot.slug, kind="certify")
    withdraw = f"{url}/{made['id']}/withdraw"
    assert (await client.post(withdraw)).status_code == 401
    assert (await client.post(withdraw, headers=auth["viewer"])).status_code == 403
    listed = await client.get(url, headers=auth["viewer"])
    assert [d["id"] for d in listed.json()] == [made["id"]]
    assert (
        await ballot.conn.fetchval("select count(*) from audit_log where actor = 'test-viewer'")
        == 0
    )


async def test_bad_targets_name_the_field(
    client: Client, auth: Auth, ballot: Ballot, decision_night: dict[str, int]
) -> None:
    url = f"/api/v1/elections/{ballot.slug}/decisions"
    cases = [
        ({"kind": "call"}, 400, "candidacy_id"),
        ({"kind": "call", "candidacy_id": 999_999}, 404, "candidacy_id"),
        ({"kind": "exclude", "reason": "x"}, 400, "contest_id"),
        (
            {
                "kind": "call",
                "candidacy_id": decision_night["dante"],
                "contest_id": decision_night["sd1"],
            },
            400,
            "contest_id",
        ),
        (
            {"kind": "call", "candidacy_id": decision_night["dante"], "stage": "primary"},
            404,
            "candidacy_id",
        ),
        ({"kind": "veto"}, 400, "kind"),
        (
            {"kind": "exclude", "contest_id": decision_night["sd1"], "reason": "x" * 301},
            400,
            "at most 300",
        ),
    ]
    for body, status, field in cases:
        res = await client.post(url, json=body, headers=auth["editor"])
        assert res.status_code == status, (body, res.text)
        assert field in res.text, (body, res.text)
    res = await client.post(f"{url}/999999/withdraw", headers=auth["editor"])
    assert res.status_code == 404
    assert await ballot.conn.fetchval("select count(*) from race_decisions") == 0


async def test_the_service_refuses_a_second_exclusion(
    ballot: Ballot, decision_night: dict[str, int]
) -> None:
    data = DecisionCreate(kind="exclude", contest_id=decision_night["sd1"], reason="duplicate")
    await decisions.decide(ballot.conn, ballot.slug, data, actor="test")
    with pytest.raises(Conflict, match="already excluded"):
        await decisions.decide(ballot.conn, ballot.slug, data, actor="test")
    with pytest.raises(Invalid, match="reason"):
        await decisions.decide(
            ballot.conn,
            ballot.slug,
            DecisionCreate(kind="exclude", contest_id=decision_night["hd5"]),
            actor="t",
        )


def _cli(db_url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": db_url, "ENDORSE_DATA_DIR": str(tmp_path / "data")}
    return subprocess.run([ENDORSE, *args], env=env, capture_output=True, text=True, timeout=120)


async def test_cli_call_exclude_certify_incumbent_and_undo(
    ballot: Ballot,
    decision_night: dict[str, int],
    db_url: str,
    tmp_path: Path,
    conn: asyncpg.Connection,
) -> None:
    race = ("--election", ballot.slug, "--office", "State Senate", "--district", "13")
    done = _cli(db_url, tmp_path, "races", "call", *race, "--candidate", "dante  bartolomeo")
    assert done.returncode == 0, done.stderr
    assert "State Senate 13 called for Dante Bartolomeo" in done.stdout
    assert (await ballot.outcome(await _endorsement(conn, decision_night["dante"])))[0] == "WON"
    undone = _cli(
        db_url, tmp_path, "races", "call", *race, "--candidate", "Dante Bartolomeo", "--undo"
    )
    assert undone.returncode == 0, undone.stderr and "withdrawn by cli:" in undone.stdout
    assert (await ballot.outcome(await _endorsement(conn, decision_night["dante"])))[0] == "PENDING"

    no_reason = _cli(db_url, tmp_path, "races", "exclude", "--election", ballot.slug,
                     "--contest", str(decision_night["sd1"]))  # fmt: skip
    assert no_reason.returncode == 2 and "reason" in no_reason.stderr
    ok = _cli(db_url, tmp_path, "races", "exclude", "--election", ballot.slug,
              "--contest", str(decision_night["sd1"]), "--reason", "two of ours")  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert _cli(db_url, tmp_path, "races", "certify", "--election", ballot.slug).returncode == 0
    inc = _cli(db_url, tmp_path, "races", "incumbent", "--election", ballot.slug,
               "--candidacy", str(decision_night["ortiz"]), "--json")  # fmt: skip
    assert inc.returncode == 0 and '"incumbent":true' in inc.stdout
    listed = _cli(db_url, tmp_path, "races", "list", "--election", ballot.slug, "--json")
    assert listed.returncode == 0
    assert sorted(
        d for d in ("exclude", "certify", "incumbent") if f'"kind":"{d}"' in listed.stdout
    ) == [
        "certify",
        "exclude",
        "incumbent",
    ]
    unknown = _cli(db_url, tmp_path, "races", "call", *race, "--candidate", "Nobody")
    assert unknown.returncode == 2 and "candidate" in unknown.stderr
    actors = await conn.fetch(
        "select distinct actor from audit_log where entity = 'race_decisions'"
    )
    assert all(a["actor"].startswith("cli") for a in actors)


async def _endorsement(conn: asyncpg.Connection, candidacy_id: int) -> int:
    return await conn.fetchval("select id from endorsements where candidacy_id = $1", candidacy_id)


IMPORT_HEADER = (
    "election,stage,office,district,candidate,party,endorsed_by,endorsed_on,notes,incumbent"
)


async def _import(client: Client, auth: Auth, *rows: str) -> tuple[int, dict]:
    body = "\n".join((IMPORT_HEADER, *rows)) + "\n"
    res = await client.post(
        "/api/v1/endorsements/import",
        content=body.encode(),
        headers={**auth["editor"], "Content-Type": "text/csv"},
    )
    return res.status_code, res.json()


async def test_the_import_incumbent_column_feeds_the_incumbent_variants(
    client: Client, auth: Auth, ballot: Ballot
) -> None:
    sd1 = await ballot.contest("State Senate", "1")
    await ballot.candidate(sd1, "John W. Fonfara", {"Democratic": 20_437})
    await ballot.candidate(sd1, "Barbara Ruhe", {"Republican": 6_052})
    hd5 = await ballot.contest("State Representative", "5")
    await ballot.candidate(hd5, "Ana Ortiz", {"Democratic": 900})
    await ballot.candidate(hd5, "Sam Lee", {"Republican": 1_000})
    for contest in (sd1, hd5):
        await ballot.status(contest, "official")
    base = f"{ballot.slug},general,"
    bad, report = await _import(
        client,
        auth,
        base + "State Senate,1,John W. Fonfara,Democratic,AFT Connecticut,2018-09-20,,yes",
        base + "State Representative,5,Ana Ortiz,Democratic,AFT Connecticut,2018-09-20,,maybe",
    )
    assert bad == 422, report
    (problem,) = [r for r in report["results"] if r["status"] == "error"]
    assert problem["row"] == 3 and problem["errors"][0]["column"] == "incumbent"
    assert "maybe" in problem["errors"][0]["reason"]
    assert await ballot.conn.fetchval("select count(*) from endorsements") == 0  # all or nothing

    rows = (
        base + "State Senate,1,John W. Fonfara,Democratic,AFT Connecticut,2018-09-20,,Yes",
        base + "State Representative,5,Ana Ortiz,Democratic,AFT Connecticut,2018-09-20,,",
    )
    ok, report = await _import(client, auth, *rows)
    assert ok == 200 and report["created"] == 2, report
    stored = dict(await ballot.conn.fetch("select candidate, incumbent from endorsements"))
    assert stored == {"John W. Fonfara": True, "Ana Ortiz": None}
    v = (await _stats(client, ballot.slug))["variants"]
    assert (v["incumbents"]["text"], v["non_incumbents"]["text"]) == ("1 of 1", "0 of 1")
    races = await _races(client, ballot.slug)
    assert (races["John W. Fonfara"]["incumbent"], races["Ana Ortiz"]["incumbent"]) == (True, False)
    again, report = await _import(client, auth, *rows)
    assert (again, report["unchanged"]) == (200, 2)  # the same file writes nothing
    # the file says otherwise now: the endorsement follows, and staff still have the last word
    ok, report = await _import(client, auth, rows[0][: -len("Yes")] + "no", rows[1])
    assert (ok, report["updated"]) == (200, 1)
    assert (await _stats(client, ballot.slug))["variants"]["incumbents"]["text"] == "0 of 0"
    fonfara = await ballot.conn.fetchval(
        "select candidacy_id from endorsements where candidate = 'John W. Fonfara'"
    )
    await _decide(client, auth, ballot.slug, kind="incumbent", candidacy_id=fonfara)
    assert (await _stats(client, ballot.slug))["variants"]["incumbents"]["text"] == "1 of 1"
