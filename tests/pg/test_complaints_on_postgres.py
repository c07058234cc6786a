"""The complaint workflow tests of tests/unit, collected again here so they run on PostgreSQL:
every transition, the deadlines, permissions, and two handlers acting on one case at once."""

from tests.unit.complaints.conftest import staff  # noqa: F401  (a fixture of those tests)
from tests.unit.complaints.test_workflow import *  # noqa: F403
