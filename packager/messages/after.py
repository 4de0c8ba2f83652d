"""Findings about the case after the packet is sent: part of the findings catalog."""

from __future__ import annotations

from collections.abc import Mapping

from packager.messages.lang import Lang

AFTER_FINDINGS: Mapping[str, Mapping[Lang, str]] = {
    "SUBMISSION_NOT_SENT": {
        "zh": "材料包还没有寄出或上传。寄出或上传后，请在 case.toml 的 [submission] 写上日期和方式"
        '（例如 date = 2026-12-01、channel = "邮寄"、tracking = "EMS 单号"），packager 会帮您数审核的工作日。',
        "en": "The packet has not been sent yet. Once it is, write the date and channel under "
        '[submission] in case.toml (date = 2026-12-01, channel = "mail", tracking = "…"); '
        "packager then counts the review's working days.",
    },
    "SUBMISSION_WAITING": {
        "zh": "材料包已于 {sent} {channel}提交，今天是第 {day} 个工作日（平台一般在 {low}–{high} 个工作日内答复，"
        "预计 {earliest} 至 {latest}）。请保持手机畅通，陌生来电也请接听，并把每次联系记在 [[contact]] 里。",
        "en": "The packet went out on {sent} ({channel_en}); today is working day {day} "
        "(lenders usually answer within {low}–{high} working days: {earliest} to {latest}). "
        "Keep your phone on, answer unknown numbers, and record every contact under [[contact]].",
    },
    "SUBMISSION_PAST_WINDOW": {
        "zh": "材料包已于 {sent} {channel}提交，到今天已过了 {day} 个工作日，超过平台通常答复的 {high} 个工作日"
        "（{latest}）。请打电话给平台客服询问审核结果，报上编号 {quote}；"
        "也可以把 packager 写好的“跟进函”寄出或上传。通话后请把结果记在 [[contact]] 里。",
        "en": "The packet went out on {sent} ({channel_en}); {day} working days have passed, more than "
        "the usual {high} ({latest}). Call the lender's customer service, quote {quote}, and ask "
        "for the result; or send the follow-up letter packager wrote. Record the call under [[contact]].",
    },
    "SUBMISSION_PAST_WINDOW_NO_NUMBER": {
        "zh": "材料包已于 {sent} {channel}提交，到今天已过了 {day} 个工作日，超过平台通常答复的 {high} 个工作日"
        "（{latest}）。请打电话给平台客服询问审核结果；如果有工单号或邮寄单号，请写进 [submission] 的 "
        'reference 或 tracking（例如 tracking = "EA123456789CN"），通话时报给客服。也可以寄出 packager 写好的“跟进函”。',
        "en": "The packet went out on {sent} ({channel_en}); {day} working days have passed, more than "
        "the usual {high} ({latest}). Call the lender and ask for the result; write any ticket or "
        "tracking number under [submission] (reference, tracking) and quote it. A follow-up "
        "letter has been written too.",
    },
    "AGREEMENT_NO_TOTAL": {
        "zh": "[agreement] 没有写约定的还款总额 total，或总额不大于 0。请写上平台同意的总金额，例如 total = 7600.00。",
        "en": "[agreement] has no total (or it is not above 0). Write the agreed amount, e.g. total = 7600.00.",
    },
    "AGREEMENT_NO_INSTALLMENTS": {
        "zh": "[agreement] 的期数 installments 是 {n}，应为 1 或以上的整数（例如 installments = 12）；"
        "一次性还款请改写 due = 还款日期。",
        "en": "[agreement] installments is {n}; write 1 or more (installments = 12), or due = a date "
        "for a single payment.",
    },
    "AGREEMENT_NO_DUE": {
        "zh": "[agreement] 没有写还款日期：分期请写 first_due（第一期还款日，例如 first_due = 2027-01-10），"
        "一次性还款请写 due。",
        "en": "[agreement] has no due date: write first_due (the first instalment, e.g. "
        "first_due = 2027-01-10), or due for a single payment.",
    },
    "AGREEMENT_DUE_BEFORE": {
        "zh": "[agreement] 的第一个还款日 {first} 早于达成协议的日期 {date}。请对照平台的通知核对这两个日期。",
        "en": "[agreement]: the first due date {first} is before the agreement date {date}. "
        "Check both against the lender's notice.",
    },
    "AGREEMENT_SCHEDULE": {
        "zh": "已按 [agreement] 排出还款计划：共 {n} 期，合计 {total} 元，下一期 {next} 还 {amount} 元。"
        "还款计划表、CSV 和日历提醒文件（.ics）已放在输出文件夹。协议一旦达成请严格按期还款，错过一期通常会使协议失效。",
        "en": "Repayment schedule from [agreement]: {n} payments, {total} in all; next on {next}: "
        "{amount}. The schedule page, a CSV and a calendar file (.ics) are in the output folder. "
        "Keep every payment: one missed usually ends the agreement.",
    },
    "AGREEMENT_DAY_OFF": {
        "zh": "还款日 {days} 是周末或法定节假日，遇节假日请提前还款（在前一个工作日还上）。",
        "en": "Due dates {days} fall on a weekend or public holiday: pay on the working day before.",
    },
}


# Words of the outputs written after submission (file names, CSV, calendar, letter).
FOLLOWUP_FILE = "逾期还款协商-{case}-跟进函.pdf"
SCHEDULE_PDF = "还款计划-{case}.pdf"
SCHEDULE_CSV = "还款计划-{case}.csv"
SCHEDULE_ICS = "日历提醒-{case}.ics"
CSV_HEADER = ("期数", "还款日", "金额（元）", "金额（分）", "备注")
DAY_OFF = "遇节假日请提前还款"
DUE_SUMMARY = "还款第 {index}/{count} 期：{amount} 元（{platform}）"
DUE_DESCRIPTION = (
    "按协商协议（{reference}）第 {index} 期应还 {amount} 元。{off}"
    "协议一旦达成请严格按期还款，错过一期通常会使协议失效。"
)
REVIEW_SUMMARY = "协商审核期满（第 {high} 个工作日）：未收到答复请致电{platform}"
REVIEW_DESCRIPTION = (
    "材料于 {sent} 提交。今天仍未收到答复，请致电客服询问审核结果，报上编号：{quote}。"
)
LENDER = "平台"
SENT_HOW = {"upload": "网上上传", "mail": "邮寄", "": "寄出或上传"}
FOLLOWUP_SENT = "本人已于{sent}通过{how}向贵方提交逾期还款协商申请书及相关证明材料"
FOLLOWUP_TRACKING = "，邮寄单号为 {tracking}"
FOLLOWUP_REFERENCE = "，工单号/受理号为 {reference}"
FOLLOWUP_WAITED = "。截至{today}，已过去 {day} 个工作日（超过一般 {high} 个工作日的审核时间），本人尚未收到审核结果。"
FOLLOWUP_NOTE = "补充说明：{note}"
SCHEDULE_NOTE = (
    "协议一旦达成，请严格按期还款：错过一期通常会使协议失效。"
    "还款日遇周末或法定节假日的，请在前一个工作日还上。每次还款后请保留还款凭证。"
)
