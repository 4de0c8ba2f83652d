"""The money picture of a case: what comes in, what must go out, what the plan costs a month.

Pure arithmetic over case.toml's ``[finances]`` and ``[[expense]]``. The
letter, the 支出明细 page, the checks, the manifest and the summary all take
their figures from ``picture`` so they can never disagree; the rules at the
end keep the figures honest (a proof that is not in the case, a plan the
income cannot carry).
"""

from __future__ import annotations

import difflib
import math
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from packager.messages.casefile import EXAMPLES
from packager.models import Document, Finding, Severity
from packager.read.casefile import Case
from packager.read.choices import Period, Plan

LARGE_ONE_OFF = 1000.0
"""Yuan: a one-off cost this large is worth its receipt (EXPENSE_NO_PROOF)."""


@dataclass(frozen=True, slots=True)
class Line:
    """One usable [[expense]] entry (item, amount and period all given)."""

    index: int  # 1-based position in case.toml, as messages name it: expense[2]
    item: str
    amount: float
    period: Period
    day: date | None
    by_month: bool  # ``day`` came from ``month``: show 2026年10月, not a day
    proof: str | None


@dataclass(frozen=True, slots=True)
class Picture:
    """Income, spending and the plan's monthly cost, as the case states them."""

    lines: tuple[Line, ...]
    income: float | None
    previous_income: float | None
    dependants: int | None
    plan_per_month: float | None

    @property
    def monthly(self) -> float:
        """Necessary monthly spending: the sum of the monthly lines."""
        return round(sum(x.amount for x in self.lines if x.period is Period.MONTHLY), 2)

    @property
    def once(self) -> float:
        """Recent one-off costs: the sum of the once lines."""
        return round(sum(x.amount for x in self.lines if x.period is Period.ONCE), 2)

    @property
    def balance(self) -> float | None:
        """Income minus monthly spending (negative: spending exceeds income); None without income."""
        return None if self.income is None else round(self.income - self.monthly, 2)

    @property
    def left_after_plan(self) -> float | None:
        """What a month leaves once the installment is paid; None without both figures."""
        if self.balance is None or self.plan_per_month is None:
            return None
        return round(self.balance - self.plan_per_month, 2)


def per_installment(case: Case) -> float | None:
    """The requested plan's monthly cost: principal / installments (the letter's 每期约)."""
    owed, n = case.account.amount_owed, case.request.installments
    if case.request.plan is Plan.INSTALLMENTS and owed and n and n > 0:
        return round(owed / n, 2)
    return None


def lines(case: Case) -> tuple[Line, ...]:
    """The [[expense]] entries that can go on the page, in case.toml order."""
    found: list[Line] = []
    for i, e in enumerate(case.expense, start=1):
        if e.item and e.amount and e.amount > 0 and e.period:
            day = e.date or e.month
            by_month = e.date is None and e.month is not None
            found.append(Line(i, e.item, e.amount, e.period, day, by_month, e.proof))
    return tuple(found)


def picture(case: Case) -> Picture | None:
    """The case's money picture; None when it states neither income nor expenses."""
    f = case.finances
    found = lines(case)
    if not found and f.monthly_income is None:
        return None
    return Picture(
        found, f.monthly_income, f.previous_monthly_income, f.dependants, per_installment(case)
    )


def _clean(proof: str) -> str:
    text = unicodedata.normalize("NFC", proof.strip().replace("\\", "/"))
    while text.startswith("./"):
        text = text[2:]
    return text.lstrip("/")


def resolve_proof(proof: str, documents: Sequence[Document]) -> Document | None:
    """The packet document a ``proof`` names: by path in the case, else by a unique file name."""
    wanted = _clean(proof)
    for doc in documents:
        path = doc.source.path.as_posix()
        if unicodedata.normalize("NFC", doc.source.rel) == wanted or path.endswith("/" + wanted):
            return doc
    named = [d for d in documents if d.source.path.name == wanted]
    return named[0] if len(named) == 1 else None


def nearest_file(proof: str, names: Sequence[str]) -> str | None:
    """The case file whose path (or name) looks most like ``proof``."""
    wanted = _clean(proof)
    close = difflib.get_close_matches(wanted, list(names), n=1, cutoff=0.6)
    if close:
        return close[0]
    by_name = {n.rsplit("/", 1)[-1]: n for n in names}
    close = difflib.get_close_matches(wanted.rsplit("/", 1)[-1], list(by_name), n=1, cutoff=0.6)
    return by_name[close[0]] if close else None


def _money(amount: float) -> str:
    return f"{amount:,.2f}"


