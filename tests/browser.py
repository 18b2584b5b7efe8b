"""Headless Debian chromium driven by Playwright, for the browser tests.

Never a downloaded browser: Playwright launches /usr/bin/chromium (`apt-get install -y chromium`;
.ci/run installs it when missing). Without it the browser tests skip and say why.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Without the background-networking flags chromium keeps dialling Google, which this closed
# network refuses; --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_executable() -> str:
    found = os.environ.get("ENDORSE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(found).exists():
        pytest.skip("chromium not installed: `apt-get install -y chromium` (.ci/run does this)")
    return found


def screenshot_dir() -> Path | None:
    """Where tests save the committed screenshots: set ENDORSE_SCREENSHOTS=docs/screenshots."""
    target = os.environ.get("ENDORSE_SCREENSHOTS")
    if not target:
        return None
    path = Path(target)
    path.mkdir(parents=True, exist_ok=True)
    return path
