"""Statutory deadlines of a complaint, in calendar or working days of the official calendar.

The numbers are those of 信访工作条例 (2022) Arts. 22-23 and 34-36, which MEP Order 15 repeats:
acceptance decided within 15 days of receipt; closure within 60 days of acceptance; one extension
of at most 30 days; 复查 requested within 30 days of the reply and answered within 30 days; 复核
the same; a unit objecting to a transfer outside its remit does so within 5 working days.

Counting follows the general rule of Chinese procedure law: the day an event happens is not counted,
and a period in days whose last day is a statutory holiday or rest day ends on the next working day.
Working days come from the official State Council calendar through `chinese_calendar` (holidays and
make-up workdays). For a year the calendar package does not cover yet, Monday to Friday are taken as
working days and the deadline is marked provisional, so the portal can say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar

ACCEPTANCE_DAYS = 15  # 信访工作条例 Arts. 22-23: decide acceptance within 15 days of receipt
TRANSFER_OBJECTION_WORKING_DAYS = 5  # Arts. 22-23: object to a transfer within 5 working days
CLOSURE_DAYS = 60  # Arts. 34-36: close within 60 days of acceptance
EXTENSION_MAX_DAYS = 30  # Arts. 34-36: one extension of at most 30 days, approved, reason told
REVIEW_REQUEST_DAYS = 30  # Arts. 34-36: 复查 (then 复核) requested within 30 days of the answer
REVIEW_ANSWER_DAYS = 30  # Arts. 34-36: and answered within 30 days


@dataclass(frozen=True)
class Deadline:
    due: date
    provisional: bool = False  # a year without published holidays was counted Monday-Friday

    def overdue_on(self, today: date) -> bool:
        """Late once the due day has passed (the due day itself is still on time)."""
        return today > self.due


def working_day(day: date) -> tuple[bool, bool]:
    """(is a working day, provisional) by the official calendar."""
    try:
        return chinese_calendar.is_workday(day), False
    except NotImplementedError:  # the calendar for that year is not published in the package yet
        return day.weekday() < 5, True


def add_working_days(start: date, days: int) -> Deadline:
    """The `days`-th working day after `start` (which itself is not counted)."""
    if days < 1:
        raise ValueError("days must be positive")
    day, counted, provisional = start, 0, False
    while counted < days:
        day += timedelta(days=1)
        works, guessed = working_day(day)
        provisional |= guessed
        counted += works
    return Deadline(day, provisional)


def add_calendar_days(start: date, days: int) -> Deadline:
    """`start` + `days`, moved to the next working day when it falls on a holiday or rest day."""
    if days < 1:
        raise ValueError("days must be positive")
    day = start + timedelta(days=days)
    works, provisional = working_day(day)
    while not works:
        day += timedelta(days=1)
        works, guessed = working_day(day)
        provisional |= guessed
    return Deadline(day, provisional)


def acceptance_due(received_on: date) -> Deadline:
    return add_calendar_days(received_on, ACCEPTANCE_DAYS)


def closure_due(accepted_on: date, *, extension_days: int = 0) -> Deadline:
    if not 0 <= extension_days <= EXTENSION_MAX_DAYS:
        raise ValueError("an extension is 1 to 30 days")
    return add_calendar_days(accepted_on, CLOSURE_DAYS + extension_days)


def transfer_objection_due(transferred_on: date) -> Deadline:
    return add_working_days(transferred_on, TRANSFER_OBJECTION_WORKING_DAYS)


def review_request_due(replied_on: date) -> Deadline:
    return add_calendar_days(replied_on, REVIEW_REQUEST_DAYS)


def review_answer_due(requested_on: date) -> Deadline:
    return add_calendar_days(requested_on, REVIEW_ANSWER_DAYS)
