"""Build the cover letter's words from the case: pure functions, no rendering.

Everything shown about the applicant is masked here (ID 6+4, phone 3****4,
account last 4), so the template never sees a full number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from packager import __version__
from packager.messages import kind_title
from packager.models import Section
from packager.privacy import mask_account, mask_id, mask_phone
from packager.read.casefile import CHOICE_NAMES, Case, Plan

CN_NUMERALS = "一二三四五六七八九十"


def cn_date(day: date) -> str:
    """2026年11月28日: Arabic numerals, no zero padding (GB/T 9704)."""
    return f"{day.year}年{day.month}月{day.day}日"


def money(amount: float) -> str:
    """3800 -> "3,800.00"."""
    return f"{amount:,.2f}"


def money_cn(amount: float) -> str:
    """3800 -> 人民币叁仟捌佰元整 (the form banks write beside the numerals)."""
    import cn2an  # 0.1 s to import: loaded by ``warm_up`` while the photos are read

    return "人民币" + str(cn2an.an2cn(f"{amount:.2f}", "rmb"))


def warm_up() -> None:
    """Import what the letter needs ahead of it, off the start-up path."""
    import cn2an  # noqa: F401


def default_recipient(case: Case) -> str:
    """Who the letter goes to when the case does not say."""
    platform = case.account.platform or "贷款机构"
    return f"{platform}客户服务中心"


def request_paragraphs(case: Case, today: date) -> list[str]:
    """The plan the applicant asks for, worded for the lender."""
    owed = case.account.amount_owed
    owed_text = f"人民币 {money(owed)} 元" if owed else "全部欠款"
    plan = case.request.plan
    if plan is Plan.INSTALLMENTS:
        n = case.request.installments or 0
        per = f"，每期约人民币 {money(owed / n)} 元" if owed and n > 0 else ""
        return [
            f"本人恳请贵方同意将上述欠款本金{owed_text}分 {n} 期偿还{per}，"
            "并在分期期间停止计收罚息、减免逾期产生的相关费用。",
            "本人将按照约定的还款计划按期足额还款，第一期款项可在协商达成后按贵方要求的日期支付。",
        ]
    if plan is Plan.DEFERRAL:
        days = case.request.defer_days or 0
        until = cn_date(today + timedelta(days=days)) if days > 0 else "约定日期"
        return [
            f"本人恳请贵方给予 {days} 天的延期还款宽限期，本人将在此期间筹措资金，"
            f"于{until}前还清欠款本金{owed_text}。",
            "恳请贵方在宽限期内暂停计收罚息，并暂停催收。",
        ]
    return [
        f"本人恳请贵方同意本人一次性偿还欠款本金{owed_text}，"
        "并减免逾期产生的利息、罚息及相关费用。",
        "协商达成后，本人将在约定的日期前一次性结清上述款项。",
    ]


def page_range(first: int, last: int) -> str:
    """第 3 页 or 第 3–5 页."""
    return f"第 {first} 页" if first == last else f"第 {first}–{last} 页"


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
    number = CN_NUMERALS[index] if index < len(CN_NUMERALS) else str(index + 1)
    return f"附件{number} {kind_title(section.kind, 'zh')}"


def letter_context(
    case: Case, sections: Sequence[Section], today: date, recipient: str
) -> Mapping[str, object]:
    """Everything templates/letter.html shows, already masked and formatted."""
    a, acc, req = case.applicant, case.account, case.request
    platform_product = "".join(p for p in (acc.platform, acc.product) if p) or "贷款产品"
    days_overdue = (today - acc.overdue_since).days if acc.overdue_since else None
    statement = [p.strip() for p in (req.statement or "").splitlines() if p.strip()]
    if not statement:
        statement = ["（尚未填写逾期原因。）"]
    kinds = "、".join(kind_title(s.kind, "zh") for s in sections)
    note = f"为证明上述情况，本人随本申请附上{kinds}等材料（详见附件清单）。" if sections else ""
    return {
        "title": f"逾期还款协商申请书 — {a.name or ''}".strip(" —"),
        "keywords": kinds,
        "generator": f"packager {__version__}",
        "created": today.isoformat(),
        "recipient": recipient,
        "today_cn": cn_date(today),
        "applicant": {
            "name": a.name or "＿＿＿＿",
            "id_masked": mask_id(a.id_number) if a.id_number else "",
            "phone_masked": mask_phone(a.phone) if a.phone else "",
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
        "statement": statement,
        "enclosure_note": note,
        "request": request_paragraphs(case, today),
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
