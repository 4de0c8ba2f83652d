"""Do the person's figures and the documents' agree? Ask where they do not; propose where unsaid.

The article our users follow insists on honesty: a letter claiming 3,000 a
month beside a payslip printing 实发 4,800 undoes it. These rules compare
what case.toml states with the ``facts`` the pages print, and word every
difference as a question naming both figures and the page (the payslip may
be an old one, the hospital may have refunded part): warnings, never errors.
Where case.toml says nothing, the facts become proposals the person may
adopt (check prints them, the report lists them, the web page offers 采用);
nothing printed is ever put into the letter on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath

from packager.models import Document, Finding, Kind, Severity
from packager.read.casefile import Case
from packager.read.choices import Reason
from packager.read.facts import Fact, date_in
from packager.read.finances import lines, resolve_proof

INCOME_TOLERANCE = 0.10
"""A stated income within 10 % of the document's is the same income (rounding, a bonus)."""
EXPENSE_TOLERANCE = 0.005
"""An expense within 0.5 % (or 1 元) of its receipt's total is that total."""
DATE_SLACK_DAYS = 45
"""A stated month and a document's date this close are the same event."""

# Labels of the fields, as the messages say where a figure was read.
LABELS = {
    "net_pay": "实发",
    "gross_pay": "应发",
    "salary_credit": "工资入账",
    "total": "合计",
    "total_words": "合计（大写）",
}


@dataclass(frozen=True, slots=True)
class Proposal:
    """An entry case.toml lacks, read from a page: ``section`` "finances" or "expense"."""

    section: str
    entry: tuple[tuple[str, str | float], ...]
    fact: Fact

    @property
    def key(self) -> str:
        """Stable name of the proposal (the web page's 采用 names it)."""
        return f"{self.section}:{self.fact.file}:{self.fact.page}:{self.fact.field}"


def _money(amount: float) -> str:
    return f"{amount:,.2f}"


def amount(fact: Fact) -> float:
    """A money fact's value (0 for a fact that is not one)."""
    return fact.value if isinstance(fact.value, float) else 0.0


def day(fact: Fact) -> date:
    """A date fact's value (date.min for a fact that is not one)."""
    return fact.value if isinstance(fact.value, date) else date.min


def _ordered_by_date(facts: Sequence[Fact], all_facts: Sequence[Fact]) -> list[Fact]:
    """Oldest first: by the pay month or date a file prints, else the row's date, else order."""

    def when(fact: Fact) -> tuple[str, int]:
        for other in all_facts:
            if other.file == fact.file and other.field in ("pay_month", "pay_date"):
                return str(other.value), 0
        day = date_in(fact.text)
        return (day.isoformat() if day else ""), 0

    return sorted(facts, key=when)


def latest_income(facts: Sequence[Fact]) -> Fact | None:
    """The latest payslip's net pay, else the statement's latest salary credit."""
    for field in ("net_pay", "salary_credit"):
        found = [f for f in facts if f.field == field and isinstance(f.value, float)]
        if found:
            return _ordered_by_date(found, facts)[-1]
    return None


def _where(fact: Fact) -> dict[str, str | int | float]:
    return {"file": fact.file, "page": fact.page, "label": LABELS.get(fact.field, fact.field)}


def _income(case: Case, facts: Sequence[Fact]) -> Iterator[Finding]:
    stated = case.finances.monthly_income
    found = latest_income(facts)
    if stated is None or found is None or not isinstance(found.value, float):
        return
    printed = found.value
    if abs(stated - printed) <= INCOME_TOLERANCE * printed:
        return
    before = case.finances.previous_monthly_income
    if before is not None and abs(before - printed) <= INCOME_TOLERANCE * printed:
        return  # the document shows the income before the hardship, as stated
    yield Finding(
        "INCOME_DIFFERS",
        Severity.WARNING,
        file=found.file,
        page=found.page,
        params={
            **_where(found),
            "field": "finances.monthly_income",
            "stated": _money(stated),
            "found": _money(printed),
        },
    )


def _totals(facts: Sequence[Fact], rel: str) -> list[Fact]:
    mine = [f for f in facts if f.file == rel and f.field == "total"]
    return mine or [f for f in facts if f.file == rel and f.field == "total_words"]


def _expenses(
    case: Case, documents: Sequence[Document], facts: Sequence[Fact]
) -> Iterator[Finding]:
    for line in lines(case):
        doc = resolve_proof(line.proof, documents) if line.proof else None
        if doc is None:
            continue
        totals = _totals(facts, doc.source.rel)
        values = [amount(f) for f in totals]
        if not values:
            continue
        close = max(1.0, EXPENSE_TOLERANCE * line.amount)
        if any(abs(v - line.amount) <= close for v in (*values, sum(values))):
            continue
        nearest = min(totals, key=lambda f: abs(amount(f) - line.amount))
        yield Finding(
            "EXPENSE_DIFFERS",
            Severity.WARNING,
            file=nearest.file,
            page=nearest.page,
            params={
                **_where(nearest),
                "field": f"expense[{line.index}].amount",
                "item": line.item,
                "stated": _money(line.amount),
                "found": _money(amount(nearest)),
            },
        )


def _words(facts: Sequence[Fact]) -> Iterator[Finding]:
    """A receipt whose 大写 and 小写 totals disagree: one of them was misread (or misprinted)."""
    for words in (f for f in facts if f.field == "total_words"):
        figures = [
            f for f in facts if f.file == words.file and f.page == words.page and f.field == "total"
        ]
        if figures and all(abs(amount(f) - amount(words)) > 0.005 for f in figures):
            yield Finding(
                "TOTAL_WORDS_DIFFER",
                Severity.WARNING,
                file=words.file,
                page=words.page,
                params={
                    "file": words.file,
                    "page": words.page,
                    "words": _money(amount(words)),
                    "found": _money(amount(figures[0])),
                },
            )


