"""The complaint flow in a real browser, step by step against one server.

A resident files a confidential report with a photo (/report), keeps the one-time receipt (code
block, clipboard, download), follows the case with it (/track), a complaint handler publishes,
accepts and questions it at the complaint desk (/staff-complaints), the reporter answers, the
handler closes it, the reporter rates the handling, and the public registry (/complaints), its
Atom feed, Open311 and CSV show the case. Then every public screen and response is searched for
the reporter's private texts ("canaries"), and screenshots are written.

The tests of this module are steps of one flow and run in file order; each later step needs the
earlier ones (`flow` carries the case number and the receipt). Expected texts come from the
message catalogs (portal/locales/<lang>/LC_MESSAGES/messages.po), not from the portal's code.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import timedelta
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from PIL import ExifTags, Image
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from services.core.clock import beijing, utcnow

from .portal_e2e import (
    HOME_H1,
    REPO,
    SCREENSHOT_DIR,
    PortalServer,
    ScriptRuns,
    app_idle,
    h1,
    open_streamlit,
    sign_in,
)
from .test_public_pages import language_switch
from .test_screenshots import full_page_png, new_context

pytestmark = pytest.mark.e2e

ZH, EN = "zh_CN", "en"
LANGS = (ZH, EN)
DISTRICT = "520103"  # 云岩区 / Yunyan District
DISTRICT_NAME = {ZH: "云岩区", EN: "Yunyan District"}
TYPE_CODE = "air.odour"
TYPE_SEARCH = "恶臭"  # what the reporter types into the type list to find it

# What only the reporter, the bureau's staff and the sealed store may ever see. Every private
# text contains 金丝雀 ("canary") and no public text does, so the word itself is a canary too.
CANARY = {
    "name": "金丝雀浏览器甲",
    "phone": "13907390001",
    "location": "金丝雀路乙巷十七号后院",
    "target_address": "金丝雀地址丙号",
    "description": (
        "每天夜里厂区排放刺鼻的恶臭气体，金丝雀描述丁，邻居们无法开窗睡觉，已经持续两周。"
    ),
    "wishes": "金丝雀诉求戊：请尽快到现场查处。",
    "question": "金丝雀提问己：异味通常在几点出现？",
    "answer": "金丝雀回答庚：每晚十点以后最严重。",
    "reply": "金丝雀答复辛：经现场核查，该厂夜间违规排放属实，已责令整改并立案处罚。",
    "rating_comment": "金丝雀评价壬：处理及时，谢谢。",
    "exif": "CANARY-EXIF-E2E-7F3A9C",
}
CANARY_WORD = "金丝雀"
# What the bureau publishes (moderated), and the enterprise name, which is public by design.
PUBLIC = {
    "target": "黔灵示例化工厂E2E",
    "summary": "群众反映云岩区一家化工厂夜间排放异味。",
    "location": "云岩区北京路",
    "outcome": "经现场检查，企业夜间异味排放问题属实，已责令停产整改。",
}
PHOTO_GPS = {"lat": (26.0, 34.0, 12.5), "lon": (106.0, 42.0, 31.25)}
NUMBER = re.compile(r"GY-\d{4}-\d{6}")
GROUPED_RECEIPT = re.compile(r"\d{4}( \d{4}){4}")


# --- catalog texts -----------------------------------------------------------------------------


@cache
def _catalog(lang: str):
    path = REPO / "portal" / "locales" / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as po:
        return read_po(po)


def t(lang: str, msgid: str) -> str:
    """The catalog's text for `msgid` in `lang` (a missing translation fails the test)."""
    message = _catalog(lang).get(msgid)
    assert message is not None and message.string, f"no {lang} text for {msgid!r}"
    return message.string


def markdown_text(text: str) -> str:
    """What a Markdown template looks like on screen (the **strong** markers gone)."""
    return text.replace("**", "")


# --- the flow's shared state -------------------------------------------------------------------


@pytest.fixture(scope="module")
def flow() -> dict:
    """What one step leaves for the next: the case number, the receipt."""
    return {}


def need(flow: dict, *keys: str) -> list:
    missing = [k for k in keys if k not in flow]
    if missing:
        pytest.fail(f"an earlier step of the complaint flow did not finish (no {missing})")
    return [flow[k] for k in keys]


@pytest.fixture(scope="module")
def handler_state(browser: Browser, portal: PortalServer) -> Iterator[dict]:
    """One real sign-in of the module's (city-wide) complaint handler; its cookies are reused."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    try:
        sign_in(context.new_page(), portal, portal.accounts["handler"])
        yield context.storage_state()
    finally:
        context.close()


def case_row(portal: PortalServer, number: str) -> dict:
    """The stored case, read with plain SQL from the module's database."""
    path = portal.engine.url.database
    assert path, portal.engine.url
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        conn.row_factory = sqlite3.Row
        row = conn.execute("SELECT * FROM complaint_case WHERE number = ?", (number,)).fetchone()
        assert row is not None, number
        case = dict(row)
        case["identity"] = [
            bytes(r[0])
            for r in conn.execute(
                "SELECT sealed FROM complaint_identity WHERE case_id = ?", (case["id"],)
            )
        ]
        case["evidence"] = conn.execute(
            "SELECT count(*) FROM complaint_evidence WHERE case_id = ?", (case["id"],)
        ).fetchone()[0]
    return case


