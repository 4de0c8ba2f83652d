"""The 支出明细 page written from case.toml: its words (pure) and the document that carries it.

The seed asks for a list of recent major costs "以体现资金紧张的原因"; a
reviewer decides on numbers, so the page is a table of every [[expense]]
with subtotals (also in 大写), the page of each proof in this packet, and the
收支情况: income now and before, necessary monthly spending, what is left,
and what the requested plan costs a month. Every figure comes from
``read.finances.picture``, as the letter's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

from packager import __version__
from packager.hant import localize
from packager.messages import words
from packager.models import (
    WRITTEN,
    Document,
    Kind,
    MediaType,
    Section,
    SourceFile,
    SourcePage,
    WrittenPage,
)
from packager.read.casefile import CASE_FILE, Case, proper_names
from packager.read.choices import Period, Plan
from packager.read.finances import Line, Picture, picture, resolve_proof
from packager.write import render
from packager.write.letter import cn_date, money, money_cn


def _when(line: Line) -> str:
    if line.day is None:
        return words.EXPENSE_EMPTY
    shown = (
        words.MONTH.format(year=line.day.year, month=line.day.month)
        if line.by_month
        else cn_date(line.day)
    )
    return words.EXPENSE_SINCE.format(when=shown) if line.period is Period.MONTHLY else shown


def _proof_pages(sections: Sequence[Section]) -> dict[Document, int]:
    return {
        placed.document: placed.first_page
        for section in sections
        for placed in section.documents
        if not placed.document.written
    }


def _plan_row(case: Case, seen: Picture) -> str:
    req, owed = case.request, case.account.amount_owed
    owed_text = words.OWED.format(amount=money(owed)) if owed else words.OWED_ALL
    if req.plan is Plan.INSTALLMENTS and seen.plan_per_month is not None:
        return words.PLAN_ROWS["installments"].format(
            n=req.installments, per=money(seen.plan_per_month)
        )
    if req.plan is Plan.DEFERRAL and req.defer_days:
        return words.PLAN_ROWS["deferral"].format(days=req.defer_days, owed=owed_text)
    if req.plan is Plan.LUMP_SUM:
        return words.PLAN_ROWS["lump_sum"].format(owed=owed_text)
    return ""


def statement_context(
    case: Case, sections: Sequence[Section], today: date
) -> Mapping[str, object] | None:
    """Everything templates/expenses.html shows; None when case.toml lists no usable expense."""
    seen = picture(case)
    if seen is None or not seen.lines:
        return None
    pages = _proof_pages(sections)
    documents = list(pages)
    rows = []
    for n, line in enumerate(seen.lines, start=1):
        proof = resolve_proof(line.proof, documents) if line.proof else None
        rows.append(
            {
                "n": n,
                "item": line.item,
                "amount": money(line.amount),
                "period": words.EXPENSE_PERIODS[line.period.value],
                "when": _when(line),
                "proof": words.EXPENSE_PROOF_PAGE.format(page=pages[proof])
                if proof is not None
                else words.EXPENSE_NO_PROOF,
            }
        )
    balance, after = seen.balance, seen.left_after_plan
    return {
        "title": f"{words.EXPENSE_TITLE} — {case.applicant.name or ''}".strip(" —"),
        "generator": f"packager {__version__}",
        "created": today.isoformat(),
        "name": case.applicant.name or words.NAME_BLANK,
        "today_cn": cn_date(today),
        "rows": rows,
        "monthly": money(seen.monthly),
        "monthly_cn": money_cn(seen.monthly),
        "once": money(seen.once),
        "once_cn": money_cn(seen.once),
        "has_monthly": any(x.period is Period.MONTHLY for x in seen.lines),
        "has_once": any(x.period is Period.ONCE for x in seen.lines),
        "income": None if seen.income is None else money(seen.income),
        "previous": money(seen.previous_income) if seen.previous_income else None,
        "dependants": seen.dependants,
        "balance": None if balance is None else money(abs(balance)),
        "short": balance is not None and balance < 0,
        "plan": _plan_row(case, seen),
        "after": None if after is None else money(abs(after)),
        "after_short": after is not None and after < 0,
        "note": words.EXPENSE_NOTE,
    }


def written_document(case_dir: Path, data: bytes, script: str) -> Document:
    """The rendered page as an expenses document of the packet, sourced from case.toml.

    ``Document.written`` keeps it out of the manifest's sources: it is not a
    file of the case.
    """
    source = SourceFile(
        path=case_dir / CASE_FILE,
        rel=localize(words.EXPENSE_SOURCE, script),
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        media=MediaType.PDF,
    )
    return Document(source, Kind.EXPENSES, WRITTEN)


def render_statement(
    case: Case, sections: Sequence[Section], today: date
) -> render.RenderedPdf | None:
    """The 支出明细 page(s) as PDF, in the case's script; None without usable expenses."""
    context = statement_context(case, sections, today)
    if context is None:
        return None
    return render.render_pdf("expenses.html", context, case.output.language, proper_names(case))


def written_pages(data: bytes, count: int) -> tuple[SourcePage, ...]:
    """The rendered page(s) as packet pages, drawn as is (portrait, like the letter)."""
    return tuple(SourcePage(WrittenPage(data, i), landscape=False) for i in range(count))
