"""Other words for the user: kinds, case.toml fields, severities, the summary and report."""

from __future__ import annotations

from collections.abc import Mapping

from packager.messages.facts import FACT_TEXT
from packager.messages.lang import Lang
from packager.models import Kind

# The folder a person puts a kind's papers in (the first of classify's folder names).
KIND_FOLDERS: Mapping[Kind, str] = {
    Kind.INCOME: "收入证明",
    Kind.EXPENSES: "支出明细",
    Kind.MEDICAL: "疾病证明",
    Kind.CIRCUMSTANCES: "其他说明",
    Kind.COMMUNICATION: "沟通记录",
}

KIND_TITLES: Mapping[Kind, Mapping[Lang, str]] = {
    Kind.INCOME: {"zh": "收入证明", "en": "Proof of income"},
    Kind.EXPENSES: {"zh": "支出明细", "en": "Expenses"},
    Kind.MEDICAL: {"zh": "疾病证明", "en": "Medical certificates"},
    Kind.CIRCUMSTANCES: {"zh": "其他情况说明", "en": "Other hardship"},
    Kind.COMMUNICATION: {"zh": "沟通记录", "en": "Record of contacts"},
}

# Plain names of case.toml fields, shown beside the dotted name.
FIELD_TITLES: Mapping[str, Mapping[Lang, str]] = {
    "applicant.name": {"zh": "申请人姓名", "en": "your name"},
    "applicant.id_number": {"zh": "身份证号", "en": "ID number"},
    "applicant.phone": {"zh": "手机号", "en": "mobile number"},
    "applicant.address": {"zh": "您的寄件地址", "en": "your postal address"},
    "account.platform": {"zh": "借款平台", "en": "lender"},
    "account.product": {"zh": "产品", "en": "product"},
    "account.account": {"zh": "账户", "en": "account"},
    "account.credit_limit": {"zh": "授信额度", "en": "credit limit"},
    "account.amount_owed": {"zh": "欠款本金", "en": "principal owed"},
    "account.overdue_since": {"zh": "逾期起始日", "en": "overdue since"},
    "account.recipient": {"zh": "收件方", "en": "addressee"},
    "account.mailing_address": {"zh": "平台收件地址", "en": "lender's postal address"},
    "request.plan": {"zh": "还款方案", "en": "repayment plan"},
    "request.installments": {"zh": "分期期数", "en": "number of installments"},
    "request.defer_days": {"zh": "延期天数", "en": "days of deferral"},
    "request.reason": {"zh": "逾期原因类别", "en": "reason"},
    "request.statement": {"zh": "逾期原因说明", "en": "statement"},
    "contact.date": {"zh": "沟通日期", "en": "contact date"},
    "submission.date": {"zh": "提交日期", "en": "date sent"},
    "submission.channel": {"zh": "提交方式", "en": "sent by"},
    "submission.tracking": {"zh": "邮寄单号", "en": "tracking number"},
    "submission.reference": {"zh": "工单号/受理号", "en": "ticket number"},
    "submission.note": {"zh": "备注", "en": "note"},
    "agreement.date": {"zh": "协议日期", "en": "date agreed"},
    "agreement.plan": {"zh": "约定的还款方式", "en": "agreed plan"},
    "agreement.total": {"zh": "约定还款总额", "en": "agreed total"},
    "agreement.installments": {"zh": "期数", "en": "instalments"},
    "agreement.first_due": {"zh": "第一期还款日", "en": "first due date"},
    "agreement.day_of_month": {"zh": "每月还款日（几号）", "en": "day of the month"},
    "agreement.due": {"zh": "还款日", "en": "due date"},
    "agreement.reference": {"zh": "协议编号", "en": "agreement number"},
    "finances.monthly_income": {"zh": "现在每月收入", "en": "monthly income now"},
    "finances.previous_monthly_income": {
        "zh": "困难前每月收入",
        "en": "monthly income before the hardship",
    },
    "finances.dependants": {"zh": "需供养的家人", "en": "dependants"},
    "expense.item": {"zh": "支出项目", "en": "expense item"},
    "expense.amount": {"zh": "支出金额", "en": "expense amount"},
    "expense.period": {"zh": "一次性还是每月", "en": "once or monthly"},
    "expense.date": {"zh": "支出日期", "en": "expense date"},
    "expense.month": {"zh": "支出月份", "en": "expense month"},
    "expense.proof": {"zh": "支出凭证文件", "en": "proof of the expense"},
}

