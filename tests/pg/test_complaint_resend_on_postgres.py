"""The resent-form tests of tests/unit (same-token threads included), collected again here so
they run on PostgreSQL."""

from tests.unit.complaints.test_intake_resend import *  # noqa: F403
