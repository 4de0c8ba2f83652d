"""Explaining a case.toml mistake in words a person can act on.

The parsers' own messages are English and name no fix; here each problem
names the field (and its plain title), what is wrong, and an example line to
write instead. An unknown key gets the nearest known one.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from packager import messages
from packager.messages.casefile import EXAMPLES, PROBLEMS
from packager.privacy import mask_text
from packager.read.choices import CHOICE_NAMES, Channel, Period, Plan, Reason, Sent


def syntax_message(exc: tomllib.TOMLDecodeError, shown: str, lang: str, source: str = "") -> str:
    """A TOML syntax error in the user's language: which line, what is wrong, what to type.

    The parser's English names no fix. The mistakes people make typing
    case.toml in a Chinese input method are recognised on the line itself:
    a full-width ＝, Chinese quotes, a number with 元 after it, Enter inside
    quotes. Each gets its own sentence, the line with a caret under the spot,
    and what to write instead; anything else gets the parser's position.
    """
    text = str(exc)
    line = getattr(exc, "lineno", None)
    column = getattr(exc, "colno", None)
    m = re.search(r"\(at line (\d+), column (\d+)\)", text)
    if m and line is None:
        line, column = int(m.group(1)), int(m.group(2))
    detail = re.sub(r"\s*\(at line \d+, column \d+\)", "", text)
    if line is None:
        line, column = "?", "?"
    lines = source.splitlines()
    if isinstance(line, int) and 0 < line <= len(lines):
        shown_line = lines[line - 1]
        found = _mistake(shown_line, detail)
        if found is not None:
            code, at, fix = found
            caret = " " * _width(shown_line[:at]) + "^"
            return messages.render(
                code,
                lang,
                {"file": shown, "line": line, "text": shown_line, "caret": caret, "fix": fix},
            )
    return messages.render(
        "TOML_SYNTAX", lang, {"file": shown, "line": line, "column": column, "error": detail}
    )


def _width(text: str) -> int:
    """Columns a terminal gives ``text``: Chinese characters take two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


_AMOUNT_UNIT = re.compile(r"=\s*(-?[\d,，.]+)\s*(元|块|万元|万)")


def _mistake(text: str, detail: str) -> tuple[str, int, str] | None:
    """(finding code, index of the mistake in the line, the line as it should be) or None."""
    if "＝" in text:
        return "TOML_FULLWIDTH_EQUALS", text.index("＝"), text.replace("＝", "=")
    quotes = [i for i, c in enumerate(text) if c in "“”‘’「」"]
    if quotes:
        fixed = re.sub("[“”「」]", '"', text)
        fixed = re.sub("[‘’]", "'", fixed)
        return "TOML_CHINESE_QUOTES", quotes[0], fixed
    amount = _AMOUNT_UNIT.search(text)
    if amount:
        number = amount.group(1).replace(",", "").replace("，", "")
        fixed = text[: amount.start(1)] + number + text[amount.end(2) :]
        return "TOML_AMOUNT_UNIT", amount.start(2), fixed
    if "Illegal character '\\n'" in detail or ("\\n" in detail and text.count('"') % 2 == 1):
        key = text.split("=", 1)[0].strip() or "statement"
        opened = text.find('"')
        return "TOML_NEWLINE_IN_QUOTES", max(0, opened), f'{key} = """{text[opened + 1 :]}…"""'
    return None


def _dotted(loc: tuple[int | str, ...]) -> tuple[str, str]:
    """('contact', 0, 'date') -> ("contact[1].date", "contact.date"): shown, catalog key."""
    shown: list[str] = []
    key: list[str] = []
    for item in loc:
        if isinstance(item, int):
            shown[-1] += f"[{item + 1}]"
        elif not str(item).startswith("function-") and "[" not in str(item):
            shown.append(str(item))
            key.append(str(item))
    return ".".join(shown) or "?", ".".join(key)


def validation_message(err: Any, lang: str, models: Mapping[str, type[BaseModel]]) -> str:
    """One pydantic error as a sentence: the field, what is wrong, what to write instead."""
    loc = tuple(err["loc"])
    field, key = _dotted(loc)
    lk = messages.lang_key(lang)
    kind = err["type"]
    value = repr(err.get("input"))
    if isinstance(err.get("input"), str):
        value = f'"{err["input"]}"'
    value = mask_text(value)  # an ID or phone typed without quotes is still masked
    if kind == "extra_forbidden":
        name = str(key.split(".")[-1])
        section = key.split(".")[0] if "." in key else ""
        model = models.get(section, models[""])
        known = list(model.model_fields)
        nearest = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
        if nearest:
            near = f"{section}.{nearest[0]}" if section else nearest[0]
            hint = messages.render("UNKNOWN_KEY_SUGGEST", lang, {"nearest": near})
        else:
            hint = messages.render("UNKNOWN_KEY_NONE", lang, {"known": ", ".join(known)})
        return messages.render("UNKNOWN_KEY", lang, {"field": field, "suggestion": hint})
    example = EXAMPLES.get(key, "")
    if kind == "missing":
        section = key.rsplit(".", 1)[0] if "." in key else "case.toml"
        return messages.render(
            "MISSING_KEY", lang, {"section": section, "field": field, "example": example}
        )
    if kind in {"enum", "literal_error"}:
        choices = _choices_for(key, lk)
        return messages.render(
            "BAD_CHOICE",
            lang,
            {"field": field, "value": value, "choices": choices, "example": example},
        )
    problem = PROBLEMS[lk]["other"]
    for prefix in ("float", "int", "date", "string", "bool", "list", "dict"):
        if kind.startswith(prefix) or kind.startswith(f"{prefix}_") or prefix in kind:
            problem = PROBLEMS[lk][prefix]
            break
    if kind == "tuple_type":
        problem = PROBLEMS[lk]["list"]
    if kind == "model_type":
        problem = PROBLEMS[lk]["dict"]
    return messages.render(
        "BAD_VALUE", lang, {"field": field, "value": value, "problem": problem, "example": example}
    )


def _choices_for(key: str, lang: str) -> str:
    """The words to choose from: Chinese for Chinese users, the English value beside it in en."""
    name = key.split(".")[-1]
    if key == "submission.channel":
        name = "sent"
    enum: type[StrEnum] | None = {
        "sent": Sent,
        "plan": Plan,
        "reason": Reason,
        "channel": Channel,
        "period": Period,
    }.get(name)
    if enum is None:
        return "zh-Hans, zh-Hant, zh-Hant-TW, zh-Hant-HK"
    if lang == "zh":
        extra = "、“分12期”、“停息挂账”" if enum is Plan else ""
        return "、".join(f"“{CHOICE_NAMES[m.value]}”" for m in enum) + extra
    return ", ".join(f"{m.value} ({CHOICE_NAMES[m.value]})" for m in enum)