def _entry_findings(case: Case, today: date) -> Iterator[Finding]:
    for i, e in enumerate(case.expense, start=1):
        for name in ("item", "amount", "period"):
            if getattr(e, name) is None:
                field = f"expense[{i}].{name}"
                yield Finding(
                    "MISSING_FIELD",
                    Severity.ERROR,
                    params={"field": field, "example": EXAMPLES[f"expense.{name}"]},
                )
        if e.amount is not None and e.amount <= 0:
            yield Finding(
                "AMOUNT_NOT_POSITIVE",
                Severity.ERROR,
                params={
                    "field": f"expense[{i}].amount",
                    "value": f"{e.amount:g}",
                    "example": EXAMPLES["expense.amount"],
                },
            )
        if e.date is not None and e.date > today:
            yield Finding(
                "DATE_IN_FUTURE",
                Severity.ERROR,
                params={
                    "field": f"expense[{i}].date",
                    "value": e.date.isoformat(),
                    "today": today.isoformat(),
                },
            )
    f = case.finances
    # No income now is a fact to state (0), not a mistake; a negative one is.
    wrong = [
        ("monthly_income", f.monthly_income, f.monthly_income is not None and f.monthly_income < 0)
    ]
    wrong.append(
        (
            "previous_monthly_income",
            f.previous_monthly_income,
            f.previous_monthly_income is not None and f.previous_monthly_income <= 0,
        )
    )
    for name, amount, bad in wrong:
        if bad:
            yield Finding(
                "AMOUNT_NOT_POSITIVE",
                Severity.ERROR,
                params={
                    "field": f"finances.{name}",
                    "value": f"{amount:g}",
                    "example": EXAMPLES[f"finances.{name}"],
                },
            )
    if f.dependants is not None and f.dependants < 0:
        yield Finding(
            "DEPENDANTS_INVALID",
            Severity.ERROR,
            params={"field": "finances.dependants", "value": f.dependants},
        )


def _proof_findings(
    case: Case, documents: Sequence[Document], skipped: Sequence[str]
) -> Iterator[Finding]:
    names = [d.source.rel for d in documents] + list(skipped)
    for line in lines(case):
        field = f"expense[{line.index}].proof"
        params: dict[str, str | int | float] = {"field": field, "item": line.item}
        if line.proof is None:
            if line.period is Period.ONCE and line.amount >= LARGE_ONE_OFF:
                params["amount"] = _money(line.amount)
                yield Finding("EXPENSE_NO_PROOF", Severity.INFO, params=params)
            continue
        params["proof"] = line.proof
        if resolve_proof(line.proof, documents) is not None:
            continue
        wanted = _clean(line.proof)
        left_out = [s for s in skipped if s == wanted or s.rsplit("/", 1)[-1] == wanted]
        if left_out:
            yield Finding(
                "EXPENSE_PROOF_LEFT_OUT", Severity.WARNING, file=left_out[0], params=params
            )
            continue
        nearest = nearest_file(line.proof, names)
        if nearest is None:
            yield Finding("EXPENSE_PROOF_UNKNOWN", Severity.ERROR, params=params)
        else:
            params["nearest"] = nearest
            yield Finding("EXPENSE_PROOF_MISSING", Severity.ERROR, params=params)


def _means_findings(case: Case) -> Iterator[Finding]:
    seen = picture(case)
    if seen is None:
        return
    if seen.lines and seen.income is None:
        yield Finding(
            "RECOMMENDED_FIELD",
            Severity.WARNING,
            params={
                "field": "finances.monthly_income",
                "example": EXAMPLES["finances.monthly_income"],
            },
        )
    balance = seen.balance
    if balance is None:
        return
    if seen.monthly > (seen.income or 0):
        yield Finding(
            "SPENDING_OVER_INCOME",
            Severity.INFO,
            params={
                "income": _money(seen.income or 0),
                "monthly": _money(seen.monthly),
                "gap": _money(-balance),
            },
        )
    per = seen.plan_per_month
    if per is None or per <= balance:
        return
    params: dict[str, str | int | float] = {
        "field": "request.installments",
        "per": _money(per),
        "left": _money(balance),
        "n": case.request.installments or 0,
    }
    if balance > 0 and case.account.amount_owed:
        params["suggest"] = math.ceil(case.account.amount_owed / balance)
        yield Finding("PLAN_OVER_MEANS", Severity.WARNING, params=params)
    else:
        yield Finding("PLAN_NO_MEANS", Severity.WARNING, params=params)


def finance_findings(
    case: Case, documents: Sequence[Document], today: date, skipped: Sequence[str] = ()
) -> list[Finding]:
    """Every [finances] and [[expense]] rule: entries, proofs, and whether the plan fits."""
    return [
        *_entry_findings(case, today),
        *_proof_findings(case, documents, skipped),
        *_means_findings(case),
    ]