# --- the photo ---------------------------------------------------------------------------------


def canary_photo(folder: Path) -> Path:
    """A JPEG with EXIF GPS coordinates and an ImageDescription canary, as phones write them."""
    image = Image.new("RGB", (480, 360), (122, 160, 96))
    for x in range(0, 480, 40):  # some structure, so it is not one flat colour
        image.paste((200, 190, 120), (x, 0, x + 20, 360))
    exif = Image.Exif()
    exif[ExifTags.Base.ImageDescription] = CANARY["exif"]
    exif[ExifTags.Base.Make] = "E2E Camera"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = PHOTO_GPS["lat"]
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = PHOTO_GPS["lon"]
    path = folder / "odour-at-night.jpg"
    image.save(path, "JPEG", exif=exif, quality=90)
    # The upload really carries what must be removed.
    with Image.open(path) as check:
        written = check.getexif()
        assert written[ExifTags.Base.ImageDescription] == CANARY["exif"]
        assert written.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] == PHOTO_GPS["lat"]
    return path


def assert_no_metadata(data: bytes) -> None:
    assert CANARY["exif"].encode() not in data and b"E2E Camera" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        exif = image.getexif()
        assert len(exif) == 0 and not exif.get_ifd(ExifTags.IFD.GPSInfo), dict(exif)


# --- page pieces -------------------------------------------------------------------------------


def keyed(page: Page, key: str) -> Locator:
    """A keyed Streamlit widget's container (Streamlit gives it the class st-key-<key>)."""
    return page.locator(f".st-key-{key}")


def commit(runs: ScriptRuns, field: Locator, value: str) -> None:
    """Type into a text input or area and leave it, as a person does (Streamlit commits on blur)."""

    def type_and_leave() -> None:
        field.fill(value)
        field.blur()

    runs.after(type_and_leave)
    expect(field).to_have_value(value)


def pick(runs: ScriptRuns, combobox: Locator, search: str, option: str) -> None:
    """Type into a select or multiselect to filter its list, then click the option."""
    combobox.click()
    combobox.press_sequentially(search)
    runs.after(runs.page.get_by_role("option", name=option, exact=True).click)


def form(page: Page, lang: str, submit: str) -> Locator:
    """The st.form whose submit button reads `submit` (a msgid)."""
    button = page.get_by_role("button", name=t(lang, submit), exact=True)
    return page.get_by_test_id("stForm").filter(has=button)


def submit_form(page: Page, lang: str, submit: str, fields: dict[str, str]) -> None:
    """Fill a form's fields (label msgid -> text) and press its submit button."""
    box = form(page, lang, submit)
    expect(box).to_have_count(1)
    for label, value in fields.items():
        box.get_by_label(t(lang, label), exact=True).fill(value)
    box.get_by_role("button", name=t(lang, submit), exact=True).click()


def heading(page: Page, text: str) -> Locator:
    return page.get_by_role("heading", name=text, exact=True)


def markdown(page: Page, text: str | re.Pattern) -> Locator:
    return page.get_by_test_id("stMarkdownContainer").filter(has_text=text)


# The actions a reporter's or the public timeline shows ("<date> · <action>").
TIMELINE_ACTIONS = (
    "Report received",
    "Published in the registry",
    "Accepted",
    "Question to the reporter",
    "The reporter answered",
    "Closed with a written reply",
    "The reporter rated the handling",
)


def line_action(line: str, labels: dict[str, str]) -> str | None:
    """The msgid of a timeline line's action: "<date> · <action>[ · <detail>]"."""
    parts = line.strip().lstrip("- ").split(" · ")
    if len(parts) >= 2 and re.search(r"\d", parts[0]) and parts[1] in labels:
        return labels[parts[1]]
    return None


def timeline(page: Page, lang: str) -> list[str]:
    """The action labels of the page's timeline lines, top to bottom (as msgids)."""
    labels = {t(lang, msgid): msgid for msgid in TIMELINE_ACTIONS}
    texts = page.get_by_test_id("stMarkdownContainer").all_inner_texts()
    return [a for a in (line_action(text, labels) for text in texts) if a is not None]


def quoted(page: Page, text: str) -> Locator:
    """A person's text shown literally as a block quote."""
    return page.locator("blockquote").filter(has_text=text)


def open_track(page: Page, portal: PortalServer, flow: dict, lang: str = ZH) -> None:
    """The reporter opens their case with the receipt, typed in groups of four as printed."""
    number, receipt = need(flow, "number", "receipt")
    open_streamlit(page, portal.url(f"/track?lang={lang}"), expect_h1=t(lang, "Track my report"))
    box = page.get_by_label(t(lang, "Receipt"), exact=True)
    box.fill(receipt)
    page.get_by_role("button", name=t(lang, "Open my report"), exact=True).click()
    expect(heading(page, number)).to_be_visible()
    app_idle(page)
    expect(page.get_by_label(t(lang, "Receipt"), exact=True)).to_have_count(0)
    assert receipt not in page.inner_text("body")


