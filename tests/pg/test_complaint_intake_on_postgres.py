"""The concurrent-filing test of tests/unit, collected again here so it runs on PostgreSQL."""

from tests.unit.complaints.test_intake_concurrency import *  # noqa: F403
