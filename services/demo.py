"""Deterministic, clearly labelled sample data for demos, tests and benchmarks.

`generate(size=...)` fills an empty database. The same seed and end time give the same rows.
Feature modules add their own parts to PARTS.
"""

from __future__ import annotations

import math
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

import numpy as np
from sqlalchemy import insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from services import accounts, audit, geography
from services.accounts import Grant, Role
from services.air import daily
from services.air.observations import AirHourly
from services.clock import BEIJING, utcnow
from services.complaints import demo as complaints_demo
from services.complaints.model import ComplaintCase
from services.db import unit_of_work
from services.demo_meta import DemoDataset
from services.water import demo as water_demo
from services.water.model import water_sample

Progress = Callable[[str, int, int], None]  # part name, rows done, rows in the part
BATCH_ROWS = 20_000


class DemoSize(StrEnum):
    SMALL = "small"
    LARGE = "large"


AIR_DAYS = {DemoSize.SMALL: 300, DemoSize.LARGE: 5 * 365}  # small still spans 2026-03-01


@dataclass(frozen=True)
class DemoResult:
    rows: int
    seconds: float
    staff_password: str | None
    parts: dict[str, int]

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else float("inf")


class DatabaseNotEmpty(RuntimeError):
    pass


def default_until() -> datetime:
    """The end of the sample period: the start of the current hour, Beijing time."""
    return utcnow().astimezone(BEIJING).replace(minute=0, second=0, microsecond=0)


def is_empty(engine: Engine) -> bool:
    with Session(engine) as session:
        has_hours = session.exec(select(AirHourly.id).limit(1)).first() is not None
        has_sample = session.exec(select(DemoDataset.id).limit(1)).first() is not None
        has_cases = session.exec(select(ComplaintCase.id).limit(1)).first() is not None
        has_water = session.execute(select(water_sample.c.id).limit(1)).first() is not None
    return not (has_hours or has_sample or has_cases or has_water)


# --- staff accounts ------------------------------------------------------------------------

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


def _demo_password() -> str:
    return "Demo-" + secrets.token_urlsafe(12)


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


# --- air: plausible Guiyang hourly concentrations ------------------------------------------


