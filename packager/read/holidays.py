"""holidays.toml: the State Council's 放假/调休 days for years the calendar package lacks.

chinese_calendar only knows the years published when it was released, and a
review window counted today can run into next year. Each December the State
Council publishes next year's arrangement; a person (or a packager release)
can write it down here rather than wait for a new chinese_calendar:

    [2027]
    off = ["2027-01-01", "2027-02-05 至 2027-02-11"]   # 放假 (a range: 至, ~ or ..)
    work = ["2027-02-14"]                             # 调休上班

Two files are read, the person's first: ``holidays.toml`` in the folder that
holds the cases (the inbox: holidays are the country's, not one case's, and
the case folder is the person's papers only), then the one shipped with
packager (``packager/data/holidays.toml``). A year either file covers is
counted from it, ahead of chinese_calendar; within a covered year a day is
off when listed under ``off``, a working day when listed under ``work``, and
otherwise Monday to Friday. A mistake stops the run (exit 3) with a sentence
naming the file, the year and the value, like a case.toml mistake.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

from packager.errors import ConfigError
from packager.messages import both

HOLIDAYS_FILE = "holidays.toml"
SHIPPED_SHOWN = "packager/data/holidays.toml"
_RANGE = re.compile(r"^\s*(\S+)\s*(?:至|到|~|～|\.\.)\s*(\S+)\s*$")
_DAY = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
_KEYS = ("off", "work", "source")
MAX_RANGE_DAYS = 31  # no holiday runs longer: a longer range is a typo


@dataclass(frozen=True, slots=True)
class Override:
    """One holidays file: the years it covers, their days off and make-up working days."""

    shown: str  # how reports name it: inbox/holidays.toml, packager/data/holidays.toml
    years: frozenset[int]
    off: frozenset[date]
    work: frozenset[date]

    def working(self, day: date) -> bool | None:
        """True/False for a day of a year this file covers; None when it does not cover it."""
        if day.year not in self.years:
            return None
        if day in self.work:
            return True
        if day in self.off:
            return False
        return day.weekday() < 5


def _fail(code: str, shown: str, **params: object) -> ConfigError:
    return ConfigError(both(code, file=shown, **params))


def _parsed(text: str) -> date | None:
    match = _DAY.match(text)
    if match is None:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _day(value: object, shown: str, year: int, key: str) -> date:
    day = value if isinstance(value, date) else _parsed(str(value))
    if day is None:
        raise _fail("HOLIDAYS_BAD_DATE", shown, year=year, key=key, value=value)
    if day.year != year:
        raise _fail("HOLIDAYS_WRONG_YEAR", shown, year=year, key=key, value=day.isoformat())
    return day


def _days(values: object, shown: str, year: int, key: str) -> set[date]:
    if not isinstance(values, list):
        raise _fail("HOLIDAYS_NOT_LIST", shown, year=year, key=key)
    days: set[date] = set()
    for value in values:
        span = _RANGE.match(value) if isinstance(value, str) else None
        if span is None:
            days.add(_day(value, shown, year, key))
            continue
        first, last = (_day(v, shown, year, key) for v in span.groups())
        if not 0 <= (last - first).days < MAX_RANGE_DAYS:
            raise _fail("HOLIDAYS_BAD_RANGE", shown, year=year, key=key, value=value)
        days.update(first + timedelta(days=n) for n in range((last - first).days + 1))
    return days


def parse_holidays(text: str, shown: str) -> Override:
    """The file's years and days; ConfigError (in both languages) for anything wrong."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _fail("HOLIDAYS_SYNTAX", shown, error=exc) from exc
    years: set[int] = set()
    off: set[date] = set()
    work: set[date] = set()
    for name, table in data.items():
        if not (name.isdigit() and len(name) == 4) or not isinstance(table, dict):
            raise _fail("HOLIDAYS_BAD_YEAR", shown, value=name)
        year = int(name)
        unknown = [k for k in table if k not in _KEYS]
        if unknown:
            raise _fail("HOLIDAYS_UNKNOWN_KEY", shown, year=year, key=unknown[0])
        days_off = _days(table.get("off", []), shown, year, "off")
        days_on = _days(table.get("work", []), shown, year, "work")
        both_ways = sorted(days_off & days_on)
        if both_ways:
            raise _fail("HOLIDAYS_BOTH", shown, year=year, value=both_ways[0].isoformat())
        years.add(year)
        off |= days_off
        work |= days_on
    return Override(shown, frozenset(years), frozenset(off), frozenset(work))


def load_overrides(case_dir: Path) -> tuple[Override, ...]:
    """The person's holidays.toml beside the cases (if any), then packager's own; empty ones out."""
    found: list[Override] = []
    user = case_dir.parent / HOLIDAYS_FILE
    if user.is_file():
        shown = f"{case_dir.parent.name}/{HOLIDAYS_FILE}"
        try:
            text = user.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise _fail("HOLIDAYS_UNREADABLE", shown, error=exc) from exc
        found.append(parse_holidays(text, shown))
    shipped = resources.files("packager") / "data" / HOLIDAYS_FILE
    if shipped.is_file():
        found.append(parse_holidays(shipped.read_text(encoding="utf-8"), SHIPPED_SHOWN))
    return tuple(o for o in found if o.years)


def holidays_sha256(case_dir: Path) -> str | None:
    """The sha256 of the person's holidays.toml beside the cases, None when there is none.

    The manifest records it, so a watcher starting after an edit of the file
    rebuilds every case (their review windows may move).
    """
    try:
        return hashlib.sha256((case_dir.parent / HOLIDAYS_FILE).read_bytes()).hexdigest()
    except OSError:
        return None
