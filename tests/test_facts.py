"""Facts: rules over recognised lines and their positions (cheap, no OCR), and what they lead to.

Pages are written here as lists of lines: with boxes (a recognised photo:
each cell its own box, on rows 60 px apart) or without (a PDF's own text,
one line per row). Every value asserted is printed on the page; the
distractors (a balance, 医疗保险, 应发合计 against 合计, a page with no
figure) must give nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest

from packager.messages import message
from packager.models import Document, Kind, Line, MediaType, PageText, SourceFile
from packager.read.agree import fact_findings, proposals, stated_dates
from packager.read.casefile import parse_case
from packager.read.facts import Fact, read_facts
from packager.read.figures import amount_of, words_amount
from tests.conftest import GOOD_TOML, TODAY

CHAR = 30  # px per character on the synthetic page


def boxed(*rows: Sequence[tuple[str, float]], score: float = 0.95) -> PageText:
    """A recognised page: each row's cells as (text, x), rows 60 px apart."""
    lines = []
    for r, row in enumerate(rows):
        y = 200 + 60 * r
        for text, x in row:
            lines.append(Line(text, (x, y, x + CHAR * len(text), y + 36), score))
    return PageText(tuple(lines), (1240, 1754))


def plain(*rows: str) -> PageText:
    """A PDF's own text layer: one line per row, no boxes."""
    return PageText(tuple(Line(r, (0.0, 0.0, 0.0, 0.0), 1.0) for r in rows), (0, 0), source="pdf")


def found(text: PageText, name: str = "a.jpg") -> list[tuple[str, object]]:
    return [(f.field, f.value) for f in read_facts(name, [text])]


# --- amounts, words, dates ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "value"),
    [("4,800.00", 4800.0), ("4800", 4800.0), ("4.800.00", 4800.0), ("+8,500.00", 8500.0),
     ("-126.50", -126.5), ("1.234", 1234.0), ("12.5", 12.5)],
)  # fmt: skip
def test_printed_amounts_become_numbers(token: str, value: float) -> None:
    assert amount_of(token) == value


def test_amounts_in_words_are_read_with_cn2an() -> None:
    assert words_amount("人民币陆佰肆拾元整") == 640.0
    assert words_amount("壹万贰仟叁佰肆拾伍元陆角柒分") == 12345.67
    assert words_amount("no words here") is None


# --- payslips --------------------------------------------------------------------------


def test_net_and_gross_pay_to_the_right_of_their_labels() -> None:
    page = boxed(
        [("工资条(2026年10月)", 300)],
        [("姓名:王测试", 120)],
        [("应发合计", 120), ("5,647.06", 640)],
        [("医疗保险", 120), ("112.94", 640)],
        [("扣款合计", 120), ("847.06", 640)],
        [("实发工资", 120), ("4,800.00", 640)],
        [("发放日期", 120), ("2026-11-05", 640)],
    )
    facts = found(page)
    assert ("net_pay", 4800.0) in facts
    assert ("gross_pay", 5647.06) in facts
    assert ("pay_date", date(2026, 11, 5)) in facts
    assert ("pay_month", "2026-10") in facts
    assert ("name", "王测试") in facts
    # 医疗保险 and 扣款合计 are deductions: not income, not an expense, not a total.
    assert {f for f, _ in facts} == {"net_pay", "gross_pay", "pay_date", "pay_month", "name"}


def test_values_below_a_row_of_labels_are_read_by_column() -> None:
    page = boxed(
        [("基本工资", 100), ("应发合计", 400), ("扣款合计", 700), ("实发合计", 1000)],
        [("4,000.00", 100), ("4,000.00", 400), ("480.00", 700), ("3,520.00", 1000)],
    )
    assert sorted(found(page)) == [("gross_pay", 4000.0), ("net_pay", 3520.0)]


def test_a_value_on_the_labels_line_in_a_pdf() -> None:
    page = plain("工资单", "姓名:李四 部门:仓储部", "应发合计:6,000.00元", "实发合计:5,100.00元")
    assert sorted(found(page, "a.pdf")) == [
        ("gross_pay", 6000.0),
        ("name", "李四"),
        ("net_pay", 5100.0),
    ]


def test_a_label_with_something_else_after_it_gives_no_value() -> None:
    page = boxed([("实发工资说明见背面", 120), ("2026", 900)])
    assert found(page) == []