def open_desk_case(page: Page, portal: PortalServer, number: str, lang: str = ZH) -> Locator:
    """The complaint desk's Case tab with the case typed into its number field."""
    open_streamlit(
        page, portal.url(f"/staff-complaints?lang={lang}"), expect_h1=t(lang, "Complaint desk")
    )
    tab = page.get_by_role("tab", name=t(lang, "Case"), exact=True)
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    panel = page.get_by_role("tabpanel")
    field = panel.get_by_label(t(lang, "Case number"), exact=True)
    field.fill(number)
    field.press("Enter")
    expect(panel.get_by_text(t(lang, "Description (as written by the reporter)"))).to_be_visible()
    app_idle(page)
    return panel


def status_is(page: Page, lang: str, status: str) -> None:
    expect(heading(page, t(lang, status))).to_be_visible()


# --- 1. filing ---------------------------------------------------------------------------------


def fill_report(runs: ScriptRuns, photo: Path) -> None:
    """Fill the form field by field, in Chinese, as a resident would."""
    lang, page = ZH, runs.page
    pick(
        runs,
        keyed(page, "report_types").get_by_role("combobox"),
        TYPE_SEARCH,
        f"{t(lang, 'Air')} · {t(lang, 'Odour')}",
    )
    page.keyboard.press("Escape")  # the multiselect keeps its list open for more choices
    expect(keyed(page, "report_types").get_by_text(t(lang, "Odour"))).to_be_visible()
    district = keyed(page, "report_district").get_by_role("combobox")
    pick(runs, district, DISTRICT_NAME[lang][:2], DISTRICT_NAME[lang])
    expect(district).to_have_value(DISTRICT_NAME[lang])
    commit(runs, keyed(page, "report_location").locator("input"), CANARY["location"])
    commit(runs, keyed(page, "report_target_name").locator("input"), PUBLIC["target"])
    commit(runs, keyed(page, "report_target_address").locator("input"), CANARY["target_address"])

    observed = beijing(utcnow()).date() - timedelta(days=3)
    date_field = keyed(page, "report_observed_on")

    def type_date() -> None:
        date_field.locator("[role=spinbutton][data-type=year]").click()
        page.keyboard.type(observed.strftime("%Y%m%d"))  # the segments advance by themselves
        # The date is sent when the field loses focus: past its calendar button, out of it.
        page.keyboard.press("Tab")
        expect(date_field.get_by_test_id("stDateInputCalendarButton")).to_be_focused()
        page.keyboard.press("Tab")

    runs.after(type_date)
    for part, value in (("year", observed.year), ("month", observed.month), ("day", observed.day)):
        segment = date_field.locator(f"[role=spinbutton][data-type={part}]")
        expect(segment).to_have_attribute("aria-valuenow", str(value))
    ongoing = keyed(page, "report_ongoing")
    runs.after(ongoing.get_by_text(t(lang, "It is still going on")).click)
    expect(ongoing.locator("input")).to_be_checked()

    commit(runs, keyed(page, "report_description").locator("textarea"), CANARY["description"])
    commit(runs, keyed(page, "report_wishes").locator("textarea"), CANARY["wishes"])
    uploader = keyed(page, "report_evidence_0")
    runs.after(lambda: uploader.locator("input[type=file]").set_input_files(photo))
    expect(uploader.get_by_text(photo.name)).to_be_visible()

    identity = keyed(page, "report_identity_mode")
    runs.after(identity.get_by_text(t(lang, "Confidential (name kept sealed)"), exact=True).click)
    expect(identity.get_by_role("radio").nth(1)).to_be_checked()
    commit(runs, keyed(page, "report_name").locator("input"), CANARY["name"])
    commit(runs, keyed(page, "report_phone").locator("input"), CANARY["phone"])
    truthful = keyed(page, "report_truthful")
    runs.after(
        truthful.get_by_text(
            t(lang, "I confirm that this report is truthful to the best of my knowledge.")
        ).click
    )
    expect(truthful.locator("input")).to_be_checked()


