"""[finances] and [[expense]]: the money picture, its checks, the letter's figures, the 支出明细 page."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from packager import api
from packager.errors import ConfigError
from packager.messages import message
from packager.models import Document, Finding, Kind, MediaType, Severity, SourceFile
from packager.read.casefile import parse_case
from packager.read.checks import run_checks
from packager.read.finances import picture
from packager.write import render
from packager.write.letter import finance_paragraphs, plan_fit
from packager.write.statement import render_statement
from tests.conftest import GOOD_TOML, TODAY, save_phone_jpeg

FINANCES = """
[finances]
monthly_income = 4800.00
previous_monthly_income = 6000.00
dependants = 2

[[expense]]
item = "住院医疗费"
amount = 9180.00
period = "once"
date = 2026-09-21
proof = "疾病证明/收费票据.jpg"

[[expense]]
item = "门诊药费"
amount = "1,260元"
period = "一次性"
month = "2026-10"
proof = "药费收据.png"

[[expense]]
item = "房租"
amount = 2200
period = "每月"

[[expense]]
item = "孩子学费及生活费"
amount = 1800
period = "monthly"
month = "2026年9月"
"""


def _doc(rel: str, kind: Kind = Kind.INCOME) -> Document:
    source = SourceFile(Path("/case") / rel, rel, "0" * 64, 1, MediaType.JPEG)
    return Document(source, kind, "folder")


def _codes(toml: str, documents: list[Document], skipped: tuple[str, ...] = ()) -> dict[str, list]:
    case = parse_case(toml.encode())
    found: dict[str, list] = {}
    for f in run_checks(case, documents, TODAY, skipped=skipped):
        found.setdefault(f.code, []).append(f)
    return found


def test_fields_parse_with_chinese_aliases_and_amount_forms() -> None:
    """This test ensures that amounts, 一次性/每月 and month forms parse into the picture's totals."""
    case = parse_case((GOOD_TOML + FINANCES).encode())
    seen = picture(case)
    assert seen is not None
    assert [x.period.value for x in seen.lines] == ["once", "once", "monthly", "monthly"]
    assert seen.lines[1].amount == 1260.0 and seen.lines[1].by_month
    assert seen.lines[3].day is not None and seen.lines[3].day.month == 9
    assert (seen.monthly, seen.once, seen.balance) == (4000.0, 10440.0, 800.0)
    assert seen.plan_per_month == pytest.approx(316.67)


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        ('amount = "九千"', ["expense[1].amount", "应为数字", "amount = 9180.00"]),
        ("ammount = 9180", ["expense[1].ammount", "expense.amount"]),
        (
            'period = "weekly"',
            ["expense[1].period", "“一次性”", "“每月”"],
        ),  # Chinese words to Chinese users
    ],
)
def test_bad_expense_values_are_friendly_case_errors(bad: str, expected: list[str]) -> None:
    """This test ensures that an unusable expense value is worded like amount_owed's errors."""
    with pytest.raises(ConfigError) as caught:
        parse_case(f'[[expense]]\nitem = "药费"\n{bad}\n'.encode())
    for text in expected:
        assert text in str(caught.value)


def test_written_expenses_count_as_the_expenses_document() -> None:
    """This test ensures that a case with only [[expense]] lines and no scanned list is complete."""
    docs = [_doc("收入证明/工资条.jpg"), _doc("疾病证明/收费票据.jpg", Kind.MEDICAL)]
    docs.append(_doc("药费收据.png", Kind.MEDICAL))
    found = _codes(GOOD_TOML + FINANCES, docs)
    assert "MISSING_EXPENSES" not in found
    assert not [c for c, fs in found.items() if any(f.severity is Severity.ERROR for f in fs)]
    assert "MISSING_EXPENSES" in _codes(GOOD_TOML, docs)


