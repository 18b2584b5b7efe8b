"""The figures over HTTP: stats and races (public), published figures, matching and review."""

from __future__ import annotations

import csv
import io

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.figures.conftest import Ballot

Client = AsyncTestClient[Litestar]


async def _senate(ballot: Ballot) -> tuple[int, int]:
    """SD 1 (won 20,437 to 6,052) and SD 13 (lost 20,866 to 21,761), both endorsed."""
    sd1 = await ballot.contest("State Senate", "1")
    fonfara = await ballot.candidate(sd1, "John W. Fonfara", {"Democratic": 20_437})
    await ballot.candidate(sd1, "Barbara Ruhe", {"Republican": 6_052})
    await ballot.status(sd1, "official")
    sd13 = await ballot.contest("State Senate", "13")
    dante = await ballot.candidate(
        sd13, "Dante Bartolomeo", {"Democratic": 19_866, "Working Families": 1_000}
    )
    await ballot.candidate(sd13, "Len Suzio", {"Republican": 21_761})
    await ballot.status(sd13, "official")
    await ballot.endorse("=Fonfara, John W.", "State Senate", "1", candidacy=fonfara)
    await ballot.endorse("Dante Bartolomeo", "State Senate", "13", candidacy=dante)
    return fonfara, dante


async def test_stats_are_public_and_change_with_the_results(client: Client, ballot: Ballot) -> None:
    _, dante = await _senate(ballot)
    res = await client.get(f"/api/v1/elections/{ballot.slug}/stats")
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["headline"]["text"] == "1 of 2" and body["headline"]["percent"] == 50
    assert body["sentence"] == (
        "Of the 2 candidates we endorsed in the 2018 general election, 1 won (50%)."
    )
    assert body["rule_version"] == "figures-2; recount CT-2024-1"
    assert body["as_of"] is not None
    again = await client.get(f"/api/v1/elections/{ballot.slug}/stats")  # served from the cache
    assert again.json() == body
    # a corrected Working Families line (+1,000) puts Dante 105 ahead of 43,627 cast: under
    # 0.5% (218), so a recanvass -- the cached answer must give way at once
    sql = "update results set votes = $2 where candidacy_id = $1 and party = 'Working Families'"
    await ballot.conn.execute(sql, dante, 2_000)
    after = (await client.get(f"/api/v1/elections/{ballot.slug}/stats")).json()
    assert (after["headline"]["text"], after["headline"]["pending"]) == ("1 of 1", 1)
    await ballot.conn.execute(sql, dante, 3_000)  # 1,105 ahead: decided
    after = (await client.get(f"/api/v1/elections/{ballot.slug}/stats")).json()
    assert (after["headline"]["text"], after["headline"]["pending"]) == ("2 of 2", 0)


async def test_stats_bad_input(client: Client, ballot: Ballot) -> None:
    res = await client.get("/api/v1/elections/nope/stats")
    assert res.status_code == 404 and "election" in res.json()["detail"]
    res = await client.get(f"/api/v1/elections/{ballot.slug}/stats?stage=runoff")
    assert res.status_code == 404 and "stage" in res.json()["detail"]
    res = await client.get(f"/api/v1/elections/{ballot.slug}/stats?stage=bogus")
    assert res.status_code == 400 and "stage" in res.text


async def test_races_json_and_csv(client: Client, ballot: Ballot) -> None:
    await _senate(ballot)
    rows = (await client.get(f"/api/v1/elections/{ballot.slug}/races")).json()
    assert [
        (r["district"], r["candidate"], r["votes"], r["margin"], r["outcome"]) for r in rows
    ] == [
        ("1", "John W. Fonfara", 20_437, 14_385, "WON"),
        ("13", "Dante Bartolomeo", 20_866, -895, "LOST"),
    ]
    assert rows[1]["parties"] == ["Democratic", "Working Families"]
    assert rows[1]["percent"] == 49.0  # 20,866 / 42,627 = 48.9502%: half up to one decimal
    res = await client.get(f"/api/v1/elections/{ballot.slug}/races?format=csv")
    assert res.status_code == 200 and res.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(res.text)))
    assert [(t["candidate"], t["outcome"], t["reason"]) for t in table] == [
        ("John W. Fonfara", "WON", "won by 14,385 votes"),
        ("Dante Bartolomeo", "LOST", "lost by 895 votes"),
    ]
    assert table[0]["endorsed_as"] == "'=Fonfara, John W."  # never a spreadsheet formula


