"""The same hostile upstream and election as tests/reliability (one definition, shared), and the
staff accounts of the staff tests."""

from tests.reliability.conftest import SLUG, _hostile, add, hostile, stage
from tests.staff.conftest import staff_users

__all__ = ["SLUG", "_hostile", "add", "hostile", "staff_users", "stage"]
