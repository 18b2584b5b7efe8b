"""The same hostile upstream and election as tests/reliability (one definition, shared)."""

from tests.reliability.conftest import SLUG, _hostile, add, hostile, stage

__all__ = ["SLUG", "_hostile", "add", "hostile", "stage"]
