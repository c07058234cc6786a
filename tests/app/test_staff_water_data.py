"""The water-data page: data editors only; a bad upload lists its problems and imports nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from services.water import sections
from services.water.model import water_sample

HEADER = "section_code,sampled_on,item,value,unit"
DAY = "2001-03-01"  # before any sample data


@pytest.fixture
def water_db(portal_db):
    return portal_db


def samples(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(water_sample)).scalar_one()


def upload(at, body: str):
    at.file_uploader[0].set_value(("samples.csv", body.encode(), "text/csv"))
    at.run()
    at.button[0].click().run()
    return at


@pytest.mark.parametrize("user", ["handler", "supervisor"])
def test_only_data_editors_can_open_the_water_data_page(open_portal, user):
    at = open_portal("staff/staff_desk.py", as_user=user)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("../pages/water/staff_water_data.py")


def test_an_anonymous_reader_cannot_open_the_water_data_page(open_portal):
    at = open_portal()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("../pages/water/staff_water_data.py")


def test_the_page_shows_the_item_codes_and_a_template(open_portal, water_db):
    at = open_portal("water/staff_water_data.py", as_user="editor", lang="en")
    assert not at.exception
    assert [t.value for t in at.title] == ["Water data"]
    codes = at.dataframe[0].value
    assert {"NH3_N", "pH", "fecal_coliform"} <= set(codes["Code"])
    assert list(codes.loc[codes["Code"] == "fecal_coliform", "Unit"]) == ["count/L"]


def test_a_bad_upload_lists_its_problems_and_imports_nothing(open_portal, water_db):
    code = sections.sections()[0].code
    before = samples(water_db)
    at = open_portal("water/staff_water_data.py", as_user="editor", lang="en")
    body = f"{HEADER}\n{code},{DAY},NH3_N,0.3,mg/L\n{code},{DAY},Hg,0.05,ug/L\n"
    upload(at, body)
    assert not at.exception
    assert at.error[0].value == (
        "Nothing was imported. Correct these problems and upload the file again."
    )
    problems = at.dataframe[1].value
    assert list(problems["Line"]) == [3]
    assert list(problems["Column"]) == ["unit"]
    assert list(problems["Problem"]) == ["Hg must be given in mg/L, not ug/L."]
    assert samples(water_db) == before


def test_a_good_upload_is_imported(open_portal, water_db):
    code = sections.sections()[0].code
    before = samples(water_db)
    at = open_portal("water/staff_water_data.py", as_user="editor", lang="en")
    upload(at, f"{HEADER}\n{code},{DAY},NH3_N,0.3,mg/L\n{code},{DAY},pH,7.4,\n")
    assert not at.exception
    assert at.success[0].value == "Imported 2 values; samples created or completed: 1."
    assert samples(water_db) == before + 1
