"""How case.toml values people type become dates and amounts ("2026年11月20日", "3,800元")."""

from __future__ import annotations

import re
from datetime import date

_CN_DATE = re.compile(r"^\s*(\d{4})\s*[年/.\-]\s*(\d{1,2})\s*[月/.\-]\s*(\d{1,2})\s*日?\s*$")


def to_date(value: object) -> object:
    """Accept TOML dates, "2026-11-20", "2026/11/20" and "2026年11月20日"."""
    if isinstance(value, str):
        m = _CN_DATE.match(value)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            try:
                return date(y, mo, d)
            except ValueError:
                return value
    return value


_CN_MONTH = re.compile(r"^\s*(\d{4})\s*[年/.\-]\s*(\d{1,2})\s*月?\s*$")


def to_month(value: object) -> object:
    """Accept "2026-10", "2026/10" and "2026年10月" (kept as the month's first day); dates too."""
    if isinstance(value, str):
        m = _CN_MONTH.match(value)
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), 1)
            except ValueError:
                return value
        return to_date(value)
    return value


def to_amount(value: object) -> object:
    """Accept 3800, 3800.0, "3,800" and "3800元"."""
    if isinstance(value, str):
        cleaned = value.replace(",", "").replace("，", "").replace("元", "").strip()
        cleaned = cleaned.removeprefix("¥").removeprefix("￥").strip()
        try:
            return float(cleaned)
        except ValueError:
            return value
    return value
