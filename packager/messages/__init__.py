"""Every user-facing string goes through here: one catalog, looked up by stable code.

Simplified Chinese is the default; English with ``--lang en``; Traditional
Chinese through OpenCC. The catalog's parts: ``findings`` (what checks
found), ``pages`` (what reading the pages found), ``watch`` (the watcher's lines), ``errors`` (why a run stopped),
``text`` (kinds, fields, the summary and report), ``words`` (printed in the
packet itself, for the lender).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date

from packager.hant import name_to_hant, to_hant
from packager.invocation import command
from packager.messages.casefile import TOML_MISTAKES
from packager.messages.errors import ERRORS
from packager.messages.findings import FINDINGS
from packager.messages.lang import Lang, is_hant, lang_key
from packager.messages.pages import CONTENT_REASONS, PAGES
from packager.messages.text import (
    DAY,
    FIELD_PURPOSE,
    FIELD_TITLES,
    INSTEAD,
    KIND_FOLDERS,
    KIND_TITLES,
    SEVERITY_NAMES,
    SOURCE_NAMES,
    TEXT,
    WEEKDAYS,
    WHY_REQUIRED,
)
from packager.messages.watch import WATCH
from packager.models import DateSource, Finding, Kind, Measure

__all__ = [
    "CATALOG",
    "Lang",
    "both",
    "content_reason",
    "day_text",
    "field_title",
    "finance_lines",
    "is_hant",
    "kind_title",
    "lang_key",
    "measure_text",
    "message",
    "render",
    "severity_name",
    "source_name",
    "text",
]

CATALOG: Mapping[str, Mapping[Lang, str]] = {
    **FINDINGS,
    **PAGES,
    **TOML_MISTAKES,
    **WATCH,
    **ERRORS,
}


# Parameters that are paths or names in the user's folder: never converted to Traditional.
PATH_PARAMS = frozenset({"file", "other", "folder", "case", "upload", "print", "command"})


def _format(template: str, lang: str, params: Mapping[str, object]) -> str:
    if "{command}" in template and "command" not in params:
        params = {**params, "command": command()}
    if is_hant(lang):
        template = to_hant(template, lang)
        params = {  # names and figures: characters only, never rephrased
            k: name_to_hant(v) if isinstance(v, str) and k not in PATH_PARAMS else v
            for k, v in params.items()
        }
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template


def render(code: str, lang: str, params: Mapping[str, object]) -> str:
    """Word one message; unknown codes fall back to the code itself."""
    entry = CATALOG.get(code)
    if entry is None:
        return code
    return _format(entry[lang_key(lang)], lang, params)


def text(key: str, lang: str, **params: object) -> str:
    """A word or sentence of the summary or the report (``TEXT``)."""
    return _format(TEXT[key][lang_key(lang)], lang, params)


def joined(items: Sequence[str], lang: str) -> str:
    """疾病、失业和收入下降 / illness, job loss and lower income: a list as a sentence says it."""
    if len(items) < 2:
        return "".join(items)
    comma, last = ("、", "和") if lang_key(lang) == "zh" else (", ", " and ")
    return comma.join(items[:-1]) + last + items[-1]


def reasons_text(reasons: Sequence[str], lang: str) -> str:
    """Every reason of ``request.reason`` in words, in the order given ("" for none)."""
    return joined([text(f"reason_{r}", lang) for r in reasons], lang)


def date_sources(sources: Sequence[DateSource], lang: str) -> str:
    """日期依据：chinese_calendar 1.11.0（国务院放假安排）、周一至周五估算 — or "" for none."""
    if not sources:
        return ""
    # The detail is a path or a package name: passed as ``file``, never converted.
    named = [text(f"source_{s.kind}", lang, file=s.detail) for s in sources]
    return text("review_sources", lang, file=joined(named, lang))


def field_title(field: str, lang: str) -> str:
    """Plain name of a dotted case.toml field ("contact[2].date" -> 沟通日期)."""
    key = re.sub(r"\[\d+\]", "", field)
    entry = FIELD_TITLES.get(key)
    return entry[lang_key(lang)] if entry else field


def source_name(source: str, lang: str) -> str:
    """Where a threshold comes from, in words ("folklore" -> 经验规则，非官方)."""
    entry = SOURCE_NAMES.get(source)
    return entry[lang_key(lang)] if entry else source


def severity_name(severity: str, lang: str) -> str:
    """错误 / 警告 / 提示."""
    return _format(SEVERITY_NAMES[severity][lang_key(lang)], lang, {})


def message(finding: Finding, lang: str) -> str:
    """Word a finding for the user."""
    params: dict[str, object] = {"file": finding.file or "", **finding.params}
    code = finding.code
    lk = lang_key(lang)
    if code.startswith("MISSING_") and "kind" in params:
        kind = Kind(str(params["kind"]))
        why = WHY_REQUIRED.get(str(params.get("why")), {})
        instead = INSTEAD.get(kind.value, {})
        params.update(
            kind_title=kind_title(kind, lk), why=why.get(lk, ""), instead=instead.get(lk, "")
        )
        code = "MISSING_KIND"
    for key in ("copy_kind", "kept_kind"):  # DUPLICATE_KINDS
        if key in params:
            params[f"{key}_title"] = kind_title(Kind(str(params[key])), lk)
    for key in ("kind", "content_kind", "first", "second"):
        value = params.get(key)
        if isinstance(value, str) and value in Kind._value2member_map_:
            params.setdefault(f"{key}_title", kind_title(Kind(value), lk))
            params.setdefault(f"{key}_folder", KIND_FOLDERS[Kind(value)])
    if code == "SORTED_BY_CONTENT":
        params.setdefault("reason", content_reason(finding.params, lang))
    if "field" in params:
        params.setdefault("label", field_title(str(params["field"]), lang))
        purpose = FIELD_PURPOSE.get(str(params["field"]))
        params.setdefault("purpose", purpose[lk] if purpose else "")
    if "source" in params:
        params["source"] = source_name(str(params["source"]), lang)
    if finding.page is not None:
        params.setdefault("page", finding.page)
    return render(code, lang, params)


def content_reason(params: Mapping[str, object], lang: str) -> str:
    """What decided a file's kind by its content: its title, a table header, a stamp, its words.

    ``params`` are a ``SORTED_BY_CONTENT`` finding's; one written before the
    reason was recorded (no ``where``) is worded by its words.
    """
    where = str(params.get("where") or "words")
    entry = CONTENT_REASONS.get(where, CONTENT_REASONS["words"])
    if where != "layout" and not params.get("phrase" if where != "words" else "matched"):
        entry = CONTENT_REASONS["words"]
    shown = {"phrase": params.get("phrase", ""), "matched": params.get("matched", "")}
    return _format(entry[lang_key(lang)], lang, shown)


def measure_text(measure: Measure, lang: str) -> str:
    """One eligibility figure in words, with its source."""
    params = {**measure.params, "source": source_name(measure.source, lang)}
    return render(measure.code, lang, params)


def kind_title(kind: Kind, lang: str) -> str:
    """Display name of a document kind."""
    return KIND_TITLES[kind][lang_key(lang)]


def both(code: str, **params: object) -> str:
    """An error's message in both languages, Chinese first (``errors.ERRORS``).

    Errors are raised where the user's language is not known; the CLI shows
    them as they are.
    """
    entry = ERRORS[code]
    return f"{_format(entry['zh'], 'zh', params)}\n{_format(entry['en'], 'en', params)}"


def day_text(day: date, lang: str) -> str:
    """2026年12月29日（周二） / Tue 29 Dec 2026."""
    lk = lang_key(lang)
    weekday = WEEKDAYS[lk][day.weekday()]
    month = f"{day:%b}" if lk == "en" else day.month
    return DAY[lk].format(year=day.year, month=month, day=day.day, weekday=weekday)


def finance_lines(block: Mapping[str, object] | None, lang: str) -> tuple[str, list[str]]:
    """The manifest's ``finances`` in words: the monthly picture on one line, then one line per expense."""
    if not block:
        return "", []

    def yuan(value: object) -> str:
        return f"{float(value):,.2f}" if isinstance(value, int | float) else ""

    parts: list[str] = []
    if block.get("monthly_income") is not None:
        said = text("fin_income", lang, income=yuan(block["monthly_income"]))
        if block.get("previous_monthly_income"):
            said += text("fin_before", lang, previous=yuan(block["previous_monthly_income"]))
        parts.append(said)
    parts.append(text("fin_monthly", lang, monthly=yuan(block.get("monthly_spending"))))
    balance = block.get("monthly_balance")
    if isinstance(balance, int | float):
        key = ("fin_left", "left") if balance >= 0 else ("fin_gap", "gap")
        parts.append(text(key[0], lang, **{key[1]: yuan(abs(balance))}))
    if block.get("one_off_spending"):
        parts.append(text("fin_once", lang, once=yuan(block["one_off_spending"])))
    if block.get("dependants"):
        parts.append(text("fin_dependants", lang, n=block["dependants"]))
    if block.get("plan_per_month") is not None:
        parts.append(text("fin_plan", lang, per=yuan(block["plan_per_month"])))
    after = block.get("left_after_plan")
    if isinstance(after, int | float):
        state = text("fin_after_left" if after >= 0 else "fin_after_short", lang)
        parts.append(text("fin_after", lang, state=state, after=yuan(abs(after))))
    rows: list[str] = []
    expenses = block.get("expenses")
    for e in expenses if isinstance(expenses, list) else []:
        when = e.get("date") or e.get("month") or ""
        row = text(
            "fin_row",
            lang,
            item=e["item"],
            amount=yuan(e["amount"]),
            period=text(f"period_{e['period']}", lang),
            when=f" {when}" if when else "",
        )
        if e.get("proof"):
            row += text("fin_proof", lang, proof=e["proof"])
            if e.get("proof_page"):
                row += text("fin_proof_page", lang, page=e["proof_page"])
        rows.append(row)
    separator = "；" if lang_key(lang) == "zh" else "; "
    return separator.join(parts), rows