async def test_publish_freezes_the_numbers(
    client: Client, ballot: Ballot, auth: dict[str, dict[str, str]]
) -> None:
    _, dante = await _senate(ballot)
    url = f"/api/v1/elections/{ballot.slug}/figures"
    assert (await client.post(url, json={})).status_code == 401
    assert (await client.post(url, json={}, headers=auth["viewer"])).status_code == 403
    res = await client.post(
        url, json={"stage": "general", "note": "press release"}, headers=auth["editor"]
    )
    assert res.status_code == 201, res.text
    figure = res.json()
    assert figure["stats"]["headline"]["text"] == "1 of 2"
    assert [r["outcome"] for r in figure["races"]] == ["WON", "LOST"]
    assert figure["rule_version"] == "figures-2; recount CT-2024-1"

    await ballot.conn.execute("update results set votes = 30000 where candidacy_id = $1", dante)
    live = (await client.get(f"/api/v1/elections/{ballot.slug}/stats")).json()
    assert live["headline"]["text"] == "2 of 2"
    frozen = (await client.get(f"/api/v1/figures/{figure['id']}")).json()
    assert frozen == figure
    assert frozen["stats"]["sentence"].endswith("1 won (50%).")

    audit = await ballot.conn.fetchrow("select * from audit_log where action = 'figure.publish'")
    assert audit["actor"] == "test-editor" and audit["entity_id"] == str(figure["id"])
    assert (await client.get("/api/v1/figures/999999")).status_code == 404
    listed = (await client.get(url)).json()  # public, newest first
    assert [(f["id"], f["note"], f["headline"], f["percent"]) for f in listed] == [
        (figure["id"], "press release", "1 of 2", 50)
    ]


async def test_match_and_review_over_http(
    client: Client, ballot: Ballot, auth: dict[str, dict[str, str]]
) -> None:
    race = await ballot.contest("State House", "12")
    smith = await ballot.candidate(race, "John Smith")
    e = await ballot.endorse("John Smyth", "State House", "12")
    match_url = f"/api/v1/elections/{ballot.slug}/match"
    assert (await client.post(match_url, headers=auth["viewer"])).status_code == 403
    res = await client.post(match_url, headers=auth["editor"])
    assert res.status_code == 200, res.text
    assert [len(r["review"]) for r in res.json()] == [0, 1]

    assert (await client.get("/api/v1/review")).status_code == 401
    items = (await client.get("/api/v1/review", headers=auth["viewer"])).json()
    assert [(i["candidate"], i["ballot_name"]) for i in items] == [("John Smyth", "John Smith")]
    confirm = f"/api/v1/review/{items[0]['id']}/confirm"
    assert (await client.post(confirm, headers=auth["viewer"])).status_code == 403
    res = await client.post(confirm, headers=auth["editor"])
    assert res.status_code == 201 and res.json()["status"] == "confirmed"
    row = await ballot.conn.fetchrow(
        "select candidacy_id, match_method from endorsements where id = $1", e
    )
    assert tuple(row) == (smith, "confirmed")
    again = await client.post(confirm, headers=auth["editor"])
    assert again.status_code == 409 and "already confirmed" in again.json()["detail"]
    res = await client.post("/api/v1/review/424242/reject", headers=auth["editor"])
    assert res.status_code == 404


async def test_openapi_lists_the_figures(client: Client) -> None:
    paths = (await client.get("/schema/openapi.json")).json()["paths"]
    stats = paths["/api/v1/elections/{slug}/stats"]["get"]
    assert stats["operationId"] == "getElectionStats"
    assert {
        "/api/v1/elections/{slug}/races",
        "/api/v1/figures/{figure_id}",
        "/api/v1/review/{review_id}/confirm",
    } <= set(paths)
