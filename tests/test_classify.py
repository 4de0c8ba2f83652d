"""Classification and ordering tables."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

import pytest

from packager.messages import content_reason, message
from packager.models import Finding, Kind, Line, MediaType, PageText, Severity, SourceFile
from packager.read.classify import classify, kind_of, natural_key
from packager.read.content import by_content, judge, title_lines
from packager.read.vocabulary import parse, vocabulary
from tests.kindpapers import HANS, HANT, PAPERS, Paper, draw


@pytest.mark.parametrize(
    ("rel", "kind"),
    [
        ("收入证明/IMG_0001.jpg", Kind.INCOME),
        ("income/scan.pdf", Kind.INCOME),
        ("Income/scan.pdf", Kind.INCOME),
        ("2026/收入证明/十月/IMG_1.jpg", Kind.INCOME),  # kind folder at any depth
        ("工资条.jpg", Kind.INCOME),
        ("Payslip_Oct.PNG", Kind.INCOME),
        ("银行流水.pdf", Kind.INCOME),
        ("支出明细/a.jpg", Kind.EXPENSES),
        ("医疗费用.jpg", Kind.EXPENSES),
        ("receipt-1.jpg", Kind.EXPENSES),
        ("疾病证明/x.jpg", Kind.MEDICAL),
        ("診斷書.jpg", Kind.MEDICAL),  # Traditional keyword
        ("diagnosis.pdf", Kind.MEDICAL),
        ("other/x.jpg", Kind.CIRCUMSTANCES),
        ("离职证明.jpg", Kind.CIRCUMSTANCES),
        ("沟通记录/1.png", Kind.COMMUNICATION),
        ("客服聊天.png", Kind.COMMUNICATION),
        ("溝通記錄/1.png", Kind.COMMUNICATION),
        # Folder beats keyword: a payslip filed under medical is medical.
        ("疾病证明/工资条.jpg", Kind.MEDICAL),
        # The deepest kind folder wins.
        ("收入证明/沟通记录/a.png", Kind.COMMUNICATION),
    ],
)
def test_kind_of(rel: str, kind: Kind) -> None:
    """This test ensures folders and keywords decide the kind as design.md's table says."""
    decided = kind_of(rel)
    assert decided is not None and decided[0] is kind


@pytest.mark.parametrize("rel", ["IMG_0001.jpg", "scan.pdf", "photos/DSC_1.jpg"])
def test_unmatched(rel: str) -> None:
    """This test ensures files matching nothing are not guessed."""
    assert kind_of(rel) is None


def test_order_and_unclassified() -> None:
    """This test ensures kind order, natural order, and UNCLASSIFIED findings."""
    names = [
        "支出明细/b.jpg",
        "收入证明/IMG_10.jpg",
        "收入证明/IMG_2.jpg",
        "random.jpg",
        "疾病证明/a.jpg",
    ]
    files = tuple(SourceFile(Path(n), n, n, 1, MediaType.JPEG) for n in names)
    result = classify(files)
    assert [d.source.rel for d in result.documents] == [
        "收入证明/IMG_2.jpg",
        "收入证明/IMG_10.jpg",
        "支出明细/b.jpg",
        "疾病证明/a.jpg",
    ]
    assert [f.code for f in result.findings] == ["UNCLASSIFIED"]
    assert result.findings[0].file == "random.jpg"
    assert result.skipped[0].status.value == "skipped"


def test_natural_key() -> None:
    """This test ensures IMG_2 sorts before IMG_10."""
    assert sorted(["IMG_10", "IMG_2", "IMG_1"], key=natural_key) == ["IMG_1", "IMG_2", "IMG_10"]


# --- sorting by content: the vocabulary, where a word stands, never guessing wrong -------------


def _page(*rows: tuple[str, float, float, float], size: tuple[int, int] = (1000, 1400)) -> PageText:
    """Lines as (text, x0, y0, height): the boxes an OCR engine gives (width from the text)."""
    lines = tuple(
        Line(text, (x0, y0, x0 + 30 * len(text), y0 + height), 0.98)
        for text, x0, y0, height in rows
    )
    return PageText(lines, size)