def test_missing_expenses_says_the_page_can_be_written_from_case_toml() -> None:
    """This test ensures that 缺少支出明细 tells a person without receipts about [[expense]]."""
    found = _codes(GOOD_TOML, [_doc("收入证明/工资条.jpg")])["MISSING_EXPENSES"][0]
    assert "[[expense]]" in message(found, "zh")
    assert "支出明细" in message(found, "zh")
    assert "[[expense]]" in message(found, "en")
    income = Finding("MISSING_INCOME", Severity.ERROR, params={"kind": "income", "why": "always"})
    assert "[[expense]]" not in message(income, "zh")


def test_missing_proof_is_an_error_naming_the_nearest_file() -> None:
    """This test ensures that a proof that is not in the case names the nearest file to write."""
    docs = [_doc("收入证明/工资条.jpg"), _doc("疾病证明/收费票据.jpg", Kind.MEDICAL)]
    toml = GOOD_TOML + FINANCES.replace("疾病证明/收费票据.jpg", "疾病证明/收费票剧.jpg")
    toml = toml.replace("药费收据.png", "存折.pdf")
    found = _codes(toml, docs)
    missing = found["EXPENSE_PROOF_MISSING"]
    assert missing[0].severity is Severity.ERROR
    text = message(missing[0], "zh")
    assert "疾病证明/收费票剧.jpg" in text and '"疾病证明/收费票据.jpg"' in text
    assert "expense[1].proof" in text
    assert "疾病证明/收费票据.jpg" in message(missing[0], "en")
    # Nothing in the case looks like 存折.pdf, so no file is suggested.
    assert found["EXPENSE_PROOF_UNKNOWN"][0].params["proof"] == "存折.pdf"
    left = _codes(toml, docs, skipped=("存折.pdf",))
    assert left["EXPENSE_PROOF_LEFT_OUT"][0].file == "存折.pdf"


def test_plan_beyond_means_is_warned_with_installments_that_fit() -> None:
    """This test ensures that an installment above income minus spending is a warning."""
    toml = GOOD_TOML.replace("installments = 12", "installments = 3") + FINANCES
    found = _codes(toml, [_doc("收入证明/工资条.jpg")])
    warned = found["PLAN_OVER_MEANS"][0]
    assert warned.severity is Severity.WARNING
    text = message(warned, "zh")
    assert "1,266.67" in text and "800.00" in text and "至少 5 期" in text
    assert "PLAN_OVER_MEANS" not in _codes(GOOD_TOML + FINANCES, [])
    broke = FINANCES.replace("monthly_income = 4800.00", "monthly_income = 0")
    found = _codes(GOOD_TOML + broke, [])
    assert found["PLAN_NO_MEANS"][0].severity is Severity.WARNING
    assert "4,000.00" in message(found["SPENDING_OVER_INCOME"][0], "zh")


def test_large_one_off_without_proof_is_an_info() -> None:
    """This test ensures that a large one-off cost with no proof suggests attaching the receipt."""
    toml = GOOD_TOML + FINANCES.replace('proof = "疾病证明/收费票据.jpg"\n', "")
    info = _codes(toml, [])["EXPENSE_NO_PROOF"]
    assert [f.severity for f in info] == [Severity.INFO]
    assert "住院医疗费" in message(info[0], "zh") and "9,180.00" in message(info[0], "zh")


def test_letter_sentences_carry_the_case_figures() -> None:
    """This test ensures that the letter states income before and now, the gap and one-off costs."""
    case = parse_case((GOOD_TOML + FINANCES).encode())
    (said,) = finance_paragraphs(case)
    for figure in ("4,800.00", "6,000.00", "4,000.00", "800.00", "10,440.00", "住院医疗费"):
        assert figure in said
    (fit,) = plan_fit(case)
    assert "800.00" in fit and "316.67" in fit and "足以支付" in fit
    short = parse_case((GOOD_TOML + FINANCES.replace("4800.00", "3000.00")).encode())
    assert "缺口约人民币 1,000.00 元" in finance_paragraphs(short)[0]
    assert "尚不足以覆盖" in plan_fit(short)[0]
    assert finance_paragraphs(parse_case(GOOD_TOML.encode())) == []
    assert plan_fit(parse_case(GOOD_TOML.encode())) == []


