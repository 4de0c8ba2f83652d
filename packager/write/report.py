"""report.html: one self-contained page that says what is in the packet, what is wrong, what next.

It opens offline: the stylesheet is inlined and every page thumbnail is a
``data:`` URI rasterised from the finished packet with pypdfium2 (small JPEGs,
a few KB each). The only links are relative ones to the files beside it.
Everything shown is masked (ID 6+4, phone 3****4, account last 4); file names
were masked at intake.

A finding is shown under the thumbnail of its file: on page ``Finding.page``
(1-based, within that source file) when given, else on the file's first page.
Every finding is also listed in full, so none is lost.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from datetime import date
from typing import BinaryIO

import pypdfium2

from packager import __version__
from packager.hant import HANS, HANT, HTML_LANG, localize, name_to_hant
from packager.manifest import (
    MANIFEST_FILE,
    REPORT_FILE,
    finances_block,
    source_records,
)
from packager.messages import (
    date_sources,
    day_text,
    finance_lines,
    is_hant,
    kind_title,
    measure_text,
    message,
    reasons_text,
    severity_name,
    source_name,
    text,
)
from packager.models import (
    KIND_ORDER,
    Finding,
    Kind,
    OutputFile,
    PacketPlan,
    ReviewWindow,
    Severity,
)
from packager.privacy import mask_account, mask_id, mask_phone
from packager.read.casefile import default_recipient
from packager.read.checks import MAIL, is_credit_card, required_kinds
from packager.read.prepare import Prepared
from packager.write import render
from packager.write.leftout import left_out_thumbnails
from packager.write.raster import THUMB_LONG_SIDE, thumbnail_jpeg
from packager.write.reportfacts import facts_section

HTML_LANGS = {"zh": "zh-CN", "en": "en", **{k: v for k, v in HTML_LANG.items() if k != HANS}}

# Recognised lines shown under each page's thumbnail.
READ_LINES = 3


def thumbnails(pdf: bytes | BinaryIO, long_side: int = THUMB_LONG_SIDE) -> list[bytes]:
    """One small JPEG per page of ``pdf``, in page order."""
    from PIL import Image

    images: list[bytes] = []
    document = pypdfium2.PdfDocument(pdf)
    try:
        for index in range(len(document)):
            page = document[index]
            try:
                width, height = page.get_size()
                bitmap = page.render(scale=long_side / max(width, height))
                image: Image.Image = bitmap.to_pil()
                bitmap.close()
            finally:
                page.close()
            images.append(thumbnail_jpeg(image, long_side))
    finally:
        document.close()
    return images


def data_uri(jpeg: bytes) -> str:
    """Embed image bytes in the page itself."""
    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")


def _review(review: ReviewWindow | None, lang: str) -> dict[str, object] | None:
    if review is None:
        return None
    mark = text("estimated", lang)

    def shown(day: date, estimated: bool) -> str:
        return day_text(day, lang) + (f"（{mark}）" if estimated else "")

    earliest = shown(review.earliest, review.earliest_estimated)
    latest = shown(review.latest, review.latest_estimated)
    return {
        "line": text(
            "review_line",
            lang,
            low=review.low,
            high=review.high,
            earliest=earliest,
            latest=latest,
        ),
        "short": text("review_short", lang, low=review.low, high=review.high),
        "earliest": earliest,
        "latest": latest,
        "basis": text(
            "review_basis",
            lang,
            start=day_text(review.start, lang),
            low=review.low,
            high=review.high,
        ),
        "estimated": text("review_estimated", lang) if review.estimated else "",
        "sources": date_sources(review.sources, lang),
    }


def _finding_row(finding: Finding, lang: str) -> dict[str, str]:
    return {
        "severity": finding.severity.value,
        "severity_name": severity_name(finding.severity.value, lang),
        "message": message(finding, lang),
        "file": finding.file or "",
    }


def _checklist(prep: Prepared, plan: PacketPlan, lang: str) -> list[dict[str, object]]:
    required = dict(required_kinds(prep.case.request.reason))
    rows: list[dict[str, object]] = []
    for kind in KIND_ORDER:
        section = next((s for s in plan.sections if s.kind is kind), None)
        why = required.get(kind)
        if why is None:
            need = text("req_optional", lang)
        elif why == "always":
            need = text("req_always", lang)
        else:
            need = text("req_reason", lang, reason=text(f"reason_{why}", lang))
        if section is not None:
            state, css = text("have", lang), "ok"
        elif why is not None:
            state, css = text("missing", lang), "missing"
        else:
            state, css = text("none", lang), "none"
        rows.append(
            {
                "kind": text_kind(kind, lang),
                "required": need,
                "documents": len(section.documents) if section else 0,
                "pages": section.page_count if section else 0,
                "state": state,
                "css": css,
            }
        )
    return rows


def text_kind(kind: Kind, lang: str) -> str:
    """Kind title in the report's language (Traditional when asked)."""
    title = kind_title(kind, lang)
    return localize(title, lang) if is_hant(lang) else title


