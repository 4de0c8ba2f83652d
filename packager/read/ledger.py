"""Salary credits in a bank statement: the 工资/代发 rows' amount column, never the balance.

A statement is a table: a header row names the columns (日期 摘要 金额 余额,
or 收入 支出 余额), then one row per transaction. A recognised page knows
where each word is, so a row's figures are matched to the header's columns
by position; a PDF's own text gives each row as one line of words, so there
they are matched by order, the balance being the last column.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from packager.models import Line, PageText
from packager.read.figures import MONEY, Fact, amount_of, centre_y, has_boxes, same_row, squash

SALARY_ROW = ("代发工资", "工资", "代发", "薪资", "薪金")
# Statement header words: what a money column holds.
AMOUNT_HEADS = (
    ("交易金额", "amount"),
    ("发生额", "amount"),
    ("金额", "amount"),
    ("收入金额", "credit"),
    ("存入金额", "credit"),
    ("贷方", "credit"),
    ("收入", "credit"),
    ("存入", "credit"),
    ("支出金额", "debit"),
    ("借方", "debit"),
    ("支出", "debit"),
    ("支取", "debit"),
    ("账户余额", "balance"),
    ("余额", "balance"),
)


@dataclass(frozen=True, slots=True)
class Column:
    """A statement column's role (amount, credit, debit, balance) and where it is."""

    role: str
    at: float  # x centre in page pixels, or the word's index on a line without boxes


def _tokens(line: Line, boxed: bool, start: int = 0) -> list[tuple[str, float]]:
    """A line's words with where each is: an x centre estimated from its characters, or an index."""
    words = [(m.group(0), m.start(), m.end()) for m in re.finditer(r"\S+", line.text)]
    if not boxed:
        return [(w, float(start + i)) for i, (w, _, _) in enumerate(words)]
    width = (line.box[2] - line.box[0]) / max(len(line.text), 1)
    return [(w, line.box[0] + width * (a + b) / 2) for w, a, b in words]


def _rows(text: PageText) -> list[list[Line]]:
    """Lines grouped into rows (each line its own row without boxes), top to bottom."""
    if not has_boxes(text):
        return [[line] for line in text.lines]
    rows: list[list[Line]] = []
    for line in sorted(text.lines, key=centre_y):
        if rows and same_row(rows[-1][0], line):
            rows[-1].append(line)
        else:
            rows.append([line])
    return [sorted(row, key=lambda line: line.box[0]) for row in rows]


def _row_tokens(row: Sequence[Line], boxed: bool) -> list[tuple[str, float]]:
    out: list[tuple[str, float]] = []
    for line in row:
        out.extend(_tokens(line, boxed, len(out)))
    return out


def _header(row: Sequence[Line], boxed: bool) -> list[Column] | None:
    columns: list[Column] = []
    for word, at in _row_tokens(row, boxed):
        compact = squash(word)
        for head, role in AMOUNT_HEADS:
            if head in compact:
                columns.append(Column(role, at))
                break
    if not any(c.role in ("amount", "credit") for c in columns):
        return None
    joined = squash("".join(line.text for line in row))
    if not any(w in joined for w in ("日期", "摘要", "交易", "时间", "说明", "用途")):
        return None
    return columns


def _credit_in(row: Sequence[Line], boxed: bool, columns: Sequence[Column]) -> float | None:
    """The row's amount in its amount (or credit) column, never the balance."""
    money = [
        (word, at)
        for word, at in _row_tokens(row, boxed)
        if MONEY.fullmatch(word.replace("¥", "").replace("元", ""))
        and ("." in word or "," in word or word.startswith("+"))
    ]
    if not money:
        return None
    picked: str | None = None
    if boxed and len(row) > 1:  # cells in boxes of their own: each figure under its column
        for word, at in money:
            nearest = min(columns, key=lambda c: abs(c.at - at))
            if nearest.role in ("amount", "credit"):
                picked = word
                break
    else:  # one line of words (a PDF, or cells the OCR joined): the columns' order decides
        roles = [c.role for c in columns]
        if len(money) < len(roles) and roles[-1] == "balance" and len(money) >= 2:
            money, roles = money[:-1], roles[:-1]
        if len(money) == len(roles):
            picked = next(
                (w for (w, _), r in zip(money, roles, strict=True) if r in ("amount", "credit")),
                None,
            )
        elif len(money) == 1 and roles[-1] != "balance":
            picked = money[0][0]
        elif len(money) == 1 and len(roles) > 2:
            picked = money[0][0]  # one of 收入/支出 empty: a salary row's figure is the credit
    if picked is None:
        return None
    value = amount_of(picked.replace("¥", "").replace("元", ""))
    return value if value is not None and value > 0 else None


def salary_credits(
    file: str, page: int, text: PageText, slot: int, header: list[Column] | None
) -> tuple[list[Fact], list[Column] | None]:
    """The page's salary credits, and the header in force at its end (a next page may lack one)."""
    found: list[Fact] = []
    boxed = has_boxes(text)
    for row in _rows(text):
        columns = _header(row, boxed)
        if columns is not None:
            header = columns
            continue
        joined = " ".join(line.text for line in row)
        compact = squash(joined)
        if header is None or not any(w in compact for w in SALARY_ROW) or "余额" in compact:
            continue
        value = _credit_in(row, boxed, header)
        if value is not None:
            score = min(line.score for line in row)
            found.append(Fact(file, page, "salary_credit", value, joined, score, slot))
    return found, header


# --- the whole document -----------------------------------------------------------
