"""The public Water quality page in a real browser: headline tiles, a river and its sections,
the section's facts and its monthly CSV, and full-page screenshots.

The module's database holds the standard small sample (DEMO_UNTIL): 10 years of monthly samples
for every manual section. Expected months and counts are read from the test database with plain
SQL, section and river names from content/water/sections.csv, not through the portal's code.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from functools import cache

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from .portal_e2e import (
    DESKTOP,
    MOBILE,
    REPO,
    SCREENSHOT_DIR,
    PortalServer,
    ScriptRuns,
    app_idle,
    h1,
    open_streamlit,
)
from .test_air import _db, choose, combobox, download, option_texts
from .test_screenshots import full_page_png, new_context, png_size

pytestmark = pytest.mark.e2e

LANGS = ("zh_CN", "en")
RIVER = "小黄河"
SECTION = "XHH-02"  # the river's second section, upstream first
STANDARD = "GB 3838-2002"
CLASSES = ("I", "II", "III", "IV", "V", "劣V")

# Expected texts (catalog: portal/locales/*/LC_MESSAGES/messages.po).
TEXT = {
    "zh_CN": {
        "h1": "水质",
        "tabs": ("断面地图", "河流与断面", "全市与规划目标", "饮用水水源地"),
        "tiles": ("达到或好于Ⅲ类的断面", "劣Ⅴ类断面", "饮用水水源地达标"),
        "river": "河流或湖库",
        "section": "断面",
        "item": "项目",
        "monthly": "逐月类别",
        "csv": "下载 CSV",
        "classes": ("Ⅰ类", "Ⅱ类", "Ⅲ类", "Ⅳ类", "Ⅴ类", "劣Ⅴ类"),
        "by_year": "按年（由年均值评价类别）",
    },
    "en": {
        "h1": "Water quality",
        "tabs": (
            "Section map",
            "Rivers and sections",
            "City and plan targets",
            "Drinking-water sources",
        ),
        "tiles": (
            "Sections at class III or better",
            "Sections worse than class V",
            "Drinking-water sources compliant",
        ),
        "river": "River or lake",
        "section": "Section",
        "item": "Item",
        "monthly": "Monthly class",
        "csv": "Download CSV",
        "classes": (
            "Class I",
            "Class II",
            "Class III",
            "Class IV",
            "Class V",
            "Worse than class V",
        ),
        "by_year": "By year (classes from annual means)",
    },
}
CSV_FIRST = (
    "section",
    "period",
    "period_start",
    "samples",
    "class",
    "status_zh",
    "status_en",
    "meets_target",
    "limiting_items",
    "main_pollutants",
    "exceedance_over_class_iii",
)
CSV_LAST = ("standard", "method")


# --- the data ----------------------------------------------------------------------------------


@cache
def registry() -> dict[str, dict[str, str]]:
    """content/water/sections.csv by section code."""
    with (REPO / "content" / "water" / "sections.csv").open(encoding="utf-8") as file:
        return {row["code"]: row for row in csv.DictReader(file)}


def river_name(lang: str) -> str:
    row = next(r for r in registry().values() if r["water_zh"] == RIVER)
    return row["water_en"] if lang == "en" else row["water_zh"]


def section_names(lang: str) -> list[str]:
    """The river's sections, upstream first (by km, then code), as the page names them."""
    rows = sorted(
        (r for r in registry().values() if r["water_zh"] == RIVER),
        key=lambda r: (float(r["km"]), r["code"]),
    )
    return [r["name_en"] if lang == "en" else r["name_zh"] for r in rows]


def section_name(code: str, lang: str) -> str:
    row = registry()[code]
    return row["name_en"] if lang == "en" else row["name_zh"]


def month_text(day: date, lang: str) -> str:
    return f"{day.year}-{day.month:02d}" if lang == "en" else f"{day.year}年{day.month}月"


def newest_day(server: PortalServer, section: str | None = None) -> date:
    """The newest sampling day, of one section or of all."""
    where, args = ("WHERE section_code = ?", (section,)) if section else ("", ())
    with _db(server) as conn:
        (day,) = conn.execute(f"SELECT max(sampled_on) FROM water_sample {where}", args).fetchone()
    assert day, (section, day)
    return date.fromisoformat(str(day)[:10])


def sampled_months(server: PortalServer, section: str) -> int:
    with _db(server) as conn:
        (months,) = conn.execute(
            "SELECT count(DISTINCT substr(sampled_on, 1, 7)) FROM water_sample "
            "WHERE section_code = ?",
            (section,),
        ).fetchone()
    return int(months)


