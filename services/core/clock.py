"""One place that says what time it is, so tests can move it. All stored times are aware UTC.

Every reader of the time (`utcnow`, `today`, the `default_factory` of model timestamps) asks the
installed clock; production runs on the `SystemClock`, tests install a `FixedClock` with
`use_clock` (tests/conftest.py gives one as the `clock` fixture).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")  # China Standard Time, the time monitoring data is published in


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, timezone-aware."""
        ...


class SystemClock:
    """The computer's clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until it is set or moved on."""

    def __init__(self, moment: datetime | date) -> None:
        self.set(moment)

    def set(self, moment: datetime | date) -> None:
        """Stop at `moment`; a bare date means 10:00 Beijing time on that day."""
        if not isinstance(moment, datetime):
            moment = datetime.combine(moment, time(10, 0), tzinfo=BEIJING)
        if moment.tzinfo is None:
            raise ValueError("a clock needs an aware moment")
        self.moment = moment.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self.moment += delta

    @property
    def day(self) -> date:
        """The Beijing day the clock stands on."""
        return beijing(self.moment).date()

    def now(self) -> datetime:
        return self.moment


_installed: Clock = SystemClock()
AnyClock = TypeVar("AnyClock", bound=Clock)


def installed() -> Clock:
    return _installed


@contextmanager
def use_clock(clock: AnyClock) -> Iterator[AnyClock]:
    """Make `clock` the time everywhere for the block; the previous clock returns after it."""
    global _installed
    previous, _installed = _installed, clock
    try:
        yield clock
    finally:
        _installed = previous


def utcnow() -> datetime:
    return _installed.now().astimezone(UTC)


def beijing(moment: datetime) -> datetime:
    return moment.astimezone(BEIJING)


def today() -> date:
    """Today in Beijing, the day every deadline and every published date counts in."""
    return beijing(utcnow()).date()
