"""PostgreSQL repeats a refused row's values in its error detail; none of them may reach an
exception the portal logs (services/core/db.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from services.core.db import unit_of_work

CANARY = "金丝雀行值8642"


def _insert(session, description: str | None, receipt_key: str) -> None:
    session.execute(
        text(
            "INSERT INTO complaint_case (status, version, channel, identity_mode, is_demo, types,"
            " district_code, target_name, target_key, target_address, location_text, observed_on,"
            " ongoing, description, wishes, published, public_summary, public_location,"
            " public_target, public_outcome, remediation, filed_at, filed_on, acceptance_due,"
            " extension_days, extension_requested_days, transferred_to, provisional_due,"
            " finding, reply, not_accepted_reason, escalated, rating, rating_comment,"
            " updated_at, receipt_key)"
            " VALUES ('submitted', 1, 'web', 'anonymous', false, 'air.odour', '520102',"
            " :canary, '', '', :canary, '2026-11-01', false, :description, '', false, '', '',"
            " '', '', '', now(), '2026-11-01', '2026-11-08', 0, 0, '', false, '', '', '',"
            " false, '', '', now(), :receipt_key)"
        ),
        {"canary": CANARY, "description": description, "receipt_key": receipt_key},
    )


@pytest.mark.parametrize("violation", ["not null", "unique"])
def test_a_refused_row_never_reaches_the_error_text(engine, violation):
    if violation == "unique":
        with unit_of_work(engine) as session:
            _insert(session, "first", CANARY)
    with pytest.raises(IntegrityError) as caught, unit_of_work(engine) as session:
        _insert(session, None if violation == "not null" else "second", CANARY)
    error = caught.value
    assert CANARY not in str(error) and CANARY not in repr(error)
    assert CANARY not in str(error.orig)
    assert error.orig.sqlstate in ("23502", "23505")  # the class callers test is kept
