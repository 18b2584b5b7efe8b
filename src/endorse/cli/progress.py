"""What `endorse results load` shows: a rich progress bar while it works, a summary after."""

from __future__ import annotations

from types import TracebackType

import msgspec
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from endorse.cli.helpers import print_json
from endorse.results.pipeline import PollResult

_NEXT = {"fetched": "parsing", "parsed": "applying", "applied": "done"}


class LoadProgress:
    """A three-step bar (fetch, parse, apply) on stderr; callable as the pipeline's progress."""

    def __init__(self, target: str, *, quiet: bool = False) -> None:
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            disable=quiet,
            transient=False,
        )
        self._task = self._progress.add_task(f"fetching {target}", total=3)

    def __call__(self, step: str) -> None:
        self._progress.update(self._task, advance=1, description=_NEXT.get(step, step))

    def __enter__(self) -> LoadProgress:
        self._progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._progress.stop()


def report(result: PollResult, elapsed: float, *, as_json: bool) -> int:
    """Print the outcome (JSON for scripts, else the summary); exit code 0 when all went well."""
    if as_json:
        print_json(msgspec.to_builtins(result) | {"elapsed": round(elapsed, 3)})
    else:
        print(summary(result, elapsed))
    return 0 if result.outcome in ("applied", "unchanged") else 1


def summary(result: PollResult, elapsed: float) -> str:
    """One or two lines: what the load did, or why it did not."""
    if result.outcome == "applied" and result.stats is not None:
        s = result.stats
        line = (
            f"applied snapshot {result.snapshot_id}: {s.contests} contests "
            f"({s.contests_changed} changed, {s.contests_created} new), {s.candidates} candidates, "
            f"{s.records} rows read, {s.rows_changed} rows changed "
            f"({s.rows_written} written, {s.rows_deleted} deleted) in {elapsed:.2f}s"
        )
        return "\n".join([line, *(f"  note: {note}" for note in s.notes)])
    if result.outcome == "unchanged":
        return f"unchanged since the last load: nothing written ({elapsed:.2f}s)"
    if result.outcome == "quarantined":
        return (
            f"quarantined (snapshot {result.snapshot_id} kept, previous results untouched): "
            f"{result.error}"
        )
    if result.outcome == "busy":
        return "busy: a worker is polling this source right now; try again"
    if result.outcome == "not_due":  # a forced load is only held back by a Retry-After
        return result.error or "not due"
    return f"failed: {result.error}"