def test_a_value_far_below_its_label_is_not_its_value() -> None:
    page = boxed([("实发工资", 120)], [("", 0)], [("", 0)], [("4,800.00", 120)])
    assert found(page) == []


# --- receipts --------------------------------------------------------------------------


def test_a_receipt_total_and_its_words() -> None:
    page = boxed(
        [("医疗收费票据", 400)],
        [("交款人:王测试", 120), ("门诊号:A1029", 640)],
        [("检查费", 120), ("192.00", 640)],
        [("合计(小写)", 120), ("¥640.00", 640)],
        [("合计(大写)", 120), ("陆佰肆拾元整", 640)],
        [("开票日期:2026年10月9日", 120)],
    )
    assert sorted(found(page), key=str) == sorted(
        [
            ("name", "王测试"),
            ("total", 640.0),
            ("total_words", 640.0),
            ("invoice_date", date(2026, 10, 9)),
        ],
        key=str,
    )


def test_an_invoice_line_with_both_amounts() -> None:
    page = plain("价税合计(大写) 陆佰肆拾元整 (小写)¥640.00")
    facts = found(page, "a.pdf")
    assert ("total", 640.0) in facts and ("total_words", 640.0) in facts


@pytest.mark.parametrize("label", ["合计", "总计", "金额合计", "实收", "合计(小写)"])
def test_every_total_label(label: str) -> None:
    assert found(boxed([(label, 120), ("236.50", 640)])) == [("total", 236.5)]


def test_a_balance_is_neither_income_nor_a_total() -> None:
    page = boxed([("余额合计", 120), ("9,999.00", 640)], [("账户余额", 120), ("12,000.00", 640)])
    assert found(page) == []


def test_a_page_with_no_figure_gives_no_fact() -> None:
    page = boxed([("情况说明", 400)], [("本人因病住院,其间无法工作。", 120)], [("特此说明。", 120)])
    assert found(page) == []
    assert read_facts("a.jpg", [None, PageText((), (10, 10))]) == ()


# --- statements ------------------------------------------------------------------------


STATEMENT_HEAD = [("交易日期", 120), ("摘要", 420), ("交易金额", 640), ("账户余额", 920)]


def test_salary_credits_are_the_amount_column_never_the_balance() -> None:
    page = boxed(
        [("户名:王测试", 120)],
        STATEMENT_HEAD,
        [("2026-09-05", 120), ("消费", 420), ("-126.50", 640), ("2,873.50", 920)],
        [("2026-09-10", 120), ("代发工资", 420), ("+4,800.00", 640), ("7,673.50", 920)],
        [("2026-10-10", 120), ("工资", 420), ("+4,750.00", 640), ("11,000.00", 920)],
    )
    credits = [v for f, v in found(page) if f == "salary_credit"]
    assert credits == [4800.0, 4750.0]


def test_salary_credit_when_ocr_joins_the_cells_into_one_line() -> None:
    head = [("交易日期 摘要 交易金额 账户余额", 120)]
    row = [("2026-09-10 代发工资 4,800.00 7,673.50", 120)]
    assert [v for f, v in found(boxed(head, row)) if f == "salary_credit"] == [4800.0]


def test_salary_credits_in_a_pdf_by_column_order() -> None:
    page = plain(
        "交易日期 摘要 交易金额 账户余额",
        "2026-09-10 代发工资 +4,800.00 7,673.50",
        "2026-09-18 转账支出 -800.00 6,873.50",
    )
    assert found(page, "a.pdf") == [("salary_credit", 4800.0)]


def test_a_statement_header_carries_over_to_the_next_page() -> None:
    first = plain("交易日期 摘要 交易金额 账户余额", "2026-09-05 消费 -12.00 100.00")
    second = plain("2026-10-10 代发工资 +4,800.00 4,900.00")
    facts = read_facts("a.pdf", [first, second])
    assert [(f.page, f.value) for f in facts if f.field == "salary_credit"] == [(2, 4800.0)]


def test_a_salary_row_without_a_header_is_not_guessed() -> None:
    page = plain("2026-09-10 代发工资 4,800.00 7,673.50")
    assert found(page, "a.pdf") == []


# --- dates -----------------------------------------------------------------------------


def test_admission_and_discharge_under_their_labels_in_a_pdf() -> None:
    page = plain("出院小结", "患者姓名:王测试", "入院日期 出院日期", "2026-10-08 2026-10-22")
    assert sorted(found(page, "a.pdf"), key=str) == sorted(
        [
            ("name", "王测试"),
            ("admission_date", date(2026, 10, 8)),
            ("discharge_date", date(2026, 10, 22)),
        ],
        key=str,
    )