def test_report_is_filed_and_the_receipt_shown_once(
    context: BrowserContext, page: Page, portal: PortalServer, tmp_path: Path, flow: dict
) -> None:
    lang = ZH
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=portal.base_url)
    photo = canary_photo(tmp_path)
    runs = ScriptRuns(page)
    open_streamlit(
        page,
        portal.url(f"/report?lang={lang}"),
        expect_h1=t(lang, "Report an environmental problem"),
    )
    fill_report(runs, photo)
    full_page_png(page, "complaints-report_filled_zh_CN_desktop", streamlit=True)

    keyed(page, "report_submit").get_by_role("button").click()
    expect(page.get_by_text(t(lang, "Your report has been received."))).to_be_visible()
    app_idle(page)

    # The public case number and the 20-digit receipt, grouped by four in a code block.
    label = markdown_text(t(lang, "Public case number: **{number}**")).split("{number}")[0]
    number = markdown(page, label).locator("strong").inner_text().strip()
    assert NUMBER.fullmatch(number), number
    code = page.get_by_test_id("stCode")
    expect(code).to_have_count(1)
    expect(code).to_have_text(GROUPED_RECEIPT)
    receipt = code.inner_text().strip()
    assert len(receipt.replace(" ", "")) == 20 and receipt.replace(" ", "").isdigit(), receipt
    expect(page.get_by_text(t(lang, "Your secret receipt"), exact=True)).to_be_visible()

    # The code block's copy button puts the receipt on the clipboard.
    code.hover()
    copy = code.get_by_role("button", name="Copy to clipboard")
    expect(copy).to_be_visible()
    copy.click()
    assert page.evaluate("navigator.clipboard.readText()").strip() == receipt

    # The receipt file holds the number and the grouped receipt.
    with page.expect_download() as info:  # the click also reruns the script
        runs.after(page.get_by_role("button", name=t(lang, "Download the receipt")).click)
    download = info.value
    assert download.failure() is None, download.failure()
    assert download.suggested_filename == f"{number}-receipt.txt"
    content = download.path().read_text(encoding="utf-8")
    assert content == t(
        lang, "Case number: {number}\nReceipt: {receipt}\nTrack it at: /track\n"
    ).format(number=number, receipt=receipt)
    assert number in content and receipt in content

    # What was stored: a case awaiting moderation, the identity sealed, one photo.
    stored = case_row(portal, number)
    assert stored["status"] == "submitted" and not stored["published"], stored["status"]
    assert stored["identity_mode"] == "confidential" and stored["channel"] == "web"
    assert stored["district_code"] == DISTRICT and stored["types"] == TYPE_CODE
    assert stored["location_text"] == CANARY["location"]
    assert stored["description"] == CANARY["description"]
    assert stored["evidence"] == 1
    assert len(stored["identity"]) == 1
    for text in (CANARY["name"], CANARY["phone"]):
        assert text.encode() not in stored["identity"][0], "the identity is not sealed"
    assert receipt.replace(" ", "") not in json.dumps(stored, default=str)
    flow.update(number=number, receipt=receipt)

    full_page_png(page, "complaints-receipt_zh_CN_desktop", streamlit=True)
    # The receipt stays on screen when the reader switches language, and reads in English.
    language_switch(page).get_by_role("radio", name="English").click()
    expect(page.get_by_text(t(EN, "Your report has been received."))).to_be_visible()
    app_idle(page)
    expect(markdown(page, markdown_text(t(EN, "Public case number: **{number}**")).format(
        number=number))).to_have_count(1)  # fmt: skip
    expect(page.get_by_test_id("stCode")).to_have_text(receipt)
    full_page_png(page, "complaints-receipt_en_desktop", streamlit=True)

    # Shown once: after "I have saved my receipt" it is gone, and a reload does not bring it back.
    page.get_by_role("button", name=t(EN, "I have saved my receipt"), exact=True).click()
    expect(keyed(page, "report_submit").get_by_role("button")).to_have_text(
        t(EN, "Send the report")
    )
    app_idle(page)
    expect(page.get_by_test_id("stCode")).to_have_count(0)
    page.reload()
    expect(h1(page)).to_have_text(t(EN, "Report an environmental problem"))
    app_idle(page)
    body = page.inner_text("body")
    assert receipt not in body and number not in body


# --- 2. tracking -------------------------------------------------------------------------------


def test_reporter_tracks_the_case_with_the_receipt(
    page: Page, portal: PortalServer, flow: dict
) -> None:
    lang = ZH
    number, receipt = need(flow, "number", "receipt")
    # A mistyped receipt opens nothing.
    open_streamlit(page, portal.url(f"/track?lang={lang}"), expect_h1=t(lang, "Track my report"))
    wrong = ("1" if receipt[0] != "1" else "2") + receipt[1:]
    page.get_by_label(t(lang, "Receipt"), exact=True).fill(wrong)
    page.get_by_role("button", name=t(lang, "Open my report"), exact=True).click()
    expect(
        page.get_by_text(
            t(lang, "No report was found for this receipt. Check the 20 digits and try again.")
        )
    ).to_be_visible()
    app_idle(page)
    expect(heading(page, number)).to_have_count(0)

    open_track(page, portal, flow, lang)
    status_is(page, lang, "Awaiting moderation")
    expect(page.get_by_text(t(lang, "No questions from the bureau."))).to_be_visible()
    assert timeline(page, lang) == ["Report received"]


# --- 3. the desk: publish, accept, ask --------------------------------------------------------


