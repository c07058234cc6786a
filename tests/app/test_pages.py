"""What each page shows, and how its forms behave."""

from __future__ import annotations

import json

from sqlmodel import select

from services.core import accounts, audit
from services.core.db import unit_of_work
from tests.conftest import add_staff


def test_home_tiles_show_the_city_aqi_water_share_and_this_years_cases(open_portal, portal_db):
    from services.air.now import CITY, air_now
    from services.complaints.workflow import today
    from services.water.public import latest_month_shares

    with unit_of_work(portal_db) as session:
        city = air_now(session)[CITY].result
        water = latest_month_shares(session)
    cases = _published_cases_counted_by_hand(portal_db, today())
    at = open_portal(lang="en")
    tiles = [m.value for m in at.markdown if m.value.startswith("### ")]
    assert tiles == [
        f"### AQI {city.aqi} · {city.category.en}",
        f"### {float(water.good_share):.1%} at class III or better",
        f"### {cases['this_year']:,} cases in {today().year}",
    ]
    captions = " ".join(c.value for c in at.caption)
    assert f"{water.good} of {water.sections} sections in {water.period:%Y-%m}" in captions
    assert "City mean of 9 stations, hour ending 1 Nov 2026, 00:00:00 (Beijing time)" in captions
    assert "HJ 633-2026" in captions
    rate = cases["on_time"] / cases["closed"]
    assert (
        f"Closed on time: {rate:.1%} ({cases['on_time']:,} of {cases['closed']:,} closed cases). "
        f"Overdue now: {cases['overdue']:,}."
    ) in captions
    assert cases["this_year"] > 0 and cases["overdue"] > 0  # the sample data has both


def _published_cases_counted_by_hand(engine, on):
    """The tile's figures straight from the table, row by row in Python."""
    from services.complaints.catalog import OPEN
    from services.complaints.model import ComplaintCase

    with unit_of_work(engine) as session:
        rows = session.exec(select(ComplaintCase).where(ComplaintCase.published)).all()
    this_year = [c for c in rows if c.filed_on.year == on.year]
    closed = [c for c in this_year if c.closed_on and c.accepted_on]
    return {
        "this_year": len(this_year),
        "closed": len(closed),
        "on_time": sum(c.closed_on <= c.closure_due for c in closed),
        "overdue": sum(c.status in OPEN and c.current_due and c.current_due < on for c in rows),
    }


def test_home_shows_the_sample_data_banner_while_demo_data_is_loaded(open_portal):
    at = open_portal(lang="zh_CN")
    assert at.warning[0].value.startswith("**示例数据**")


def test_home_without_sample_data_has_no_banner(engine):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import ENTRYPOINT

    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(ENTRYPOINT, default_timeout=30).run()
    assert not at.exception
    assert len(at.warning) == 0
    assert "尚未载入站点监测数据。" in [c.value for c in at.caption]


def test_home_cites_the_plan_for_its_targets(open_portal):
    at = open_portal(lang="en")
    table = at.dataframe[0].value
    assert list(table["2025 target"]) == ["≥95", "≥95", "0", "Stay above 90%"]
    assert any("table 2-1" in c.value for c in at.caption)


def test_about_page_has_its_three_sections_in_the_chosen_language(open_portal):
    at = open_portal("home/about.py", lang="en")
    assert [t.label for t in at.tabs] == ["About", "Privacy", "How we compute"]
    assert any(m.value.startswith("### Privacy notice") for m in at.markdown)


def test_switching_language_rewrites_the_url(open_portal):
    at = open_portal(lang="zh_CN")
    at.segmented_control(key="lang_switch").set_value("en").run()
    assert at.query_params["lang"] == "en"
    assert [t.value for t in at.title] == ["Guiyang Eco-Environment Public Portal"]


def _add_form(at):
    return {
        "username": at.text_input[0],
        "display": at.text_input[1],
        "password": at.text_input[2],
        "roles": at.multiselect[0],
    }


def test_a_bad_new_account_shows_every_problem_in_chinese_and_keeps_the_input(open_portal):
    at = open_portal("staff/staff_users.py", as_user="root")
    form = _add_form(at)
    form["username"].input("new.handler")
    form["display"].input("新受理员")
    form["password"].input("short")
    form["roles"].select(accounts.Role.COMPLAINT_HANDLER)
    at.button[0].click().run()
    assert not at.exception
    error = at.error[0].value
    assert "密码长度至少为 12 个字符。" in error
    assert "密码须包含小写字母、大写字母、数字和符号中的至少三类。" in error
    assert at.text_input[0].value == "new.handler"
    assert at.text_input[1].value == "新受理员"