# Why a recommended (not required) field matters.
FIELD_PURPOSE: Mapping[str, Mapping[Lang, str]] = {
    "applicant.id_number": {
        "zh": "平台要据此核对身份（报告和申请书中只显示前 6 位和后 4 位）。",
        "en": "the lender checks who you are (only the first 6 and last 4 are shown). ",
    },
    "applicant.phone": {
        "zh": "平台要通过它联系您（申请书上写全号，方便回电；报告和终端只显示前 3 位和后 4 位）。",
        "en": "the lender calls you on it (in full on the letter; 3****4 in the report and terminal). ",
    },
    "finances.monthly_income": {
        "zh": "支出明细表用它算出每月收支缺口，申请书用它说明还款方案负担得起。",
        "en": "the expense table uses it for the monthly gap, and the letter to show the plan "
        "fits. ",
    },
    "account.credit_limit": {
        "zh": "用来核对欠款并计算欠款占额度的比例。",
        "en": "used to check the amount owed and its share of the limit. ",
    },
}

# Where a threshold comes from (eligibility.Guide.source).
SOURCE_NAMES: Mapping[str, Mapping[Lang, str]] = {
    "folklore": {"zh": "经验规则，非官方", "en": "rule of thumb, not official"},
    "case_file": {
        "zh": "您在 case.toml 的 [eligibility] 里设定",
        "en": "set in case.toml [eligibility]",
    },
}

SEVERITY_NAMES: Mapping[str, Mapping[Lang, str]] = {
    "error": {"zh": "错误", "en": "error"},
    "warning": {"zh": "警告", "en": "warning"},
    "info": {"zh": "提示", "en": "info"},
}

