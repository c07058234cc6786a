"""Statutory deadlines, derived by hand from the 2026 State Council holiday calendar.

2026: Spring Festival off 15-23 Feb, make-up workdays Sat 14 Feb and Sat 28 Feb; Mid-autumn off
Sun 27 Sep; National Day off 1-7 Oct, make-up workdays Sun 20 Sep and Sat 10 Oct.
"""

from __future__ import annotations

from datetime import date

import pytest

from services.complaints import deadlines


def test_acceptance_due_on_a_holiday_moves_to_the_first_working_day_after_it():
    # filed Wed 16 Sep: 16 + 15 = Thu 1 Oct, National Day; holidays run to 7 Oct
    assert deadlines.acceptance_due(date(2026, 9, 16)) == deadlines.Deadline(date(2026, 10, 8))


def test_acceptance_due_over_the_spring_festival():
    # filed Sat 31 Jan: + 15 = Sun 15 Feb, first day of the holiday (to 23 Feb)
    assert deadlines.acceptance_due(date(2026, 1, 31)).due == date(2026, 2, 24)


def test_a_due_day_on_an_ordinary_sunday_moves_to_monday():
    assert deadlines.acceptance_due(date(2026, 11, 14)).due == date(2026, 11, 30)


def test_a_due_day_on_a_make_up_saturday_stays():
    # accepted Tue 11 Aug: + 60 = Sat 10 Oct, an official make-up workday
    assert deadlines.closure_due(date(2026, 8, 11)).due == date(2026, 10, 10)


def test_transfer_objection_counts_working_days_across_the_holidays():
    # transferred Fri 25 Sep: Sat 26 rest, Sun 27 Mid-autumn; Mon 28 (1), 29 (2), 30 (3);
    # 1-7 Oct off; Thu 8 (4), Fri 9 (5)
    assert deadlines.transfer_objection_due(date(2026, 9, 25)).due == date(2026, 10, 9)


def test_a_make_up_workday_counts_as_a_working_day():
    # transferred Thu 8 Oct: Fri 9 (1), Sat 10 make-up (2), Mon 12 (3), Tue 13 (4), Wed 14 (5)
    assert deadlines.transfer_objection_due(date(2026, 10, 8)).due == date(2026, 10, 14)
    # ... and Sun 20 Sep: transferred Fri 18 Sep gives Sun 20 (1), Mon 21 .. Thu 24 (5)
    assert deadlines.transfer_objection_due(date(2026, 9, 18)).due == date(2026, 9, 24)


def test_an_extension_adds_at_most_30_days():
    # accepted Tue 11 Aug: 60 + 30 = 90 days, Mon 9 Nov
    assert deadlines.closure_due(date(2026, 8, 11), extension_days=30).due == date(2026, 11, 9)
    with pytest.raises(ValueError):
        deadlines.closure_due(date(2026, 8, 11), extension_days=31)


def test_review_windows_are_30_plus_30_days():
    # answered Thu 10 Sep: a review may be asked until Sat 10 Oct (make-up workday)
    assert deadlines.review_request_due(date(2026, 9, 10)).due == date(2026, 10, 10)
    # asked Tue 1 Dec: answered by Thu 31 Dec
    assert deadlines.review_answer_due(date(2026, 12, 1)).due == date(2026, 12, 31)


def test_a_year_without_a_published_calendar_counts_monday_to_friday_and_says_so():
    due = deadlines.acceptance_due(date(2026, 12, 18))  # + 15 = Sat 2 Jan 2027
    assert due == deadlines.Deadline(date(2027, 1, 4), provisional=True)
    assert deadlines.transfer_objection_due(date(2026, 12, 30)).provisional
    assert not deadlines.acceptance_due(date(2026, 11, 1)).provisional


def test_the_due_day_itself_is_still_on_time():
    due = deadlines.Deadline(date(2026, 10, 8))
    assert not due.overdue_on(date(2026, 10, 8))
    assert due.overdue_on(date(2026, 10, 9))
