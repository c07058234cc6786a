"""Many residents filing at once about one target: none fails, each is linked and escalated once."""

from __future__ import annotations

import threading
import traceback

from sqlalchemy import func, select
from sqlmodel import Session

from services.complaints import intake
from services.complaints.model import ComplaintCase, ComplaintEvent
from tests.unit.complaints.conftest import a_report, file

SUBMITTERS, PER_SUBMITTER = 16, 6
TARGET = "某某化工有限公司"


def test_concurrent_filings_about_one_target_all_succeed_and_escalate_once(engine):
    errors: list[str] = []
    filed: list[intake.Filed] = []
    lock = threading.Lock()
    start = threading.Barrier(SUBMITTERS)

    def submitter(n: int) -> None:
        start.wait()
        for k in range(PER_SUBMITTER):
            try:  # as the form does (portal/complaints/form.py): one unit of work per filing
                one = file(engine, a_report(location=f"南明区某路{n}-{k}号旁"))
            except Exception:  # every failure is counted and shown
                with lock:
                    errors.append(traceback.format_exc(limit=3))
                continue
            with lock:
                filed.append(one)

    threads = [threading.Thread(target=submitter, args=(n,)) for n in range(SUBMITTERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == [], errors[0]
    total = SUBMITTERS * PER_SUBMITTER
    with Session(engine) as session:
        cases = session.execute(select(ComplaintCase).order_by(ComplaintCase.id)).scalars().all()
        escalations = session.execute(
            select(ComplaintEvent.case_id, func.count())
            .where(ComplaintEvent.action == "escalate")
            .group_by(ComplaintEvent.case_id)
        ).all()
    assert len(filed) == len(cases) == total
    assert {c.id for c in cases} == {f.case_id for f in filed}
    numbers = [c.number for c in cases]
    assert None not in numbers and len(set(numbers)) == total
    assert {c.target_key for c in cases} == {intake.normalise_target(TARGET)}
    # the rules (services/complaints/intake.py): each complaint links to the first open one
    # against the target, so there is one first complaint and every other one points at it ...
    roots = [c.id for c in cases if c.repeat_of_id is None]
    assert len(roots) == 1
    assert {c.repeat_of_id for c in cases if c.id != roots[0]} == {roots[0]}
    # ... and from the third open complaint on, all of them are escalated, each exactly once
    assert all(c.escalated for c in cases)
    assert dict(escalations) == {c.id: 1 for c in cases}