def test_handler_publishes_accepts_and_asks_the_reporter(
    browser: Browser, portal: PortalServer, handler_state: dict, flow: dict
) -> None:
    lang = ZH
    (number,) = need(flow, "number")
    context = new_context(browser, "desktop", handler_state)
    try:
        page = context.new_page()
        runs = ScriptRuns(page)
        open_streamlit(
            page, portal.url(f"/staff-complaints?lang={lang}"), expect_h1=t(lang, "Complaint desk")
        )
        # The new report waits in the moderation queue (the first one); open it from there.
        queue = page.get_by_role("tabpanel")
        chooser = queue.get_by_role("combobox", name=t(lang, "Open a case"), exact=True)
        pick(runs, chooser, number, number)
        expect(chooser).to_have_value(number)
        case_tab = page.get_by_role("tab", name=t(lang, "Case"), exact=True)
        case_tab.click()
        expect(case_tab).to_have_attribute("aria-selected", "true")
        panel = page.get_by_role("tabpanel")
        expect(panel.get_by_label(t(lang, "Case number"), exact=True)).to_have_value(number)
        expect(quoted(panel, CANARY["description"])).to_be_visible()
        app_idle(page)
        status_is(page, lang, "Awaiting moderation")

        # Staff see what happened and where; the identity stays sealed for a handler.
        expect(panel.get_by_text(CANARY["location"])).to_be_visible()
        expect(quoted(panel, CANARY["wishes"])).to_be_visible()
        expect(
            panel.get_by_text(t(lang, "Sealed: only a complaint supervisor can open it."))
        ).to_be_visible()
        text = panel.inner_text()
        assert CANARY["name"] not in text and CANARY["phone"] not in text
        # The photo staff see is a copy without GPS position, camera or description.
        expect(
            panel.get_by_text(t(lang, "Photos (copies without location or camera data)"))
        ).to_be_visible()
        photo = panel.locator("img[src*='/media/']")
        expect(photo).to_have_count(1)
        src = photo.get_attribute("src") or ""
        response = page.request.get(src if src.startswith("http") else portal.url(src))
        assert response.ok, response.status
        assert_no_metadata(response.body())

        # The case is opened by typing its number into the Case tab, as a handler who has it
        # would (opening from a queue's select is the last test of this module).
        panel = open_desk_case(page, portal, number, lang)
        status_is(page, lang, "Awaiting moderation")

        # Publish with a moderated summary and a generalised location.
        submit_form(
            page,
            lang,
            "Publish",
            {
                "Public summary (no personal details)": PUBLIC["summary"],
                "Public location (district and road, no house numbers)": PUBLIC["location"],
            },
        )
        status_is(page, lang, "Awaiting acceptance")
        expect(page.get_by_text(t(lang, "Saved."), exact=True)).to_be_visible()
        app_idle(page)

        # Accept (the 60-day clock starts).
        submit_form(page, lang, "Accept", {})
        status_is(page, lang, "Accepted")
        app_idle(page)

        # Ask the reporter a question; they answer with their receipt.
        submit_form(
            page,
            lang,
            "Send the question",
            {"Question to the reporter (they answer with their receipt)": CANARY["question"]},
        )
        expect(quoted(page, CANARY["question"])).to_be_visible()
        app_idle(page)
        expect(page.get_by_text(t(lang, "Messages with the reporter"))).to_be_visible()
        expect(
            markdown(page, re.compile("^" + re.escape(t(lang, "Bureau")) + " · "))
        ).to_have_count(1)
    finally:
        context.close()

    stored = case_row(portal, number)
    assert stored["status"] == "accepted" and stored["published"]
    assert stored["public_summary"] == PUBLIC["summary"]
    assert stored["public_location"] == PUBLIC["location"]


# --- 4. the reporter answers --------------------------------------------------------------------


def test_reporter_sees_the_question_and_answers(
    page: Page, portal: PortalServer, flow: dict
) -> None:
    lang = ZH
    open_track(page, portal, flow, lang)
    status_is(page, lang, "Accepted")
    assert timeline(page, lang) == [
        "Report received",
        "Published in the registry",
        "Accepted",
        "Question to the reporter",
    ]
    expect(quoted(page, CANARY["question"])).to_be_visible()
    bureau = re.compile("^" + re.escape(t(lang, "The bureau")) + " · ")
    expect(markdown(page, bureau)).to_have_count(1)

    box = form(page, lang, "Send")
    box.get_by_label(t(lang, "Write to the bureau"), exact=True).fill(CANARY["answer"])
    box.get_by_role("button", name=t(lang, "Send"), exact=True).click()
    expect(page.get_by_text(t(lang, "Thank you, it has been recorded."))).to_be_visible()
    app_idle(page)
    expect(quoted(page, CANARY["answer"])).to_be_visible()
    you = re.compile("^" + re.escape(t(lang, "You")) + " · ")
    expect(markdown(page, you)).to_have_count(1)
    assert timeline(page, lang)[-1] == "The reporter answered"


# --- 5. the handler reads the answer and closes the case ----------------------------------------