def _source(name: str = "IMG_1.jpg") -> SourceFile:
    return SourceFile(Path("/case") / name, name, "0" * 64, 1, MediaType.JPEG)


@pytest.mark.parametrize("script", [HANS, HANT])
@pytest.mark.parametrize("paper", PAPERS, ids=lambda p: p.name)
def test_generated_papers_sort_right_from_their_lines(paper: Paper, script: str) -> None:
    """This test ensures every generated paper (real titles, headers, stamps, distractors) in
    Simplified and Taiwan Traditional reads as its kind, and none of ours stays out with a reason
    that names its title."""
    _, text = draw(paper, script)
    doc, said = by_content(_source(), None, (text,), "王测试")
    codes = [f.code for f in said]
    if paper.kind is None:
        assert doc is None
        assert codes[-1] in ("UNCLASSIFIED_OTHER", "UNCLASSIFIED"), codes
        assert "SORTED_BY_CONTENT" not in codes
    else:
        assert doc is not None and doc.kind is paper.kind, codes
        assert "SORTED_BY_CONTENT" in codes


def test_a_title_decides_and_the_reason_names_it() -> None:
    """This test ensures a lab report's title decides (a 医院 line does not make it a bill) and the
    finding says so in both languages: 页面标题是“检验报告单”，所以归入“疾病证明”."""
    text = _page(
        ("某某市第一人民医院", 300, 60, 44),
        ("检验报告单", 380, 120, 60),
        ("姓名：王测试  科别：内科", 80, 240, 30),
        ("备注：请妥善保管", 80, 290, 30),
    )
    doc, said = by_content(_source(), None, (text,), None)
    assert doc is not None and doc.kind is Kind.MEDICAL
    sorted_ = next(f for f in said if f.code == "SORTED_BY_CONTENT")
    assert sorted_.params["where"] == "title" and sorted_.params["phrase"] == "检验报告单"
    zh = message(sorted_, "zh")
    assert "页面标题是“检验报告单”，所以归入“疾病证明”" in zh
    assert "the page's title is “检验报告单”, so it is filed under “Medical certificates”" in (
        message(sorted_, "en")
    )
    assert content_reason(sorted_.params, "zh") == "页面标题是“检验报告单”"


def test_a_results_header_is_medical_not_expenses() -> None:
    """This test ensures 项目 + 结果 + 参考范围 + 单位 on one row (cells read as separate lines)
    reads as a lab report, with no title, and the reason names the header."""
    cells = ["项目", "结果", "参考范围", "单位"]
    text = _page(
        *[(c, 80 + 220 * n, 300, 30) for n, c in enumerate(cells)],
        ("白细胞", 80, 350, 30),
        ("11.2", 300, 350, 30),
        ("3.5-9.5", 520, 350, 30),
    )
    verdict = judge([text])
    assert verdict.kind is Kind.MEDICAL
    assert verdict.where == "header" and verdict.phrase == "项目、结果、参考范围、单位"
    # The same cells spread over different rows are not a header.
    scattered = _page(*[(c, 80, 300 + 200 * n, 30) for n, c in enumerate(cells)])
    assert judge([scattered]).kind is None


def test_a_bills_header_is_expenses() -> None:
    """This test ensures an itemised header (项目名称 数量 单价 金额) counts for expenses."""
    cells = ["项目名称", "数量", "单价", "金额"]
    verdict = judge([_page(*[(c, 80 + 220 * n, 300, 30) for n, c in enumerate(cells)])])
    assert verdict.kind is Kind.EXPENSES and verdict.where == "header"