def item_columns(server: PortalServer) -> int:
    """How many GB 3838 item columns the sample table has (one `v_<item>` column each)."""
    with _db(server) as conn:
        names = [row[1] for row in conn.execute("PRAGMA table_info(water_sample)")]
    return sum(name.startswith("v_") for name in names)


# --- page pieces -------------------------------------------------------------------------------


def no_exception(page: Page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)


def tab(page: Page, lang: str, index: int) -> Locator:
    return page.get_by_role("tab", name=TEXT[lang]["tabs"][index], exact=True)


def open_tab(page: Page, lang: str, index: int) -> None:
    target = tab(page, lang, index)
    target.click()
    expect(target).to_have_attribute("aria-selected", "true")


def panel_charts(page: Page) -> Locator:
    return page.get_by_role("tabpanel").get_by_test_id("stVegaLiteChart")


def check_tiles(page: Page, server: PortalServer, lang: str) -> None:
    """The three headline tiles: title, a figure, and the newest month with samples."""
    month = month_text(newest_day(server), lang)
    patterns = (r"^\d{1,3}(\.\d)?\s?%$", r"^\d{1,3}(\.\d)?\s?%$", r"^\d+ / \d+$")
    for title, pattern in zip(TEXT[lang]["tiles"], patterns, strict=True):
        tile = page.get_by_test_id("stColumn").filter(
            has=page.get_by_test_id("stMarkdownContainer").get_by_text(title, exact=True)
        )
        expect(tile).to_have_count(1)
        expect(tile).to_be_visible()
        expect(tile.locator("h3")).to_have_text(re.compile(pattern))
        expect(tile.get_by_test_id("stCaptionContainer")).to_contain_text(month)


def facts_line(page: Page, text: str) -> Locator:
    exact = re.compile("^" + re.escape(text) + "$")
    return page.get_by_role("tabpanel").get_by_test_id("stMarkdownContainer").filter(has_text=exact)


def open_section(page: Page, runs: ScriptRuns, server: PortalServer, lang: str) -> None:
    """On the rivers tab: choose the river, then its second section; check its facts line."""
    text = TEXT[lang]
    open_tab(page, lang, 1)
    expect(combobox(page, text["river"])).to_be_visible()
    names = section_names(lang)
    assert names[1] == section_name(SECTION, lang), names
    # Each choice reruns the script; wait for that run, not just for an idle page (which can
    # pass before the run has started and leave the old section's list and downloads).
    runs.after(lambda: choose(page, text["river"], river_name(lang)))
    expect(combobox(page, text["section"])).to_have_value(names[0])  # the new river's first
    assert option_texts(page, text["section"]) == names
    runs.after(lambda: choose(page, text["section"], names[1]))
    expect(combobox(page, text["section"])).to_have_value(names[1])
    expect(combobox(page, text["river"])).to_have_value(river_name(lang))
    link = page.get_by_role("tabpanel").get_by_role("link", name=f"section={SECTION}")
    expect(link).to_be_visible()  # the section's own data below the class table

    # The facts line names the month of the section's newest sample, its class and status.
    month = month_text(newest_day(server, SECTION), lang)
    grade = "(" + "|".join(re.escape(c) for c in text["classes"]) + ")"
    if lang == "en":
        pattern = "^" + re.escape(month) + ": " + grade + r" \([^()]+\)\.$"
    else:
        pattern = "^" + re.escape(month) + "：" + grade + "（[^（）]+）。$"
    facts = page.get_by_role("tabpanel").get_by_test_id("stMarkdownContainer")
    expect(facts.filter(has_text=re.compile(pattern))).to_have_count(1)

    # The rest of the section: the profile and trend charts, the item list, the class table.
    expect(panel_charts(page)).to_have_count(2)
    for chart in panel_charts(page).all():
        expect(chart.locator("svg, canvas").first).to_be_visible()
    expect(combobox(page, text["item"])).to_be_visible()
    expect(page.get_by_role("tabpanel").get_by_text(text["monthly"], exact=True)).to_be_visible()
    # the class table; each chart's own data table waits, folded, in its expander
    tables = page.get_by_role("tabpanel").get_by_test_id("stDataFrame")
    expect(tables.filter(visible=True)).to_be_visible()
    no_exception(page)