def test_handler_reads_the_answer_and_closes_the_case(
    browser: Browser, portal: PortalServer, handler_state: dict, flow: dict
) -> None:
    lang = ZH
    (number,) = need(flow, "number")
    context = new_context(browser, "desktop", handler_state)
    try:
        page = context.new_page()
        panel = open_desk_case(page, portal, number, lang)
        status_is(page, lang, "Accepted")
        expect(panel.get_by_text(t(lang, "Messages with the reporter"))).to_be_visible()
        expect(quoted(panel, CANARY["question"])).to_be_visible()
        expect(quoted(panel, CANARY["answer"])).to_be_visible()
        reporter = re.compile("^" + re.escape(t(lang, "Reporter")) + " · ")
        expect(markdown(panel, reporter)).to_have_count(1)

        closing = form(page, lang, "Close the case")
        closing.get_by_test_id("stRadioOption").filter(
            has_text=re.compile("^" + re.escape(t(lang, "Substantiated")) + "$")
        ).click()
        expect(closing.get_by_role("radio").first).to_be_checked()
        submit_form(
            page,
            lang,
            "Close the case",
            {
                "Written reply to the reporter": CANARY["reply"],
                "Public outcome (no personal details)": PUBLIC["outcome"],
            },
        )
        status_is(page, lang, "Closed")
        expect(page.get_by_text(t(lang, "Saved."), exact=True)).to_be_visible()
        app_idle(page)
        full_page_png(page, "complaints-desk_case_zh_CN_desktop", streamlit=True)
    finally:
        context.close()

    stored = case_row(portal, number)
    assert stored["status"] == "closed" and stored["finding"] == "substantiated"
    assert stored["reply"] == CANARY["reply"] and stored["public_outcome"] == PUBLIC["outcome"]


# --- 6. the reporter rates the handling ---------------------------------------------------------


def test_reporter_reads_the_reply_and_rates_the_handling(
    page: Page, portal: PortalServer, flow: dict
) -> None:
    lang = ZH
    (number,) = need(flow, "number")
    open_track(page, portal, flow, lang)
    status_is(page, lang, "Closed")
    assert timeline(page, lang)[-1] == "Closed with a written reply"
    # The written reply and the finding are the reporter's to read.
    expect(quoted(page, CANARY["reply"]).first).to_be_visible()
    finding = t(lang, "Finding: {finding}").format(finding=t(lang, "Substantiated"))
    expect(page.get_by_text(finding).first).to_be_visible()
    expect(page.get_by_role("heading", name=t(lang, "Rate the handling"))).to_be_visible()

    rating = form(page, lang, "Save my rating")
    satisfied = re.compile("^" + re.escape(t(lang, "Satisfied")) + "$")
    rating.get_by_test_id("stRadioOption").filter(has_text=satisfied).click()
    expect(rating.get_by_role("radio").first).to_be_checked()
    rating.get_by_label(t(lang, "Comment (optional)"), exact=True).fill(CANARY["rating_comment"])
    rating.get_by_role("button", name=t(lang, "Save my rating"), exact=True).click()
    expect(page.get_by_text(t(lang, "Thank you, it has been recorded."))).to_be_visible()
    app_idle(page)
    # The page reads the case again: the saved rating and comment are what it shows.
    rating = form(page, lang, "Save my rating")
    expect(rating.get_by_role("radio").first).to_be_checked()
    expect(rating.get_by_label(t(lang, "Comment (optional)"), exact=True)).to_have_value(
        CANARY["rating_comment"]
    )
    stored = case_row(portal, number)
    assert stored["rating"] == "satisfied", stored["rating"]
    assert stored["rating_comment"] == CANARY["rating_comment"]
    full_page_png(page, "complaints-track_zh_CN_desktop", streamlit=True)


# --- 7. the public registry, the feed and Open311 -----------------------------------------------


def check_case_page(page: Page, portal: PortalServer, number: str, lang: str) -> None:
    open_streamlit(
        page,
        portal.url(f"/complaints?case={number}&lang={lang}"),
        expect_h1=t(lang, "Complaint case registry"),
    )
    expect(heading(page, number)).to_be_visible()
    status_is(page, lang, "Closed")
    expect(heading(page, DISTRICT_NAME[lang])).to_be_visible()
    expect(page.get_by_text(PUBLIC["location"], exact=True)).to_be_visible()
    expect(page.get_by_text(PUBLIC["target"])).to_be_visible()
    expect(quoted(page, PUBLIC["summary"])).to_be_visible()
    outcome = f"{t(lang, 'Outcome')}: {t(lang, 'Substantiated')}"
    expect(markdown(page, outcome)).to_have_count(1)
    # quoted under "Outcome", and again under the timeline's closing entry
    expect(quoted(page, PUBLIC["outcome"]).first).to_be_visible()
    labels = {t(lang, msgid): msgid for msgid in TIMELINE_ACTIONS}
    lines = page.get_by_test_id("stMarkdownContainer").locator("li").all_inner_texts()
    actions = [a for a in (line_action(line, labels) for line in lines) if a is not None]
    assert actions == ["Published in the registry", "Accepted", "Closed with a written reply"]