def test_a_stay_from_to_gives_both_dates() -> None:
    page = boxed([("住院日期:2026年10月8日至10月22日", 120)])
    assert found(page) == [
        ("admission_date", date(2026, 10, 8)),
        ("discharge_date", date(2026, 10, 22)),
    ]


def test_the_slot_follows_a_sliced_page() -> None:
    page = boxed([("合计", 120), ("10.00", 640)])
    (fact,) = read_facts("a.png", [None, page], slots=[0, 3])
    assert (fact.page, fact.slot) == (2, 3)


# --- what the facts lead to ----------------------------------------------------------------


def _doc(rel: str, kind: Kind) -> Document:
    source = SourceFile(Path("/case") / rel, rel, "0" * 64, 1, MediaType.JPEG)
    return Document(source, kind, "folder")


def _fact(file: str, field: str, value: float | date | str, page: int = 1) -> Fact:
    return Fact(file, page, field, value, f"{field} {value}", 0.9)


PAYSLIP, RECEIPT, DIAGNOSIS = "收入证明/工资条.jpg", "支出明细/收据.jpg", "疾病证明/诊断.jpg"
DOCS = [
    _doc(PAYSLIP, Kind.INCOME),
    _doc(RECEIPT, Kind.EXPENSES),
    _doc(DIAGNOSIS, Kind.MEDICAL),
]


def _case(extra: str = "") -> object:
    return parse_case((GOOD_TOML + extra).encode())


def _codes(extra: str, facts: list[Fact]) -> dict[str, str]:
    case = parse_case((GOOD_TOML + extra).encode())
    return {f.code: message(f, "zh") for f in fact_findings(case, DOCS, facts, TODAY)}


def test_a_stated_income_far_from_the_payslip_is_asked_about_naming_both() -> None:
    said = _codes("[finances]\nmonthly_income = 3000\n", [_fact(PAYSLIP, "net_pay", 4800.0)])
    text = said["INCOME_DIFFERS"]
    assert "3,000.00" in text and "4,800.00" in text and PAYSLIP in text and "第 1 页" in text
    assert "请核对" in text  # it asks


def test_an_income_within_ten_percent_or_the_previous_one_is_not_a_difference() -> None:
    facts = [_fact(PAYSLIP, "net_pay", 4800.0)]
    assert "INCOME_DIFFERS" not in _codes("[finances]\nmonthly_income = 4500\n", facts)
    before = "[finances]\nmonthly_income = 0\nprevious_monthly_income = 4800\n"
    assert "INCOME_DIFFERS" not in _codes(before, facts)


def test_the_latest_payslip_is_the_one_compared() -> None:
    old, new = "收入证明/九月.jpg", "收入证明/十月.jpg"
    facts = [
        _fact(new, "net_pay", 3000.0),
        _fact(new, "pay_month", "2026-10"),
        _fact(old, "net_pay", 4800.0),
        _fact(old, "pay_month", "2026-09"),
    ]
    assert "INCOME_DIFFERS" not in _codes("[finances]\nmonthly_income = 3000\n", facts)


def test_salary_credits_count_when_there_is_no_payslip() -> None:
    facts = [_fact("收入证明/流水.pdf", "salary_credit", 4800.0)]
    assert "INCOME_DIFFERS" in _codes("[finances]\nmonthly_income = 3000\n", facts)


EXPENSE = """
[[expense]]
item = "门诊费"
amount = {amount}
period = "once"
proof = "支出明细/收据.jpg"
"""


def test_an_expense_against_its_receipt_total() -> None:
    facts = [_fact(RECEIPT, "total", 640.0)]
    text = _codes(EXPENSE.format(amount=460), facts)["EXPENSE_DIFFERS"]
    assert "460.00" in text and "640.00" in text and RECEIPT in text and "门诊费" in text
    assert "EXPENSE_DIFFERS" not in _codes(EXPENSE.format(amount=640), facts)


def test_words_and_figures_that_disagree_ask_for_a_new_photo() -> None:
    facts = [_fact(RECEIPT, "total", 640.0), _fact(RECEIPT, "total_words", 604.0)]
    text = _codes("", facts)["TOTAL_WORDS_DIFFER"]
    assert "604.00" in text and "640.00" in text and "重新拍" in text


