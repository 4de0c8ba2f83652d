"""The words real papers print, per kind, loaded from ``packager/data/vocabulary.toml``.

The table is data so it can be reviewed like code (each entry says why it is
there) and grown without touching the rules that weigh it (``read.content``).
Words are normalised here once, as page text is (NFKC, Simplified, the
table's own spelling fixes), so an entry written in Traditional still meets
its page.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from packager.hant import to_hans
from packager.models import Kind

# The table's name for papers of none of our kinds (``Entry.kind`` None).
NONE = "none"


@dataclass(frozen=True, slots=True)
class Entry:
    """Words that say one thing about a page: its kind (None: none of ours), weight, role."""

    kind: Kind | None
    words: tuple[str, ...]
    weight: int
    title: bool  # names a document: in the title zone it decides
    why: str
    # Regular expressions on the same normalised text, for what words cannot say (G101 between
    # two stations); each found counts as its own word, shown as the entry's first word.
    patterns: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Header:
    """A table header: ``need`` of the cell groups on one row."""

    kind: Kind
    cells: tuple[tuple[str, ...], ...]
    need: int
    weight: int
    why: str


@dataclass(frozen=True, slots=True)
class Stamp:
    """A seal's text: one of ``words`` (and one of ``along``, when given) on a stamp line."""

    kind: Kind
    words: tuple[str, ...]
    along: tuple[str, ...]
    weight: int
    why: str


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The whole table."""

    entries: tuple[Entry, ...]
    headers: tuple[Header, ...]
    stamps: tuple[Stamp, ...]
    spelling: tuple[tuple[str, str], ...]

    def spell(self, text: str) -> str:
        """Apply the table's spelling fixes (帐 → 账, 纪录 → 记录)."""
        for old, new in self.spelling:
            text = text.replace(old, new)
        return text


def _word(raw: object, spelling: tuple[tuple[str, str], ...], where: str) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise ValueError(f"vocabulary: {where}: a word must be a non-empty string")
    word = unicodedata.normalize("NFKC", raw).strip()
    if word.isascii():
        return word.lower()
    word = to_hans("".join(word.split()))
    for old, new in spelling:
        word = word.replace(old, new)
    return word


def _words(raw: object, spelling: tuple[tuple[str, str], ...], where: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw:
        raise ValueError(f"vocabulary: {where}: words must be a non-empty list")
    return tuple(_word(w, spelling, where) for w in raw)


def _weight(table: Mapping[str, object], where: str) -> int:
    weight = table.get("weight")
    if not isinstance(weight, int) or isinstance(weight, bool) or not 1 <= weight <= 20:
        raise ValueError(f"vocabulary: {where}: weight must be a whole number from 1 to 20")
    return weight


def _why(table: Mapping[str, object], where: str) -> str:
    why = table.get("why")
    if not isinstance(why, str) or not why.strip():
        raise ValueError(f"vocabulary: {where}: every entry says why it is there")
    return why


def parse(data: Mapping[str, object]) -> Vocabulary:
    """Check and normalise a loaded table; a mistake names the entry and raises ValueError."""
    raw_spelling = data.get("spelling", {})
    if not isinstance(raw_spelling, dict):
        raise ValueError("vocabulary: [spelling] must be a table")
    spelling = tuple((str(k), str(v)) for k, v in raw_spelling.items())
    entries: list[Entry] = []
    for name in [*(k.value for k in Kind), NONE]:
        for n, table in enumerate(_tables(data, name), start=1):
            where = f"[[{name}]] #{n}"
            entries.append(
                Entry(
                    None if name == NONE else Kind(name),
                    _words(table.get("words"), spelling, where),
                    _weight(table, where),
                    bool(table.get("title", False)),
                    _why(table, where),
                    _patterns(table.get("patterns", []), where),
                )
            )
    headers: list[Header] = []
    for n, table in enumerate(_tables(data, "header"), start=1):
        where = f"[[header]] #{n}"
        cells = table.get("cells")
        if not isinstance(cells, list) or len(cells) < 2:
            raise ValueError(f"vocabulary: {where}: cells must list two or more groups")
        need = table.get("need")
        if not isinstance(need, int) or not 2 <= need <= len(cells):
            raise ValueError(f"vocabulary: {where}: need must be from 2 to the number of cells")
        headers.append(
            Header(
                Kind(str(table.get("kind"))),
                tuple(_words(group, spelling, where) for group in cells),
                need,
                _weight(table, where),
                _why(table, where),
            )
        )
    stamps: list[Stamp] = []
    for n, table in enumerate(_tables(data, "stamp"), start=1):
        where = f"[[stamp]] #{n}"
        along = table.get("with")
        stamps.append(
            Stamp(
                Kind(str(table.get("kind"))),
                _words(table.get("words"), spelling, where),
                _words(along, spelling, where) if along is not None else (),
                _weight(table, where),
                _why(table, where),
            )
        )
    return Vocabulary(tuple(entries), tuple(headers), tuple(stamps), spelling)


def _patterns(raw: object, where: str) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
        raise ValueError(f"vocabulary: {where}: patterns must be a list of strings")
    for pattern in raw:
        try:
            re.compile(pattern)
        except re.error as e:
            raise ValueError(f"vocabulary: {where}: pattern {pattern!r}: {e}") from e
    return tuple(raw)


def _tables(data: Mapping[str, object], name: str) -> list[Mapping[str, object]]:
    tables = data.get(name, [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise ValueError(f"vocabulary: [[{name}]] must be an array of tables")
    return tables


@cache
def vocabulary() -> Vocabulary:
    """The packaged table, read once per process."""
    raw = resources.files("packager").joinpath("data/vocabulary.toml").read_bytes()
    return parse(tomllib.loads(raw.decode("utf-8")))