def _photo(colour: tuple[int, int, int]) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        save_phone_jpeg(path, 1)
        with Image.open(path) as im:
            stripe = im.copy()
        stripe.paste(colour, (0, 300, 600, 500))
        stripe.save(path, "JPEG", quality=92)

    return write


@pytest.mark.slow
def test_built_packet_has_the_expense_page_with_totals_and_proof_pages(
    case_factory: Callable[..., Path], tmp_path: Path
) -> None:
    """This test ensures that the built packet's 支出明细 page lists every item, both subtotals,
    the gap and the proofs' real page numbers, and is in every output."""
    case = case_factory(
        toml=GOOD_TOML + FINANCES,
        files={
            "收入证明/工资条.jpg": _photo((200, 40, 40)),
            "疾病证明/诊断证明.jpg": _photo((40, 200, 40)),
            "疾病证明/收费票据.jpg": _photo((40, 40, 200)),
            "药费收据.png": lambda p: Image.new("RGB", (500, 700), (240, 200, 90)).save(p),
        },
    )
    outcome = api.build_case(case, tmp_path / "out", api.Settings(today=TODAY))
    assert outcome.complete, [message(f, "zh") for f in outcome.findings]
    data = json.loads((outcome.out_dir / "manifest.json").read_text(encoding="utf-8"))
    first = {s["path"]: s["first_page"] for s in data["sources"]}
    block = data["finances"]
    page = block["pages"][0]
    assert page == outcome.letter_pages + 1  # right after the letter
    assert block["monthly_spending"] == 4000.0 and block["monthly_balance"] == 800.0
    assert [e["proof_page"] for e in block["expenses"][:2]] == [
        first["疾病证明/收费票据.jpg"],
        first["药费收据.png"],
    ]
    upload = outcome.out_dir / "逾期还款协商-wang.pdf"
    reader = PdfReader(upload)
    text = "".join(reader.pages[page - 1].extract_text().split())
    for expected in (
        "支出明细",
        "住院医疗费",
        "门诊药费",
        "房租",
        "孩子学费及生活费",
        "每月支出合计4,000.00",
        "人民币肆仟元整",
        "一次性支出合计10,440.00",
        "每月收支结余800.00",
        "分12期偿还，每期约人民币316.67元",
        f"见第{first['疾病证明/收费票据.jpg']}页",
        f"见第{first['药费收据.png']}页",
        f"第{page}页",
        "附件一支出明细",
    ):
        assert expected in text, expected
    letter = "".join("".join(p.extract_text() for p in reader.pages[: page - 1]).split())
    assert f"支出明细2份第{page}–{page + 1}页" in letter  # 附件清单: the table, then the receipt
    assert "收支相抵后每月仅剩约人民币800.00元" in letter
    titles = [o.title for o in reader.outline if not isinstance(o, list)]
    assert titles[1] == "附件一 支出明细"
    images = [o for o in outcome.outputs if o.path.startswith("images/")]
    assert len(images) == len(reader.pages)
    report = (outcome.out_dir / "report.html").read_text(encoding="utf-8")
    assert "收支情况" in report and "孩子学费及生活费" in report
    assert "支出明细表" not in json.dumps(data["sources"], ensure_ascii=False)


@pytest.mark.slow
def test_expense_page_renders_in_traditional_chinese_fonts() -> None:
    """This test ensures that a zh-Hant case's 支出明细 page is Traditional, in TC faces only."""
    toml = GOOD_TOML + FINANCES + '\n[output]\nlanguage = "zh-Hant"\n'
    rendered = render_statement(parse_case(toml.encode()), [], TODAY)
    assert rendered is not None
    fonts = render.embedded_fonts(rendered.data)
    assert fonts and all("TC" in name for name in fonts), fonts
    text = PdfReader(io.BytesIO(rendered.data)).pages[0].extract_text()
    assert "支出明細" in "".join(text.split()) and "收支情況" in text
