"""Where the SQL files live: beside the package in a wheel, at the repo root in a checkout."""

from pathlib import Path

_PACKAGED = Path(__file__).resolve().parents[1] / "_sql"
_CHECKOUT = Path(__file__).resolve().parents[3] / "sql"

SQL_DIR: Path = _PACKAGED if _PACKAGED.is_dir() else _CHECKOUT