def test_a_stamp_decides_and_its_hospital_name_is_not_medical() -> None:
    """This test ensures 财务专用章 counts for expenses and the 医院 on the seal does not count
    for medical; 医院 + 诊断 on a seal counts for medical."""
    finance = _page(
        ("今收到王测试交来款项", 80, 200, 30),
        ("金额：300.00", 80, 250, 30),
        ("某某市第一人民医院财务专用章", 500, 400, 26),
    )
    verdict = judge([finance])
    assert verdict.kind is Kind.EXPENSES and verdict.where == "stamp"
    assert verdict.phrase == "财务专用章"
    assert verdict.scores is not None and verdict.scores[Kind.MEDICAL] == 0
    diagnosis = _page(
        ("兹证明王测试于我院就诊", 80, 200, 30),
        ("建议休息两周", 80, 250, 30),
        ("某某市第一人民医院诊断证明专用章", 500, 400, 26),
    )
    verdict = judge([diagnosis])
    assert verdict.kind is Kind.MEDICAL


@pytest.mark.parametrize(
    ("rows", "kind"),
    [
        # A payslip's 医疗保险 and 失业保险 are deductions, not illness or job loss.
        (
            (
                ("工资条", 420, 60, 60),
                ("医疗保险 120.00", 80, 240, 30),
                ("失业保险 30.00", 80, 290, 30),
            ),
            Kind.INCOME,
        ),
        # A statement's 医院 row does not make it medical.
        (
            (
                ("交易明细", 400, 60, 60),
                ("某某医院 消费 350.00", 80, 240, 30),
                ("余额 4970.10", 80, 290, 30),
            ),
            Kind.INCOME,
        ),
        # A receipt from a hospital proves a cost.
        (
            (
                ("门诊收费票据", 380, 60, 60),
                ("某某医院 科室：内科", 80, 240, 30),
                ("诊断：感冒", 80, 290, 30),
            ),
            Kind.EXPENSES,
        ),
        # 检查费 is a cost (the longest word wins over 检查).
        (
            (("收据", 440, 60, 60), ("检查费 180.00", 80, 240, 30), ("治疗费 90.00", 80, 290, 30)),
            Kind.EXPENSES,
        ),
        # 解除劳动合同 is a hardship, not an employment contract.
        ((("解除劳动合同证明", 340, 60, 60), ("特此证明", 80, 240, 30)), Kind.CIRCUMSTANCES),
    ],
)
def test_distractors_do_not_mislead(
    rows: tuple[tuple[str, float, float, float], ...], kind: Kind
) -> None:
    """This test ensures words that belong to another kind inside a paper do not sort it wrong."""
    assert judge([_page(*rows)]).kind is kind


def test_a_train_ticket_is_known_by_its_route_and_seat() -> None:
    """This test ensures a ticket whose printed words are few (stations and train number read as
    separate cells, a seat) is an expense, the route named as printed."""
    text = _page(
        ("北京南站", 80, 200, 40),
        ("G101", 400, 200, 40),
        ("上海虹桥站", 700, 200, 40),
        ("2026年11月20日08:00开", 80, 260, 30),
        ("05车12A号", 600, 260, 30),
        ("王测试", 80, 320, 30),
    )
    verdict = judge([text])
    assert verdict.kind is Kind.EXPENSES and verdict.matched == ("05车12A号",)
    route = judge(
        [_page(("北京南站", 80, 200, 40), ("G101", 400, 200, 40), ("上海虹桥站", 700, 200, 40))]
    )
    assert route.kind is Kind.EXPENSES and route.matched == ("北京南站G101上海虹桥站",)


def test_a_close_call_stays_out_naming_both() -> None:
    """This test ensures two titles of different kinds leave the file out, both kinds named."""
    text = _page(
        ("发票  出院记录", 300, 60, 60), ("收据", 80, 240, 30), ("合计 300.00", 80, 290, 30)
    )
    doc, said = by_content(_source(), None, (text,), None)
    assert doc is None
    close = next(f for f in said if f.code == "UNCLASSIFIED_CLOSE")
    assert {close.params["first"], close.params["second"]} == {"expenses", "medical"}


