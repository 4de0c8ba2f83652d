"""The repayment schedule as an iCalendar file (RFC 5545), written by hand.

It is a few lines of text, so no library is needed at run time; tests read
it back with the ``icalendar`` package. Every payment is an all-day event
with two reminders (three days and one day before); the review window's
last day is one more. UIDs come from the case name and the payment's index,
so importing a rebuilt file updates the events instead of doubling them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from packager import __version__

CRLF = "\r\n"
LIMIT = 75  # octets per line before folding (RFC 5545 §3.1)


@dataclass(frozen=True, slots=True)
class Event:
    """One all-day event: a stable key, its day, summary, description and reminders (days before)."""

    key: str
    day: date
    summary: str
    description: str
    alarms: tuple[int, ...] = (3, 1)


def escape(text: str) -> str:
    """TEXT escaping (§3.3.11): backslash, semicolon, comma and newlines."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into ≤75-octet pieces joined by CRLF + space, never inside a character."""
    pieces: list[str] = []
    current = ""
    size = 0
    for char in line:
        width = len(char.encode())
        # continuation lines start with a space, which counts toward their 75 octets
        limit = LIMIT if not pieces else LIMIT - 1
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return (CRLF + " ").join(pieces)


def uid(case: str, key: str) -> str:
    """A UID stable across rebuilds of the same case (the name itself is not shown)."""
    digest = hashlib.sha256(case.encode()).hexdigest()[:16]
    return f"{digest}-{key}@packager"


def _event(case: str, event: Event, stamp: str) -> Iterable[str]:
    yield "BEGIN:VEVENT"
    yield f"UID:{uid(case, event.key)}"
    yield f"DTSTAMP:{stamp}"
    yield f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}"
    yield f"DTEND;VALUE=DATE:{event.day + timedelta(days=1):%Y%m%d}"
    yield f"SUMMARY:{escape(event.summary)}"
    yield f"DESCRIPTION:{escape(event.description)}"
    yield "TRANSP:TRANSPARENT"
    for before in event.alarms:
        yield "BEGIN:VALARM"
        yield "ACTION:DISPLAY"
        yield f"DESCRIPTION:{escape(event.summary)}"
        yield f"TRIGGER:-P{before}D"
        yield "END:VALARM"
    yield "END:VEVENT"


def calendar_bytes(case: str, events: Sequence[Event], today: date) -> bytes:
    """The whole VCALENDAR as UTF-8 with CRLF line ends and folded lines.

    DTSTAMP is the build date at midnight UTC: the file is a pure function
    of the case and the day, like every other output.
    """
    stamp = f"{today:%Y%m%d}T000000Z"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//packager//{__version__}//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape('逾期还款协商 还款计划')}",
    ]
    for event in events:
        lines.extend(_event(case, event, stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines).encode()
