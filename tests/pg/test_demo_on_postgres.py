"""After `portal seed-demo` on PostgreSQL the portal writes new rows: no key is handed out twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, text
from sqlmodel import Session, SQLModel

from services import demo, domains
from services.complaints.model import ComplaintCase
from services.core.clock import BEIJING
from tests.unit.complaints.conftest import a_report, file

UNTIL = datetime(2026, 11, 1, 0, 0, tzinfo=BEIJING)


def seed(engine) -> None:
    demo.generate(engine, size=demo.DemoSize.SMALL, until=UNTIL, with_staff=True)


def test_every_key_sequence_is_past_its_tables_highest_id_after_seeding(engine):
    seed(engine)
    checked: dict[str, tuple[int, int]] = {}
    with engine.connect() as conn:
        for name in sorted({t for m in domains.domains() for t in m.tables}):
            table = SQLModel.metadata.tables[name]
            for column in table.primary_key.columns:
                sequence = conn.execute(
                    select(func.pg_get_serial_sequence(table.fullname, column.name))
                ).scalar()
                if sequence is None:
                    continue
                highest = conn.execute(select(func.max(column))).scalar() or 0
                following = conn.execute(text("SELECT nextval(:s)"), {"s": sequence}).scalar()
                checked[name] = (highest, following)
    # the tables the sample data fills with ids of its own are among those checked
    assert {"complaint_case", "complaint_event", "air_hourly", "water_sample"} <= set(checked)
    assert checked["complaint_case"][0] > 0
    assert {n: v for n, v in checked.items() if v[1] <= v[0]} == {}


def test_a_resident_files_a_complaint_after_seeding(engine):
    seed(engine)
    with Session(engine) as session:
        seeded = session.execute(select(func.max(ComplaintCase.id))).scalar_one()
        known_target = session.execute(
            select(ComplaintCase.target_name)
            .where(ComplaintCase.target_name != "", ComplaintCase.repeat_of_id.is_not(None))
            .limit(1)
        ).scalar_one()
    # as the form does it (portal/complaints/form.py): one unit of work through the intake
    fresh = file(engine, a_report(target_name="一家从未被投诉过的企业"))
    repeat = file(engine, a_report(target_name=known_target))
    assert seeded < fresh.case_id < repeat.case_id
    with Session(engine) as session:
        stored = session.get(ComplaintCase, repeat.case_id)
        numbers = session.execute(select(ComplaintCase.number)).scalars().all()
    assert stored.number == repeat.number and len(numbers) == len(set(numbers)) == seeded + 2


def test_a_resident_files_through_the_public_form_after_seeding(engine, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    import portal.kit.auth
    from tests.app.conftest import ENTRYPOINT
    from tests.app.test_complaints_pages import fill_report

    seed(engine)
    with Session(engine) as session:
        seeded = session.execute(select(func.max(ComplaintCase.id))).scalar_one()
    st.cache_data.clear()
    st.cache_resource.clear()
    monkeypatch.setattr(portal.kit.auth, "session_cookie_value", lambda: None)
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("../pages/complaints/complaint_file.py")
    at.run()
    fill_report(at, target_name="一家从未被投诉过的企业")
    at.button(key="report_submit").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Your report has been received."]
    with Session(engine) as session:
        newest = session.execute(select(ComplaintCase).order_by(ComplaintCase.id.desc())).scalar()
    assert newest.id == seeded + 1 and newest.number in "\n".join(m.value for m in at.markdown)
