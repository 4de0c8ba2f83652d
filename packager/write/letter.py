"""Build the cover letter's words from the case: pure functions, no rendering.

Everything shown about the applicant is masked here (ID 6+4, account last 4),
so the template never sees a full number; the applicant's own phone is shown
in full (the lender must be able to call back) unless the case hides it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from packager import __version__
from packager.messages import kind_title, words
from packager.models import Section
from packager.privacy import mask_account, mask_id, shown_phone
from packager.read.casefile import Case
from packager.read.choices import CHOICE_NAMES, Plan
from packager.read.finances import Picture, picture


def cn_date(day: date) -> str:
    """2026年11月28日: Arabic numerals, no zero padding (GB/T 9704)."""
    return words.DATE.format(year=day.year, month=day.month, day=day.day)


def money(amount: float) -> str:
    """3800 -> "3,800.00"."""
    return f"{amount:,.2f}"


def money_cn(amount: float) -> str:
    """3800 -> 人民币叁仟捌佰元整 (the form banks write beside the numerals)."""
    import cn2an  # 0.1 s to import: loaded by ``warm_up`` while the photos are read

    return words.RMB + str(cn2an.an2cn(f"{amount:.2f}", "rmb"))


def warm_up() -> None:
    """Import what the letter needs ahead of it, off the start-up path."""
    import cn2an  # noqa: F401


def request_paragraphs(case: Case, today: date) -> list[str]:
    """The plan the applicant asks for, worded for the lender."""
    owed = case.account.amount_owed
    owed_text = words.OWED.format(amount=money(owed)) if owed else words.OWED_ALL
    plan = case.request.plan
    if plan is None:
        return [words.NO_PLAN]
    if plan is Plan.INSTALLMENTS:
        n = case.request.installments or 0
        per = words.PER_INSTALLMENT.format(amount=money(owed / n)) if owed and n > 0 else ""
        params: dict[str, object] = {"owed": owed_text, "n": n, "per": per}
        if case.request.stop_interest:
            return [paragraph.format(**params) for paragraph in words.STOP_INTEREST]
    elif plan is Plan.DEFERRAL:
        days = case.request.defer_days or 0
        until = cn_date(today + timedelta(days=days)) if days > 0 else words.UNTIL_AGREED
        params = {"days": days, "until": until, "owed": owed_text}
    else:
        params = {"owed": owed_text}
    return [paragraph.format(**params) for paragraph in words.REQUEST[plan.value]]


def reasons_sentence(case: Case) -> str:
    """本人逾期主要是因为身患疾病和收入下降，……: every reason given, named once, in order."""
    named = [
        words.REASON_PHRASES[r.value]
        for r in case.request.reason
        if r.value in words.REASON_PHRASES
    ]
    if not named:
        return ""
    listed = (
        words.REASON_COMMA.join(named[:-1]) + words.REASON_AND + named[-1]
        if len(named) > 1
        else named[0]
    )
    return words.REASONS.format(reasons=listed)


def _income_clause(seen: Picture) -> list[str]:
    if seen.income is None:
        return []
    said = (
        words.FIN_INCOME.format(income=money(seen.income)) if seen.income else words.FIN_NO_INCOME
    )
    if seen.previous_income:
        said += words.FIN_BEFORE.format(previous=money(seen.previous_income))
    return [said]


def finance_paragraphs(case: Case) -> list[str]:
    """The hardship in figures: income before and now, the monthly gap, the one-off costs.

    Every clause is there only when case.toml states its numbers: nothing is
    said that the case does not contain.
    """
    seen = picture(case)
    if seen is None:
        return []
    clauses = _income_clause(seen)
    if seen.monthly:
        clauses.append(words.FIN_MONTHLY.format(monthly=money(seen.monthly)))
        if seen.balance is not None and seen.balance < 0:
            clauses.append(words.FIN_GAP.format(gap=money(-seen.balance)))
        elif seen.balance is not None:
            clauses.append(words.FIN_LEFT.format(left=money(seen.balance)))
    if seen.dependants:
        clauses.append(words.FIN_DEPENDANTS.format(n=seen.dependants))
    text = words.FIN_COMMA.join(clauses)
    if text and not text.startswith(words.FIN_SUBJECT):
        text = words.FIN_SUBJECT + text
    text += words.FIN_STOP if text else ""
    once = [x.item for x in seen.lines if x.period.value == "once"]
    if once:
        items = words.KIND_SEPARATOR.join(once[:3]) + (words.FIN_MORE if len(once) > 3 else "")
        text += words.FIN_BESIDES if text else words.FIN_SUBJECT
        text += words.FIN_ONCE.format(items=items, once=money(seen.once))
        text += words.FIN_SEE + words.FIN_STOP
    elif seen.lines:
        text = text[: -len(words.FIN_STOP)] + words.FIN_SEE + words.FIN_STOP
    return [text] if text else []


def plan_fit(case: Case) -> list[str]:
    """How the requested monthly amount fits what a month leaves (installments with an income)."""
    seen = picture(case)
    if seen is None or seen.plan_per_month is None or seen.balance is None or not seen.lines:
        return []
    per, left = money(seen.plan_per_month), money(seen.balance)
    if seen.balance <= 0:
        return [words.PLAN_SHORT.format(per=per)]
    fits = seen.left_after_plan is not None and seen.left_after_plan >= 0
    return [(words.PLAN_FITS if fits else words.PLAN_TIGHT).format(per=per, left=left)]


def page_range(first: int, last: int) -> str:
    """第 3 页 or 第 3–5 页."""
    return (
        words.PAGE.format(first=first)
        if first == last
        else words.PAGES.format(first=first, last=last)
    )


def enclosure_rows(sections: Sequence[Section]) -> list[dict[str, object]]:
    """附件清单: one row per kind with its document count and page range."""
    return [
        {
            "number": i + 1,
            "title": kind_title(s.kind, "zh"),
            "documents": len(s.documents),
            "pages": page_range(s.first_page, s.last_page),
        }
        for i, s in enumerate(sections)
    ]


def section_heading(index: int, section: Section) -> str:
    """附件一 收入证明: the bookmark and band text of a section."""
    numerals = words.SECTION_NUMERALS
    number = numerals[index] if index < len(numerals) else str(index + 1)
    return words.SECTION.format(number=number, kind=kind_title(section.kind, "zh"))


def letter_context(
    case: Case, sections: Sequence[Section], today: date, recipient: str
) -> Mapping[str, object]:
    """Everything templates/letter.html shows, already masked and formatted."""
    a, acc, req = case.applicant, case.account, case.request
    platform_product = "".join(p for p in (acc.platform, acc.product) if p) or words.PRODUCT_UNKNOWN
    days_overdue = (today - acc.overdue_since).days if acc.overdue_since else None
    statement = [p.strip() for p in (req.statement or "").splitlines() if p.strip()]
    if not statement:
        statement = [words.NO_STATEMENT]
    kinds = words.KIND_SEPARATOR.join(kind_title(s.kind, "zh") for s in sections)
    note = words.ENCLOSURE_NOTE.format(kinds=kinds) if sections else ""
    return {
        "title": words.LETTER_TITLE.format(name=a.name or "").strip(" —"),
        "keywords": kinds,
        "generator": f"packager {__version__}",
        "created": today.isoformat(),
        "recipient": recipient,
        "today_cn": cn_date(today),
        "applicant": {
            "name": a.name or words.NAME_BLANK,
            "id_masked": mask_id(a.id_number) if a.id_number else "",
            "phone": shown_phone(a.phone, case.privacy.mask_phone_in_letter) if a.phone else "",
        },
        "account": {
            "platform": acc.platform or "",
            "product": acc.product or "",
            "platform_product": platform_product,
            "account_masked": mask_account(acc.account) if acc.account else "",
            "credit_limit": money(acc.credit_limit) if acc.credit_limit else "",
            "amount_owed": money(acc.amount_owed) if acc.amount_owed else "",
            "amount_owed_cn": money_cn(acc.amount_owed) if acc.amount_owed else "",
            "overdue_since_cn": cn_date(acc.overdue_since) if acc.overdue_since else "",
            "days_overdue": days_overdue,
        },
        "reasons": reasons_sentence(case),
        "statement": statement,
        "enclosure_note": note,
        "finances": finance_paragraphs(case),
        "request": request_paragraphs(case, today),
        "plan_fit": plan_fit(case),
        "contacts": [
            {
                "date": cn_date(c.date) if c.date else "",
                "channel": CHOICE_NAMES[c.channel.value] if c.channel else "",
                "reference": c.reference or "",
                "summary": c.summary or "",
            }
            for c in case.contact
        ],
        "enclosures": enclosure_rows(sections),
    }
