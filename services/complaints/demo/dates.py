"""Sample complaints, days: proleptic ordinal days, Beijing midnights, working days, deadlines.

Days are `date.toordinal()` numbers throughout the simulation; moments are epoch seconds. The
deadlines are those of services.complaints.deadlines, as (day, provisional) pairs.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from services.complaints import deadlines

EPOCH = date(1970, 1, 1).toordinal()


def midnight(day: int) -> float:
    """Epoch seconds of 00:00 Beijing time on a proleptic ordinal day (no DST since 1991)."""
    return (day - EPOCH) * 86400.0 - 8 * 3600


def day_of(moment: float) -> int:
    """The Beijing day of a moment (epoch seconds)."""
    return int((moment + 8 * 3600) // 86400) + EPOCH


@lru_cache(maxsize=1 << 16)
def as_date(day: int) -> date:
    return date.fromordinal(day)


def as_date_or_none(day: object) -> date | None:
    return as_date(day) if isinstance(day, int) else None


@lru_cache(maxsize=1 << 16)
def workday(day: int) -> int:
    """The day itself when the official calendar says it is a working day, else the next one."""
    while not deadlines.working_day(as_date(day))[0]:
        day += 1
    return day


def _due(deadline: deadlines.Deadline) -> tuple[int, bool]:
    return deadline.due.toordinal(), deadline.provisional


@lru_cache(maxsize=1 << 16)
def acceptance_due(day: int) -> tuple[int, bool]:
    return _due(deadlines.acceptance_due(as_date(day)))


@lru_cache(maxsize=1 << 16)
def closure_due(day: int, extension: int = 0) -> tuple[int, bool]:
    return _due(deadlines.closure_due(as_date(day), extension_days=extension))


@lru_cache(maxsize=1 << 16)
def objection_due(day: int) -> tuple[int, bool]:
    return _due(deadlines.transfer_objection_due(as_date(day)))


@lru_cache(maxsize=1 << 16)
def review_request_due(day: int) -> tuple[int, bool]:
    return _due(deadlines.review_request_due(as_date(day)))


@lru_cache(maxsize=1 << 16)
def review_answer_due(day: int) -> tuple[int, bool]:
    return _due(deadlines.review_answer_due(as_date(day)))
