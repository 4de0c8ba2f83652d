"""The CLI's shared options and the values they stand for (``cli`` uses them)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from packager.messages import lang_key
from packager.read.checks import PROFILES
from packager.settings import clean_by_default, ocr_by_default


def lang_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--lang zh|en``: the language of messages and help."""
    return click.option(
        "--lang",
        type=click.Choice(["zh", "en"]),
        default=None,
        help="Message language: zh (Simplified Chinese, default) or en.",
    )(func)


def off_switch(flag: str, help_text: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A ``--no-…`` flag for a stage that is on by default (its env switch says the same)."""
    return click.option(
        flag, flag.removeprefix("--").replace("-", "_"), is_flag=True, help=help_text
    )


ocr_option = off_switch(
    "--no-ocr",
    "Do not read the pages (no sorting by content, no turning upright by the text). "
    "PACKAGER_OCR=0 does the same.",
)
clean_option = off_switch(
    "--no-clean",
    "Place photos as taken (no cropping to the sheet, no flattening, no evening "
    "of the light). PACKAGER_CLEAN=0 does the same.",
)


reread_option = click.option(
    "--reread",
    is_flag=True,
    help="Read every page again (clean-up, OCR) instead of using what OUT/.cache "
    "holds, and keep the fresh reads there.",
)
out_option = click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Output root; the packet goes to OUT/<case>/, pages read are kept in "
    "OUT/.cache (default: out/ beside inbox/).",
)


def ocr(no_ocr: bool) -> bool:
    """Read the pages unless ``--no-ocr`` or ``PACKAGER_OCR=0``."""
    return not no_ocr and ocr_by_default()


def clean(no_clean: bool) -> bool:
    """Clean photos unless ``--no-clean`` or ``PACKAGER_CLEAN=0``."""
    return not no_clean and clean_by_default()


def lang(value: str | None) -> str:
    """``--lang``, else ``PACKAGER_LANG``, else Chinese."""
    return value or lang_key(os.environ.get("PACKAGER_LANG", "zh"))


def profiles(value: str) -> tuple[str, ...]:
    """``--profile upload,mail`` as names; a usage error for an unknown one."""
    names = tuple(dict.fromkeys(p.strip().lower() for p in value.split(",") if p.strip()))
    unknown = [n for n in names if n not in PROFILES]
    if unknown or not names:
        raise click.BadParameter(
            f"{', '.join(unknown) or value!r}: use {', '.join(PROFILES)}", param_hint="--profile"
        )
    return names
