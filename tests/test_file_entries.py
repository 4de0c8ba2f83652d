"""[[file]] entries in case.toml: a person's (or the web page's) decision beats folder and name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from packager.errors import ConfigError
from packager.messages import message
from packager.models import Kind
from packager.read.casefile import parse_case
from packager.read.prepare import survey
from tests.conftest import GOOD_TOML, save_phone_jpeg

DECIDED = (
    GOOD_TOML
    + """
[[file]]
path = "收入证明/IMG_1.jpg"
kind = "支出明细"

[[file]]
path = "IMG_9.jpg"
kind = "medical"

[[file]]
path = "收入证明/IMG_2.jpg"
exclude = true
"""
)


def test_file_entry_beats_folder_and_excludes(case_factory: Callable[..., Path]) -> None:
    """This test ensures a [[file]] kind beats the folder, names a file no rule matched, and
    exclude leaves a file out with an info finding naming it; the files are not touched."""
    files = {
        "收入证明/IMG_1.jpg": lambda p: save_phone_jpeg(p, 1),
        "收入证明/IMG_2.jpg": lambda p: save_phone_jpeg(p, 1, (500, 700)),
        "IMG_9.jpg": lambda p: save_phone_jpeg(p, 1, (640, 800)),
    }
    case = case_factory(toml=DECIDED, files=files)
    before = {p: p.read_bytes() for p in case.rglob("*.jpg")}
    found = survey(case, "zh")
    kinds = {d.source.rel: (d.kind, d.rule) for d in found.documents}
    assert kinds == {
        "收入证明/IMG_1.jpg": (Kind.EXPENSES, "file:case.toml"),
        "IMG_9.jpg": (Kind.MEDICAL, "file:case.toml"),
    }
    (excluded,) = [f for f in found.findings if f.code == "EXCLUDED"]
    assert excluded.file == "收入证明/IMG_2.jpg"
    assert "未放入材料包" in message(excluded, "zh")
    assert {p: p.read_bytes() for p in case.rglob("*.jpg")} == before


def test_file_entry_bad_kind_is_named() -> None:
    """This test ensures a [[file]] kind that is no kind is a case-file error naming the field."""
    with pytest.raises(ConfigError, match=r"file\[1\]\.kind"):
        parse_case(b'[[file]]\npath = "a.jpg"\nkind = "rent"\n')
