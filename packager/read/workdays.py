"""The review window: the 7th to 15th mainland working day after the build date.

Working days come from ``chinese_calendar`` (State Council holidays and the
make-up working weekends, 调休). The package only knows the years published
so far and raises ``NotImplementedError`` beyond them; such days are counted
Monday to Friday instead and the result is flagged as an estimate, so a build
on 20 December never crashes on the next year (domain.md §4).
``include_weekends=False`` is never used: it drops the make-up Saturdays.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import chinese_calendar

from packager.models import ReviewWindow

REVIEW_LOW = 7
REVIEW_HIGH = 15

Calendar = Callable[[date], bool]


def official_workday(day: date) -> bool:
    """True on a mainland working day, make-up weekends included; raises for unknown years."""
    return bool(chinese_calendar.is_workday(day))


def is_working_day(day: date, calendar: Calendar = official_workday) -> tuple[bool, bool]:
    """(working, estimated): Monday–Friday stands in where the calendar has no data."""
    try:
        return calendar(day), False
    except NotImplementedError:
        return day.weekday() < 5, True


def add_working_days(
    start: date, count: int, calendar: Calendar = official_workday
) -> tuple[date, bool]:
    """The ``count``-th working day after ``start`` and whether any day on the way was estimated."""
    day = start
    counted = 0
    estimated = False
    while counted < count:
        day += timedelta(days=1)
        working, guessed = is_working_day(day, calendar)
        estimated = estimated or guessed
        if working:
            counted += 1
    return day, estimated


def review_window(
    start: date,
    low: int = REVIEW_LOW,
    high: int = REVIEW_HIGH,
    calendar: Calendar = official_workday,
) -> ReviewWindow:
    """Earliest and latest answer dates, each marked when it is an estimate."""
    earliest, early_guess = add_working_days(start, low, calendar)
    latest, late_guess = add_working_days(start, high, calendar)
    return ReviewWindow(start, earliest, latest, early_guess, late_guess, low, high)