def test_none_of_our_kinds_stays_out_with_its_title() -> None:
    """This test ensures an exam that mentions 医院 stays out, its title named in the reason."""
    text = _page(
        ("2026年普通高等学校招生全国统一考试", 150, 60, 56),
        ("注意事项：考生务必将姓名填写在答题卡上", 80, 240, 30),
        ("1. 某医院有医生20人，则", 80, 290, 30),
    )
    doc, said = by_content(_source(), None, (text,), None)
    assert doc is None
    other = next(f for f in said if f.code == "UNCLASSIFIED_OTHER")
    assert other.params["title"] == "2026年普通高等学校招生全国统一考试"
    assert "标题读作“2026年普通高等学校招生全国统一考试”" in message(other, "zh")
    assert "reads like none of the kinds" in message(other, "en")


def test_a_title_named_in_a_finding_is_masked() -> None:
    """This test ensures an ID card's number in the title a finding names is masked."""
    text = _page(
        ("公民身份号码 11010519491231002X", 125, 60, 56),
        ("签发机关 某某公安局", 80, 240, 30),
        ("有效期限 2020.01.01-2040.01.01", 80, 290, 30),
    )
    doc, said = by_content(_source(), None, (text,), None)
    other = next(f for f in said if f.code == "UNCLASSIFIED_OTHER")
    assert doc is None and "11010519491231002X" not in str(other.params["title"])


def test_single_words_never_decide() -> None:
    """This test ensures a page with only weak words (医院, 金额, 收入) is not sorted."""
    text = _page(("某某医院", 80, 200, 30), ("金额", 80, 250, 30), ("收入", 80, 300, 30))
    assert judge([text]).kind is None


def test_title_lines_are_large_or_centred_short_lines_on_top() -> None:
    """This test ensures the title is the large or centred short line near the top, not a body
    line, not a long sentence, and a text PDF's first short line."""
    text = _page(
        ("委托协议书", 440, 100, 40),
        ("甲方由于经营发展需要，愿意委托乙方完成指定的工作，乙方同意接受委托", 60, 160, 40),
        ("一、委托期限", 60, 220, 30),
        ("二、工作内容", 60, 260, 30),
        ("三、报酬及支付方式", 60, 300, 30),
        ("签字", 60, 1300, 30),
    )
    assert [text.lines[i].text for i in title_lines(text)] == ["委托协议书"]
    pdf = PageText(
        (Line("离职证明", (0, 0, 0, 0), 1.0), Line("兹证明……", (0, 0, 0, 0), 1.0)),
        (0, 0),
        source="pdf",
    )
    assert judge([pdf]).kind is Kind.CIRCUMSTANCES and judge([pdf]).where == "title"


def test_a_chat_screenshot_is_known_by_its_layout() -> None:
    """This test ensures a phone screenshot with a status bar and bubbles on both sides reads as
    communication with few words, and a payment page (label and value on one row) does not."""
    _, chat = draw(next(p for p in PAPERS if p.name == "chat_few_words"))
    verdict = judge([chat])
    assert verdict.kind is Kind.COMMUNICATION and verdict.where == "layout"
    paid = _page(
        ("10:24", 30, 20, 28),
        *[
            (label, 40, 300 + 80 * n, 30)
            for n, label in enumerate(["商户全称", "支付方式", "交易单号"])
        ],
        *[
            (value, 500, 300 + 80 * n, 30)
            for n, value in enumerate(["某某药店", "零钱支付", "4200001"])
        ],
        size=(750, 1624),
    )
    assert judge([paid]).kind is not Kind.COMMUNICATION


def test_a_chat_that_names_papers_is_still_a_chat() -> None:
    """This test ensures bubbles asking for 收入证明 and 情况说明 do not make a chat screenshot
    (no title bar) an income paper: in a conversation a paper's name is talked about."""
    chat = dataclasses.replace(next(p for p in PAPERS if p.name == "chat_service"), bar="")
    assert judge([draw(chat)[1]]).kind is Kind.COMMUNICATION


