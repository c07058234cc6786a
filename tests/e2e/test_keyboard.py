"""Filing and tracking a report with the keyboard alone.

A resident who cannot use a mouse files a confidential report on /report and opens it on /track
with the receipt: every step is a key press (Tab and Shift+Tab to move, typing, Space and Enter,
arrow keys in lists and radio groups); the test only reads the page. The optional photo and map
point are left out: the photo's file dialog belongs to the operating system, and the map point has
latitude and longitude fields of its own. Field values follow tests/e2e/test_complaints.py.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Locator, Page, expect

from services.core.clock import beijing, utcnow

from .portal_e2e import PortalServer, ScriptRuns, app_idle, h1, open_streamlit
from .test_complaints import case_row, keyed, t

pytestmark = pytest.mark.e2e

ZH = "zh_CN"
TYPE_SEARCH = "恶臭"
DISTRICT_SEARCH = "云岩"
DISTRICT_NAME = "云岩区"
NUMBER = re.compile(r"GY-\d{4}-\d{6}")
VALUES = {
    "location": "键盘路一号附近",
    "target": "键盘示例化工厂",
    "description": "每天夜里厂区排放刺鼻的恶臭气体，邻居们无法开窗睡觉，已经持续两周。",
    "wishes": "请尽快到现场查处。",
    "name": "键盘测试者",
    "phone": "13907390002",
}
MAX_TABS = 80


def is_focused(target: Locator) -> bool:
    return bool(target.evaluate("(node) => node === document.activeElement"))


def focus_by_tab(page: Page, target: Locator, *, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until `target` has the focus, as a keyboard user moves."""
    expect(target).to_have_count(1)
    for _ in range(MAX_TABS):
        if is_focused(target):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"{target} never got the focus in {MAX_TABS} presses of Tab")


def type_and_leave(runs: ScriptRuns, field: Locator, value: str) -> None:
    """Tab to a text field, type, and Tab on (Streamlit sends the value when the field is left)."""
    page = runs.page
    focus_by_tab(page, field)
    page.keyboard.type(value)
    runs.after(lambda: page.keyboard.press("Tab"))
    expect(field).to_have_value(value)


def choose(runs: ScriptRuns, combobox: Locator, search: str, option: str) -> None:
    """Tab to a select, type to filter its list down to the option, and press Enter."""
    page = runs.page
    focus_by_tab(page, combobox)
    page.keyboard.type(search)
    options = page.get_by_role("listbox").get_by_role("option")
    expect(options.filter(has_text=option)).to_have_count(1)
    expect(options).to_have_count(1)  # the search leaves one: the highlighted one
    runs.after(lambda: page.keyboard.press("Enter"))


