"""One place that says what time it is, so tests can move it. All stored times are aware UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")  # China Standard Time, the time monitoring data is published in


def utcnow() -> datetime:
    return datetime.now(UTC)


def beijing(moment: datetime) -> datetime:
    return moment.astimezone(BEIJING)