def _page_of(finding: Finding, count: int) -> int:
    """Source page a finding belongs under: its own page when valid, else the first."""
    return finding.page if finding.page is not None and 1 <= finding.page <= count else 1


def _pages(
    prep: Prepared, plan: PacketPlan, images: Sequence[bytes], lang: str
) -> list[dict[str, object]]:
    pages: list[dict[str, object]] = []
    letter = text("letter_source", lang)
    for n in range(1, plan.letter_pages + 1):
        pages.append({"n": n, "source": letter, "findings": [], "landscape": False, "read": []})
    for section in plan.sections:
        for placed in section.documents:
            rel = placed.document.source.rel
            mine = [f for f in prep.findings if f.file == rel]
            count = len(placed.pages)
            for offset, source in enumerate(placed.pages):
                page_no = offset + 1
                here = [f for f in mine if _page_of(f, count) == page_no]
                source_text = (
                    text("source_page", lang, file=rel, page=page_no)
                    if len(placed.pages) > 1
                    else rel
                )
                pages.append(
                    {
                        "n": placed.first_page + offset,
                        "source": source_text,
                        "kind": text_kind(section.kind, lang),
                        "findings": [_finding_row(f, lang) for f in here],
                        "landscape": source.landscape,
                        # What reading found on the page: the person sees what was read.
                        "read": [line.text for line in source.text.lines[:READ_LINES]]
                        if source.text is not None
                        else [],
                    }
                )
    for page, image in zip(pages, images, strict=False):
        page["src"] = data_uri(image)
        page["label"] = text("page_n", lang, n=page["n"])
    return pages


def _skipped(prep: Prepared, findings: Sequence[Finding], lang: str) -> list[dict[str, str]]:
    """The left-out files' findings, the first of each file with the file's thumbnail."""
    thumbs = left_out_thumbnails(prep.skipped)
    rows = []
    shown: set[str] = set()
    for f in findings:
        if f.file and any(s.rel == f.file for s in prep.skipped):
            row = {**_finding_row(f, lang), "thumb": ""}
            if f.file in thumbs and f.file not in shown:
                row["thumb"] = data_uri(thumbs[f.file])
                shown.add(f.file)
            rows.append(row)
    return rows


def _applicant(prep: Prepared, lang: str) -> list[str]:
    """One masked line about whose case this is."""
    a, acc = prep.case.applicant, prep.case.account
    hant = is_hant(lang)
    parts = [
        (name_to_hant(a.name) if hant else a.name) if a.name else "",
        " ".join(name_to_hant(p) if hant else p for p in (acc.platform, acc.product) if p),
        mask_account(acc.account) if acc.account else "",
        mask_id(a.id_number) if a.id_number else "",
        mask_phone(a.phone) if a.phone else "",
    ]
    return [p for p in parts if p]


