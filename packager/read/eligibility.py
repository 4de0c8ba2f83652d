"""Eligibility guidance: the seed's rules of thumb, computed with the case's own numbers.

"Amount owed at most 40% of the credit limit" and "overdue at most 14 days"
come only from the seed and SEO pages (domain.md §3): they are folklore, so
they are settings with their source attached, and exceeding one is a warning
("the lender may decline"), never a block. The only documented condition
(Art. 70: debt beyond the ability to repay, willingness to repay) is what the
letter itself argues.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from packager.models import Finding, Measure, Severity
from packager.read.casefile import Case

FOLKLORE = "folklore"


@dataclass(frozen=True, slots=True)
class Guide:
    """Thresholds of the eligibility guidance; ``source`` is a catalog key (SOURCE_NAMES)."""

    max_owed_ratio: float = 0.40
    max_overdue_days: int = 14
    source: str = FOLKLORE


CASE_FILE_SOURCE = "case_file"


def guide_for(case: Case, default: Guide) -> Guide:
    """The case's own thresholds ([eligibility] in case.toml) over the default's, sourced so."""
    wanted = case.eligibility
    if wanted.max_owed_ratio is None and wanted.max_overdue_days is None:
        return default
    return Guide(
        wanted.max_owed_ratio if wanted.max_owed_ratio is not None else default.max_owed_ratio,
        wanted.max_overdue_days
        if wanted.max_overdue_days is not None
        else default.max_overdue_days,
        CASE_FILE_SOURCE,
    )


def amount_text(amount: float) -> str:
    """3800 -> "3,800"; 3800.5 -> "3,800.50": how people write yuan."""
    if float(amount).is_integer():
        return f"{amount:,.0f}"
    return f"{amount:,.2f}"


def percent_text(ratio: float) -> str:
    """0.38 -> "38%"; 0.375 -> "37.5%"."""
    value = round(ratio * 100, 1)
    return f"{value:.0f}%" if value.is_integer() else f"{value:.1f}%"


def assess(case: Case, today: date, guide: Guide) -> tuple[Measure, ...]:
    """Every guide figure the case has the numbers for."""
    measures: list[Measure] = []
    acc = case.account
    if acc.amount_owed and acc.credit_limit and acc.amount_owed > 0 and acc.credit_limit > 0:
        ratio = acc.amount_owed / acc.credit_limit
        measures.append(
            Measure(
                "GUIDE_OWED_RATIO",
                ratio,
                guide.max_owed_ratio,
                ratio <= guide.max_owed_ratio,
                guide.source,
                {
                    "owed": amount_text(acc.amount_owed),
                    "credit_limit": amount_text(acc.credit_limit),
                    "ratio": percent_text(ratio),
                    "limit": percent_text(guide.max_owed_ratio),
                },
            )
        )
    if acc.overdue_since and acc.overdue_since <= today:
        days = (today - acc.overdue_since).days
        measures.append(
            Measure(
                "GUIDE_OVERDUE_DAYS",
                days,
                guide.max_overdue_days,
                days <= guide.max_overdue_days,
                guide.source,
                {"days": days, "limit": guide.max_overdue_days},
            )
        )
    return tuple(measures)


# A measure outside its threshold becomes this warning.
WARNING_CODES = {"GUIDE_OWED_RATIO": "OWED_RATIO_HIGH", "GUIDE_OVERDUE_DAYS": "OVERDUE_LONG"}


def guidance_findings(measures: Sequence[Measure]) -> list[Finding]:
    """Warnings for every figure beyond its threshold; never an error."""
    return [
        Finding(
            WARNING_CODES[m.code],
            Severity.WARNING,
            params={**m.params, "source": m.source},
        )
        for m in measures
        if not m.within
    ]
