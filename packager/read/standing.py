"""Where the case stands after the packet is sent: the pure read-side answer and its findings.

The article our users follow says the lender answers in 7–15 working days
and that, past that, the person calls and quotes the ticket or tracking
number. ``standing`` counts those days with the review window's own calendar
(holidays files first, then chinese_calendar, then Monday–Friday) so the
report, ``check`` and the manifest agree on one day number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from packager.models import Finding, ReviewWindow, Severity
from packager.read.casefile import Case
from packager.read.choices import CHOICE_NAMES
from packager.read.holidays import Override
from packager.read.schedule import Schedule, agreement_findings, build_schedule
from packager.read.workdays import REVIEW_HIGH, Calendar, day_basis, official_workday, review_window

NOT_SENT = "not_sent"
WAITING = "waiting"
PAST = "past"
AGREED = "agreed"


@dataclass(frozen=True, slots=True)
class Standing:
    """Where a sent packet stands ([submission]): not sent, waiting (day N of 7–15), past, agreed.

    ``day`` counts the working days since the submission date, today included;
    ``window`` is the review window counted from that date (the build's own
    calendar and holidays files).
    """

    state: str  # "not_sent" | "waiting" | "past" | "agreed"
    day: int = 0
    window: ReviewWindow | None = None


def working_days_between(
    start: date,
    today: date,
    calendar: Calendar = official_workday,
    overrides: Sequence[Override] = (),
) -> int:
    """Working days after ``start`` up to and including ``today`` (0 when today is not later)."""
    count = 0
    day = start
    while day < today:
        day += timedelta(days=1)
        if day_basis(day, calendar, overrides)[0]:
            count += 1
    return count


def standing(
    case: Case,
    today: date,
    calendar: Calendar = official_workday,
    overrides: Sequence[Override] = (),
) -> Standing:
    """The state of the case on ``today``; the window counts from the submission date."""
    sent = case.submission.date
    if sent is None:
        return Standing(NOT_SENT)
    window = review_window(sent, calendar=calendar, overrides=overrides)
    day = working_days_between(sent, today, calendar, overrides)
    if case.agreement.date is not None or case.agreement.total is not None:
        return Standing(AGREED, day, window)
    return Standing(PAST if day > REVIEW_HIGH else WAITING, day, window)


def _quote(case: Case) -> str:
    """The numbers to quote on the phone: ticket and tracking, as written."""
    sub = case.submission
    parts = [p for p in (sub.reference, sub.tracking) if p]
    return "、".join(parts)


def standing_findings(case: Case, state: Standing) -> list[Finding]:
    """One finding saying where the case stands and, past the window, what to do."""
    if state.state == NOT_SENT:
        return [Finding("SUBMISSION_NOT_SENT", Severity.INFO)]
    window = state.window
    assert window is not None  # noqa: S101 - every state but not_sent has one
    sub = case.submission
    params: dict[str, str | int | float] = {
        "sent": sub.date.isoformat() if sub.date else "",
        "channel": f"以{CHOICE_NAMES[sub.channel.value]}方式" if sub.channel else "",
        "channel_en": sub.channel.value if sub.channel else "?",
        "day": state.day,
        "low": window.low,
        "high": window.high,
        "earliest": window.earliest.isoformat(),
        "latest": window.latest.isoformat(),
        "quote": _quote(case),
    }
    if state.state == AGREED:
        return []
    if state.state == WAITING:
        return [Finding("SUBMISSION_WAITING", Severity.INFO, params=params)]
    code = "SUBMISSION_PAST_WINDOW" if params["quote"] else "SUBMISSION_PAST_WINDOW_NO_NUMBER"
    return [Finding(code, Severity.WARNING, params=params)]


def aftercare(
    case: Case, today: date, overrides: Sequence[Override] = ()
) -> tuple[Standing, Schedule | None, list[Finding]]:
    """Everything the read side knows after submission: the state, the schedule, their findings."""
    state = standing(case, today, overrides=overrides)
    found = standing_findings(case, state)
    found.extend(agreement_findings(case.agreement))
    plan = build_schedule(case.agreement, overrides=overrides)
    if plan is not None:
        ahead = [d for d in plan.dues if d.day >= today] or [plan.dues[-1]]
        found.append(
            Finding(
                "AGREEMENT_SCHEDULE",
                Severity.INFO,
                params={
                    "n": len(plan.dues),
                    "total": fen_text(plan.total_fen),
                    "next": ahead[0].day.isoformat(),
                    "amount": fen_text(ahead[0].fen),
                },
            )
        )
        off = [d.day.isoformat() for d in plan.dues if d.day_off]
        if off:
            found.append(
                Finding("AGREEMENT_DAY_OFF", Severity.INFO, params={"days": "、".join(off)})
            )
    return state, plan, found


def fen_text(fen: int) -> str:
    """760000 -> "7,600.00" (exact: no float on the way)."""
    return f"{fen // 100:,}.{fen % 100:02d}"