def test_an_admin_creates_a_district_handler(open_portal, portal_db):
    at = open_portal("staff/staff_users.py", as_user="root", lang="en")
    form = _add_form(at)
    form["username"].input("yunyan.handler")
    form["display"].input("Yunyan Handler")
    form["password"].input("Another-Good-pass-7")
    form["roles"].select(accounts.Role.COMPLAINT_HANDLER)
    at.selectbox[0].select("520103")
    at.button[0].click().run()
    assert not at.exception
    # the username is shown through portal/kit/ui.py literal(): its "." escaped
    assert at.success[0].value == "Account yunyan\\.handler created."
    with unit_of_work(portal_db) as session:
        user = session.exec(
            select(accounts.StaffUser).where(accounts.StaffUser.username == "yunyan.handler")
        ).one()
        assert accounts.grants_of(session, user.id) == (
            accounts.Grant(accounts.Role.COMPLAINT_HANDLER, "520103"),
        )


def test_reading_the_audit_log_is_itself_audited(open_portal, portal_db):
    at = open_portal("staff/staff_audit.py", as_user="root", lang="en")
    assert not at.exception
    events = list(at.dataframe[0].value["Event"])
    assert "Account created" in events
    with unit_of_work(portal_db) as session:
        reads = session.exec(
            select(audit.AuditEntry).where(audit.AuditEntry.action == "audit.read")
        ).all()
    assert [r.actor for r in reads] == ["root"]
    assert json.loads(reads[0].details)["rows"] == len(events)


def test_staff_desk_lists_the_roles_and_own_activity(open_portal):
    at = open_portal("staff/staff_desk.py", as_user="editor", lang="en")
    assert any(m.value == "- Data editor" for m in at.markdown)
    assert "Account created" in list(at.dataframe[0].value["Event"])


def test_names_typed_by_people_are_never_rendered_as_markdown(open_portal, portal_db):
    add_staff(
        portal_db, "mallory", accounts.Role.DATA_EDITOR,
        display_name="**Boss** [click](https://example.com/x)",
    )  # fmt: skip
    at = open_portal("staff/staff_desk.py", as_user="mallory", lang="en")
    shown = [m.value for m in at.markdown] + [c.value for c in at.sidebar.caption]
    # ui.literal: every ASCII punctuation mark escaped, a word joiner after the colon
    escaped = r"\*\*Boss\*\* \[click\]\(https\:" + "\u2060" + r"\/\/example\.com\/x\)"
    assert any(escaped in s for s in shown)
    assert not any("**Boss**" in s or "[click](" in s for s in shown)


def test_the_language_in_the_url_is_normalised(open_portal):
    at = open_portal(lang="EN")
    assert at.query_params["lang"] == "en"
    assert [t.value for t in at.title] == ["Guiyang Eco-Environment Public Portal"]


def test_a_bad_upload_lists_its_problems_in_chinese_and_imports_nothing(open_portal, portal_db):
    from services.air.observations import AirHourly

    with unit_of_work(portal_db) as session:
        before = len(session.exec(select(AirHourly.id)).all())
    at = open_portal("air/staff_air_data.py", as_user="editor")
    header = "station_code,hour_ending,so2_ug/m3,no2_ug/m3,pm10_ug/m3,pm25_ug/m3,co_mg/m3,o3_ug/m3"
    body = f"{header}\n1441A,2025-06-01T02:00:00,8,20,45,abc,0.6,60\n"  # before the sample data
    at.file_uploader[0].set_value(("bad.csv", body.encode(), "text/csv"))
    at.run()
    at.button[0].click().run()
    assert not at.exception
    assert at.error[0].value == "未导入任何数据。请更正以下问题后重新上传文件。"
    problems = at.dataframe[0].value
    assert list(problems["问题"]) == ["不是数字：abc。"]
    assert list(problems["行号"]) == [2]
    with unit_of_work(portal_db) as session:
        assert len(session.exec(select(AirHourly.id)).all()) == before


def test_only_data_editors_see_the_air_data_page(open_portal):
    import pytest

    at = open_portal("staff/staff_desk.py", as_user="handler")
    with pytest.raises(ValueError):
        at.switch_page("../pages/air/staff_air_data.py")
