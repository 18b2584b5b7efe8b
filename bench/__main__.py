"""`make bench`: run every benchmark module and write docs/BENCHMARKS.md.

`make bench QUICK=1` runs smaller sizes (under two minutes) and writes .endorse/BENCHMARKS.quick.md
instead, so a quick look never replaces the full figures. `python -m bench ingest parsers` runs
only the named modules. The "before and after" section below the KEEP marker is written by
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
    sections: list[str] = []
    started, load_before = time.perf_counter(), _load_average()
    for info in sorted(pkgutil.iter_modules(bench.__path__), key=lambda m: m.name):
        if not info.name.startswith("bench_") or (wanted and info.name not in wanted):
            continue
        module = importlib.import_module(f"bench.{info.name}")
        print(f"running {info.name} ...", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        sections.append(module.run())
        print(f"  {info.name}: {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    if not sections:
        print("no benchmarks matched")
        return 0
    took = time.perf_counter() - started
    pg_version = asyncio.run(_pg_version())
    kept = ""
    if OUT.exists() and KEEP in OUT.read_text():
        kept = OUT.read_text().split(KEEP, 1)[1].strip()
    command = "make bench" + (" QUICK=1" if QUICK else "")
    if wanted:
        command = f"python -m bench {' '.join(sorted(argv))}" + (" (QUICK)" if QUICK else "")
    header = (
        "# Benchmarks\n\n"
        "Written by `make bench`; every figure is a ratio against a baseline measured in the same "
        "run (median of 3 runs), so the load of a shared machine hits both sides alike.\n\n"
        f"- command: `{command}` ({took:.0f} s)\n"
        f"- date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC\n"
        f"- machine: {machine(pg_version)}\n"
        f"- load average before / after: {load_before} / {_load_average()} "
        f"(1, 5, 15 min; above 2 the two cores were shared with other work)\n"
    )
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(header + "\n" + "\n\n".join(sections) + f"\n\n{KEEP}\n\n{kept}\n")
    print(f"wrote {OUT} in {took:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
