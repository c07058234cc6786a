"""Hostile input on PostgreSQL, which refuses what SQLite stores (NUL in text): every open-data
endpoint fuzzed as in tests/app/test_hostile_input.py (fewer examples), and a reporter's text
with control characters."""

from __future__ import annotations

import pytest

from tests.app.test_hostile_input import ENDPOINTS, api, fuzz_endpoint  # noqa: F401  (a fixture)

# the reporter's text with control characters, stored on PostgreSQL (which refuses NUL)
from tests.app.test_hostile_regressions import (  # noqa: F401  (collected here again)
    test_a_reporters_text_is_stored_without_control_characters,
)

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.path)
def test_every_open_data_parameter_answers_hostile_text_on_postgres(endpoint, api):  # noqa: F811
    assert 500 not in fuzz_endpoint(endpoint, api, count=30)