def test_a_report_is_filed_and_tracked_with_the_keyboard_only(
    page: Page, portal: PortalServer
) -> None:
    lang = ZH
    runs = ScriptRuns(page)
    open_streamlit(
        page,
        portal.url(f"/report?lang={lang}"),
        expect_h1=t(lang, "Report an environmental problem"),
    )

    # What and where.
    types = keyed(page, "report_types").get_by_role("combobox")
    choose(runs, types, TYPE_SEARCH, f"{t(lang, 'Air')} · {t(lang, 'Odour')}")
    page.keyboard.press("Escape")  # the multiselect keeps its list open for more choices
    expect(keyed(page, "report_types").get_by_text(t(lang, "Odour"))).to_be_visible()
    district = keyed(page, "report_district").get_by_role("combobox")
    choose(runs, district, DISTRICT_SEARCH, DISTRICT_NAME)
    expect(district).to_have_value(DISTRICT_NAME)
    type_and_leave(runs, keyed(page, "report_location").locator("input"), VALUES["location"])
    type_and_leave(runs, keyed(page, "report_target_name").locator("input"), VALUES["target"])

    # What happened: the date typed segment by segment, then the checkbox with Space.
    observed = beijing(utcnow()).date() - timedelta(days=3)
    date_field = keyed(page, "report_observed_on")
    first_segment = date_field.locator("[role=spinbutton]").first
    focus_by_tab(page, first_segment)
    page.keyboard.type(observed.strftime("%Y%m%d"))  # the segments advance by themselves

    def leave_the_date() -> None:
        page.keyboard.press("Tab")  # to the calendar button
        expect(date_field.get_by_test_id("stDateInputCalendarButton")).to_be_focused()
        page.keyboard.press("Tab")

    runs.after(leave_the_date)
    for part, value in (("year", observed.year), ("month", observed.month), ("day", observed.day)):
        segment = date_field.locator(f"[role=spinbutton][data-type={part}]")
        expect(segment).to_have_attribute("aria-valuenow", str(value))
    ongoing = keyed(page, "report_ongoing").locator("input")
    focus_by_tab(page, ongoing)
    runs.after(lambda: page.keyboard.press("Space"))
    expect(ongoing).to_be_checked()
    type_and_leave(
        runs, keyed(page, "report_description").locator("textarea"), VALUES["description"]
    )
    type_and_leave(runs, keyed(page, "report_wishes").locator("textarea"), VALUES["wishes"])

    # Who you are: the radio group moves with the arrow keys.
    identity = keyed(page, "report_identity_mode")
    focus_by_tab(page, identity.get_by_role("radio").first)
    runs.after(lambda: page.keyboard.press("ArrowDown"))
    expect(identity.get_by_role("radio").nth(1)).to_be_checked()
    type_and_leave(runs, keyed(page, "report_name").locator("input"), VALUES["name"])
    type_and_leave(runs, keyed(page, "report_phone").locator("input"), VALUES["phone"])
    truthful = keyed(page, "report_truthful").locator("input")
    focus_by_tab(page, truthful)
    runs.after(lambda: page.keyboard.press("Space"))
    expect(truthful).to_be_checked()

    # A field can be reached again backwards, and what was typed is still there.
    location = keyed(page, "report_location").locator("input")
    focus_by_tab(page, location, backwards=True)
    expect(location).to_have_value(VALUES["location"])

    # Send with Enter on the button.
    submit = keyed(page, "report_submit").get_by_role("button")
    focus_by_tab(page, submit)
    page.keyboard.press("Enter")
    expect(page.get_by_text(t(lang, "Your report has been received."))).to_be_visible()
    app_idle(page)
    number = page.locator("strong").filter(has_text=NUMBER).first.inner_text().strip()
    assert NUMBER.fullmatch(number), number
    receipt = page.get_by_test_id("stCode").inner_text().strip()
    assert len(receipt.replace(" ", "")) == 20, receipt
    stored = case_row(portal, number)
    assert stored["types"] == "air.odour" and stored["district_code"] == "520103"
    assert stored["location_text"] == VALUES["location"] and stored["ongoing"]
    assert stored["observed_on"] == observed.isoformat()
    assert stored["identity_mode"] == "confidential" and len(stored["identity"]) == 1

    # Tracking: to "Track my report" in the sidebar by keyboard, then the receipt and Enter.
    track_link = page.get_by_test_id("stSidebarNav").get_by_role(
        "link", name=t(lang, "Track my report")
    )
    focus_by_tab(page, track_link, backwards=True)
    page.keyboard.press("Enter")
    expect(h1(page)).to_have_text(t(lang, "Track my report"))
    app_idle(page)
    box = page.get_by_label(t(lang, "Receipt"), exact=True)
    focus_by_tab(page, box)
    page.keyboard.type(receipt)
    runs.after(lambda: page.keyboard.press("Enter"))  # Enter sends the field's value
    button = page.get_by_role("button", name=t(lang, "Open my report"), exact=True)
    focus_by_tab(page, button)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=number, exact=True)).to_be_visible()
    app_idle(page)
    expect(page.get_by_role("heading", name=t(lang, "Awaiting moderation"))).to_be_visible()
