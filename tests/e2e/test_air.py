"""The public Air quality page in a real browser: now card, station switch, calendar, downloads.

The module's database holds the standard small sample (300 days ending DEMO_UNTIL, i.e. from
2026-01-05) plus a short stretch of hourly data added here for late December 2025, so the
year selector has a year entirely under HJ 633-2012 next to 2026, which spans the switch to
HJ 633-2026 on 2026-03-01. Expected daily rows are read from the test database with plain
SQL, not through the portal's own code.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from sqlalchemy import func, insert
from sqlmodel import Session, select

from services.air.daily import rebuild_daily
from services.air.observations import AirHourly
from services.air.standards import categories, level_of
from services.core import geography
from services.core.clock import BEIJING

from .portal_e2e import (
    SCREENSHOT_DIR,
    PortalServer,
    app_idle,
    h1,
    open_streamlit,
)
from .test_public_pages import CSP_LISTENER, _is_local
from .test_screenshots import VIEWPORTS, full_page_png, new_context

pytestmark = pytest.mark.e2e

LANGS = ("zh_CN", "en")
STATION = "1441A"
CITY = "CITY"
SWITCH_DAY = date(2026, 3, 1)  # HJ 633-2026 applies to data from this day on
EXTRA_FROM = datetime(2025, 12, 20, 1, 0, tzinfo=BEIJING)  # first added hour (hour ending)

TEXT = {
    "zh_CN": {
        "h1": "空气质量",
        "place": "全市或站点",
        "city": "贵阳市（全市）",
        "station": "鉴湖路",
        "tabs": ("站点地图", "变化趋势", "日历与优良天数", "年度评价"),
        "ranking": "各区县环境空气质量综合指数排名",
        "year": "年份",
        "csv": "下载 CSV",
        "json": "下载 JSON",
        "no_aqi": "暂无",
        "data_time": "2026年11月1日 08:00:00",
        "good_days": "优良天数比例（AQI ≤ 100）",
        "end_2012": "2026年2月28日（HJ 633-2012）",
        "start_2026": "2026年3月1日至",
    },
    "en": {
        "h1": "Air quality",
        "place": "City or station",
        "city": "Guiyang (city)",
        "station": "Jianhu Road",
        "tabs": ("Station map", "Trends", "Calendar and good days", "Annual evaluation"),
        "ranking": "Districts by composite index",
        "year": "Year",
        "csv": "Download CSV",
        "json": "Download JSON",
        "no_aqi": "Not available",
        "data_time": "1 Nov 2026, 08:00:00",
        "good_days": "Good days (AQI ≤ 100)",
        "end_2012": "to 28 Feb 2026 under HJ 633-2012",
        "start_2026": "from 1 Mar 2026 to",
    },
}
# Good-day sentences of a year, in order: the standards in force over the year's data.
YEAR_STANDARDS = {2026: ["HJ 633-2012", "HJ 633-2026"], 2025: ["HJ 633-2012"]}
WEEKDAYS = {
    "zh_CN": ["周一", "周二", "周三", "周四", "周五", "周六", "周日"],
    "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
}
CSV_HEADER = (
    "place,day,aqi,level,primary_pollutants,standard,so2_ug/m3,no2_ug/m3,pm10_ug/m3,"
    "pm25_ug/m3,co_mg/m3,o3_1h_max_ug/m3,o3_8h_max_ug/m3"
)


# --- the data ----------------------------------------------------------------------------------


def _extend_into_2025(server: PortalServer) -> None:
    """Hourly rows for every station from EXTRA_FROM up to the sample's first hour, then the
    daily table rebuilt. Runs before any page of this module's server has been opened, so no
    cached read can hold the shorter history."""
    with Session(server.engine) as session:
        first = session.exec(select(func.min(AirHourly.observed_at))).one()
        already = session.exec(
            select(func.count()).select_from(AirHourly).where(AirHourly.observed_at < first)
        ).one()
    assert first is not None and already == 0
    first = first.replace(tzinfo=UTC) if first.tzinfo is None else first
    hours = int((first - EXTRA_FROM).total_seconds() // 3600)
    assert hours > 10 * 24, f"the sample starts too early for this module: {first}"
    rows = []
    for index, station in enumerate(geography.air_stations()):
        for h in range(hours):
            wave = math.sin(2 * math.pi * (h % 24) / 24)
            rows.append(
                {
                    "station_code": station.code,
                    "observed_at": (EXTRA_FROM + timedelta(hours=h)).astimezone(UTC),
                    "so2": 10.0 + index,
                    "no2": 22.0 + 6 * wave,
                    "pm10": 55.0 + 12 * wave + index,
                    "pm25": 32.0 + 8 * wave + (h // 24) % 5,
                    "co": 0.8,
                    "o3": 45.0 - 20 * wave,
                    "is_valid": True,
                    "source": "demo",
                }
            )
    with server.engine.begin() as conn:
        conn.execute(insert(AirHourly), rows)
    rebuild_daily(server.engine)


@pytest.fixture(scope="module")
def air_portal(portal: PortalServer) -> PortalServer:
    _extend_into_2025(portal)
    return portal


def _db(server: PortalServer) -> sqlite3.Connection:
    path = server.engine.url.database
    assert path, server.engine.url
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def expected_years(server: PortalServer) -> list[int]:
    with _db(server) as conn:
        first, last = conn.execute("SELECT min(day), max(day) FROM air_daily").fetchone()
    return list(range(int(last[:4]), int(first[:4]) - 1, -1))


def expected_days(server: PortalServer, place: str, year: int) -> dict[str, int | None]:
    """day (ISO) -> daily AQI of the place's rows in the year, straight from air_daily."""
    span = (place, f"{year}-01-01", f"{year}-12-31")
    with _db(server) as conn:
        (count,) = conn.execute(
            "SELECT count(*) FROM air_daily WHERE station_code=? AND day BETWEEN ? AND ?", span
        ).fetchone()
        rows = conn.execute(
            "SELECT day, aqi FROM air_daily WHERE station_code=? AND day BETWEEN ? AND ? "
            "ORDER BY day",
            span,
        ).fetchall()
    assert count == len(rows) > 0, (place, year, count)
    return {str(day)[:10]: aqi for day, aqi in rows}


