"""`make bench`: run every benchmark module and write docs/BENCHMARKS.md.

`make bench QUICK=1` runs smaller sizes (under two minutes) and writes .endorse/BENCHMARKS.quick.md
instead, so a quick look never replaces the full figures. `python -m bench ingest parsers` runs
only the named modules and replaces only their sections (each stamped with its run), keeping
the others as the earlier run wrote them. The "before and after" section below the KEEP marker is written by
hand (profiles, fixes) and carried over from one run to the next.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib
import os
import pkgutil
import sys
import time
from pathlib import Path

import asyncpg

import bench
from bench import _common
from bench._common import QUICK, machine

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / ("docs/BENCHMARKS.md" if not QUICK else ".endorse/BENCHMARKS.quick.md")
KEEP = "<!-- make bench keeps everything below this line -->"


def _load_average() -> str:
    try:
        return ", ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


async def _pg_version() -> str:
    """The version of the embedded server the benchmarks ran on."""
    if _common._SERVER is None:
        return ""
    conn = await asyncpg.connect(_common._SERVER[0])
    try:
        return await conn.fetchval("show server_version")
    finally:
        await conn.close()


def main(argv: list[str]) -> int:
    wanted = {f"bench_{name.removeprefix('bench_')}" for name in argv}
    names = [
        m.name
        for m in sorted(pkgutil.iter_modules(bench.__path__), key=lambda m: m.name)
        if m.name.startswith("bench_") and (not wanted or m.name in wanted)
    ]
    if not names:
        print("no benchmarks matched")
        return 0
    kept = ""
    if OUT.exists() and KEEP in OUT.read_text():
        kept = OUT.read_text().split(KEEP, 1)[1].strip()
    sections: list[str] = []
    started, load_before = time.perf_counter(), _load_average()
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        print(f"running {name} ...", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        sections.append(module.run())
        print(f"  {name}: {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
        # written after every module: a run cut short still leaves what it measured
        _write(argv, sections, len(names), started, load_before, kept)
    print(f"wrote {OUT} in {time.perf_counter() - started:.0f} s")
    return 0


def _section_of(text: str) -> str:
    """The module a section measures, from its heading: "## Results ingest (`bench/x.py`)"."""
    first = text.split("\n", 1)[0]
    return first.split("`bench/", 1)[1].split("`", 1)[0] if "`bench/" in first else first


def _rerun(old: str, sections: list[str], stamp: str) -> str:
    """The previous file with the re-run modules' sections replaced (stamped with this run)
    and every other section, header and all, kept as that earlier run wrote it."""
    body = old.split(KEEP, 1)[0].rstrip()
    header, *parts = body.split("\n## ")
    parts = ["## " + part.rstrip() for part in parts]
    new = {_section_of(section): f"{section}\n\n{stamp}" for section in sections}
    merged = [new.pop(_section_of(part), part) for part in parts] + list(new.values())
    return header.rstrip() + "\n\n" + "\n\n".join(merged)


def _write(
    argv: list[str], sections: list[str], total: int, started: float, load: str, kept: str
) -> None:
    took = time.perf_counter() - started
    command = "make bench" + (" QUICK=1" if QUICK else "")
    if argv:
        command = f"python -m bench {' '.join(sorted(argv))}" + (" (QUICK)" if QUICK else "")
    partial = "" if len(sections) == total else f", partial: {len(sections)} of {total} modules"
    if argv and OUT.exists() and KEEP in OUT.read_text():
        # some modules re-run: the others keep their figures and the header its run's line
        stamp = (
            f"_Re-run alone: `{command}` ({took:.0f} s{partial}), "
            f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, load average before / after: "
            f"{load} / {_load_average()}; the header above describes the run of the other "
            "sections._"
        )
        text = _rerun(OUT.read_text(), sections, stamp)
        OUT.write_text(text + f"\n\n{KEEP}\n\n{kept}\n")
        return
    header = (
        "# Benchmarks\n\n"
        "Written by `make bench`; every figure is a ratio against a baseline measured in the same "
        "run (median of 3 runs), so the load of a shared machine hits both sides alike.\n\n"
        f"- command: `{command}` ({took:.0f} s{partial})\n"
        f"- date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC\n"
        f"- machine: {machine(asyncio.run(_pg_version()))}\n"
        f"- load average before / after: {load} / {_load_average()} "
        f"(1, 5, 15 min; above 2 the two cores were shared with other work)\n"
    )
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(header + "\n" + "\n\n".join(sections) + f"\n\n{KEEP}\n\n{kept}\n")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