def test_traditional_and_taiwan_wording_meet_the_same_entries() -> None:
    """This test ensures 線上客服 (Taiwan), 檢驗報告單 and 對帳單 find 在线客服, 检验报告单, 对账单."""
    for title, kind in (
        ("線上客服", Kind.COMMUNICATION),
        ("檢驗報告單", Kind.MEDICAL),
        ("對帳單", Kind.INCOME),
        ("糧單", Kind.INCOME),  # Hong Kong's payslip
        ("病假紙", Kind.MEDICAL),  # Hong Kong's sick-leave note,
    ):
        assert judge([_page((title, 420, 60, 60), ("備註", 80, 240, 30))]).kind is kind, title


def test_a_hong_kong_stamp_meets_its_entry() -> None:
    """This test ensures a seal in Hong Kong forms (衞生院, which t2s keeps) reads through hk2s."""
    text = _page(
        ("茲證明王測試於本院就診", 80, 200, 30),
        ("建議休息兩週", 80, 250, 30),
        ("某某鎮衞生院診斷專用章", 500, 400, 26),
    )
    verdict = judge([text])
    assert verdict.kind is Kind.MEDICAL and verdict.where == "stamp"


def test_the_vocabulary_is_complete_and_checked() -> None:
    """This test ensures the packaged table holds every word the issue lists, each entry with a
    weight and a why, and a broken table is refused naming the entry."""
    vocab = vocabulary()
    words = {w: e.kind for e in vocab.entries for w in e.words}
    for kind, listed in {
        Kind.MEDICAL: "检验报告单 化验单 检查报告 影像诊断报告 门诊病历 住院病历 入院记录 出院记录 出院小结 "
        "处方笺 医嘱单 诊断证明书 病假证明 手术记录",
        Kind.EXPENSES: "增值税普通发票 增值税专用发票 电子发票 机动车销售统一发票 定额发票 出租汽车发票 "
        "通用机打发票 电子客票 火车票 报销凭证 签购单 pos 交易凭条 收费票据 医疗费用结算单 住院费用清单 "
        "缴费通知 账单 收据 药品清单",
        Kind.INCOME: "工资条 工资单 薪资明细 收入证明 个人所得税纳税记录 完税证明 社保缴费明细 公积金缴存 "
        "代发工资 银行流水 交易明细 回单",
        Kind.CIRCUMSTANCES: "离职证明 解除劳动合同 失业登记 失业保险金 低保 残疾证 死亡证明 事故认定书 情况说明 "
        "居委会 村委会",
        Kind.COMMUNICATION: "在线客服 聊天记录 通话记录 短信 工单 协商记录",
    }.items():
        for word in listed.split():
            assert words.get(word) is kind, word
    assert all(e.why and 1 <= e.weight <= 20 for e in vocab.entries)
    assert {h.kind for h in vocab.headers} >= {Kind.MEDICAL, Kind.EXPENSES, Kind.INCOME}
    raw = tomllib.loads('[[medical]]\nwords = ["化验单"]\nweight = 8\n')
    with pytest.raises(ValueError, match=r"\[\[medical\]\] #1.*why"):
        parse(raw)
    raw = tomllib.loads("[[income]]\nwords = ['x']\nweight = 2\nwhy = 'w'\npatterns = ['(']\n")
    with pytest.raises(ValueError, match=r"\[\[income\]\] #1: pattern"):
        parse(raw)


def test_the_web_card_and_the_finding_give_the_same_reason() -> None:
    """This test ensures the web card's sentence carries the finding's reason string."""
    from packager.web.readside import said_words as _said

    finding = Finding(
        "SORTED_BY_CONTENT",
        Severity.INFO,
        file="IMG_1.jpg",
        params={
            "kind": "expenses",
            "matched": "财务专用章",
            "where": "stamp",
            "phrase": "财务专用章",
        },
    )
    reason = content_reason(finding.params, "zh")
    assert reason == "印章上写着“财务专用章”"
    assert reason in _said(finding, "zh") and reason in message(finding, "zh")
    assert content_reason(finding.params, "en") in _said(finding, "en")
