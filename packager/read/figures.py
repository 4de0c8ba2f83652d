"""The figures, dates and the sheet geometry facts are read with: small pure helpers.

Shared by ``facts`` (labels and their values) and ``ledger`` (statement
rows): how a printed amount, a 大写 amount or a date becomes a value, and
which lines of a page share a row or sit below one another.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from packager.hant import to_hans
from packager.models import Line, PageText

SEP = r"[:：\s]*(?:\((?:元|人民币|RMB|小写)\))?[:：\s]*(?:人民币|RMB|¥|￥|Y)?[:：\s]*"
NUMBER = r"[-+]?\d{1,3}(?:[,.]\d{3})+(?:\.\d{1,2})?|[-+]?\d+(?:\.\d{1,2})?"
AMOUNT_AFTER = re.compile(SEP + r"(" + NUMBER + r")(?![\d年月/\-])")
MONEY = re.compile(r"(?<![\d.,\-/年月])(" + NUMBER + r")(?![\d年月日/\-:])")
PURE_AMOUNT = re.compile(r"^(?:人民币|RMB|¥|￥)?(" + NUMBER + r")元?$")
DATE = re.compile(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?")
SHORT_DATE = re.compile(r"(?:(\d{4})\s*[年\-/.]\s*)?(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?")
MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?!\s*\d)")
WORDS = re.compile(r"[零〇壹贰叁肆伍陆柒捌玖拾佰仟万亿元圆角分整正]{2,}")


@dataclass(frozen=True, slots=True)
class Fact:
    """One figure, date or name a page prints, with the line it came from.

    ``page`` is the page within the file (1-based); ``slot`` the index of its
    first packet page within the document (a tall screenshot's slices shift
    it); ``value`` a float for amounts, a ``date`` for dates, else text.
    """

    file: str
    page: int
    field: str
    value: float | date | str
    text: str
    confidence: float
    slot: int = 0


def amount_of(token: str) -> float | None:
    """A printed amount as a number: "4,800.00" and an OCR'd "4.800.00" are 4800."""
    token = token.strip().lstrip("+")
    negative = token.startswith("-")
    token = token.lstrip("-")
    if token.count(".") > 1 or re.fullmatch(r"\d{1,3}(?:\.\d{3})+", token):
        head, _, tail = token.rpartition(".")
        token = head.replace(".", "") + ("." + tail if len(tail) <= 2 else tail)
    token = token.replace(",", "")
    try:
        value = float(token)
    except ValueError:
        return None
    return -value if negative else value


def words_amount(text: str) -> float | None:
    """A 大写 amount (陆佰肆拾元整, 壹万贰仟叁佰肆拾伍元陆角柒分) as a number, via cn2an."""
    import cn2an  # a dependency already (the letter's 大写); imported only when a page has one

    found = WORDS.search(text.replace("圆", "元").replace("正", "整"))
    if found is None:
        return None
    words = found.group(0)
    if words.endswith("元"):
        words += "整"
    try:
        value = cn2an.cn2an(words, "strict")
    except (ValueError, KeyError):
        return None
    return float(value)


def iso(m: re.Match[str], year: int | None = None) -> date | None:
    """The date a (year, month, day) match names; a missing year is ``year``."""
    y, mo, d = m.group(1), m.group(2), m.group(3)
    try:
        return date(int(y) if y else (year or 0), int(mo), int(d))
    except ValueError:
        return None


def date_in(text: str) -> date | None:
    """The first full date a text prints (2026年10月8日, 2026-10-08, 2026/10/08, 2026.10.08)."""
    m = DATE.search(text)
    return iso(m) if m else None


def squash(text: str) -> str:
    """NFKC, no white space, Simplified: labels match however the page spaced them."""
    return to_hans(re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)))


# --- the page's geometry ---------------------------------------------------------


def has_boxes(text: PageText) -> bool:
    """True for recognised lines (a PDF's own text layer gives none)."""
    return any(line.box[2] > line.box[0] for line in text.lines)


def centre_y(line: Line) -> float:
    """Middle of a line's box, top to bottom."""
    return (line.box[1] + line.box[3]) / 2


def same_row(a: Line, b: Line) -> bool:
    """Two lines on one row: their middles within half a line."""
    height = max(a.height, b.height, 1.0)
    return abs(centre_y(a) - centre_y(b)) < 0.5 * height


def _right_of(label: Line, lines: Sequence[Line]) -> Line | None:
    """The nearest line to the right of ``label`` on its row."""
    right = [
        line
        for line in lines
        if line is not label and same_row(label, line) and line.box[0] >= label.box[2] - 4
    ]
    return min(right, key=lambda line: line.box[0], default=None)


def _below(label: Line, lines: Sequence[Line]) -> Line | None:
    """The nearest line just below ``label`` that overlaps it across."""
    height = max(label.height, 1.0)
    under = [
        line
        for line in lines
        if line is not label
        and line.box[1] >= label.box[3] - 0.3 * height
        and line.box[1] - label.box[3] < 1.5 * height
        and min(line.box[2], label.box[2]) - max(line.box[0], label.box[0]) > 0
    ]
    return min(under, key=lambda line: line.box[1], default=None)


def words(line: Line) -> list[tuple[str, float]]:
    """A line's words with their x centres, estimated from the characters' share of the box."""
    text = unicodedata.normalize("NFKC", line.text)
    width = (line.box[2] - line.box[0]) / max(len(text), 1)
    return [
        (m.group(0), line.box[0] + width * (m.start() + m.end()) / 2)
        for m in re.finditer(r"\S+", text)
    ]


def _word_index(line: Line, label: str) -> int | None:
    for i, (word, _) in enumerate(words(line)):
        if label in squash(word):
            return i
    return None


def _column_below(label_line: Line, below: Line, label: str, boxed: bool) -> Line:
    """Of a row of values under a row of labels, the one under ``label``: by position or order."""
    under = words(below)
    if len(under) < 2:
        return below
    if boxed:
        mine = words(label_line)
        at = _word_index(label_line, label)
        centre = mine[at][1] if at is not None else (label_line.box[0] + label_line.box[2]) / 2
        word = min(under, key=lambda w: abs(w[1] - centre))[0]
        return Line(word, below.box, below.score)
    at = _word_index(label_line, label)
    if at is None or len(words(label_line)) != len(under):
        return below
    return Line(under[at][0], below.box, below.score)


def neighbours(text: PageText, index: int, label: str = "") -> Iterator[Line]:
    """Where a label's value may be when it is not on the label's own line: right, then below.

    Below a row of several labels (入院日期 出院日期) the value is the word in
    the label's column.
    """
    lines = text.lines
    line = lines[index]
    if has_boxes(text):
        right = _right_of(line, lines)
        if right is not None:
            yield right
        below = _below(line, lines)
        if below is not None:
            yield _column_below(line, below, label, True)
    elif index + 1 < len(lines):
        yield _column_below(line, lines[index + 1], label, False)
