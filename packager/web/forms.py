"""The interview: form fields named by their case.toml keys, checked like ``check``, saved with tomlkit.

Saving edits the person's case.toml in place through tomlkit, so their
comments and order survive; only the answered fields change. An answer is
refused (the form comes back with the message beside its field, 422) by the
same rules and words as ``packager check``: the shape rules of case.toml and
the value rules of ``checks`` (an ID check digit, a date in the future …).
A field left empty is not an error here: the checklist says it is missing.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import tomlkit
from tomlkit.items import AoT, Table

from packager.messages import message
from packager.models import Severity
from packager.read.casefile import CASE_FILE, Case, field_problems
from packager.read.checks import UPLOAD, VALUE_RULES, Context
from packager.read.choices import Channel, Plan, Reason


@dataclass(frozen=True, slots=True)
class Field:
    """One question of the interview: its case.toml key, input type and choices."""

    key: str
    input: str  # text, textarea, number, amount, date, choice, tel
    choices: tuple[str, ...] = ()


STEPS: tuple[tuple[str, tuple[Field, ...]], ...] = (
    (
        "step_who",
        (
            Field("applicant.name", "text"),
            Field("applicant.id_number", "text"),
            Field("applicant.phone", "tel"),
            Field("applicant.address", "text"),
        ),
    ),
    (
        "step_account",
        (
            Field("account.platform", "text"),
            Field("account.product", "text"),
            Field("account.account", "text"),
            Field("account.credit_limit", "amount"),
            Field("account.amount_owed", "amount"),
            Field("account.overdue_since", "date"),
            Field("account.recipient", "text"),
            Field("account.mailing_address", "text"),
        ),
    ),
    (
        "step_plan",
        (
            Field("request.plan", "choice", tuple(Plan)),
            Field("request.installments", "number"),
            Field("request.defer_days", "number"),
        ),
    ),
    (
        "step_why",
        (
            Field("request.reason", "choice", tuple(Reason)),
            Field("request.statement", "textarea"),
        ),
    ),
)
CONTACT_FIELDS = (
    Field("contact.date", "date"),
    Field("contact.channel", "choice", tuple(Channel)),
    Field("contact.reference", "text"),
    Field("contact.summary", "text"),
)
FIELDS: Mapping[str, Field] = {f.key: f for _, fields in STEPS for f in fields}


@dataclass(frozen=True, slots=True)
class Verdict:
    """A form answer judged: the messages by field (errors refuse the save), and the case."""

    errors: Mapping[str, tuple[str, ...]]
    warnings: Mapping[str, tuple[str, ...]]
    case: Case | None

    @property
    def ok(self) -> bool:
        """True when nothing refuses the save."""
        return not self.errors


def _value(spec: Field, text: str) -> object:
    """The TOML value for an answer; a value that does not convert is kept for the message."""
    if spec.input == "amount":
        cleaned = text.replace(",", "").replace("，", "")
        try:
            number = float(cleaned)
        except ValueError:
            return text
        return int(number) if number.is_integer() else number
    if spec.input == "number":
        return int(text) if text.lstrip("-").isdigit() else text
    if spec.input == "date":
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text
    if "\n" in text:
        return tomlkit.string(text.replace("\r\n", "\n"), multiline=True)
    return text


def apply_answers(raw: str, form: Mapping[str, Sequence[str]]) -> str:
    """case.toml text with the form's answers written in, comments and order kept."""
    doc = tomlkit.parse(raw)
    for key, spec in FIELDS.items():
        if key not in form:
            continue
        section, name = key.split(".")
        text = (form[key][-1] if form[key] else "").strip()
        table = doc.get(section)
        if table is None:
            if not text:
                continue
            table = tomlkit.table()
            doc[section] = table
        if text or name in table:
            table[name] = _value(spec, text) if text else ""
    if any(f.key in form for f in CONTACT_FIELDS):
        columns = [list(form.get(f.key, ())) for f in CONTACT_FIELDS]
        rows = max(len(c) for c in columns)
        aot = AoT([])
        for i in range(rows):
            cells = [(c[i] if i < len(c) else "").strip() for c in columns]
            if not any(cells):
                continue
            entry = tomlkit.table()
            for spec, cell in zip(CONTACT_FIELDS, cells, strict=True):
                if cell:
                    entry[spec.key.split(".")[1]] = _value(spec, cell)
            aot.append(entry)
        if "contact" in doc:
            del doc["contact"]
        if len(aot):
            doc["contact"] = aot
    return tomlkit.dumps(doc)


def set_file(raw: str, rel: str, kind: str | None, exclude: bool) -> str:
    """case.toml text whose [[file]] entry for ``rel`` says ``kind`` and ``exclude``."""
    doc = tomlkit.parse(raw)
    files = doc.get("file")
    if not isinstance(files, AoT):
        files = AoT([])
        doc["file"] = files
    entry: Table | None = next((t for t in files if t.get("path") == rel), None)
    if entry is None:
        entry = tomlkit.table()
        entry["path"] = rel
        files.append(entry)
        entry = files[-1]
    if kind:
        entry["kind"] = kind
    elif "kind" in entry:
        del entry["kind"]
    entry["exclude"] = exclude
    return tomlkit.dumps(doc)


def _shown(loc: tuple[int | str, ...]) -> str:
    """('contact', 0, 'date') -> "contact[1].date", as check names the field."""
    out: list[str] = []
    for item in loc:
        if isinstance(item, int) and out:
            out[-1] += f"[{item + 1}]"
        elif isinstance(item, str) and not item.startswith("function-"):
            out.append(item)
    return ".".join(out)


def judge(text: str, lang: str, today: date) -> Verdict:
    """Judge case.toml text by check's rules; messages keyed by field ("" for the whole file)."""
    errors: dict[str, list[str]] = {}
    warnings: dict[str, list[str]] = {}
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return Verdict({"": (str(exc),)}, {}, None)
    problems = field_problems(data, lang)
    for loc, sentence in problems:
        errors.setdefault(_shown(loc), []).append(sentence)
    if problems:
        return Verdict(_freeze(errors), {}, None)
    case = Case.model_validate(data)
    ctx = Context(case, (), today, (UPLOAD,))
    for rule in VALUE_RULES:
        for finding in rule(ctx):
            where = errors if finding.severity is Severity.ERROR else warnings
            where.setdefault(str(finding.params.get("field", "")), []).append(
                message(finding, lang)
            )
    return Verdict(_freeze(errors), _freeze(warnings), case)


def _freeze(found: Mapping[str, list[str]]) -> dict[str, tuple[str, ...]]:
    return {k: tuple(dict.fromkeys(v)) for k, v in found.items()}


def write_case_file(case: Path, text: str) -> None:
    """Replace case.toml atomically (owner-only: it holds an ID number)."""
    temp = case / f".packager-case-{secrets.token_hex(6)}.part"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    temp.replace(case / CASE_FILE)