def standard_on(day: date) -> str:
    return "HJ633-2026" if day >= SWITCH_DAY else "HJ633-2012"


# --- page pieces -------------------------------------------------------------------------------


def combobox(page: Page, label: str) -> Locator:
    return page.get_by_role("combobox", name=label, exact=True)


def open_list(page: Page, label: str) -> Locator:
    """Open a Streamlit selectbox's dropdown with its toggle button and return the listbox.

    Streamlit 1.67: right after a download button was clicked, the first click on a selectbox
    (text field or toggle) only takes the focus and leaves the list closed; a person clicks
    again, and so does this.
    """
    box = combobox(page, label)
    toggle = page.get_by_test_id("stSelectbox").filter(has=box).locator("button[aria-haspopup]")
    for attempt in range(3):
        app_idle(page)
        if box.get_attribute("aria-expanded") != "true":
            toggle.click()
        try:
            expect(box).to_have_attribute("aria-expanded", "true", timeout=3_000)
            break
        except AssertionError:
            if attempt == 2:
                raise
    listbox = page.get_by_role("listbox")
    expect(listbox).to_be_visible()
    return listbox


def choose(page: Page, label: str, option: str) -> None:
    """Pick an option of a Streamlit selectbox: open its list, click the option by its text."""
    open_list(page, label).get_by_role("option", name=option, exact=True).click()
    expect(combobox(page, label)).to_have_value(option)


def option_texts(page: Page, label: str) -> list[str]:
    options = open_list(page, label).get_by_role("option")
    expect(options.first).to_be_visible()
    texts = [t.strip() for t in options.all_inner_texts()]
    page.keyboard.press("Escape")
    expect(page.get_by_role("listbox")).to_have_count(0)
    return texts


def now_card(page: Page) -> Locator:
    return page.get_by_test_id("stHorizontalBlock").filter(has=page.locator(".aqi-badge"))


def check_now_card(page: Page, lang: str, place_name: str) -> None:
    text = TEXT[lang]
    card = now_card(page)
    expect(card).to_have_count(1)
    expect(card.locator("strong").first).to_have_text(place_name)
    badge = card.locator(".aqi-badge")
    value, word = badge.locator(":scope > span").nth(0), badge.locator(":scope > span").nth(1)
    expect(value).to_have_text(re.compile(r"^(\d{1,3}|NA)$"))
    aqi = value.inner_text().strip()
    if aqi == "NA":
        expect(word).to_have_text(text["no_aqi"])
    else:
        category = categories("HJ633-2026")[level_of(int(aqi)) - 1]
        expect(word).to_have_text(category.name(lang))
        red, green, blue = (int(category.colour[i : i + 2], 16) for i in (1, 3, 5))
        expect(badge).to_have_css("background-color", f"rgb({red}, {green}, {blue})")
    expect(word).to_be_visible()
    caption = page.get_by_test_id("stCaptionContainer").filter(has_text="HJ 633-2026")
    expect(caption).to_have_count(1)
    expect(caption).to_contain_text(text["data_time"])


