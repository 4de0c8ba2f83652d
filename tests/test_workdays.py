"""The review window on the mainland working-day calendar, across year ends and unknown years."""

from __future__ import annotations

from datetime import date

import pytest

from packager.read.workdays import add_working_days, official_workday, review_window


def calendar_until_2026(day: date) -> bool:
    """The real calendar, but as if it had no data after 2026 (as chinesecalendar 1.11)."""
    if day.year > 2026:
        raise NotImplementedError(f"no available data for year {day.year}")
    return official_workday(day)


def test_year_boundary_never_crashes() -> None:
    """This test ensures 2026-12-20 + 15 working days crosses into 2027 without an exception."""
    window = review_window(date(2026, 12, 20))
    assert window.earliest == date(2026, 12, 29)
    assert not window.earliest_estimated
    assert window.latest.year == 2027
    if window.latest_estimated:  # calendar without 2027 data: Monday to Friday
        assert window.latest == date(2027, 1, 8)


def test_uncovered_year_falls_back_to_weekdays_and_says_so() -> None:
    """This test ensures days the calendar lacks are counted Mon–Fri and marked as estimates."""
    window = review_window(date(2026, 12, 20), calendar=calendar_until_2026)
    assert (window.earliest, window.earliest_estimated) == (date(2026, 12, 29), False)
    assert (window.latest, window.latest_estimated) == (date(2027, 1, 8), True)
    assert window.estimated


def test_far_future_year_is_all_estimate() -> None:
    """This test ensures a year no calendar release covers still gives weekday dates."""
    window = review_window(date(2099, 3, 6))  # a Friday
    assert window.earliest == date(2099, 3, 17)
    assert window.latest == date(2099, 3, 27)
    assert window.earliest_estimated and window.latest_estimated


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        # Sun 28 Sep and Sat 11 Oct 2025 are make-up working days; 1–8 Oct are holidays.
        (date(2025, 9, 26), 1, date(2025, 9, 28)),
        (date(2025, 9, 26), 3, date(2025, 9, 30)),
        (date(2025, 9, 26), 4, date(2025, 10, 9)),
        (date(2025, 9, 26), 6, date(2025, 10, 11)),
        (date(2025, 9, 26), 7, date(2025, 10, 13)),
        # An ordinary week: Friday + 1 is Monday.
        (date(2026, 11, 27), 1, date(2026, 11, 30)),
    ],
)
def test_make_up_weekends_count_holidays_do_not(start: date, count: int, expected: date) -> None:
    """This test ensures 调休 weekends are working days and the National Day week is not."""
    day, estimated = add_working_days(start, count)
    assert (day, estimated) == (expected, False)


def test_window_bounds_are_7_and_15_working_days() -> None:
    """This test ensures the two dates are the 7th and 15th working day after the build."""
    window = review_window(date(2026, 11, 28))
    assert (window.low, window.high) == (7, 15)
    assert window.earliest == date(2026, 12, 8)
    assert window.latest == date(2026, 12, 18)
    assert window.start == date(2026, 11, 28)