_CN_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_STATED = re.compile(
    r"(?:(\d{4})\s*年|(今年|去年|前年))?\s*(\d{1,2}|十[一二]?|[一二三四五六七八九])\s*月"
    r"(?:\s*(\d{1,2})\s*[日号])?"
)


def _month_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text.startswith("十"):
        return 10 + _CN_NUMBERS.get(text[1:], 0)
    return _CN_NUMBERS[text]


def stated_dates(statement: str, today: date) -> list[tuple[str, date]]:
    """The months (or days) the person's own words name, as written and as a date.

    "今年 10 月" is this year's October; a month with no year and no 今年 is the
    latest such month not after today.
    """
    found: list[tuple[str, date]] = []
    for m in _STATED.finditer(statement):
        year_text, relative, month_text, day_text = m.groups()
        month = _month_number(month_text)
        if not 1 <= month <= 12:
            continue
        if year_text:
            year = int(year_text)
        elif relative:
            year = today.year - {"今年": 0, "去年": 1, "前年": 2}[relative]
        else:
            year = today.year if month <= today.month else today.year - 1
        try:
            when = date(year, month, int(day_text) if day_text else 15)
        except ValueError:
            continue
        found.append((m.group(0).strip(), when))
    return found


_EVENT_DATES = {
    Reason.ILLNESS: (Kind.MEDICAL, ("admission_date", "diagnosis_date", "discharge_date")),
    Reason.UNEMPLOYMENT: (Kind.CIRCUMSTANCES, ("leave_date",)),
}


def _dates(
    case: Case, documents: Sequence[Document], facts: Sequence[Fact], today: date
) -> Iterator[Finding]:
    stated = stated_dates(case.request.statement or "", today)
    if not stated:
        return
    kinds = {d.source.rel: d.kind for d in documents}
    for reason in case.request.reason:
        if reason not in _EVENT_DATES:
            continue
        kind, fields = _EVENT_DATES[reason]
        printed = [
            f
            for f in facts
            if f.field in fields and kinds.get(f.file) is kind and isinstance(f.value, date)
        ]
        if not printed:
            continue
        if any(abs((day(f) - when).days) <= DATE_SLACK_DAYS for f in printed for _, when in stated):
            continue
        first = min(printed, key=day)
        yield Finding(
            "DATES_DIFFER",
            Severity.WARNING,
            file=first.file,
            page=first.page,
            params={
                "file": first.file,
                "page": first.page,
                "field": "request.statement",
                "stated": stated[0][0],
                "found": day(first).isoformat(),
            },
        )


def _title(document: Document) -> str:
    """What to call a proposed expense: the file's name, or for IMG_… the words that sorted it."""
    stem = PurePosixPath(document.source.rel).stem
    said = document.rule.removeprefix("content:")
    if document.rule.startswith("content:") and not re.search(r"[\u4e00-\u9fff]", stem):
        return said.split("、")[0]
    return stem


def proposals(case: Case, documents: Sequence[Document], facts: Sequence[Fact]) -> list[Proposal]:
    """Entries case.toml lacks that the documents print: income, and one expense per receipt."""
    found: list[Proposal] = []
    income = latest_income(facts)
    if case.finances.monthly_income is None and income is not None:
        found.append(Proposal("finances", (("monthly_income", amount(income)),), income))
    proved = {
        doc.source.rel
        for line in lines(case)
        if line.proof and (doc := resolve_proof(line.proof, documents)) is not None
    }
    for doc in documents:
        if doc.kind not in (Kind.EXPENSES, Kind.MEDICAL) or doc.source.rel in proved:
            continue
        seen: set[float] = set()
        for total in _totals(facts, doc.source.rel):
            value = amount(total)
            if value in seen:
                continue
            seen.add(value)
            entry: list[tuple[str, str | float]] = [
                ("item", _title(doc)),
                ("amount", value),
                ("period", "once"),
            ]
            dated = [f for f in facts if f.file == total.file and f.field == "invoice_date"]
            if dated:
                entry.append(("date", day(dated[0]).isoformat()))
            entry.append(("proof", doc.source.rel))
            found.append(Proposal("expense", tuple(entry), total))
    return found


def _proposal_findings(props: Sequence[Proposal]) -> Iterator[Finding]:
    for p in props:
        entry = dict(p.entry)
        value = float(entry["amount" if "amount" in entry else "monthly_income"])
        params: dict[str, str | int | float] = {
            **_where(p.fact),
            "amount": _money(value),
            "number": f"{value:.2f}".removesuffix(".00"),
        }
        if p.section == "finances":
            yield Finding(
                "PROPOSE_INCOME", Severity.INFO, file=p.fact.file, page=p.fact.page, params=params
            )
        else:
            params["item"] = str(entry["item"])
            yield Finding(
                "PROPOSE_EXPENSE", Severity.INFO, file=p.fact.file, page=p.fact.page, params=params
            )


def fact_findings(
    case: Case, documents: Sequence[Document], facts: Sequence[Fact], today: date
) -> list[Finding]:
    """Every difference between case.toml and the documents, then every proposal."""
    return [
        *_income(case, facts),
        *_expenses(case, documents, facts),
        *_words(facts),
        *_dates(case, documents, facts, today),
        *_proposal_findings(proposals(case, documents, facts)),
    ]