def check_csv(page: Page, server: PortalServer, lang: str) -> list[dict[str, str]]:
    name, data = download(page, TEXT[lang]["csv"])
    assert name == f"water-monthly-{SECTION}.csv"
    assert data.startswith(b"\xef\xbb\xbf"), "CSV without a UTF-8 byte order mark"
    content = data.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(content))
    header = tuple(reader.fieldnames or ())
    means = header[len(CSV_FIRST) : len(header) - len(CSV_LAST)]
    assert header[: len(CSV_FIRST)] == CSV_FIRST, header
    assert header[-len(CSV_LAST) :] == CSV_LAST, header
    assert means and all(column.startswith("mean_") for column in means), header
    assert len(means) == item_columns(server), (len(means), item_columns(server))
    rows = list(reader)
    for row in rows:
        assert row["section"] == SECTION, row
        assert row["period"] == "month", row
        assert row["standard"] == STANDARD, row
        assert row["class"] in CLASSES, row
        assert int(row["samples"]) >= 1, row
        assert row["status_zh"] and row["status_en"], row
    starts = [row["period_start"] for row in rows]
    assert len(rows) >= 100, len(rows)
    assert len(rows) == len(set(starts)) == sampled_months(server, SECTION), (
        len(rows),
        len(set(starts)),
        sampled_months(server, SECTION),
    )
    newest = newest_day(server, SECTION)
    assert max(starts)[:7] == f"{newest.year}-{newest.month:02d}", (max(starts), newest)
    return rows


def check_png(name: str, width: int) -> None:
    data = (SCREENSHOT_DIR / f"{name}.png").read_bytes()
    assert len(data) > 10_000, name
    assert png_size(data)[0] == width, (name, png_size(data))


# --- the tests ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_water_page(page: Page, portal: PortalServer, lang: str) -> None:
    text = TEXT[lang]
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    runs = ScriptRuns(page)

    # 1. The heading, the headline tiles and the section map.
    response = open_streamlit(page, portal.url(f"/water?lang={lang}"), expect_h1=text["h1"])
    assert response is not None and response.status == 200
    expect(tab(page, lang, 0)).to_have_attribute("aria-selected", "true")
    for index in range(4):
        expect(tab(page, lang, index)).to_be_visible()
    check_tiles(page, portal, lang)
    expect(panel_charts(page).first.locator("svg, canvas").first).to_be_visible()
    no_exception(page)

    # 2. The river and its second section.
    open_section(page, runs, portal, lang)

    # 3. The section's monthly CSV; the facts line agrees with its newest month.
    rows = check_csv(page, portal, lang)
    newest = max(rows, key=lambda row: row["period_start"])
    label = text["classes"][CLASSES.index(newest["class"])]
    month = month_text(newest_day(portal, SECTION), lang)
    if lang == "en":
        line = f"{month}: {label} ({newest['status_en']})."
    else:
        line = f"{month}：{label}（{newest['status_zh']}）。"
    expect(facts_line(page, line)).to_have_count(1)
    expect(combobox(page, text["section"])).to_have_value(section_name(SECTION, lang))
    no_exception(page)
    full_page_png(page, f"water-{lang}-desktop", streamlit=True)

    # 4. The city tab: the share chart and the table by year.
    open_tab(page, lang, 2)
    expect(panel_charts(page).first.locator("svg, canvas").first).to_be_visible()
    expect(page.get_by_role("tabpanel").get_by_text(text["by_year"], exact=True)).to_be_visible()
    tables = page.get_by_role("tabpanel").get_by_test_id("stDataFrame")
    expect(tables.filter(visible=True)).to_be_visible()
    app_idle(page)
    no_exception(page)
    full_page_png(page, f"water-{lang}-city", streamlit=True)
    expect(h1(page)).to_have_text(text["h1"])
    no_exception(page)

    for name in (f"water-{lang}-desktop", f"water-{lang}-city"):
        check_png(name, DESKTOP["width"])


@pytest.mark.parametrize("lang", LANGS)
def test_water_mobile(browser: Browser, portal: PortalServer, lang: str) -> None:
    text = TEXT[lang]
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    context = new_context(browser, "mobile")
    try:
        page = context.new_page()
        open_streamlit(page, portal.url(f"/water?lang={lang}"), expect_h1=text["h1"])
        check_tiles(page, portal, lang)
        expect(tab(page, lang, 0)).to_have_attribute("aria-selected", "true")
        expect(panel_charts(page).first.locator("svg, canvas").first).to_be_visible()
        expect(page.get_by_role("tabpanel").get_by_test_id("stDataFrame")).to_be_visible()
        no_exception(page)
        full_page_png(page, f"water-{lang}-mobile", streamlit=True)
        no_exception(page)
    finally:
        context.close()
    check_png(f"water-{lang}-mobile", MOBILE["width"])