def good_day_sentences(page: Page, lang: str) -> Locator:
    panel = page.get_by_role("tabpanel")
    return panel.get_by_test_id("stMarkdownContainer").filter(has_text=TEXT[lang]["good_days"])


def calendar_chart(page: Page) -> Locator:
    return page.get_by_role("tabpanel").get_by_test_id("stVegaLiteChart").first


def check_year(page: Page, server: PortalServer, lang: str, year: int, place: str) -> None:
    text = TEXT[lang]
    sentences = good_day_sentences(page, lang)
    standards = YEAR_STANDARDS[year]
    expect(sentences).to_have_count(len(standards))
    for sentence, standard in zip(sentences.all(), standards, strict=True):
        expect(sentence).to_contain_text(standard)
        expect(sentence).to_contain_text(str(year))
    if year == 2026:
        expect(sentences.nth(0)).to_contain_text(text["end_2012"])
        expect(sentences.nth(1)).to_contain_text(text["start_2026"])
    else:
        expect(sentences).not_to_contain_text("HJ 633-2026")
    charts = page.get_by_role("tabpanel").get_by_test_id("stVegaLiteChart")
    expect(charts).to_have_count(2)  # the calendar and the monthly good-day bars
    for chart in charts.all():
        expect(chart.locator("svg, canvas").first).to_be_visible()
    # One calendar cell per daily row of the place and year, weekday rows Monday to Sunday
    # whatever weekday the year's data starts on (2025 here: a Saturday, 2026: a Thursday).
    cells = calendar_chart(page).locator(".role-mark.mark-rect path")
    expect(cells).to_have_count(len(expected_days(server, place, year)))
    labels = calendar_chart(page).locator(".role-axis-label text")
    expect(labels).to_have_count(7)
    top_down = sorted(labels.all(), key=lambda label: (label.bounding_box() or {"y": 0})["y"])
    assert [label.text_content() for label in top_down] == WEEKDAYS[lang]


def switch_year(page: Page, server: PortalServer, lang: str, year: int, place: str) -> None:
    choose(page, TEXT[lang]["year"], str(year))
    expect(good_day_sentences(page, lang)).to_have_count(len(YEAR_STANDARDS[year]))
    app_idle(page)
    check_year(page, server, lang, year, place)


def download(page: Page, label: str) -> tuple[str, bytes]:
    button = page.get_by_role("tabpanel").get_by_role("button", name=label, exact=True)
    expect(button).to_be_enabled()
    with page.expect_download() as info:
        button.click()
    done = info.value
    app_idle(page)  # the click reruns the script
    assert done.failure() is None, done.failure()
    path = done.path()
    return done.suggested_filename, path.read_bytes()


def check_downloads(page: Page, server: PortalServer, lang: str, year: int) -> None:
    expected = expected_days(server, STATION, year)

    name, data = download(page, TEXT[lang]["csv"])
    assert name == f"air-daily-{STATION}-{year}.csv"
    assert data.startswith(b"\xef\xbb\xbf"), "CSV without a UTF-8 byte order mark"
    content = data.decode("utf-8-sig")
    assert content.splitlines()[0] == CSV_HEADER
    rows = list(csv.DictReader(io.StringIO(content)))
    assert len(rows) == len(expected), (year, len(rows), len(expected))
    assert [r["day"] for r in rows] == list(expected)
    for row in rows:
        day = date.fromisoformat(row["day"])
        assert day.year == year, row
        assert row["place"] == STATION, row
        assert row["standard"] == standard_on(day), row
        aqi = expected[row["day"]]
        assert (row["aqi"] == "") if aqi is None else (float(row["aqi"]) == aqi), (row, aqi)

    name, data = download(page, TEXT[lang]["json"])
    assert name == f"air-daily-{STATION}-{year}.json"
    records = json.loads(data.decode("utf-8"))
    assert isinstance(records, list) and len(records) == len(expected)
    assert {r["place"] for r in records} == {STATION}
    assert [str(r["day"])[:10] for r in records] == list(expected)
    assert [r["standard"] for r in records] == [r["standard"] for r in rows]


