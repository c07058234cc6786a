"""Who sees which page: anonymous readers get public pages only; staff get their roles' pages."""

from __future__ import annotations

import pytest

from portal import navigation
from services.core.accounts import Actor, Grant, Role

STAFF_PAGES = [
    "staff/staff_desk.py", "air/staff_air_data.py", "water/staff_water_data.py",
    "staff/staff_users.py", "staff/staff_audit.py",
]  # fmt: skip


def headings(at) -> list[str]:
    return [t.value for t in at.title]


def test_anonymous_home_renders_in_chinese_by_default(open_portal):
    at = open_portal()
    assert not at.exception
    assert headings(at) == ["贵阳市生态环境公众服务门户"]


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_anonymous_reader_cannot_open_a_staff_page(open_portal, page):
    at = open_portal()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(f"../pages/{page}")


def test_handler_sees_the_desk_but_not_admin_pages(open_portal):
    at = open_portal("staff/staff_desk.py", as_user="handler")
    assert not at.exception
    assert headings(at) == ["工作台"]
    for page in ("staff/staff_users.py", "staff/staff_audit.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(f"../pages/{page}")


@pytest.mark.parametrize(
    ("page", "title"),
    [("staff/staff_users.py", "工作人员账号"), ("staff/staff_audit.py", "审计日志")],
)
def test_admin_opens_admin_pages(open_portal, page, title):
    at = open_portal(page, as_user="root")
    assert not at.exception
    assert headings(at) == [title]


def test_a_tampered_cookie_is_treated_as_anonymous(open_portal, monkeypatch):
    import portal.kit.auth

    at = open_portal(as_user="root")
    monkeypatch.setattr(portal.kit.auth, "session_cookie_value", lambda: "forged.value.sig")
    at.run()
    with pytest.raises(ValueError):
        at.switch_page("../pages/staff/staff_users.py")


def test_page_visibility_follows_roles():
    handler = Actor(1, "h", "H", (Grant(Role.COMPLAINT_HANDLER, "520103"),))
    admin = Actor(2, "a", "A", (Grant(Role.ADMIN),))
    files = lambda actor: [p.file for p in navigation.visible_pages(actor)]  # noqa: E731
    supervisor = Actor(3, "s", "S", (Grant(Role.COMPLAINT_SUPERVISOR),))
    public = [
        "home/home.py", "air/air.py", "water/water.py", "complaints/complaint_file.py",
        "complaints/complaint_track.py",
        "complaints/complaints.py", "home/about.py",
    ]  # fmt: skip
    assert files(None) == public
    assert files(handler) == [*public, "staff/staff_desk.py", "complaints/staff_complaints.py"]
    assert files(supervisor) == [*public, "staff/staff_desk.py", "complaints/staff_complaints.py"]
    assert files(admin) == [
        *public, "staff/staff_desk.py", "staff/staff_users.py", "staff/staff_audit.py",
    ]  # fmt: skip


def test_the_signed_in_staff_member_is_named_in_the_sidebar(open_portal):
    at = open_portal(as_user="handler", lang="en")
    assert any("Handler Tester" in c.value for c in at.sidebar.caption)
