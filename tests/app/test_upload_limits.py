"""Photos the portal refuses stop the filing on the photo field; nothing else is lost (AppTest).

The browser side of `st.file_uploader` drops a file over the widget's own cap with Streamlit's
English text and the report would file without it; the widget's cap is therefore above the
portal's, so the portal itself sees the file and refuses it in the page's language.
"""

from __future__ import annotations

import io
import tomllib

import pytest
from PIL import Image, ImageFile
from sqlmodel import Session, select

from portal.kit.i18n import translations
from services.complaints.model import ComplaintCase
from services.shared.sealed import evidence
from tests.app.conftest import ROOT
from tests.app.test_complaints_pages import DESCRIPTION, fill_report

PAGE = "complaints/complaint_file.py"
TARGET = "示例测试化工厂"
UPLOADER = "report_evidence_0"  # the form's first upload round (portal/complaints/form.py)


def encode(img: Image.Image, fmt: str) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt)
    return buf.getvalue()


def server_cap_mb() -> int:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    return config["server"]["maxUploadSize"]


def message(msgid: str, lang: str, **params: object) -> str:
    return translations(lang).gettext(msgid).format(**params)


def translated(msgid: str) -> bool:
    return translations("zh_CN").gettext(msgid) != msgid


def attach_and_submit(at, files: list[tuple[str, bytes, str]]):
    at.file_uploader(key=UPLOADER).set_value(files)
    at.button(key="report_submit").click().run()
    assert not at.exception
    return at


def assert_kept_and_nothing_stored(at, portal_db, *, description: str = DESCRIPTION) -> None:
    assert not at.success
    assert at.multiselect(key="report_types").value == ["air.odour"]
    assert at.selectbox(key="report_district").value == "520102"
    assert at.text_input(key="report_location").value == "南明区某路口东侧"
    assert at.text_input(key="report_target_name").value == TARGET
    assert at.text_area(key="report_description").value == description
    assert at.date_input(key="report_observed_on").value is not None
    assert at.checkbox(key="report_truthful").value is True
    with Session(portal_db) as session:
        stored = session.exec(select(ComplaintCase).where(ComplaintCase.target_name == TARGET))
        assert stored.first() is None


@pytest.fixture
def no_decoding(monkeypatch) -> None:
    def refuse(self):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


def test_a_12_mb_photo_stops_the_filing_with_the_chinese_message(
    open_portal, portal_db, no_decoding
):
    at = fill_report(open_portal(PAGE, lang="zh_CN"))
    uploader = at.file_uploader(key=UPLOADER)
    portal_mb = evidence.MAX_FILE_BYTES // (1024 * 1024)
    # The widget lets the file reach the portal (and the server accepts it) ...
    assert portal_mb < uploader.proto.max_upload_size_mb <= server_cap_mb()
    photo = encode(Image.new("RGB", (64, 48), "red"), "JPEG")
    photo += b"\0" * (12 * 1024 * 1024 - len(photo))  # 12 MB; trailing bytes after EOI

    attach_and_submit(at, [("IMG_0001.jpg", photo, "image/jpeg")])

    # ... and the portal refuses it, by size alone, under the photo field, in Chinese.
    assert at.session_state["report_errors"]["evidence"].msgid == evidence.FILE_TOO_LARGE
    errors = [e.value for e in at.error]
    assert "文件过大：每个文件不能超过 10 MB。" in errors
    assert not any("MB or smaller" in e or "too large" in e for e in errors)
    assert_kept_and_nothing_stored(at, portal_db)


def test_a_39_7_megapixel_png_stops_the_filing_unread(open_portal, portal_db, no_decoding):
    msgid = evidence.TOO_MANY_PIXELS_LOSSLESS
    # The Chinese text comes with the next catalog update; until then the English page is checked.
    lang = "zh_CN" if translated(msgid) else "en"
    at = fill_report(open_portal(PAGE, lang=lang))
    big = encode(Image.new("RGB", (7280, 5456), "green"), "PNG")  # small file, 119 MB decoded

    attach_and_submit(at, [("small.png", encode(Image.new("RGB", (8, 8)), "PNG"), "image/png"),
                           ("big.png", big, "image/png")])  # fmt: skip

    assert at.session_state["report_errors"]["evidence"].msgid == msgid
    assert message(msgid, lang, limit=16) in [e.value for e in at.error]
    assert_kept_and_nothing_stored(at, portal_db)


def test_a_refused_photo_is_marked_with_the_other_problems_at_once(open_portal, portal_db):
    at = fill_report(open_portal(PAGE, lang="zh_CN"), description="太短了")
    gif = encode(Image.new("RGB", (32, 32), "red"), "GIF")

    attach_and_submit(at, [("photo.jpg", gif, "image/jpeg")])

    errors = at.session_state["report_errors"]
    assert errors["evidence"].msgid == evidence.UNSUPPORTED
    assert "description" in errors
    shown = [e.value for e in at.error]
    assert "文件不是支持的图片格式（JPEG、PNG 或 WebP）。" in shown
    assert_kept_and_nothing_stored(at, portal_db, description="太短了")
