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
import re
import secrets
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import tomlkit
from tomlkit.items import AoT, Table

from packager.messages import message
from packager.models import Document, Severity
from packager.read.casefile import CASE_FILE, Case, field_problems
from packager.read.checks import UPLOAD, VALUE_RULES, Context
from packager.read.choices import Channel, Period, Plan, Reason, Sent
from packager.read.finances import finance_findings


@dataclass(frozen=True, slots=True)
class Field:
    """One question of the interview: its case.toml key, input type and choices."""

    key: str
    input: str  # text, textarea, number, count, amount, date, month, choice, choices, tel, proof
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
            Field("request.reason", "choices", tuple(Reason)),
            Field("request.statement", "textarea"),
        ),
    ),
    (
        "step_money",
        (
            Field("finances.monthly_income", "amount"),
            Field("finances.previous_monthly_income", "amount"),
            Field("finances.dependants", "count"),
        ),
    ),
)
CONTACT_FIELDS = (
    Field("contact.date", "date"),
    Field("contact.channel", "choice", tuple(Channel)),
    Field("contact.reference", "text"),
    Field("contact.summary", "text"),
)
EXPENSE_FIELDS = (
    Field("expense.item", "text"),
    Field("expense.amount", "amount"),
    Field("expense.period", "choice", tuple(Period)),
    Field("expense.date", "date"),
    Field("expense.month", "month"),
    Field("expense.proof", "proof"),
)
# The last step, once the packet is sent: when and how, then what the lender agreed.
AFTER_STEP: tuple[str, tuple[Field, ...]] = (
    "step_after",
    (
        Field("submission.date", "date"),
        Field("submission.channel", "choice", tuple(Sent)),
        Field("submission.tracking", "text"),
        Field("submission.reference", "text"),
        Field("submission.note", "text"),
        Field("agreement.date", "date"),
        Field("agreement.plan", "choice", tuple(Plan)),
        Field("agreement.total", "amount"),
        Field("agreement.installments", "number"),
        Field("agreement.first_due", "date"),
        Field("agreement.day_of_month", "number"),
        Field("agreement.reference", "text"),
    ),
)
FIELDS: Mapping[str, Field] = {f.key: f for _, fields in (*STEPS, AFTER_STEP) for f in fields}
# The repeated entries ([[contact]], [[expense]]): one form row each, ``<section>.row``
# carrying the entry's place in case.toml so an edit lands in (and keeps) its own table.
ROWS: Mapping[str, tuple[Field, ...]] = {"contact": CONTACT_FIELDS, "expense": EXPENSE_FIELDS}
MANY = frozenset(f.key for f in FIELDS.values() if f.input == "choices")
"""Fields ticked rather than picked: every ticked box is posted, and all are saved."""
REMOVE = "remove"  # a row's remove button: value "expense:2" (its 1-based place on the form)


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
    if spec.input in ("number", "count"):
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
        ticked = list(dict.fromkeys(v.strip() for v in form[key] if v.strip()))
        if spec.input == "choices":
            text = ",".join(ticked)
        table = doc.get(section)
        if table is None:
            if not text:
                continue
            table = tomlkit.table()
            doc[section] = table
        if spec.input == "choices" and len(ticked) > 1:
            table[name] = ticked  # a list; one tick stays a plain string, as before
        elif text or name in table:
            table[name] = _value(spec, text) if text else ""
    for section, fields in ROWS.items():
        if any(f.key in form for f in fields):
            _write_rows(doc, section, fields, posted_rows(form, section))
    return tomlkit.dumps(doc)


def posted_rows(
    form: Mapping[str, Sequence[str]], section: str
) -> list[tuple[int | None, dict[str, str]]]:
    """The rows of ``section`` as they will be written: (place in case.toml or None, cells).

    Rows left empty and the row whose remove button was pressed are dropped.
    """
    fields = ROWS[section]
    columns = {f.key.split(".")[1]: list(form.get(f.key, ())) for f in fields}
    places = list(form.get(f"{section}.row", ()))
    removed = {
        int(v.split(":")[1])
        for v in form.get(REMOVE, ())
        if v.startswith(f"{section}:") and v.split(":")[1].isdigit()
    }
    rows: list[tuple[int | None, dict[str, str]]] = []
    for i in range(max((len(c) for c in (*columns.values(), places)), default=0)):
        cells = {n: (c[i] if i < len(c) else "").strip() for n, c in columns.items()}
        if i + 1 in removed or not any(cells.values()):
            continue
        place = places[i] if i < len(places) else ""
        rows.append((int(place) if place.isdigit() else None, cells))
    return rows


def _write_rows(
    doc: tomlkit.TOMLDocument,
    section: str,
    fields: tuple[Field, ...],
    rows: list[tuple[int | None, dict[str, str]]],
) -> None:
    """Rewrite the ``[[section]]`` entries: an edited row keeps its table (comments, other keys)."""
    old = doc.get(section)
    tables = list(old) if isinstance(old, AoT) else []
    kept: list[Table] = []
    for place, cells in rows:
        reuse = place is not None and 1 <= place <= len(tables)
        if reuse and not any(tables[place - 1] is k for k in kept):  # type: ignore[operator]
            entry = tables[place - 1]  # type: ignore[operator]
        else:
            entry = tomlkit.table()
        for spec in fields:
            name = spec.key.split(".")[1]
            if cells.get(name):
                entry[name] = _value(spec, cells[name])
            elif name in entry:
                del entry[name]
        kept.append(entry)
    if isinstance(old, AoT) and kept:
        # In place, so the entries stay where the person put them (the form lists them in
        # case.toml order, new rows last).
        for i in reversed(range(len(tables))):
            if not any(tables[i] is k for k in kept):
                del old[i]
        for entry in kept:
            if not any(entry is t for t in tables):
                if len(old) and not old[-1].as_string().endswith("\n\n"):
                    old[-1].add(tomlkit.nl())  # a blank line between entries, as people write
                old.append(entry)
        return
    if section in doc:
        del doc[section]
    if kept:
        doc[section] = AoT(kept)


def set_file(raw: str, rel: str, kind: str | None, exclude: bool, rotate: int = 0) -> str:
    """case.toml text whose [[file]] entry for ``rel`` says ``kind``, ``exclude`` and ``rotate``."""
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
    if rotate:
        entry["rotate"] = rotate
    elif "rotate" in entry:
        del entry["rotate"]
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


def judge(
    text: str,
    lang: str,
    today: date,
    documents: Sequence[Document] = (),
    skipped: Sequence[str] = (),
) -> Verdict:
    """Judge case.toml text by check's rules; messages keyed by field ("" for the whole file).

    ``documents`` and ``skipped`` (the case's files) let an expense's proof be judged.
    """
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
    money = finance_findings(case, documents, today, skipped)
    for finding in [f for rule in VALUE_RULES for f in rule(ctx)] + money:
        where = errors if finding.severity is Severity.ERROR else warnings
        where.setdefault(str(finding.params.get("field", "")), []).append(message(finding, lang))
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


_ISO = {"date": re.compile(r"^\d{4}-\d{2}-\d{2}$"), "month": re.compile(r"^\d{4}-\d{2}$")}


def input_type(spec: Field, value: str) -> str:
    """The HTML input type of a field: a date or month picker only for a value it can show.

    A hand-written "2026年11月20日" stays a text box, so saving never blanks it.
    """
    if spec.input in _ISO:
        return spec.input if not value or _ISO[spec.input].match(value) else "text"
    return {"tel": "tel", "number": "number", "count": "number"}.get(spec.input, "text")
