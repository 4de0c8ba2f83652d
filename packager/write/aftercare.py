"""What is written after the packet is sent: the follow-up letter and the repayment schedule.

The follow-up letter (跟进函) is written only when the review window has
passed with no answer; the schedule (a 还款计划表 page, a CSV, an .ics
calendar) only when [agreement] gives one. Both are the person's own
records beside the packet, never pages of it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from datetime import date

from packager import __version__
from packager.manifest import output_record
from packager.messages import after as words
from packager.models import OutputFile
from packager.privacy import mask_account, mask_id, shown_phone
from packager.read.casefile import Case, default_recipient, proper_names
from packager.read.choices import CHOICE_NAMES
from packager.read.prepare import Prepared
from packager.read.schedule import Schedule
from packager.read.standing import PAST, Standing, fen_text
from packager.read.workdays import REVIEW_HIGH
from packager.write import render
from packager.write.ical import Event, calendar_bytes
from packager.write.letter import cn_date, money_cn


def _how(case: Case) -> str:
    channel = case.submission.channel
    return words.SENT_HOW[channel.value if channel else ""]


def followup_context(case: Case, state: Standing, today: date) -> Mapping[str, object]:
    """Everything templates/followup.html shows, masked and worded."""
    a, acc, sub = case.applicant, case.account, case.submission
    high = state.window.high if state.window is not None else REVIEW_HIGH
    sent = words.FOLLOWUP_SENT.format(sent=cn_date(sub.date or today), how=_how(case))
    if sub.tracking:
        sent += words.FOLLOWUP_TRACKING.format(tracking=sub.tracking)
    if sub.reference:
        sent += words.FOLLOWUP_REFERENCE.format(reference=sub.reference)
    sent += words.FOLLOWUP_WAITED.format(today=cn_date(today), day=state.day, high=high)
    platform_product = "".join(p for p in (acc.platform, acc.product) if p)
    return {
        "title": f"跟进函 — {a.name or ''}".strip(" —"),
        "generator": f"packager {__version__}",
        "created": today.isoformat(),
        "recipient": acc.recipient or default_recipient(case),
        "today_cn": cn_date(today),
        "name": a.name or "＿＿＿＿",
        "id_masked": mask_id(a.id_number) if a.id_number else "",
        "phone": shown_phone(a.phone, case.privacy.mask_phone_in_letter) if a.phone else "",
        "platform_product": platform_product or words.LENDER,
        "account_masked": mask_account(acc.account) if acc.account else "",
        "sent": sent,
        "note": words.FOLLOWUP_NOTE.format(note=sub.note) if sub.note else "",
        "contacts": [
            {
                "date": cn_date(c.date) if c.date else "",
                "channel": CHOICE_NAMES[c.channel.value] if c.channel else "",
                "reference": c.reference or "",
                "summary": c.summary or "",
            }
            for c in case.contact
            if c.date is not None and sub.date is not None and c.date >= sub.date
        ],
    }


def schedule_context(case: Case, plan: Schedule, today: date) -> Mapping[str, object]:
    """Everything templates/repayment.html shows."""
    agreement = case.agreement
    return {
        "title": f"还款计划表 — {case.applicant.name or ''}".strip(" —"),
        "generator": f"packager {__version__}",
        "created": today.isoformat(),
        "name": case.applicant.name or "＿＿＿＿",
        "platform_product": "".join(p for p in (case.account.platform, case.account.product) if p),
        "agreed": cn_date(agreement.date) if agreement.date else "",
        "reference": agreement.reference or "",
        "plan": CHOICE_NAMES[agreement.plan.value] if agreement.plan else "",
        "total": fen_text(plan.total_fen),
        "total_cn": money_cn(plan.total_fen / 100),
        "rows": [
            {
                "index": d.index,
                "day": cn_date(d.day),
                "weekday": "周" + "一二三四五六日"[d.day.weekday()],
                "amount": fen_text(d.fen),
                "note": words.DAY_OFF if d.day_off else "",
            }
            for d in plan.dues
        ],
        "note": words.SCHEDULE_NOTE,
        "today_cn": cn_date(today),
    }


def schedule_csv(plan: Schedule) -> bytes:
    """One row a payment; UTF-8 with a BOM so a spreadsheet on a Chinese PC reads it right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(words.CSV_HEADER)
    for d in plan.dues:
        writer.writerow(
            (
                d.index,
                d.day.isoformat(),
                fen_text(d.fen).replace(",", ""),
                d.fen,
                words.DAY_OFF if d.day_off else "",
            )
        )
    return ("\ufeff" + buffer.getvalue()).encode()


def calendar_events(case: Case, plan: Schedule | None, state: Standing | None) -> list[Event]:
    """Every payment, and the review window's last day while an answer is awaited."""
    platform = case.account.platform or words.LENDER
    events: list[Event] = []
    sub = case.submission
    if state is not None and state.window is not None and state.state in ("waiting", PAST):
        quote = "、".join(p for p in (sub.reference, sub.tracking) if p) or "—"
        events.append(
            Event(
                "review-end",
                state.window.latest,
                words.REVIEW_SUMMARY.format(high=state.window.high, platform=platform),
                words.REVIEW_DESCRIPTION.format(
                    sent=sub.date.isoformat() if sub.date else "", quote=quote
                ),
            )
        )
    if plan is not None:
        count = len(plan.dues)
        for d in plan.dues:
            amount = fen_text(d.fen)
            events.append(
                Event(
                    f"due-{d.index}",
                    d.day,
                    words.DUE_SUMMARY.format(
                        index=d.index, count=count, amount=amount, platform=platform
                    ),
                    words.DUE_DESCRIPTION.format(
                        reference=case.agreement.reference or platform,
                        index=d.index,
                        amount=amount,
                        off=words.DAY_OFF + "。" if d.day_off else "",
                    ),
                )
            )
    return events


def aftercare_files(prep: Prepared, today: date) -> tuple[dict[str, bytes], tuple[OutputFile, ...]]:
    """The files to publish beside the packet, and their manifest records."""
    case, name = prep.case, prep.name
    script, keep = case.output.language, proper_names(case)
    files: dict[str, bytes] = {}
    outputs: list[OutputFile] = []
    state, plan = prep.standing, prep.schedule
    if state is not None and state.state == PAST:
        letter = render.render_pdf(
            "followup.html", followup_context(case, state, today), script, keep
        )
        path = words.FOLLOWUP_FILE.format(case=name)
        files[path] = letter.data
        outputs.append(output_record(path, "followup", letter.data, letter.pages))
    if plan is not None:
        page = render.render_pdf(
            "repayment.html", schedule_context(case, plan, today), script, keep
        )
        path = words.SCHEDULE_PDF.format(case=name)
        files[path] = page.data
        outputs.append(output_record(path, "schedule", page.data, page.pages))
        path = words.SCHEDULE_CSV.format(case=name)
        files[path] = schedule_csv(plan)
        outputs.append(output_record(path, "schedule", files[path]))
    events = calendar_events(case, plan, state)
    if events:
        path = words.SCHEDULE_ICS.format(case=name)
        files[path] = calendar_bytes(name, events, today)
        outputs.append(output_record(path, "schedule", files[path]))
    return files, tuple(outputs)
