"""The review window: the 7th to 15th mainland working day after the build date.

Working days come from ``chinese_calendar`` (State Council holidays and the
make-up working weekends, 调休). The package only knows the years published
so far and raises ``NotImplementedError`` beyond them; such days are counted
Monday to Friday instead and the result is flagged as an estimate, so a build
on 20 December never crashes on the next year (domain.md §4).
``include_weekends=False`` is never used: it drops the make-up Saturdays.

A holidays file (``read/holidays.py``) comes first for the years it covers,
so a year the State Council has announced but chinese_calendar lacks is
counted exactly. The window records which source each counted day came
from, so the report can say so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta

import chinese_calendar

from packager.models import DateSource, ReviewWindow
from packager.read.holidays import Override

REVIEW_LOW = 7
REVIEW_HIGH = 15

Calendar = Callable[[date], bool]
CALENDAR = DateSource("calendar", f"chinese_calendar {chinese_calendar.__version__}")
WEEKDAYS = DateSource("weekdays", "")


def official_workday(day: date) -> bool:
    """True on a mainland working day, make-up weekends included; raises for unknown years."""
    return bool(chinese_calendar.is_workday(day))


def day_basis(
    day: date, calendar: Calendar = official_workday, overrides: Sequence[Override] = ()
) -> tuple[bool, DateSource]:
    """Whether ``day`` is a working day, and by whose word.

    A holidays file first, then the calendar, then Monday–Friday (an
    estimate) where neither has the year.
    """
    for override in overrides:
        working = override.working(day)
        if working is not None:
            return working, DateSource("file", override.shown)
    try:
        return calendar(day), CALENDAR
    except NotImplementedError:
        return day.weekday() < 5, WEEKDAYS


def is_working_day(day: date, calendar: Calendar = official_workday) -> tuple[bool, bool]:
    """(working, estimated): Monday–Friday stands in where the calendar has no data."""
    working, source = day_basis(day, calendar)
    return working, source is WEEKDAYS


def _count(
    start: date, count: int, calendar: Calendar, overrides: Sequence[Override]
) -> tuple[date, list[DateSource]]:
    day = start
    counted = 0
    sources: list[DateSource] = []
    while counted < count:
        day += timedelta(days=1)
        working, source = day_basis(day, calendar, overrides)
        if source not in sources:
            sources.append(source)
        if working:
            counted += 1
    return day, sources


def add_working_days(
    start: date,
    count: int,
    calendar: Calendar = official_workday,
    overrides: Sequence[Override] = (),
) -> tuple[date, bool]:
    """The ``count``-th working day after ``start`` and whether any day on the way was estimated."""
    day, sources = _count(start, count, calendar, overrides)
    return day, WEEKDAYS in sources


def review_window(
    start: date,
    low: int = REVIEW_LOW,
    high: int = REVIEW_HIGH,
    calendar: Calendar = official_workday,
    overrides: Sequence[Override] = (),
) -> ReviewWindow:
    """Earliest and latest answer dates, each marked when it is an estimate, and their sources."""
    earliest, early = _count(start, low, calendar, overrides)
    latest, late = _count(start, high, calendar, overrides)
    sources = tuple(dict.fromkeys(late))  # the longer count passes every day the shorter does
    return ReviewWindow(
        start, earliest, latest, WEEKDAYS in early, WEEKDAYS in late, low, high, sources
    )