def test_public_registry_feed_and_open311_show_the_closed_case(
    page: Page, portal: PortalServer, flow: dict
) -> None:
    (number,) = need(flow, "number")
    for lang in LANGS:
        check_case_page(page, portal, number, lang)

    # The registry list finds it by number (the table itself is drawn on a canvas).
    lang = ZH
    open_streamlit(
        page, portal.url(f"/complaints?lang={lang}"), expect_h1=t(lang, "Complaint case registry")
    )
    search = page.get_by_label(t(lang, "Search number, enterprise or summary"), exact=True)
    search.fill(number)
    search.press("Enter")
    one = t(lang, "{n} cases · page {page} of {pages} · newest first").format(n=1, page=1, pages=1)
    expect(page.get_by_text(one, exact=True)).to_be_visible()
    app_idle(page)

    # The case's Atom feed.
    response = page.request.get(portal.url(f"/feeds/complaints/{number}.atom"))
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.body())
    atom = "{http://www.w3.org/2005/Atom}"
    assert feed.tag == f"{atom}feed"
    title = feed.findtext(f"{atom}title") or ""
    assert number in title and "已办结" in title, title
    entries = feed.findall(f"{atom}entry")
    assert len(entries) == 3, [e.findtext(f"{atom}title") for e in entries]
    assert all(number in (e.findtext(f"{atom}title") or "") for e in entries)
    newest = entries[0]
    assert "已办结" in (newest.findtext(f"{atom}title") or "")
    assert PUBLIC["outcome"] in (newest.findtext(f"{atom}content") or "")

    # Open311 GeoReport v2.
    response = page.request.get(portal.url(f"/open311/v2/requests/{number}.json"))
    assert response.status == 200
    (request,) = response.json()
    assert request["service_request_id"] == number
    assert request["status"] == "closed" and request["status_zh"] == "已办结"
    assert request["status_detail"] == "closed"
    assert request["service_code"] == TYPE_CODE
    assert request["description"] == PUBLIC["summary"]
    assert request["address"] == PUBLIC["location"]
    assert request["status_notes"] == PUBLIC["outcome"]
    assert request["lat"] is None and request["long"] is None  # no map point was given


# --- 8. nothing private in public --------------------------------------------------------------


def secrets_of(flow: dict) -> dict[str, str]:
    receipt = flow["receipt"]
    return {
        **CANARY,
        "canary word": CANARY_WORD,
        "receipt": receipt,
        "receipt digits": receipt.replace(" ", ""),
    }


def leaks(text: str, secrets: dict[str, str]) -> list[str]:
    return [name for name, value in secrets.items() if value in text]


def test_no_private_text_on_any_public_page_or_response(
    browser: Browser, portal: PortalServer, flow: dict
) -> None:
    (number,) = need(flow, "number")
    secrets = secrets_of(flow)
    context = new_context(browser, "desktop")
    frames: list[bytes] = []
    seen: dict[str, str] = {}  # what was read, where
    try:
        page = context.new_page()
        # Everything the server sends the browser, hidden table cells and chart data included.
        page.on(
            "websocket",
            lambda ws: ws.on(
                "framereceived",
                lambda payload: frames.append(
                    payload if isinstance(payload, bytes) else payload.encode()
                ),
            ),
        )
        for lang in LANGS:
            registry = t(lang, "Complaint case registry")
            for path, title in (
                ("/", HOME_H1[lang]),
                ("/air", t(lang, "Air quality")),
                ("/report", t(lang, "Report an environmental problem")),
                ("/track", t(lang, "Track my report")),
                (f"/complaints?case={number}", registry),
            ):
                sep = "&" if "?" in path else "?"
                open_streamlit(page, portal.url(f"{path}{sep}lang={lang}"), expect_h1=title)
                seen[f"{path} {lang}"] = page.inner_text("body")
            assert PUBLIC["outcome"] in seen[f"/complaints?case={number} {lang}"]

            open_streamlit(page, portal.url(f"/complaints?lang={lang}"), expect_h1=registry)
            for name in ("Cases", "Map", "Statistics", "Follow and download"):
                tab = page.get_by_role("tab", name=t(lang, name), exact=True)
                tab.click()
                expect(tab).to_have_attribute("aria-selected", "true")
                panel = page.get_by_role("tabpanel")
                expect(panel).to_be_visible()
                if name in ("Map", "Statistics"):
                    chart = panel.get_by_test_id("stVegaLiteChart").first
                    expect(chart.locator("svg, canvas").first).to_be_visible()
                app_idle(page)
                seen[f"/complaints {name} {lang}"] = page.inner_text("body")
    finally:
        context.close()

    # The capture did see the registry's data (the case list is drawn on a canvas).
    everything = b"".join(frames)
    assert PUBLIC["summary"].encode() in everything and number.encode() in everything
    for where, text in seen.items():
        assert leaks(text, secrets) == [], f"{where} shows {leaks(text, secrets)}"
    leaked = [name for name, value in secrets.items() if value.encode() in everything]
    assert leaked == [], f"the public pages' WebSocket messages carry {leaked}"

    # The open-data responses.
    api = browser.new_context()
    try:
        bodies: dict[str, str] = {}
        for path in (
            f"/feeds/complaints/{number}.atom",
            "/feeds/complaints.atom",
            f"/feeds/complaints.atom?district={DISTRICT}",
            f"/open311/v2/requests/{number}.json",
            f"/open311/v2/requests.json?service_request_id={number}",
            "/open311/v2/requests.json",
            "/api/v1/complaints.csv",
            f"/api/v1/complaints.csv?q={number}",
        ):
            response = api.request.get(portal.url(path))
            assert response.status == 200, (path, response.status)
            body = bodies[path] = response.body().decode("utf-8-sig")
            assert number in body, path
            assert leaks(body, secrets) == [], f"{path} carries {leaks(body, secrets)}"
        rows = list(csv.DictReader(io.StringIO(bodies[f"/api/v1/complaints.csv?q={number}"])))
        assert [r["number"] for r in rows] == [number]
        assert rows[0]["status_zh"] == "已办结" and rows[0]["outcome"] == PUBLIC["outcome"]
    finally:
        api.close()


