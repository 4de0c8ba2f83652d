"""What the case page shows, read from the case folder: answers, file cards, checklist, results.

Only the read side's cheap parts run here (case.toml, intake, classify, the
check rules): no photo is decoded for a page view, so it stays quick while
someone uploads. The full check (every page read) is ``api.check_case``.
"""

from __future__ import annotations

import io
import json
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from packager.errors import ConfigError
from packager.messages import field_title, message
from packager.models import Finding, Kind, MediaType, Severity
from packager.read.casefile import CASE_FILE, Case
from packager.read.checks import required_kinds, run_checks
from packager.read.choices import ALIASES, Channel, Plan, Reason
from packager.read.classify import classify
from packager.read.intake import intake
from packager.read.prepare import survey
from packager.web.builds import profiles_for

THUMB_SIDE = 240
_CHOICE_ENUMS = {"request.plan": Plan, "request.reason": Reason, "contact.channel": Channel}


@dataclass(frozen=True, slots=True)
class FileCard:
    """One file of the case as its card shows it."""

    rel: str
    kind: Kind | None
    rule: str  # file, folder, keyword or "" (unsorted)
    excluded: bool
    image: bool
    notes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CaseView:
    """Everything the case page needs."""

    name: str
    case: Case | None
    config_error: str | None
    values: dict[str, str]
    contacts: list[dict[str, str]]
    cards: list[FileCard]
    kinds: list[tuple[Kind, str]]  # (kind, present | missing | optional)
    fields_missing: list[str]
    findings: list[str]
    manifest: dict[str, object] | None


def _text(value: object, key: str) -> str:
    """A case.toml value as the form shows it (choices as their English value)."""
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, date) else str(value)
    enum = _CHOICE_ENUMS.get(key)
    if enum is not None:
        return ALIASES[enum].get(text.strip(), text.strip().lower())
    return text


def _values(raw: dict[str, object]) -> tuple[dict[str, str], list[dict[str, str]]]:
    values: dict[str, str] = {}
    for section in ("applicant", "account", "request"):
        table = raw.get(section)
        if isinstance(table, dict):
            for name, value in table.items():
                values[f"{section}.{name}"] = _text(value, f"{section}.{name}")
    contacts = []
    entries = raw.get("contact")
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, dict):
            contacts.append({k: _text(v, f"contact.{k}") for k, v in entry.items()})
    return values, contacts


def read_manifest(out_dir: Path) -> dict[str, object] | None:
    """The last published manifest of the case, or None."""
    try:
        data = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def case_view(case_dir: Path, out_dir: Path, lang: str, today: date) -> CaseView:
    """Read the case folder (writing nothing) into what its page shows."""
    try:
        raw = tomllib.loads((case_dir / CASE_FILE).read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        raw = {}
    values, contacts = _values(raw)
    case: Case | None = None
    error: str | None = None
    findings: list[Finding] = []
    try:
        found = survey(case_dir, lang)
        case, documents, skipped = found.case, found.documents, found.skipped
        findings = list(found.findings)
    except ConfigError as exc:
        error = exc.message
        listed = intake(case_dir)
        classified = classify(listed.files)
        documents, skipped = classified.documents, (*listed.skipped, *classified.skipped)
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
        )
        for d in documents
    ]
    excluded = {f.file for f in findings if f.code == "EXCLUDED"}
    cards += [
        FileCard(
            s.rel,
            None,
            "",
            s.rel in excluded,
            not s.rel.lower().endswith(".pdf"),
            tuple(notes.get(s.rel, ())),
        )
        for s in skipped
        if not s.rel.endswith("/")
    ]
    cards.sort(key=lambda c: c.rel)
    present = {d.kind for d in documents}
    kinds: list[tuple[Kind, str]] = []
    missing_fields: list[str] = []
    general: list[str] = []
    if case is not None:
        needed = {k for k, _ in required_kinds(case.request.reason)}
        kinds = [
            (k, "present" if k in present else "missing" if k in needed else "optional")
            for k in Kind
        ]
        for finding in run_checks(case, documents, today, profiles_for(case)):
            if finding.code in ("MISSING_FIELD", "MISSING_MAIL_FIELD"):
                missing_fields.append(field_title(str(finding.params["field"]), lang))
            elif finding.severity is Severity.ERROR and not finding.code.startswith("MISSING_"):
                general.append(message(finding, lang))
    return CaseView(
        case_dir.name,
        case,
        error,
        values,
        contacts,
        cards,
        kinds,
        missing_fields,
        general,
        read_manifest(out_dir),
    )


def thumbnail(path: Path) -> bytes:
    """A small upright JPEG of an image's (or a PDF's first page's) content."""
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
    buf = io.BytesIO()
    image.convert("RGB").save(buf, "JPEG", quality=80)
    return buf.getvalue()
