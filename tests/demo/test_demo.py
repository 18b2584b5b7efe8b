"""`endorse demo --once` walks the simulated night through the real CLI, feed, ingest and rules."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ENDORSE = str(Path(sys.executable).with_name("endorse"))


def test_demo_night_reaches_the_hand_counted_rates(db_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": db_url, "ENDORSE_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [ENDORSE, "demo", "--once"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    # Hand count from endorse.demo.night:
    # 0 towns: nothing reports, all 5 endorsed races pending.
    assert lines[0].startswith("[0 of 4 towns] None of the 5 races")
    # 2 towns: Senate 7 (Chen 5600-4900) won, House 45 (Delgado, write-ins only) won,
    # House 12 (O'Brien 2200-2650) lost; Governor (7 of 10 places) and Senate 12 (no towns) wait.
    assert "2 won (67%); 2 more races are still pending" in lines[1]
    assert "between 40% and 80%" in lines[1]
    # 4 towns: Governor Alvarez 14160 (D+WF) - Kline 13460 won; Senate 12 Natarajan 2322 -
    # Greer 2310 is a 12-vote margin, under 20: recanvass, still pending.
    assert "3 won (75%); 1 more race is still pending" in lines[2]
    assert lines[3].startswith("[official]")
    assert "3 won (75%)" in lines[3]


def test_demo_can_run_twice_on_one_database(db_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": db_url, "ENDORSE_DATA_DIR": str(tmp_path)}
    for _ in range(2):
        result = subprocess.run(
            [ENDORSE, "demo", "--once"], env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stderr
    assert "3 won (75%)" in result.stdout.splitlines()[-1]
