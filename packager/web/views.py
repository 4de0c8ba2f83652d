"""What the case page shows, read from the case folder: answers, file cards, checklist, results.

Only the read side's cheap parts run here (case.toml, intake, classify, the
check rules): no photo is decoded for a page view, so it stays quick while
someone uploads. The full check (every page read) is ``api.check_case``.
What the pages say (OCR) comes from the page cache the builds fill: a file
read once shows the kind its content gives and why, with no page read again.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date
from pathlib import Path

from packager.errors import ConfigError
from packager.messages import (
    content_reason,
    field_title,
    finance_lines,
    kind_title,
    lang_key,
    message,
)
from packager.messages.web import WEB
from packager.models import Document, Finding, Kind, MediaType, Severity, SourceFile
from packager.pagecache import PageCache
from packager.read.casefile import CASE_FILE, Case
from packager.read.checks import required_kinds, run_checks
from packager.read.choices import ALIASES, Channel, Period, Plan, Reason, reason_words
from packager.read.classify import classify
from packager.read.content import by_content
from packager.read.finances import lines, picture
from packager.read.intake import intake
from packager.read.prepare import survey
from packager.settings import clean_by_default, ocr_by_default
from packager.web.builds import profiles_for
from packager.web.forms import MANY

THUMB_SIDE = 240
_CHOICE_ENUMS = {
    "request.plan": Plan,
    "request.reason": Reason,
    "contact.channel": Channel,
    "expense.period": Period,
}
# What a file's pages said, as its card words it (the web's fix is the kind selector).
_SAID = {
    "SORTED_BY_CONTENT": "why_sorted",
    "UNCLASSIFIED_CLOSE": "why_close",
    "UNCLASSIFIED_OTHER": "why_other_kind",
    "KIND_MISMATCH": "why_mismatch",
    "ORIENTATION_UNSURE": "why_unsure",
    "PAGE_TURNED": "why_turned",
    "OTHER_PERSON": "why_other",
}


@dataclass(frozen=True, slots=True)
class FileCard:
    """One file of the case as its card shows it."""

    rel: str
    kind: Kind | None
    rule: str  # file, folder, keyword, content, unread (OCR to come) or "" (unsorted)
    excluded: bool
    image: bool
    notes: tuple[str, ...]
    said: tuple[str, ...] = ()  # what its pages say, and how to fix it
    rotate: int = 0  # clockwise degrees its [[file]] entry turns it by


@dataclass(frozen=True, slots=True)
class CaseView:
    """Everything the case page needs."""

    name: str
    case: Case | None
    config_error: str | None
    values: dict[str, str]
    contacts: list[dict[str, str]]
    cards: list[FileCard]
    kinds: list[tuple[Kind, str]]  # (kind, present | written | missing | optional)
    fields_missing: list[str]
    findings: list[str]
    manifest: dict[str, object] | None
    expenses: list[dict[str, str]] = dc_field(default_factory=list)
    money: str = ""  # the monthly picture in one line, as check says it
    files: list[str] = dc_field(default_factory=list)  # what a proof may name
    documents: tuple[Document, ...] = ()  # in the packet, as the page sees it
    skipped: tuple[str, ...] = ()  # the files left out


def _text(value: object, key: str) -> str:
    """A case.toml value as the form shows it (choices as their English value)."""
    if value is None:
        return ""
    if key in MANY:  # several ticks: "illness,income_drop"
        found = reason_words(value)
        return ",".join(str(v) for v in found) if isinstance(found, list) else str(value)
    text = value.isoformat() if isinstance(value, date) else str(value)
    enum = _CHOICE_ENUMS.get(key)
    if enum is not None:
        return ALIASES[enum].get(text.strip(), text.strip().lower())
    return text


def _values(raw: dict[str, object]) -> dict[str, str]:
    values: dict[str, str] = {}
    for section in ("applicant", "account", "request", "finances"):
        table = raw.get(section)
        if isinstance(table, dict):
            for name, value in table.items():
                values[f"{section}.{name}"] = _text(value, f"{section}.{name}")
    return values


def _rows(raw: dict[str, object], section: str) -> list[dict[str, str]]:
    """The ``[[section]]`` entries as form rows, each with its place (``row``) in case.toml."""
    entries = raw.get(section)
    rows = []
    for place, entry in enumerate(entries if isinstance(entries, list) else [], start=1):
        if isinstance(entry, dict):
            row = {k: _text(v, f"{section}.{k}") for k, v in entry.items()}
            if section == "expense" and isinstance(entry.get("month"), date):
                row["month"] = f"{entry['month']:%Y-%m}"
            rows.append({**row, "row": str(place)})
    return rows


def money_line(case: Case, lang: str) -> str:
    """The monthly picture in words (as ``check`` prints it), or "" when none is stated."""
    seen = picture(case)
    if seen is None:
        return ""
    block = {
        "monthly_income": seen.income,
        "previous_monthly_income": seen.previous_income,
        "dependants": seen.dependants,
        "monthly_spending": seen.monthly,
        "one_off_spending": seen.once,
        "monthly_balance": seen.balance,
        "plan_per_month": seen.plan_per_month,
        "left_after_plan": seen.left_after_plan,
    }
    return finance_lines(block, lang)[0]


def _said(finding: Finding, lang: str) -> str:
    """What a file's pages said, in the card's words."""
    lk = lang_key(lang)
    params: dict[str, object] = {"page": finding.page or 1, **finding.params}
    params["reason"] = content_reason(finding.params, lang)  # what decided, as the finding says
    for key in ("kind", "first", "second", "content_kind"):
        if key in params:
            params[key] = kind_title(Kind(str(params[key])), lang)
    return WEB[_SAID[finding.code]][lk].format(**params)


def read_side(
    documents: list[Document],
    unsorted: tuple[SourceFile, ...],
    cache: PageCache | None,
    applicant: str | None,
    rotations: Mapping[str, int] | None = None,
    clean: Path | None = None,
) -> tuple[list[Document], dict[str, list[Finding]], set[str]]:
    """The documents once their cached pages have spoken, what they said, and files not read.

    The same ``by_content`` the build runs, on the texts the build left in the
    page cache: an unsorted file read before takes its content's kind, or
    stays out with the likeliest kinds named. PDFs are read afresh by every
    build (not cached), so an unsorted PDF stays "to be read" here.
    """
    said: dict[str, list[Finding]] = {}
    unread: set[str] = set()
    kept: list[Document] = []
    todo = [(d.source, d) for d in documents] + [(s, None) for s in unsorted]
    for source, sorted_as in todo:
        turn = (rotations or {}).get(str(source.path), 0)
        hit = cache.get(source, True, clean, turn) if cache is not None else None
        if hit is None or hit.refused is not None or not any(hit.texts):
            if sorted_as is None:
                unread.add(source.rel)
            else:
                kept.append(sorted_as)
            continue
        doc, findings = by_content(source, sorted_as, hit.texts, applicant)
        said[source.rel] = [f for f in findings if f.code in _SAID]
        if doc is not None:
            kept.append(doc)
    return kept, said, unread


def read_manifest(out_dir: Path) -> dict[str, object] | None:
    """The last published manifest of the case, or None."""
    try:
        data = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def case_view(
    case_dir: Path, out_dir: Path, lang: str, today: date, cache: PageCache | None = None
) -> CaseView:
    """Read the case folder (writing nothing) into what its page shows."""
    try:
        raw = tomllib.loads((case_dir / CASE_FILE).read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        raw = {}
    case: Case | None = None
    error: str | None = None
    findings: list[Finding] = []
    said: dict[str, list[Finding]] = {}
    unread: set[str] = set()
    rotations: dict[str, int] = {}
    try:
        found = survey(case_dir, lang, ocr_by_default())
        case, skipped = found.case, found.skipped
        findings = list(found.findings)
        documents, said, unread = read_side(
            list(found.documents),
            found.unsorted,
            cache if found.ocr else None,
            case.applicant.name,
            found.rotations,
            # The store the build cleaned its photos into (its entries name it).
            cache.clean_dir
            if cache is not None and clean_by_default() and case.output.clean
            else None,
        )
        rotations = {
            Path(path).relative_to(case_dir.absolute()).as_posix(): turn
            for path, turn in found.rotations.items()
            if Path(path).is_relative_to(case_dir.absolute())
        }
    except ConfigError as exc:
        error = exc.message
        listed = intake(case_dir)
        classified = classify(listed.files)
        documents, skipped = list(classified.documents), (*listed.skipped, *classified.skipped)
        findings = [*listed.findings, *classified.findings]
    notes: dict[str, list[str]] = {}
    for finding in findings:
        if finding.file:
            notes.setdefault(finding.file, []).append(message(finding, lang))
    cards = [
        FileCard(
            d.source.rel,
            d.kind,
            d.rule.split(":")[0],
            False,
            d.source.media is not MediaType.PDF,
            tuple(notes.get(d.source.rel, ())),
            tuple(_said(f, lang) for f in said.get(d.source.rel, ())),
            rotations.get(d.source.rel, 0),
        )
        for d in documents
    ]
    excluded = {f.file for f in findings if f.code == "EXCLUDED"}
    left_out = [
        (s.rel, s.rel in excluded, s.rel.lower().endswith(".pdf"))
        for s in skipped
        if not s.rel.endswith("/")
    ]
    left_out += [(rel, False, rel.lower().endswith(".pdf")) for rel in sorted(unread)]
    left_out += [
        (rel, False, rel.lower().endswith(".pdf"))
        for rel in said
        if rel not in {d.source.rel for d in documents}
    ]
    cards += [
        FileCard(
            rel,
            None,
            "unread" if rel in unread else "",
            gone,
            not pdf,
            tuple(notes.get(rel, ())),
            tuple(_said(f, lang) for f in said.get(rel, ())),
            rotations.get(rel, 0),
        )
        for rel, gone, pdf in left_out
    ]
    cards.sort(key=lambda c: c.rel)
    present = {d.kind for d in documents}
    kinds: list[tuple[Kind, str]] = []
    missing_fields: list[str] = []
    general: list[str] = []
    if case is not None:
        needed = {k for k, _ in required_kinds(case.request.reason)}
        written = Kind.EXPENSES if lines(case) else None  # the 支出明细 page check counts
        kinds = [
            (
                k,
                "present"
                if k in present
                else "written"
                if k is written
                else "missing"
                if k in needed
                else "optional",
            )
            for k in Kind
        ]
        skipped_rels = [s.rel for s in skipped]
        for finding in run_checks(case, documents, today, profiles_for(case), skipped_rels):
            if finding.code in ("MISSING_FIELD", "MISSING_MAIL_FIELD"):
                missing_fields.append(field_title(str(finding.params["field"]), lang))
            elif finding.severity is Severity.ERROR and not finding.code.startswith("MISSING_"):
                general.append(message(finding, lang))
    return CaseView(
        case_dir.name,
        case,
        error,
        _values(raw),
        _rows(raw, "contact"),
        cards,
        kinds,
        missing_fields,
        general,
        read_manifest(out_dir),
        _rows(raw, "expense"),
        money_line(case, lang) if case is not None else "",
        sorted(c.rel for c in cards),
        tuple(documents),
        tuple(c.rel for c in cards if c.kind is None),
    )


def fingerprint(case_dir: Path, out_dir: Path) -> tuple[tuple[object, ...], ...]:
    """What a case page is made from, cheaply: no file read, only lstat.

    Every entry under the case folder and the published manifest. Any upload,
    edit, rename or build changes it; a view that finds it unchanged is reused.
    """
    seen: list[tuple[object, ...]] = []
    stack = [str(case_dir)]
    while stack:
        with contextlib.suppress(OSError), os.scandir(stack.pop()) as entries:
            for entry in entries:
                st = entry.stat(follow_symlinks=False)
                seen.append((entry.path, st.st_size, st.st_mtime_ns, st.st_ino, st.st_mode))
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
    with contextlib.suppress(OSError):
        st = (out_dir / "manifest.json").stat()
        seen.append(("", st.st_size, st.st_mtime_ns, st.st_ino, st.st_mode))
    return tuple(sorted(seen, key=lambda e: str(e[0])))


def thumbnail(path: Path, rotate: int = 0) -> bytes:
    """A small upright JPEG of an image's (or a PDF's first page's) content, turned as asked."""
    from PIL import Image, ImageOps

    if path.suffix.lower() == ".pdf":
        import pypdfium2

        document = pypdfium2.PdfDocument(path)
        try:
            page = document[0]
            width, height = page.get_size()
            image = page.render(scale=THUMB_SIDE / max(width, height)).to_pil()
        finally:
            document.close()
    else:
        from pillow_heif import register_heif_opener

        register_heif_opener()
        with Image.open(path) as opened:
            opened.draft("RGB", (THUMB_SIDE * 2, THUMB_SIDE * 2))
            image = ImageOps.exif_transpose(opened)
            image.thumbnail((THUMB_SIDE, THUMB_SIDE))
            if rotate:
                image = image.rotate(-rotate, expand=True)
    buf = io.BytesIO()
    image.convert("RGB").save(buf, "JPEG", quality=80)
    return buf.getvalue()
