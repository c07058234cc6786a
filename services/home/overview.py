"""What the home page shows besides the capabilities' tiles: the sample-data note and the plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from services.core import demo_meta, plan


@dataclass(frozen=True)
class HomeOverview:
    demo_generated_at: datetime | None
    demo_size: str | None
    plan_highlights: tuple[plan.PlanIndicator, ...]


def home_overview(session: Session) -> HomeOverview:
    demo = demo_meta.current(session)
    return HomeOverview(
        demo_generated_at=demo.generated_at if demo else None,
        demo_size=demo.size if demo else None,
        plan_highlights=tuple(plan.highlights()),
    )