# --- 9. screenshots ----------------------------------------------------------------------------


def test_screenshots(
    browser: Browser, portal: PortalServer, handler_state: dict, flow: dict
) -> None:
    """Both languages, desktop and mobile; the flow already took the zh_CN desktop ones."""
    (number,) = need(flow, "number")
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    names: list[str] = []

    def shot(page: Page, name: str) -> None:
        full_page_png(page, f"complaints-{name}", streamlit=True)
        names.append(f"complaints-{name}")

    for lang, viewport in ((EN, "desktop"), (ZH, "mobile"), (EN, "mobile")):
        context = new_context(browser, viewport)
        try:
            page = context.new_page()
            title = t(lang, "Report an environmental problem")
            open_streamlit(page, portal.url(f"/report?lang={lang}"), expect_h1=title)
            expect(keyed(page, "report_submit")).to_be_visible()
            shot(page, f"report_{lang}_{viewport}")
        finally:
            context.close()

    context = new_context(browser, "mobile")
    try:
        page = context.new_page()
        open_track(page, portal, flow, EN)
        status_is(page, EN, "Closed")
        shot(page, "track_en_mobile")
    finally:
        context.close()

    context = new_context(browser, "mobile", handler_state)
    try:
        page = context.new_page()
        open_desk_case(page, portal, number, EN)
        status_is(page, EN, "Closed")
        shot(page, "desk_case_en_mobile")
    finally:
        context.close()

    for viewport in ("desktop", "mobile"):
        context = new_context(browser, viewport)
        try:
            page = context.new_page()
            for lang in LANGS:
                registry = t(lang, "Complaint case registry")
                open_streamlit(page, portal.url(f"/complaints?lang={lang}"), expect_h1=registry)
                grid = page.get_by_test_id("stDataFrame").first
                expect(grid).to_be_visible()
                shot(page, f"registry_{lang}_{viewport}")
                if (lang, viewport) in ((ZH, "desktop"), (EN, "mobile")):
                    tab = page.get_by_role("tab", name=t(lang, "Statistics"), exact=True)
                    tab.click()
                    expect(tab).to_have_attribute("aria-selected", "true")
                    charts = page.get_by_role("tabpanel").get_by_test_id("stVegaLiteChart")
                    expect(charts.first.locator("svg, canvas").first).to_be_visible()
                    expect(charts.last.locator("svg, canvas").first).to_be_visible()
                    app_idle(page)
                    shot(page, f"statistics_{lang}_{viewport}")
                check_case_page(page, portal, number, lang)
                shot(page, f"case_{lang}_{viewport}")
        finally:
            context.close()

    flow_shots = [
        "complaints-report_filled_zh_CN_desktop",
        "complaints-receipt_zh_CN_desktop",
        "complaints-receipt_en_desktop",
        "complaints-desk_case_zh_CN_desktop",
        "complaints-track_zh_CN_desktop",
    ]
    for name in flow_shots + names:
        assert (SCREENSHOT_DIR / f"{name}.png").stat().st_size > 10_000, name
    assert len(flow_shots + names) == 20


# --- a case picked in a queue stays open after it moves to another queue ---------------------


def test_a_case_opened_from_a_queue_stays_open_after_an_action(
    browser: Browser, portal: PortalServer, handler_state: dict, flow: dict
) -> None:
    """Accept a sample case awaiting acceptance, opened from its queue as a handler would."""
    lang = ZH
    need(flow, "number")  # runs after the flow: the sample case it changes is not the flow's
    context = new_context(browser, "desktop", handler_state)
    try:
        page = context.new_page()
        runs = ScriptRuns(page)
        open_streamlit(
            page, portal.url(f"/staff-complaints?lang={lang}"), expect_h1=t(lang, "Complaint desk")
        )
        queue = page.get_by_role("tabpanel")
        acceptance = re.compile("^" + re.escape(t(lang, "Awaiting acceptance")) + r" \(")
        runs.after(queue.get_by_test_id("stRadioOption").filter(has_text=acceptance).click)
        chooser = queue.get_by_role("combobox", name=t(lang, "Open a case"), exact=True)
        chooser.click()
        first = page.get_by_role("listbox").get_by_role("option").first
        number = first.inner_text().strip()
        assert NUMBER.fullmatch(number), number
        runs.after(first.click)
        case_tab = page.get_by_role("tab", name=t(lang, "Case"), exact=True)
        case_tab.click()
        panel = page.get_by_role("tabpanel")
        expect(panel.get_by_label(t(lang, "Case number"), exact=True)).to_have_value(number)
        status_is(page, lang, "Awaiting acceptance")

        runs.after(lambda: submit_form(page, lang, "Accept", {}))
        assert case_row(portal, number)["status"] == "accepted"  # the action itself is saved
        # What the handler expects: the case stays open, with "Saved." and its new status.
        expect(page.get_by_text(t(lang, "Saved."), exact=True)).to_be_visible(timeout=5_000)
        status_is(page, lang, "Accepted")
    finally:
        context.close()
