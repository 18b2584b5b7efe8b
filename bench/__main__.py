"""`make bench`: run every benchmark module and write docs/BENCHMARKS.md."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

import bench

OUT = Path(__file__).resolve().parents[1] / "docs" / "BENCHMARKS.md"


def main() -> int:
    sections: list[str] = []
    for info in sorted(pkgutil.iter_modules(bench.__path__), key=lambda m: m.name):
        if not info.name.startswith("bench_"):
            continue
        module = importlib.import_module(f"bench.{info.name}")
        print(f"running {info.name} ...", file=sys.stderr)
        sections.append(module.run())
    if not sections:
        print("no benchmarks yet")
        return 0
    OUT.parent.mkdir(exist_ok=True)
    OUT.write_text(
        "# Benchmarks\n\nWritten by `make bench`; every figure is a ratio against a "
        "baseline measured in the same run.\n\n" + "\n\n".join(sections) + "\n"
    )
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