def _air_frames(
    *, seed: int, until: datetime, days: int
) -> Iterator[tuple[str, np.ndarray, dict[str, np.ndarray]]]:
    """Per station: hour ends (UTC epoch seconds) and 1-hour concentrations.

    Guiyang is clean by Chinese standards (about 98 % good days): PM2.5 averages about 25 µg/m³,
    highest in winter with a few multi-day episodes; O3 peaks on summer afternoons.
    """
    hours = days * 24
    end = until.astimezone(BEIJING)
    start = end - timedelta(hours=hours - 1)
    local_hours = np.arange(hours)
    stamps = np.array(
        [(start + timedelta(hours=int(h))).timestamp() for h in local_hours], dtype=np.int64
    )
    day_of_year = ((stamps + 8 * 3600) // 86400 + 4) % 365.25  # approximate, for seasonality
    hour_of_day = ((stamps + 8 * 3600) // 3600) % 24
    winter = np.cos(2 * math.pi * (day_of_year - 15) / 365.25)  # +1 mid-January, -1 mid-July
    afternoon = np.clip(np.cos(2 * math.pi * (hour_of_day - 15) / 24), 0, None)
    rush = np.exp(-((hour_of_day - 8) ** 2) / 4) + np.exp(-((hour_of_day - 19) ** 2) / 6)

    for index, station in enumerate(geography.air_stations()):
        rng = np.random.default_rng([seed, index])
        cleaner = 0.7 if station.is_background else 1.0
        episode = np.zeros(hours)
        for _ in range(max(1, days // 60)):
            centre = rng.integers(0, hours)
            if winter[centre] > 0.2:
                width = rng.integers(24, 96)
                episode += rng.uniform(1.5, 4.0) * np.exp(
                    -((local_hours - centre) ** 2) / (2 * width**2)
                )
        noise = rng.lognormal(0.0, 0.25, size=(6, hours))
        pm25 = cleaner * (24 + 12 * winter) * (1 + episode) * noise[0]
        values = {
            "pm25": pm25,
            "pm10": pm25 * rng.uniform(1.5, 1.8) * noise[1] ** 0.3,
            "so2": cleaner * (9 + 4 * winter) * noise[2],
            "no2": cleaner * (16 + 6 * winter + 14 * rush) * noise[3],
            "co": cleaner * (0.6 + 0.25 * winter + 0.15 * rush) * noise[4],
            "o3": (25 + 55 * afternoon * (1.4 - 0.6 * winter)) * noise[5],
        }
        for name, series in values.items():
            digits = 1 if name == "co" else 0
            series = np.round(series, digits)
            missing = rng.random(hours) < 0.008
            values[name] = np.where(missing, np.nan, series)
        yield station.code, stamps, values


def _air_rows(seed: int, until: datetime, days: int) -> Iterator[list[dict[str, object]]]:
    batch: list[dict[str, object]] = []
    for code, stamps, values in _air_frames(seed=seed, until=until, days=days):
        columns = {k: v.tolist() for k, v in values.items()}
        for i, stamp in enumerate(stamps.tolist()):
            row: dict[str, object] = {
                "station_code": code,
                "observed_at": datetime.fromtimestamp(stamp, UTC),
                "is_valid": True,
                "source": "demo",
            }
            for name, column in columns.items():
                value = column[i]
                row[name] = None if value != value else value  # NaN → NULL
            batch.append(row)
            if len(batch) >= BATCH_ROWS:
                yield batch
                batch = []
    if batch:
        yield batch


# --- the whole set -------------------------------------------------------------------------


def expected_rows(size: DemoSize) -> dict[str, int]:
    """Rows per part; "complaints" (cases, events, sealed identities) is an estimate: the part
    reports its exact total through `progress` once its flow is drawn."""
    return {
        "staff": len(DEMO_STAFF),
        "air_hourly": len(geography.air_stations()) * AIR_DAYS[size] * 24,
        "complaints": round(complaints_demo.CASES[size] * complaints_demo.ROWS_PER_CASE),
        "water_samples": water_demo.expected_rows(size),
    }


def generate(
    engine: Engine,
    *,
    size: DemoSize = DemoSize.SMALL,
    seed: int = 20211,
    until: datetime | None = None,
    progress: Progress | None = None,
    with_staff: bool = True,
) -> DemoResult:
    """Fill an empty database with sample data. Refuses to touch a database that has data."""
    if not is_empty(engine):
        raise DatabaseNotEmpty(
            "the database already holds observations, complaints, water samples or sample data"
        )
    started = time.perf_counter()
    until = until or default_until()
    report = progress or (lambda _part, _done, _total: None)
    totals = expected_rows(size)
    parts: dict[str, int] = {}
    password = None

    if with_staff:
        password = _demo_password()
        with unit_of_work(engine) as session:
            parts["staff"] = _seed_staff(session, password)
        report("staff", parts["staff"], totals["staff"])

    done = 0
    for batch in _air_rows(seed, until, AIR_DAYS[size]):
        with engine.begin() as conn:
            conn.execute(insert(AirHourly), batch)
        done += len(batch)
        report("air_hourly", done, totals["air_hourly"])
    parts["air_hourly"] = done
    report("air_daily", 0, 1)
    parts["air_daily"] = daily.rebuild_daily(engine)
    report("air_daily", 1, 1)

    # water samples and complaints up to the Beijing day of the last whole hour (`until` itself
    # at 00:00 ends the day before); complaint events of that day are kept before `until`
    last_day = (until - timedelta(microseconds=1)).astimezone(BEIJING).date()
    parts["water_samples"] = water_demo.generate_samples(
        engine, size=size.value, seed=seed, until=last_day, progress=report
    )
    parts["complaints"] = complaints_demo.generate_cases(
        engine,
        count=complaints_demo.CASES[size],
        seed=seed,
        until=last_day,
        progress=report,
        cutoff=until,
    )

    rows = sum(parts.values())
    with unit_of_work(engine) as session:
        session.add(DemoDataset(size=size.value, seed=seed, rows=rows))
        audit.record(
            session,
            actor="seed-demo",
            action="demo.seed",
            object_type="demo_dataset",
            details={
                "size": size.value,
                "seed": seed,
                "rows": parts,
                "until": until.isoformat(timespec="minutes"),
            },
        )
    return DemoResult(
        rows=rows, seconds=time.perf_counter() - started, staff_password=password, parts=parts
    )