def report_context(
    prep: Prepared,
    plan: PacketPlan,
    images: Sequence[bytes],
    outputs: Sequence[OutputFile],
    today: date,
    lang: str,
) -> dict[str, object]:
    """Everything templates/report.html shows, worded and masked."""
    script = HANT if is_hant(lang) else HANS
    order = list(Severity)
    findings = sorted(prep.findings, key=lambda f: order.index(f.severity))
    errors = [f for f in findings if f.severity is Severity.ERROR]
    upload = next((o.path for o in outputs if o.profile == "upload"), "")
    printed = next((o.path for o in outputs if o.profile == MAIL), upload)
    platform = prep.case.account.platform or ""
    recipient = prep.case.account.recipient or default_recipient(prep.case)
    steps = (
        [
            text("next_draft_stop", lang),
            text("next_draft_missing", lang, items=" ".join(message(f, lang) for f in errors)),
            text("next_draft_rebuild", lang),
        ]
        if plan.draft
        else []
    )
    steps += [
        text("next_check", lang),
        text("next_upload", lang, platform=platform, upload=upload),
        text("next_mail", lang, print=printed, recipient=recipient),
        text("next_record", lang),
        text("next_wait", lang),
    ]
    if is_credit_card(prep.case):
        steps.append(text("next_card", lang))
    steps += [text("next_scam", lang), text("next_12378", lang)]
    block = finances_block(prep, source_records(prep, plan), plan)
    picture, expenses = finance_lines(block, lang)
    return {
        "html_lang": HTML_LANGS.get(lang, "zh-CN"),
        "css": render.stylesheet("report.css", script),
        "t": {
            key: text(key, lang)
            for key in (
                "report_title",
                "banner_complete",
                "banner_draft",
                "sec_checklist",
                "sec_findings",
                "no_findings",
                "sec_guidance",
                "guidance_unknown",
                "sec_review",
                "sec_pages",
                "sec_outputs",
                "sec_skipped",
                "sec_next",
                "kind",
                "required",
                "documents",
                "pages",
                "state",
                "within",
                "beyond",
                "read_title",
            )
        },
        "case": prep.name,
        "who": _applicant(prep, lang),
        "reasons": text(
            "reasons_line",
            lang,
            reasons=reasons_text([r.value for r in prep.case.request.reason], lang),
        )
        if prep.case.request.reason
        else "",
        "generated": text(
            "generated", lang, date=day_text(today, lang), generator=f"packager {__version__}"
        ),
        "complete": prep.complete,
        "errors": [message(f, lang) for f in errors],
        "notes": text("banner_notes", lang, count=len(findings) - len(errors))
        if len(findings) > len(errors)
        else "",
        "checklist": _checklist(prep, plan, lang),
        "finances": {
            "title": text("sec_finances", lang),
            "picture": picture,
            "expenses_title": text("fin_expenses", lang),
            "expenses": expenses,
        }
        if block
        else None,
        "findings": [_finding_row(f, lang) for f in findings],
        "facts": facts_section(prep, plan, lang),
        "guidance": [{"text": measure_text(m, lang), "within": m.within} for m in prep.guidance],
        "guidance_note": text("guidance_note", lang, source=source_name(prep_source(prep), lang)),
        "review": _review(prep.review, lang),
        "pages": _pages(prep, plan, images, lang),
        "skipped": _skipped(prep, findings, lang),
        "outputs": [o.path for o in outputs] + [MANIFEST_FILE],
        "steps": steps,
    }


def prep_source(prep: Prepared) -> str:
    """Where the case's thresholds come from (every guide figure shares one source)."""
    return prep.guidance[0].source if prep.guidance else "folklore"


def render_report(
    prep: Prepared,
    plan: PacketPlan,
    packet: bytes | BinaryIO,
    outputs: Sequence[OutputFile],
    today: date,
    lang: str,
    thumbs: Sequence[bytes] = (),
) -> bytes:
    """report.html bytes for a built packet (its page thumbnails rendered here unless given)."""
    thumbs = thumbs or thumbnails(packet)
    context = report_context(prep, plan, thumbs, outputs, today, lang)
    return render.html(REPORT_FILE, context).encode("utf-8")
