"""Parsers against reference parsers on the same bytes, same run (bench-only extras).

  Clarity detail XML (generated, >= 20 MB, real layout)  vs  the `clarify` package
  HTML results table (generated county page)             vs  BeautifulSoup with lxml
  OpenElections CSV (generated, 200k rows)               vs  csv.reader over it doing nothing
The real samples in ../shared/data/ are measured too when present (skipped when absent).
Both sides must agree on the totals (per contest and choice, or rows and votes) or the row says so.
"""

from __future__ import annotations

import csv
import io
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import generate
from bench._common import QUICK, REPEATS, median, verdict
from scrapers import clarity, html, openelections

_ROOT = Path(__file__).resolve().parents[1]
# ../shared/data beside the checkout (main), or beside the worktrees' folder
DATA = next(
    (p for p in (_ROOT.parent / "shared" / "data", _ROOT.parents[1] / "shared" / "data")
     if p.is_dir()),
    _ROOT.parent / "shared" / "data",
)  # fmt: skip
CLARITY_ROWS = 8_000 if QUICK else 110_000  # ~22 MB at full size
HTML_ROWS = 1_000 if QUICK else 4_000
CSV_ROWS = 20_000 if QUICK else 200_000


def _pair(
    ours: Callable[[], Any], theirs: Callable[[], Any], repeats: int = REPEATS
) -> tuple[float, Any, float, Any]:
    """Median seconds of each side and its last result; the two alternate, so a burst of
    other work on the machine lands on both sides alike. A side's previous result is let
    go before its clock starts: freeing the last run's 200,000 records took 9 ms, charged
    to the next run of the parser (and 1 ms of the real CT file's 32), never to csv.reader's
    count."""
    times: tuple[list[float], list[float]] = ([], [])
    results: list[Any] = [None, None]
    for _ in range(repeats):
        for side, fn in enumerate((ours, theirs)):
            results[side] = None
            t0 = time.perf_counter()
            results[side] = fn()
            times[side].append(time.perf_counter() - t0)
    return median(times[0]), results[0], median(times[1]), results[1]


def _ours_clarity_totals(body: bytes) -> Counter:
    """Per contest and choice, the unit rows' sum: the remainder a stated total adds in a
    unit of its own (clarity.UNALLOCATED) is left out, as clarify does not read stated totals."""
    totals: Counter = Counter()
    for r in clarity.parse(body).records:
        if r.unit == clarity.UNALLOCATED:
            continue
        contest = f"{r.office} District {r.district}" if r.district else r.office
        totals[(contest, r.candidate)] += r.votes
    return totals


def _clarify_totals(path: Path) -> Counter:
    import clarify

    parser = clarify.Parser()
    parser.parse(str(path))
    totals: Counter = Counter()
    for contest in parser.contests:
        for choice in contest.choices:
            units = [r.votes for r in choice.results if r.jurisdiction is not None]
            totals[(contest.text, choice.text)] += (
                sum(units) if units else sum(r.votes for r in choice.results)
            )
    return totals


def _clarity(path: Path, label: str) -> str:
    body = path.read_bytes()
    ours, mine, ref, theirs = _pair(
        lambda: _ours_clarity_totals(body), lambda: _clarify_totals(path)
    )
    same = sum(mine.values()) == sum(theirs.values()) and sorted(mine.values()) == sorted(
        theirs.values()
    )
    return (
        f"| Clarity detail XML: {label} ({len(body) / 1e6:.1f} MB, {len(mine):,} choices) "
        f"| {ours:.3f} | `clarify`: {ref:.3f} | {ref / ours:.1f}x faster | >= 2x faster "
        f"| {'same' if same else 'DIFFER'} | {verdict(ref / ours >= 2 and same)} |"
    )


