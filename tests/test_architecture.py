"""The import graph follows docs/ARCHITECTURE.md: each part imports only itself and the parts
below it, scrapers import nothing of endorse, figures reach results only through its public
snapshot module, and Litestar stays at the HTTP edge (never in a service)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Lowest first. A part may import its own modules and any part of a lower layer; two parts of
# one layer never import each other. "endorse" is the package root (its __version__).
LAYERS: tuple[tuple[str, ...], ...] = (
    ("endorse", "settings", "errors", "vocab", "logs"),
    ("db",),
    ("auth",),
    ("deps", "http_errors", "health", "serving"),
    ("elections", "admin", "users"),
    ("ballot",),
    ("matching",),
    ("endorsements", "results"),
    ("figures",),
    ("dashboard", "web", "staff", "demo"),
    ("app",),
    ("cli",),
    ("__main__",),
)
RANK = {part: i for i, layer in enumerate(LAYERS) for part in layer}

# What another part may import of a part, when not all of it (the part's public surface).
PUBLIC = {("figures", "results"): {"endorse.results", "endorse.results.stored"}}

# Known arrows against the layers, each a debt with its reason; a new one fails the test.
KNOWN: set[tuple[str, str]] = set()

# The HTTP edge: the only modules that may import Litestar.
HTTP_EDGE_PARTS = {"app", "deps", "http_errors", "health", "logs", "web", "dashboard", "staff"}
HTTP_EDGE_MODULES = {"routes", "guards", "transfer"}  # and any *controllers module
# Reads the session cookie off a request, below every part that asks who is signed in.
HTTP_EDGE_NAMED = {"endorse.auth.sessions"}


def modules() -> Iterator[tuple[str, Path]]:
    for base in (ROOT / "src", ROOT):
        package = "endorse" if base.name == "src" else "scrapers"
        for path in sorted((base / package).rglob("*.py")):
            dotted = ".".join(path.relative_to(base).with_suffix("").parts)
            yield dotted.removesuffix(".__init__"), path


def imports(path: Path) -> Iterator[str]:
    """Every absolute import in the file, function-level ones included."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def part(module: str) -> str:
    pieces = module.split(".")
    return pieces[1] if pieces[0] == "endorse" and len(pieces) > 1 else pieces[0]


def violations(edges: list[tuple[str, str]]) -> list[str]:
    """The (importer, imported) pairs that go against the documented direction."""
    found = []
    for importer, imported in edges:
        if importer.startswith("scrapers"):
            if imported.startswith("endorse"):
                found.append(f"{importer} -> {imported}: scrapers are pure, below everything")
            continue
        if imported.startswith("litestar"):
            name = importer.split(".")[-1]
            edge = name in HTTP_EDGE_MODULES or name.endswith("controllers")
            edge = edge or importer in HTTP_EDGE_NAMED
            if part(importer) not in HTTP_EDGE_PARTS and not edge:
                found.append(f"{importer} -> litestar: only the HTTP edge uses Litestar")
            continue
        if not imported.startswith("endorse"):
            continue
        src, dst = part(importer), part(imported)
        if any(importer == a and imported.startswith(b) for a, b in KNOWN):
            continue
        if src == dst or dst not in RANK:
            continue
        if RANK[dst] >= RANK[src]:
            found.append(f"{importer} -> {imported}: {src} may not import {dst}")
        elif (src, dst) in PUBLIC and imported not in PUBLIC[src, dst]:
            allowed = ", ".join(sorted(PUBLIC[src, dst]))
            found.append(f"{importer} -> {imported}: {src} uses {dst} only through {allowed}")
    return found


def test_every_part_is_placed_in_a_layer() -> None:
    parts = {part(m) for m, _ in modules() if m.startswith("endorse")}
    assert parts <= set(RANK), f"add to LAYERS and docs/ARCHITECTURE.md: {parts - set(RANK)}"


def test_imports_follow_the_documented_direction() -> None:
    edges = [(m, imported) for m, path in modules() for imported in imports(path)]
    assert violations(edges) == []


def test_the_check_catches_each_kind_of_wrong_arrow() -> None:
    wrong = [
        ("endorse.results.ingest", "endorse.figures.stats"),  # up
        ("endorse.endorsements.edits", "endorse.results.ingest"),  # sideways
        ("endorse.figures.published", "endorse.results.ingest"),  # past the public surface
        ("endorse.matching.review", "litestar.exceptions"),  # a service using Litestar
        ("scrapers.clarity", "endorse.vocab"),  # a scraper using the app
        ("endorse.demo.run", "endorse.cli.helpers"),  # anything but __main__ using the CLI
    ]
    assert len(violations(wrong)) == len(wrong)
    fine = [
        ("endorse.results.ingest", "endorse.matching.auto"),
        ("endorse.figures.published", "endorse.results.stored"),
        ("endorse.figures.controllers", "litestar"),
        ("endorse.cli.figures", "endorse.figures.stats"),
    ]
    assert violations(fine) == []