def test_a_statement_month_far_from_the_medical_dates() -> None:
    facts = [_fact(DIAGNOSIS, "diagnosis_date", date(2026, 6, 2))]
    text = _codes("", facts)["DATES_DIFFER"]  # GOOD_TOML: 今年十月因病住院三周
    assert "今年十月" in text and "2026-06-02" in text and DIAGNOSIS in text
    near = [_fact(DIAGNOSIS, "diagnosis_date", date(2026, 10, 8))]
    assert "DATES_DIFFER" not in _codes("", near)


def test_stated_dates_read_as_the_person_wrote_them() -> None:
    said = stated_dates("2026年9月21日住院，去年12月开始失业，今年三月复查", TODAY)
    assert [d for _, d in said] == [date(2026, 9, 21), date(2025, 12, 15), date(2026, 3, 15)]


def test_proposals_only_where_case_toml_is_silent() -> None:
    facts = [_fact(PAYSLIP, "net_pay", 4800.0), _fact(RECEIPT, "total", 640.0)]
    case = parse_case(GOOD_TOML.encode())
    made = proposals(case, DOCS, facts)
    assert [
        (p.section, dict(p.entry).get("amount", dict(p.entry).get("monthly_income"))) for p in made
    ] == [
        ("finances", 4800.0),
        ("expense", 640.0),
    ]
    assert dict(made[1].entry)["proof"] == RECEIPT
    stated = parse_case(
        (GOOD_TOML + "[finances]\nmonthly_income = 4800\n" + EXPENSE.format(amount=640)).encode()
    )
    assert proposals(stated, DOCS, facts) == []


def test_no_page_text_makes_the_rules_raise() -> None:
    """This test ensures odd recognised text (fragments of labels, digits, 大写) never crashes a build."""
    import random

    rnd = random.Random(7)  # noqa: S311 - generated text
    chars = "合计实发工资应发余额大写小写:：()0123456789,.+-¥元年月日至 姓名户名交款人患者入院出院日期交易金额摘要代发壹贰叁佰仟万整"
    for _ in range(1500):
        lines = []
        for _ in range(rnd.randint(1, 6)):
            text = "".join(rnd.choice(chars) for _ in range(rnd.randint(1, 20)))
            x, y = rnd.uniform(0, 1000), rnd.uniform(0, 1500)
            lines.append(Line(text, (x, y, x + rnd.uniform(0, 400), y + rnd.uniform(0, 50)), 0.9))
        page = PageText(tuple(lines), (1240, 1754))
        flat = plain(*(line.text for line in lines))
        for fact in read_facts("a.jpg", [page, flat]):
            shown = "".join(fact.text.split())
            if isinstance(fact.value, float):  # a figure is only ever one printed on the page
                assert any(ch.isdigit() for ch in shown) or "大写" in shown or "壹" in shown


@pytest.mark.parametrize("lang", ["zh", "en", "zh-Hant"])
def test_every_difference_and_proposal_is_worded_in_every_language(lang: str) -> None:
    facts = [
        _fact(PAYSLIP, "net_pay", 4800.0),
        _fact(RECEIPT, "total", 640.0),
        _fact(RECEIPT, "total_words", 604.0),
        _fact(DIAGNOSIS, "diagnosis_date", date(2026, 6, 2)),
        _fact("支出明细/药房.jpg", "total", 236.5),
    ]
    docs = [*DOCS, _doc("支出明细/药房.jpg", Kind.EXPENSES)]
    case = parse_case(
        (GOOD_TOML + "[finances]\nmonthly_income = 3000\n" + EXPENSE.format(amount=460)).encode()
    )
    found = fact_findings(case, docs, facts, TODAY)
    assert {f.code for f in found} == {
        "INCOME_DIFFERS",
        "EXPENSE_DIFFERS",
        "TOTAL_WORDS_DIFFER",
        "DATES_DIFFER",
        "PROPOSE_EXPENSE",
    }
    for finding in found:
        text = message(finding, lang)
        assert "{" not in text and finding.code not in text, text
        assert str(finding.params["file"]) in text  # the file is named, never converted


def test_a_blank_name_beside_a_column_header_is_not_a_name() -> None:
    page = boxed([("姓名:", 100), ("开始时间", 300), ("性别:", 500)])
    assert found(page) == []
    assert found(boxed([("姓名", 100), ("张小明", 300)])) == [("name", "张小明")]