def _bs4_rows(body: bytes) -> tuple[int, int]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(body, "lxml")
    rows = votes = 0
    for tr in soup.select("table.results tbody tr"):
        cells = [" ".join(td.get_text().split()) for td in tr.find_all("td")]
        if cells:
            rows += 1
            votes += int(cells[5].replace(",", ""))
    return rows, votes


def _html(body: bytes, label: str) -> str:
    def ours_fn() -> tuple[int, int]:
        records = html.parse(body, generate.HTML_MAPPING).records
        return len(records), sum(r.votes for r in records)

    ours, mine, ref, theirs = _pair(ours_fn, lambda: _bs4_rows(body), REPEATS * 3)
    return (
        f"| HTML results table: {label} ({len(body) / 1e6:.2f} MB, {mine[0]:,} rows) "
        f"| {ours:.4f} | BeautifulSoup + lxml: {ref:.4f} | {ref / ours:.1f}x faster "
        f"| >= 20x faster | {'same' if mine == theirs else 'DIFFER'} "
        f"| {verdict(ref / ours >= 20 and mine == theirs)} |"
    )


def _csv_floor(body: bytes) -> int:
    """csv.reader over the bytes doing nothing, decoded as the parser's row reader decodes
    them (a TextIOWrapper, a few KB at a time). A whole-file str in a StringIO (4 bytes a
    character: 80 MB for the generated file) cost what the kernel charged for its pages:
    in a fresh process 19,212 page faults and 145-153 ms of CPU a run, after the other
    benchmarks had grown the heap none and 113-118 ms; this way 111-116 ms in both."""
    n = 0
    for _ in csv.reader(io.TextIOWrapper(io.BytesIO(body), encoding="utf-8-sig", newline="")):
        n += 1
    return n


def _openelections(body: bytes, label: str, mapping: dict[str, Any] | None = None) -> str:
    # median of 9, as for HTML: a side takes 0.02-0.2 s, and a median of 3 on a shared
    # machine moved the real CT file's ratio by 0.3x from one run to the next
    ours, parsed, ref, _ = _pair(
        lambda: openelections.parse(body, mapping), lambda: _csv_floor(body), REPEATS * 3
    )
    ratio = ours / ref
    return (
        f"| OpenElections CSV: {label} ({len(body) / 1e6:.1f} MB, {len(parsed.records):,} "
        f"records) | {ours:.3f} | csv.reader, doing nothing: {ref:.3f} | {ratio:.2f}x "
        f"| <= 2x | - | {verdict(ratio <= 2)} |"
    )


def run() -> str:
    import tempfile

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        xml = Path(tmp) / "detail.xml"
        generate.write(xml, "clarity", CLARITY_ROWS)
        rows.append(_clarity(xml, "generated"))
    for name in ("county.xml", "precinct.xml"):
        if (DATA / "clarity" / name).exists():
            rows.append(_clarity(DATA / "clarity" / name, f"real sample {name}"))
    buf = io.StringIO()
    generate.write_html(buf, HTML_ROWS)
    rows.append(_html(buf.getvalue().encode(), "generated county page"))
    rows.append(_openelections(generate.openelections_bytes(CSV_ROWS), "generated"))
    real = DATA / "openelections-ct" / "20161108__ct__general__precinct.csv"
    if real.exists():
        rows.append(_openelections(real.read_bytes(), f"real {real.name}", {"duplicates": "sum"}))
    skipped = "" if DATA.exists() else f" ({DATA} absent: real samples skipped)"
    return "\n".join([
        "## Parsers (`bench/bench_parsers.py`)",
        "",
        f"Bytes in memory (clarify reads the same file from the page cache); ours and the "
        f"baseline alternate, median of {REPEATS} each (HTML and CSV: {REPEATS * 3}); totals compared "
        f"per contest and choice{skipped}.",
        "",
        "| figure | ours, s | baseline, s (same run) | ratio | goal | totals | |",
        "|---|---:|---|---:|---|---|---|",
        *rows,
    ])  # fmt: skip


if __name__ == "__main__":
    print(run())