# Words of the terminal summary and of report.html (not findings).
TEXT: Mapping[str, Mapping[Lang, str]] = {
    "complete": {"zh": "材料齐全", "en": "Packet complete"},
    "draft": {
        "zh": "材料不全：已生成草稿，每页标有“草稿 · 材料不全”",
        "en": "Packet incomplete: written as a draft",
    },
    "check_incomplete": {
        "zh": "材料不全：补齐下列错误后才能提交",
        "en": "Packet incomplete: fix the errors below before sending",
    },
    "progress": {"zh": "处理页面", "en": "Reading pages"},
    "kind": {"zh": "材料", "en": "Kind"},
    "required": {"zh": "是否必需", "en": "Required"},
    "documents": {"zh": "份数", "en": "Documents"},
    "pages": {"zh": "页数", "en": "Pages"},
    "state": {"zh": "状态", "en": "Status"},
    "findings": {"zh": "发现", "en": "Findings"},
    "severity": {"zh": "级别", "en": "Severity"},
    "count": {"zh": "条数", "en": "Count"},
    "output": {"zh": "输出", "en": "Output"},
    "report": {"zh": "报告", "en": "Report"},
    "page_images": {"zh": "（每页一张图片，共 {n} 张）", "en": "({n} page images)"},
    "review": {"zh": "审核时间", "en": "Review time"},
    "guidance": {"zh": "协商条件自查", "en": "Eligibility guide"},
    "req_always": {"zh": "必需", "en": "required"},
    "req_reason": {"zh": "必需（原因：{reason}）", "en": "required (reason: {reason})"},
    "req_optional": {"zh": "可选", "en": "optional"},
    "reason_illness": {"zh": "疾病", "en": "illness"},
    "reason_unemployment": {"zh": "失业", "en": "job loss"},
    "reason_family": {"zh": "家庭变故", "en": "family event"},
    "reason_income_drop": {"zh": "收入下降", "en": "lower income"},
    "reason_other": {"zh": "其他", "en": "other"},
    "reasons_line": {"zh": "逾期原因：{reasons}", "en": "Reason: {reasons}"},
    "have": {"zh": "✔ 已有", "en": "✔ present"},
    "missing": {"zh": "✘ 缺少", "en": "✘ missing"},
    "none": {"zh": "—", "en": "—"},
    "estimated": {"zh": "估算", "en": "estimate"},
    "review_line": {
        "zh": "提交后一般 {low}–{high} 个工作日答复：约 {earliest} 至 {latest}（经验估计，非平台承诺）",
        "en": "Answer usually within {low}–{high} working days: about {earliest} to {latest} "
        "(rule of thumb, not a promise)",
    },
    "review_short": {
        "zh": "提交后一般 {low}–{high} 个工作日会有答复（经验估计，不是平台承诺）。",
        "en": "An answer usually comes within {low}–{high} working days (rule of thumb, "
        "not a promise).",
    },
    "review_estimated": {
        "zh": "标“估算”的日期所在年份的放假安排尚未收录，暂按周一至周五计算。",
        "en": "Dates marked “estimate” fall in a year whose holiday calendar is not known yet; "
        "counted Monday to Friday.",
    },
    # {file}: already worded (a path or a package name inside), so never converted again.
    "review_sources": {"zh": "日期依据：{file}", "en": "Dates from: {file}"},
    "source_calendar": {"zh": "{file}（国务院放假安排）", "en": "{file} (State Council holidays)"},
    "source_file": {"zh": "放假安排文件 {file}", "en": "the holidays file {file}"},
    "source_weekdays": {"zh": "周一至周五估算", "en": "Monday to Friday (estimate)"},
    "within": {"zh": "在参考范围内", "en": "within the guide"},
    "beyond": {"zh": "超出参考范围", "en": "beyond the guide"},
    "example_done": {
        "zh": "已建立示例案件 {folder}（虚构的人，数据均为示例）。打开 case.toml 和各分类文件夹照着填写自己的案件；"
        "想看它生成的材料包，运行：\n  {command} build {folder}",
        "en": "Created the example case {folder} (a fictional person). Open its case.toml and "
        "kind folders to see how to fill in your own; to see its packet, run:\n  {command} build {folder}",
    },
    "init_done": {
        "zh": "已建立案件文件夹 {folder}：请先阅读 使用说明.txt，填写 case.toml，"
        "再把材料放进各分类文件夹，然后运行：\n  {command} check {folder}",
        "en": "Created the case folder {folder}: read 使用说明.txt, fill in case.toml, drop "
        "your documents into the kind folders, then run:\n  {command} check {folder}",
    },
    "demo_next": {
        "zh": "以上是一个虚构人物的示例。开始您自己的案件：\n  {command} init inbox/我的案件",
        "en": "That was a fictional person's example. Start your own case:\n"
        "  {command} init inbox/my-case",
    },
    "install_hint": {
        "zh": "想在任何文件夹里直接输入 packager？在本仓库中运行一次 make install。",
        "en": "To type just packager in any folder, run make install once in this repository.",
    },
    # --- the money picture ([finances], [[expense]]): check and report.html ----
    "sec_finances": {"zh": "收支情况", "en": "Income and spending"},
    "fin_income": {"zh": "每月收入 {income} 元", "en": "monthly income {income} yuan"},
    "fin_before": {"zh": "（困难前 {previous} 元）", "en": " (before: {previous})"},
    "fin_monthly": {
        "zh": "每月必要支出 {monthly} 元",
        "en": "necessary spending {monthly} a month",
    },
    "fin_left": {"zh": "每月结余 {left} 元", "en": "{left} left each month"},
    "fin_gap": {"zh": "每月缺口 {gap} 元", "en": "{gap} short each month"},
    "fin_once": {"zh": "近期一次性支出 {once} 元", "en": "recent one-off costs {once}"},
    "fin_plan": {"zh": "每期还款约 {per} 元", "en": "about {per} per installment"},
    "fin_after": {"zh": "还款后每月{state} {after} 元", "en": "{after} {state} after paying"},
    "fin_after_left": {"zh": "结余", "en": "left"},
    "fin_after_short": {"zh": "缺口", "en": "short"},
    "fin_dependants": {"zh": "需供养 {n} 人", "en": "{n} dependants"},
    "fin_expenses": {
        "zh": "支出明细（据 case.toml 写成表格，放在申请书之后）",
        "en": "Expenses (written from case.toml as a table after the letter)",
    },
    "fin_row": {
        "zh": "{item}：{amount} 元，{period}{when}",
        "en": "{item}: {amount} yuan, {period}{when}",
    },
    "fin_proof": {"zh": "，凭证 {proof}", "en": ", proof {proof}"},
    "fin_proof_page": {"zh": "（第 {page} 页）", "en": " (page {page})"},
    "period_once": {"zh": "一次性", "en": "once"},
    "period_monthly": {"zh": "每月", "en": "monthly"},
    # --- report.html ------------------------------------------------------
    "report_title": {"zh": "逾期还款协商材料包报告", "en": "Overdue-repayment negotiation packet"},
    "generated": {
        "zh": "{date} 由 {generator} 生成。本报告只保存在您自己的电脑上，没有上传到任何地方。",
        "en": "Made on {date} by {generator}. This report stays on your computer; nothing "
        "was uploaded.",
    },
    "banner_complete": {
        "zh": "材料齐全，可以提交。",
        "en": "Complete: ready to send.",
    },
    "banner_draft": {
        "zh": "草稿 · 材料不全：每一页都标有“草稿 · 材料不全”。请先解决下面的问题，再重新生成：",
        "en": "Draft · incomplete: every page carries the draft mark. Fix these, then build again:",
    },
    "banner_notes": {
        "zh": "另有 {count} 条提醒，见“需要注意的问题”。",
        "en": "{count} more notes under “Findings”.",
    },
    "sec_checklist": {"zh": "材料清单", "en": "Checklist"},
    "sec_findings": {"zh": "需要注意的问题", "en": "Findings"},
    "no_findings": {"zh": "没有发现问题。", "en": "Nothing to fix."},
    "sec_guidance": {"zh": "协商条件自查", "en": "Eligibility guide"},
    "guidance_note": {
        "zh": "下面的门槛只是网上流传的经验说法（{source}），没有法规或平台公开的依据；超出也可以申请，"
        "只是平台可能不同意。唯一有法规依据的条件是：确实无力按期还款，并且仍愿意还款"
        "（《商业银行信用卡业务监督管理办法》第七十条，只适用于银行信用卡）。",
        "en": "These thresholds are only rules of thumb passed around online ({source}); no "
        "regulation or lender publishes them. You can apply beyond them; the lender may say "
        "no. The only documented condition: you really cannot pay on time and still want to "
        "repay (Art. 70 of the credit-card rules, bank credit cards only).",
    },
    "guidance_unknown": {
        "zh": "填写 account.credit_limit（授信额度）和 account.overdue_since（逾期起始日）后才能计算。",
        "en": "Fill in account.credit_limit and account.overdue_since to compute these.",
    },
    "sec_review": {"zh": "审核时间", "en": "When to expect an answer"},
    "review_basis": {
        "zh": "从 {start} 起按中国大陆工作日计算（含调休上班的周末，不含法定节假日）。"
        "“{low}–{high} 个工作日”只是经验说法，不是平台的承诺；超过时间没有答复，可以打电话询问进度。",
        "en": "Counted from {start} in mainland working days (make-up working weekends "
        "included, public holidays excluded). “{low}–{high} working days” is a rule of "
        "thumb, not the lender's promise; if you hear nothing by then, call and ask.",
    },
    "sec_pages": {"zh": "逐页预览", "en": "Every page"},
    "page_n": {"zh": "第 {n} 页", "en": "Page {n}"},
    "read_title": {
        "zh": "从这一页读到的文字（前几行）",
        "en": "Text read on this page (first lines)",
    },
    "letter_source": {"zh": "申请书（自动生成）", "en": "Letter (generated)"},
    "source_page": {"zh": "{file} 第 {page} 页", "en": "{file}, page {page}"},
    "sec_outputs": {"zh": "生成的文件", "en": "Files made"},
    "sec_skipped": {"zh": "没有放入材料包的文件", "en": "Files left out of the packet"},
    "sec_next": {"zh": "下一步怎么做", "en": "What to do next"},
    "next_check": {
        "zh": "逐页看一遍下面的预览：每页是否清晰、方向是否正确、有没有放错的材料。",
        "en": "Look through every page below: sharp, upright, nothing in the wrong place.",
    },
    "next_draft_stop": {
        "zh": "这是草稿（文件名带“草稿”，每页印有“草稿 · 材料不全”），材料还不全，请先不要提交或寄出。",
        "en": "This is a draft (“草稿” in its file names, “草稿 · 材料不全” across every page): "
        "it is not complete yet, so do not send it.",
    },
    "next_draft_missing": {
        "zh": "先补齐：{items}",
        "en": "First fix: {items}",
    },
    "next_draft_rebuild": {
        "zh": "补齐后重新生成；报告显示“材料齐全”、文件名里没有“草稿”时，再按下面的方式提交。",
        "en": "Then build again; once the report says complete and no file name says 草稿, "
        "send it as described here.",
    },
    "next_upload": {
        "zh": "网上提交：在 {platform} App 或官网的协商还款/客服入口上传 {upload}；"
        "如果表单只收图片，就上传逐页图片。上传后截图保存提交成功的页面。",
        "en": "Online: upload {upload} in the {platform} app or website (repayment "
        "negotiation or customer service). If the form takes images only, upload the page "
        "images. Screenshot the confirmation.",
    },
    "next_mail": {
        "zh": "邮寄：打印 {print}，信封上注明“逾期还款协商”，寄给 {recipient}。"
        "请用挂号信或 EMS 等能查询的方式寄出；寄出前自己留一份完整复印件，并保存邮寄回执和单号。",
        "en": "By post: print {print}, write “逾期还款协商” on the envelope and send it to "
        "{recipient} by registered or tracked mail. Keep a full copy for yourself and the "
        "receipt with its tracking number.",
    },
    "next_record": {
        "zh": "记录每一次沟通：日期、方式（电话、在线客服、App）、客服工号、对方答应了什么；能录音就录音。"
        "把记录补进 case.toml 的 [[contact]]，下次生成时会写进申请书。谈妥的方案请对方书面确认（短信、App 消息或函件）。",
        "en": "Record every contact: date, channel (phone, chat, app), agent number and what "
        "was promised; record calls when you can. Add them to case.toml as [[contact]] and "
        "they go into the letter next time. Ask for any agreed plan in writing.",
    },
    "next_wait": {
        "zh": "等待答复期间保持手机畅通；按时接听平台电话。",
        "en": "Keep your phone on while you wait and answer the lender's calls.",
    },
    "next_card": {
        "zh": "信用卡个性化分期一旦达成，会在征信报告上显示为“信用卡个性化分期”，"
        "并且在还清之前不能再申请任何银行的信用卡。",
        "en": "An agreed personalised card plan shows on your credit report as "
        "“信用卡个性化分期”, and you may not apply for any credit card until it is paid off.",
    },
    "next_scam": {
        "zh": "不要付钱给任何“债务协商”“停息挂账”“反催收”中介，直接和平台官方联系；"
        "不要把密码、短信验证码告诉任何人，包括自称客服的人。",
        "en": "Never pay a “debt negotiation” agency; deal with the lender directly. Never "
        "give anyone a password or SMS code, even someone who says they are customer service.",
    },
    "next_12378": {
        "zh": "遇到不当催收（辱骂、威胁、骚扰家人同事等），可拨打 12378"
        "（国家金融监督管理总局消费者投诉热线）投诉，并保留录音和截图。",
        "en": "For improper collection (insults, threats, calling family or colleagues), "
        "complain on 12378 (the NFRA consumer hotline) and keep recordings and screenshots.",
    },
    **FACT_TEXT,
}

