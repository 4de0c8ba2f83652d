"""The words of the mail packet's cover sheet and address label: pure, no rendering.

The seed asks for paper submissions to be marked 逾期还款协商 on the
envelope, so the cover says it in large type and the cut-out label carries
it beside both addresses. The checklist counts come from the same plan as
the letter's 附件清单, so what the envelope promises is what it holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from packager.messages import kind_title, words
from packager.models import PacketPlan
from packager.privacy import shown_phone
from packager.read.casefile import Case
from packager.write.letter import cn_date, page_range


def mail_ready(case: Case) -> bool:
    """Both addresses are there; otherwise ``checks`` reports MISSING_MAIL_FIELD and no packet is made."""
    return bool(case.applicant.address and case.account.mailing_address)


def checklist(plan: PacketPlan) -> list[dict[str, object]]:
    """One row per enclosure, in packet order: the letter, then each kind."""
    rows: list[dict[str, object]] = [
        {
            "title": words.COVER_LETTER_ROW,
            "documents": 1,
            "pages": plan.letter_pages,
            "range": page_range(1, plan.letter_pages),
        }
    ]
    for section in plan.sections:
        rows.append(
            {
                "title": kind_title(section.kind, "zh"),
                "documents": len(section.documents),
                "pages": section.page_count,
                "range": page_range(section.first_page, section.last_page),
            }
        )
    return rows


def cover_context(
    case: Case, plan: PacketPlan, today: date, recipient: str, generator: str
) -> Mapping[str, object]:
    """Everything templates/cover.html shows: the sender's phone in full unless hidden."""
    applicant = case.applicant
    return {
        "label": words.LABEL,
        "title": words.COVER_TITLE.format(name=applicant.name or "").strip(" —"),
        "generator": generator,
        "created": today.isoformat(),
        "date_cn": cn_date(today),
        "recipient": {"name": recipient, "address": case.account.mailing_address or ""},
        "sender": {
            "name": applicant.name or "",
            "address": applicant.address or "",
            "phone": shown_phone(applicant.phone, case.privacy.mask_phone_in_letter)
            if applicant.phone
            else "",
        },
        "rows": checklist(plan),
        "total_pages": plan.total_pages,
        "draft": plan.draft,
    }
