"""The agreed repayment schedule from [agreement]: every due day and amount, in fen.

A missed instalment usually ends the agreement (the article), so the
schedule must be exact: amounts are integer fen, the last instalment takes
the rounding so the sum is the total to the fen, and a day that a month
lacks (the 31st in April, 29 February in a common year) falls on that
month's last day. A due day on a weekend or public holiday is marked: the
lender's system takes the payment on the day itself, so the person pays on
the working day before.
"""

from __future__ import annotations

import calendar as monthdays
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from packager.models import Finding, Severity
from packager.read.casefile import Agreement
from packager.read.choices import Plan
from packager.read.holidays import Override
from packager.read.workdays import Calendar, day_basis, official_workday


@dataclass(frozen=True, slots=True)
class Due:
    """One payment of an agreed plan: its day, its amount in fen, and whether the day is off."""

    index: int  # 1-based
    day: date
    fen: int
    day_off: bool  # a weekend or public holiday: pay the working day before


@dataclass(frozen=True, slots=True)
class Schedule:
    """The agreed repayment schedule: every payment; the amounts sum exactly to ``total_fen``."""

    total_fen: int
    dues: tuple[Due, ...]


def to_fen(amount: float) -> int:
    """3800.005 -> 380001: yuan to whole fen, half up, via the decimal the person typed."""
    return int((Decimal(str(amount)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def month_day(year: int, month: int, day: int) -> date:
    """``day`` of that month, or the month's last day when it has fewer days."""
    return date(year, month, min(day, monthdays.monthrange(year, month)[1]))


def due_days(first: date, count: int, day_of_month: int | None = None) -> list[date]:
    """``count`` monthly due days: ``first``, then ``day_of_month`` (default: first's day)."""
    day = day_of_month or first.day
    days = [first]
    for k in range(1, count):
        months = first.month - 1 + k
        days.append(month_day(first.year + months // 12, months % 12 + 1, day))
    return days


def split_fen(total_fen: int, count: int) -> list[int]:
    """Equal whole-fen instalments; the last absorbs the rounding (sum is exactly the total)."""
    base = total_fen // count
    return [base] * (count - 1) + [total_fen - base * (count - 1)]


def build_schedule(
    agreement: Agreement,
    calendar: Calendar = official_workday,
    overrides: Sequence[Override] = (),
) -> Schedule | None:
    """The schedule, or None when [agreement] lacks what it needs (see ``agreement_findings``)."""
    if agreement_findings(agreement) or agreement.total is None:
        return None
    total = to_fen(agreement.total)
    first, count = agreement.first_due, agreement.installments
    single = agreement.plan in (Plan.LUMP_SUM, Plan.DEFERRAL) or not count
    if agreement.due is not None and single:
        days, amounts = [agreement.due], [total]
    elif first is not None and count:
        days = due_days(first, count, agreement.day_of_month)
        amounts = split_fen(total, count)
    else:
        return None
    dues = tuple(
        Due(i, day, fen, not day_basis(day, calendar, overrides)[0])
        for i, (day, fen) in enumerate(zip(days, amounts, strict=True), start=1)
    )
    return Schedule(total, dues)


def agreement_findings(agreement: Agreement) -> list[Finding]:
    """What keeps [agreement] from giving a schedule: each named, with what to write."""
    if agreement.date is None and agreement.total is None and agreement.first_due is None:
        return []  # no agreement yet
    found: list[Finding] = []
    if agreement.total is None or agreement.total <= 0:
        found.append(Finding("AGREEMENT_NO_TOTAL", Severity.WARNING))
    if agreement.installments is not None and agreement.installments <= 0:
        found.append(
            Finding(
                "AGREEMENT_NO_INSTALLMENTS", Severity.WARNING, params={"n": agreement.installments}
            )
        )
    elif agreement.due is None and agreement.first_due is None:
        found.append(Finding("AGREEMENT_NO_DUE", Severity.WARNING))
    elif agreement.due is None and not agreement.installments:
        found.append(Finding("AGREEMENT_NO_INSTALLMENTS", Severity.WARNING, params={"n": 0}))
    first = agreement.first_due or agreement.due
    if first is not None and agreement.date is not None and first < agreement.date:
        found.append(
            Finding(
                "AGREEMENT_DUE_BEFORE",
                Severity.WARNING,
                params={"first": first.isoformat(), "date": agreement.date.isoformat()},
            )
        )
    return found
