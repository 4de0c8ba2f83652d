"""Facts: the figures and dates the documents print, read back from their recognised lines.

The person types their income and expenses; the payslip and the receipt
already print them. Reading them back lets ``agree`` ask when the two
disagree and propose what the person has not written yet. Honesty is the
rule: a fact is only ever a figure printed on its page (a label and, in the
same line, to its right on the same row or just below it), never a sum or
an estimate; a balance is not income, a deduction (医疗保险) is not an
expense, a payslip's 应发合计 is not a receipt's 合计.

Lines carry boxes in page pixels when they were recognised (OCR); a PDF's
own text layer gives lines without boxes, so there a value must be on the
label's line or the next one, and a statement's columns are told by the
order of the header's words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from packager.models import PageText
from packager.read.figures import (
    AMOUNT_AFTER,
    DATE,
    MONEY,
    MONTH,
    PURE_AMOUNT,
    SHORT_DATE,
    Fact,
    amount_of,
    date_in,
    iso,
    neighbours,
    squash,
    words,
    words_amount,
)
from packager.read.ledger import Column, salary_credits

__all__ = ["Fact", "date_in", "read_facts"]

# field -> labels, longest first within a field so 实发合计 wins over 实发.
NET_PAY = ("实发工资", "实发合计", "实发金额", "实发薪资", "实发")
GROSS_PAY = ("应发合计", "应发工资", "应发金额", "应发薪资")
TOTALS = (
    "金额合计",
    "合计金额",
    "价税合计",
    "费用合计",
    "费用总额",
    "总金额",
    "总计",
    "合计",
    "实收金额",
    "实收",
)
# A 合计 after one of these is a payslip's or a deduction's, never a receipt's total.
NOT_TOTAL = (
    "应发",
    "实发",
    "扣款",
    "代扣",
    "扣除",
    "扣费",
    "小计",
    "应扣",
    "个人缴",
    "单位缴",
    "统筹",
)
DATES = {
    "pay_date": ("发放日期", "发薪日期"),
    "invoice_date": ("开票日期", "收费日期", "缴费日期"),
    "admission_date": ("入院日期", "入院时间"),
    "discharge_date": ("出院日期", "出院时间"),
    "diagnosis_date": ("诊断日期", "就诊日期"),
    "leave_date": ("离职日期", "解除日期", "终止日期", "解除劳动合同日期"),
}
STAY = ("住院日期", "住院时间", "住院期间")  # 住院日期：A 至 B: admitted A, discharged B
NAMES = ("员工姓名", "职工姓名", "患者姓名", "姓名", "户名", "交款人", "患者")
_NAME = re.compile(r"[:：]?([\u4e00-\u9fff·]{2,5})")
_CUT_NAME = re.compile(
    r"性别|年龄|科室|金额|日期|卡号|账号|编号|部门|工号|住院|床号|岗位|证件|门诊|病历|身份|时间|签名|医师|备注"
)

# --- label rules ------------------------------------------------------------------


def _label_at(compact: str, labels: Sequence[str]) -> tuple[str, int] | None:
    for label in labels:
        at = compact.find(label)
        if at >= 0:
            return label, at
    return None


def _amount_for(
    text: PageText, index: int, rest: str, label: str
) -> tuple[float, str, float] | None:
    """The amount right after a label on its line, else on the line right of or below it."""
    line = text.lines[index]
    m = AMOUNT_AFTER.match(rest)
    if m:
        value = amount_of(m.group(1))
        if value is not None:
            return value, line.text, line.score
    if rest.strip("：:()（）元") and not rest.startswith(("(", "（")):
        return None  # something else follows the label on its line: not its value
    for other in neighbours(text, index, label):
        pure = PURE_AMOUNT.match(squash(other.text).replace("元", ""))
        if pure:
            value = amount_of(pure.group(1))
            if value is not None:
                return value, f"{line.text} {other.text}", min(line.score, other.score)
    return None


def _pay_and_totals(file: str, page: int, text: PageText, slot: int) -> list[Fact]:
    found: list[Fact] = []
    for index, line in enumerate(text.lines):
        compact = squash(line.text)
        if "余额" in compact:
            continue  # a balance is never income nor a total
        for field, labels in (("net_pay", NET_PAY), ("gross_pay", GROSS_PAY)):
            hit = _label_at(compact, labels)
            if hit:
                label, at = hit
                got = _amount_for(text, index, compact[at + len(label) :], label)
                if got and got[0] > 0:
                    found.append(Fact(file, page, field, got[0], got[1], got[2], slot))
    payslip = any(f.field in ("net_pay", "gross_pay") for f in found)
    if payslip:
        return found  # a payslip's 合计 lines are its own sums, never an expense
    for index, line in enumerate(text.lines):
        compact = squash(line.text)
        hit = _label_at(compact, TOTALS)
        if hit is None or "余额" in compact:
            continue
        label, at = hit
        if any(word in compact[:at] for word in NOT_TOTAL):
            continue
        rest = compact[at + len(label) :]
        small = rest.find("小写")
        if "大写" in rest and small >= 0:  # 合计（大写）陆佰肆拾元整（小写）¥640.00
            rest = rest[small + 2 :].lstrip(")）")
        elif "大写" in rest:
            rest = ""
        got = _amount_for(text, index, rest, label)
        if got and got[0] > 0:
            found.append(Fact(file, page, "total", got[0], got[1], got[2], slot))
        said = _words_near(text, index, compact)
        if said is not None:
            found.append(Fact(file, page, "total_words", said[0], said[1], line.score, slot))
    if not any(f.field == "total_words" for f in found):
        for index, line in enumerate(text.lines):  # a 大写 line of its own: 人民币（大写）…
            said = _words_near(text, index, squash(line.text))
            if said is not None:
                found.append(Fact(file, page, "total_words", said[0], said[1], line.score, slot))
                break
    return found


def _words_near(text: PageText, index: int, compact: str) -> tuple[float, str] | None:
    """The 大写 amount after 大写 on its line, else in the cell right of it (or below)."""
    if "大写" not in compact:
        return None
    line = text.lines[index]
    value = words_amount(compact.split("大写", 1)[1])
    if value:
        return value, line.text
    for other in neighbours(text, index, "大写"):
        value = words_amount(squash(other.text))
        if value:
            return value, f"{line.text} {other.text}"
    return None


def _dates(file: str, page: int, text: PageText, slot: int) -> list[Fact]:
    found: list[Fact] = []
    for index, line in enumerate(text.lines):
        compact = squash(line.text)
        for field, labels in DATES.items():
            hit = _label_at(compact, labels)
            if hit is None:
                continue
            rest = compact[hit[1] + len(hit[0]) :]
            day, shown = date_in(rest), line.text
            if day is None and not re.search(r"\d", rest):  # below, or right: 入院日期 出院日期
                for other in neighbours(text, index, hit[0]):
                    day, shown = date_in(other.text), f"{line.text} {other.text}"
                    if day is not None:
                        break
            if day is not None:
                found.append(Fact(file, page, field, day, shown, line.score, slot))
        hit = _label_at(compact, STAY)
        if hit is not None:
            rest = compact[hit[1] + len(hit[0]) :]
            start = DATE.search(rest)
            if start is not None:
                first = iso(start)
                if first is not None:
                    found.append(
                        Fact(file, page, "admission_date", first, line.text, line.score, slot)
                    )
                    tail = re.split(r"至|到|~|—|-{1,2}", rest[start.end() :], maxsplit=1)
                    end = SHORT_DATE.match(tail[-1]) if len(tail) == 2 else None
                    last = iso(end, year=first.year) if end else None
                    if last is not None and last >= first:
                        found.append(
                            Fact(file, page, "discharge_date", last, line.text, line.score, slot)
                        )
        if "工资" in compact and field_free(compact):
            m = MONTH.search(compact)
            if m and 1 <= int(m.group(2)) <= 12:
                month = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"
                found.append(Fact(file, page, "pay_month", month, line.text, line.score, slot))
    return found


def field_free(compact: str) -> bool:
    """A title-like line (工资条（2026年10月）), not a row of figures."""
    return MONEY.search(MONTH.sub("", compact)) is None


def _names(file: str, page: int, text: PageText, slot: int) -> list[Fact]:
    found: list[Fact] = []
    for index, line in enumerate(text.lines):
        compact = squash(line.text)
        hit = _label_at(compact, NAMES)
        if hit is None:
            continue
        rest = compact[hit[1] + len(hit[0]) :]
        # The word the label is in, when the line has spaces: 交款人：王测试 门诊号：… ends at the space.
        own = next((squash(w) for w, _ in words(line) if hit[0] in squash(w)), compact)
        m = _NAME.match(own[own.find(hit[0]) + len(hit[0]) :])
        shown = line.text
        if m is None and not rest.strip("：:"):
            for other in neighbours(text, index, hit[0]):
                # A cell of its own must be a name and nothing else (开始时间 is a header).
                cell = squash(other.text)
                m, shown = _NAME.fullmatch(cell), f"{line.text} {other.text}"
                if m is not None and _CUT_NAME.search(cell) is None:
                    break
                m = None
        if m is None:
            continue
        name = _CUT_NAME.split(m.group(1))[0]
        if len(name) >= 2 and all(f.value != name for f in found):
            found.append(Fact(file, page, "name", name, shown, line.score, slot))
    return found


# --- the whole document -----------------------------------------------------------


def read_facts(
    file: str, texts: Iterable[PageText | None], slots: Sequence[int] = ()
) -> tuple[Fact, ...]:
    """Every fact the pages of one file print, page by page, in reading order.

    ``slots`` gives each page's first packet page within the document (a
    sliced screenshot takes several); by default one page each.
    """
    found: list[Fact] = []
    header: list[Column] | None = None
    for number, text in enumerate(texts, start=1):
        if text is None or not text.lines:
            continue
        slot = slots[number - 1] if number - 1 < len(slots) else number - 1
        credits, header = salary_credits(file, number, text, slot, header)
        found.extend(_pay_and_totals(file, number, text, slot) if not credits else ())
        found.extend(credits)
        found.extend(_dates(file, number, text, slot))
        found.extend(_names(file, number, text, slot))
    return tuple(found)
