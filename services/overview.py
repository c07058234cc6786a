"""What the home page shows: small, cheap summaries whose cost does not grow with the data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from services import demo_meta, geography, plan
from services.air import now, observations
from services.water import evaluation as water_evaluation
from services.water import public as water_public


@dataclass(frozen=True)
class HomeOverview:
    air_latest: observations.LatestHour | None
    city_now: now.AirNow | None
    stations_total: int
    water_latest: water_evaluation.CityShares | None
    demo_generated_at: datetime | None
    demo_size: str | None
    plan_highlights: tuple[plan.PlanIndicator, ...]


def home_overview(session: Session) -> HomeOverview:
    demo = demo_meta.current(session)
    return HomeOverview(
        air_latest=observations.latest_hour(session),
        city_now=now.air_now(session).get(now.CITY),
        stations_total=len(geography.air_stations()),
        water_latest=water_public.latest_month_shares(session),
        demo_generated_at=demo.generated_at if demo else None,
        demo_size=demo.size if demo else None,
        plan_highlights=tuple(plan.highlights()),
    )
