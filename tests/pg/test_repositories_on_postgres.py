"""The repository tests of tests/unit, collected again here so they run on PostgreSQL."""

from tests.unit.test_accounts import *  # noqa: F403
from tests.unit.test_data_layer import *  # noqa: F403
from tests.unit.test_demo import *  # noqa: F403
from tests.unit.water.test_importer import *  # noqa: F403
