"""Words printed in the packet itself, for the lender: always Simplified Chinese.

The case's script (zh-Hant) is applied to them where they are drawn
(``hant.localize``), like to the letter. Messages to the user are elsewhere
in this package, in both languages.
"""

from __future__ import annotations

LABEL = "逾期还款协商"
"""On every page's band, in every file name, and on the envelope: what the lender files it under."""

DRAFT = "草稿"
"""In every file name of a draft: 逾期还款协商-<case>-草稿.pdf, so it is never sent by mistake."""
DRAFT_MARK = "草稿 · 材料不全"
"""Across every page of a draft (and in the band's corner)."""

LETTER_SECTION = "申请书"
LETTER_OUTLINE = "逾期还款协商申请书"
PDF_TITLE = "逾期还款协商申请"
PDF_KEYWORD_LETTER = "申请书"
MAIL_TITLE = "邮寄打印版"
FRONT_TITLES = ("邮寄封面", "地址标签")
"""Bookmarks of the mail packet's cover sheet and address label."""
CONTINUED = "（续）"
"""After a bookmark title that continues in the next part of a split bundle."""


def part_label(part: int, parts: int) -> str:
    """What a part's first page says."""
    return f"第 {part} 部分 / 共 {parts} 部分"


# --- the letter (templates/letter.html fills in the rest) ---------------------
DATE = "{year}年{month}月{day}日"
"""GB/T 9704: Arabic numerals, no zero padding."""
RMB = "人民币"
OWED = "欠款本金人民币 {amount} 元"
OWED_ALL = "全部欠款本金"
PER_INSTALLMENT = "，每期约人民币 {amount} 元"
UNTIL_AGREED = "约定日期"
REQUEST: dict[str, tuple[str, ...]] = {
    "installments": (
        "本人恳请贵方同意将上述{owed}分 {n} 期偿还{per}，"
        "并在分期期间停止计收罚息、减免逾期产生的相关费用。",
        "本人将按照约定的还款计划按期足额还款，第一期款项可在协商达成后按贵方要求的日期支付。",
    ),
    "deferral": (
        "本人恳请贵方给予 {days} 天的延期还款宽限期，本人将在此期间筹措资金，"
        "于{until}前还清{owed}。",
        "恳请贵方在宽限期内暂停计收罚息，并暂停催收。",
    ),
    "lump_sum": (
        "本人恳请贵方同意本人一次性偿还{owed}，并减免逾期产生的利息、罚息及相关费用。",
        "协商达成后，本人将在约定的日期前一次性结清上述款项。",
    ),
}
"""The plan asked for, per ``request.plan``: paragraphs of the letter's request section."""
STOP_INTEREST = (
    "本人恳请贵方同意停息挂账：自协商达成之日起停止计收利息、罚息及其他费用，"
    "将上述{owed}分 {n} 期偿还{per}。",
    "本人将按照约定的还款计划按期足额还款，第一期款项可在协商达成后按贵方要求的日期支付。",
)
"""Installments with ``request.stop_interest`` (停息挂账): interest stops, the debt is parked."""
REASON_PHRASES = {
    "illness": "身患疾病",
    "unemployment": "失去工作",
    "income_drop": "收入下降",
    "family": "家庭发生变故",
}
"""Each ``request.reason`` as the letter states it; "other" is said by the statement alone."""
REASONS = "本人逾期主要是因为{reasons}，具体情况如下。"
REASON_AND = "和"
REASON_COMMA = "、"
PAGE = "第 {first} 页"
PAGES = "第 {first}–{last} 页"
SECTION = "附件{number} {kind}"
SECTION_NUMERALS = "一二三四五六七八九十"
PRODUCT_UNKNOWN = "贷款产品"
NO_STATEMENT = "（尚未填写逾期原因。）"
NO_PLAN = "（尚未选择还款方案。）"
"""A draft without ``request.plan``: the letter asks for nothing it was not told to."""
ENCLOSURE_NOTE = "为证明上述情况，本人随本申请附上{kinds}等材料（详见附件清单）。"
KIND_SEPARATOR = "、"
LETTER_TITLE = "逾期还款协商申请书 — {name}"
NAME_BLANK = "＿＿＿＿"

# --- the mail cover sheet and address label -----------------------------------
COVER_LETTER_ROW = "逾期还款协商申请书（含附件清单）"
COVER_TITLE = "逾期还款协商 邮寄封面 — {name}"

# --- the money picture: the letter's sentences and the 支出明细 page -----------
FIN_INCOME = "本人目前每月收入约人民币 {income} 元"
FIN_NO_INCOME = "本人目前没有收入"
FIN_BEFORE = "（困难发生前约为人民币 {previous} 元）"
FIN_MONTHLY = "每月必要支出约人民币 {monthly} 元"
FIN_SUBJECT = "本人"
FIN_GAP = "每月收支缺口约人民币 {gap} 元"
FIN_LEFT = "收支相抵后每月仅剩约人民币 {left} 元"
FIN_DEPENDANTS = "家中有 {n} 人需要本人供养"
FIN_ONCE = "近期一次性支出（{items}）共计人民币 {once} 元"
FIN_BESIDES = "此外，"
FIN_MORE = "等"
FIN_SEE = "（详见支出明细表）"
FIN_COMMA = "，"
FIN_STOP = "。"
PLAN_FITS = (
    "本人每月收支相抵后约剩人民币 {left} 元，足以支付每期约人民币 {per} 元的还款"
    "（收支情况详见支出明细表）。"
)
PLAN_TIGHT = (
    "本人每月收支相抵后约剩人民币 {left} 元，少于每期约人民币 {per} 元的还款。"
    "本人如实说明这一情况，恳请贵方在确定方案时予以考虑。"
)
PLAN_SHORT = (
    "本人目前每月收入尚不足以覆盖必要支出，每期约人民币 {per} 元的还款需另行筹措；"
    "本人如实说明这一情况，恳请贵方在确定方案时予以考虑。"
)
EXPENSE_SOURCE = "支出明细表（申请人填写）"
"""The written 支出明细 page's name: its bookmark and its line in report.html."""
EXPENSE_TITLE = "支出明细"
EXPENSE_PERIODS = {"once": "一次性", "monthly": "每月"}
EXPENSE_SINCE = "{when}起"
MONTH = "{year}年{month}月"
EXPENSE_PROOF_PAGE = "见第 {page} 页"
EXPENSE_NO_PROOF = "—"
EXPENSE_EMPTY = "—"
EXPENSE_NOTE = (
    "以上支出由申请人本人如实填写，金额单位为人民币元；“凭证”一栏标出所附票据在本材料包中的页码。"
)
PLAN_ROWS = {
    "installments": "分 {n} 期偿还，每期约人民币 {per} 元",
    "lump_sum": "一次性偿还欠款本金{owed}",
    "deferral": "延期 {days} 天后偿还欠款本金{owed}",
}
