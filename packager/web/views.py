"""What the case page shows, read from the case folder: answers, file cards, checklist, results.

Only the read side's cheap parts run here (case.toml, intake, classify, the
check rules): no photo is decoded for a page view, so it stays quick while
someone uploads. The full check (every page read) is ``api.check_case``.
What the pages say (OCR) comes from the page cache the builds fill: a file
read once shows the kind its content gives and why, with no page read again.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date
from pathlib import Path

from packager.cache.pages import PageCache
from packager.errors import ConfigError
from packager.messages import field_title, finance_lines, message
from packager.models import Document, Finding, Kind, MediaType, Severity
from packager.read.casefile import CASE_FILE, Case
from packager.read.checks import required_kinds, run_checks
from packager.read.choices import ALIASES, Channel, Period, Plan, Reason, reason_words
from packager.read.classify import classify
from packager.read.finances import lines, picture
from packager.read.intake import intake
from packager.read.pages import Read
from packager.read.prepare import password_for, survey
from packager.settings import clean_by_default, ocr_by_default
from packager.web.builds import profiles_for
from packager.web.forms import MANY
from packager.web.readside import read_notes, read_side, said_words, sheet_of

_CHOICE_ENUMS = {
    "request.plan": Plan,
    "request.reason": Reason,
    "contact.channel": Channel,
    "expense.period": Period,
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
    read: str = ""  # queued (being read), read, failed, skip (not read), "" (not asked yet)
    sheet: bool | None = None  # a photo made into a scan (True), left as taken (False)
    turned: bool = False  # its content turned a page upright


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


def read_manifest(out_dir: Path) -> dict[str, object] | None:
    """The last published manifest of the case, or None."""
    try:
        data = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def case_view(
    case_dir: Path,
    out_dir: Path,
    lang: str,
    today: date,
    cache: PageCache | None = None,
    progress: Mapping[str, str] | None = None,
) -> CaseView:
    """Read the case folder (writing nothing, reading no page) into what its page shows.

    ``progress`` is each file's background read state (``reading``).
    """
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
    reads: dict[str, Read] = {}
    readable: set[str] = set()  # what a build reads (not the files left out)
    cleaning = False
    try:
        found = survey(case_dir, lang, ocr_by_default())
        case, skipped = found.case, found.skipped
        findings = list(found.findings)
        cleaning = clean_by_default() and case.output.clean
        readable = {source.rel for source in found.sources}
        documents, said, unread, reads = read_side(
            list(found.documents),
            found.unsorted,
            cache,
            case.applicant.name,
            found.rotations,
            # The store the build cleaned its photos into (its entries name it).
            cache.clean_dir if cache is not None and cleaning else None,
            found.ocr,
            lambda source: password_for(case, found.case_dir, source),  # an encrypted PDF's key
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
    states = progress or {}

    def read_state(rel: str) -> str:
        hit = reads.get(rel)
        if hit is not None:
            return "failed" if hit.refused is not None else "read"
        if rel not in readable:
            return "skip"
        return states.get(rel, "")

    def turned(rel: str) -> bool:
        hit = reads.get(rel)
        return hit is not None and any(t is not None and t.turn for t in hit.texts)

    cards = [
        FileCard(
            d.source.rel,
            d.kind,
            d.rule.split(":")[0],
            False,
            d.source.media is not MediaType.PDF,
            tuple(notes.get(d.source.rel, ()))
            + read_notes(d.source.rel, reads.get(d.source.rel), lang),
            tuple(said_words(f, lang) for f in said.get(d.source.rel, ())),
            rotations.get(d.source.rel, 0),
            read_state(d.source.rel),
            sheet_of(reads.get(d.source.rel), cleaning),
            turned(d.source.rel),
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
            tuple(notes.get(rel, ())) + read_notes(rel, reads.get(rel), lang),
            tuple(said_words(f, lang) for f in said.get(rel, ())),
            rotations.get(rel, 0),
            read_state(rel),
            sheet_of(reads.get(rel), cleaning),
            turned(rel),
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