# What else answers a missing kind: the 支出明细 page can be written from case.toml.
INSTEAD: Mapping[str, Mapping[Lang, str]] = {
    "expenses": {
        "zh": "没有单据也可以：在 case.toml 里逐项写下开支（[[expense]]，每项写 item、amount、"
        "period），会自动生成一页支出明细。",
        "en": " No receipts? List your spending in case.toml ([[expense]] with item, amount and "
        "period) and a 支出明细 page is written for you.",
    },
}

WHY_REQUIRED: Mapping[str, Mapping[Lang, str]] = {
    "always": {"zh": "每份协商申请都需要这类材料。", "en": "Every request needs it. "},
    "illness": {"zh": "申请原因是疾病，需要医院出具的证明。", "en": "The reason is illness. "},
    "unemployment": {
        "zh": "申请原因是失业，需要相关说明或证明。",
        "en": "The reason is job loss. ",
    },
    "family": {
        "zh": "申请原因是家庭变故，需要相关说明或证明。",
        "en": "The reason is a family event. ",
    },
}

WEEKDAYS: Mapping[Lang, tuple[str, ...]] = {
    "zh": tuple("一二三四五六日"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
DAY: Mapping[Lang, str] = {
    "zh": "{year}年{month}月{day}日（周{weekday}）",
    "en": "{weekday} {day} {month} {year}",
}
