"""Sample staff accounts, one per role, sharing one random password printed once."""

from __future__ import annotations

from sqlmodel import Session

from services.core import accounts
from services.core.accounts import Grant, Role
from services.core.db import unit_of_work
from services.shared.capability import DemoContext

DEMO_STAFF: tuple[tuple[str, str, tuple[Grant, ...]], ...] = (
    ("demo.admin", "示例管理员 Demo Admin", (Grant(Role.ADMIN),)),
    ("demo.handler", "示例受理员（全市） Demo Handler", (Grant(Role.COMPLAINT_HANDLER),)),
    (
        "demo.yunyan",
        "示例受理员（云岩区） Demo Handler Yunyan",
        (Grant(Role.COMPLAINT_HANDLER, "520103"),),
    ),
    (
        "demo.supervisor",
        "示例督办员 Demo Complaint Supervisor",
        (Grant(Role.COMPLAINT_SUPERVISOR),),
    ),
    (
        "demo.whistle",
        "示例举报专员 Demo Whistleblower Officer",
        (Grant(Role.WHISTLEBLOWER_OFFICER),),
    ),
    ("demo.data", "示例数据编辑 Demo Data Editor", (Grant(Role.DATA_EDITOR),)),
    ("demo.sites", "示例地块专员 Demo Site Officer", (Grant(Role.SITE_OFFICER),)),
    ("demo.opendays", "示例开放日专员 Demo Open-day Officer", (Grant(Role.OPEN_DAY_OFFICER),)),
    ("demo.campaigns", "示例创建评审 Demo Campaign Reviewer", (Grant(Role.CAMPAIGN_REVIEWER),)),
    ("demo.surveys", "示例问卷管理 Demo Survey Manager", (Grant(Role.SURVEY_MANAGER),)),
)



def _seed_staff(session: Session, password: str) -> int:
    for username, name, grants in DEMO_STAFF:
        accounts.create_user(
            session,
            actor_name="seed-demo",
            username=username,
            display_name=name,
            password=password,
            grants=list(grants),
            is_demo=True,
        )
    return len(DEMO_STAFF)


def generate(context: DemoContext) -> int | None:
    if context.staff_password is None:
        return None
    with unit_of_work(context.engine) as session:
        rows = _seed_staff(session, context.staff_password)
    context.progress("staff", rows, rows)
    return rows

