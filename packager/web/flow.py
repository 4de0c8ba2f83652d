"""A phone's flow through a case (one step a screen) and the language its page speaks."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path

from packager.hant import is_traditional, variant
from packager.messages import lang_key
from packager.read.casefile import CASE_FILE
from packager.web import forms

# A phone's flow, one screen each: photos first, the interview's steps, then the build.
FLOW = (
    "step_files",
    *(key for key, _ in forms.STEPS),
    "step_expenses",
    "step_contacts",
    "step_after",
    "step_build",
)


def step_of_error(errors: Mapping[str, object]) -> str | None:
    """The interview step holding the first refused answer (the phone shows that one)."""
    for key in errors:
        section = key.split("[")[0].split(".")[0]
        if section == "expense":
            return "step_expenses"
        if section == "contact":
            return "step_contacts"
        if section in ("submission", "agreement"):
            return "step_after"
        for step, fields in forms.STEPS:
            if any(f.key == key for f in fields):
                return step
    return None


def case_lang(config_lang: str, folder: Path) -> str:
    """The page's language: a case asking for Traditional Chinese gets it (``[output] language``)."""
    if lang_key(config_lang) != "zh" or is_traditional(config_lang):
        return config_lang
    try:
        raw = tomllib.loads((folder / CASE_FILE).read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return config_lang
    output = raw.get("output")
    language = output.get("language") if isinstance(output, dict) else None
    return language if isinstance(language, str) and is_traditional(language) else config_lang


def html_variant(script: str) -> str:
    """The script's Traditional variant, or zh-Hans: the key of ``HTML_LANG``."""
    return variant(script) or "zh-Hans"