# --- the tests ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_air_page(page: Page, air_portal: PortalServer, lang: str) -> None:
    text = TEXT[lang]
    requests: list[str] = []
    sockets: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.add_init_script(CSP_LISTENER)
    years = expected_years(air_portal)
    assert years == [2026, 2025], years  # the sample plus this module's December 2025

    # 1. The heading and the now card (city by default).
    response = open_streamlit(page, air_portal.url(f"/air?lang={lang}"), expect_h1=text["h1"])
    assert response is not None and response.status == 200
    expect(combobox(page, text["place"])).to_have_value(text["city"])
    check_now_card(page, lang, text["city"])
    map_chart = page.get_by_role("tabpanel").get_by_test_id("stVegaLiteChart")
    expect(map_chart.locator("svg, canvas").first).to_be_visible()

    # 2. Another station.
    choose(page, text["place"], text["station"])
    expect(now_card(page).locator("strong").first).to_have_text(text["station"])
    app_idle(page)
    check_now_card(page, lang, text["station"])
    expect(h1(page)).to_have_text(text["h1"])

    # The other tabs render (and fetch nothing from outside).
    map_tab, trends_tab, calendar_tab, evaluation_tab = (
        page.get_by_role("tab", name=name, exact=True) for name in text["tabs"]
    )
    trends_tab.click()
    expect(trends_tab).to_have_attribute("aria-selected", "true")
    expect(
        page.get_by_role("tabpanel").get_by_test_id("stVegaLiteChart").locator("svg, canvas").first
    ).to_be_visible()
    evaluation_tab.click()
    expect(evaluation_tab).to_have_attribute("aria-selected", "true")
    # the HJ 663 evaluation table and the composite-index ranking of the city and districts
    tables = page.get_by_role("tabpanel").get_by_test_id("stDataFrame")
    expect(tables).to_have_count(2)
    expect(tables.first).to_be_visible()
    expect(page.get_by_role("heading", name=text["ranking"])).to_be_visible()

    # 3. The calendar: 2026 spans the switch of standard, 2025 lies wholly before it.
    calendar_tab.click()
    expect(calendar_tab).to_have_attribute("aria-selected", "true")
    expect(combobox(page, text["year"])).to_have_value(str(years[0]))
    assert option_texts(page, text["year"]) == [str(y) for y in years]
    check_year(page, air_portal, lang, 2026, STATION)
    # 4./5. The downloads hold exactly the place's daily rows of the year.
    check_downloads(page, air_portal, lang, 2026)

    switch_year(page, air_portal, lang, 2025, STATION)
    check_downloads(page, air_portal, lang, 2025)
    switch_year(page, air_portal, lang, 2026, STATION)
    expect(combobox(page, text["place"])).to_have_value(text["station"])

    # 6. Nothing left the machine (the map has no tile server), and no CSP violation.
    map_tab.click()
    expect(map_tab).to_have_attribute("aria-selected", "true")
    page.wait_for_load_state("networkidle")
    assert requests, "the listener saw no requests at all"
    assert sockets and all(_is_local(url) for url in sockets), sockets
    outside = sorted({url for url in requests if not _is_local(url)})
    assert outside == [], f"requests left the machine: {outside}"
    assert page.evaluate("window.__cspViolations") == []


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_air_screenshots(
    browser: Browser, air_portal: PortalServer, viewport: str, lang: str
) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    context = new_context(browser, viewport)
    try:
        page = context.new_page()
        open_streamlit(page, air_portal.url(f"/air?lang={lang}"), expect_h1=TEXT[lang]["h1"])
        check_now_card(page, lang, TEXT[lang]["city"])
        charts = page.get_by_test_id("stVegaLiteChart")
        expect(charts.first.locator("svg, canvas").first).to_be_visible()
        full_page_png(page, f"air_{lang}_{viewport}", streamlit=True)

        calendar_tab = page.get_by_role("tab", name=TEXT[lang]["tabs"][2], exact=True)
        calendar_tab.click()
        expect(calendar_tab).to_have_attribute("aria-selected", "true")
        check_year(page, air_portal, lang, 2026, CITY)
        full_page_png(page, f"air_calendar_{lang}_{viewport}", streamlit=True)
    finally:
        context.close()
    for name in (f"air_{lang}_{viewport}", f"air_calendar_{lang}_{viewport}"):
        assert (SCREENSHOT_DIR / f"{name}.png").stat().st_size > 10_000, name
