"""What the documents print against what case.toml says: part of the findings catalog.

These ask, they never accuse: a payslip may be an old one, a receipt may
have been partly refunded. Each names both figures and the page.
"""

from __future__ import annotations

from collections.abc import Mapping

from packager.messages.lang import Lang

FACT_FINDINGS: Mapping[str, Mapping[Lang, str]] = {
    "INCOME_DIFFERS": {
        "zh": "您写的每月收入是 {stated} 元（{field}），而 {file} 第 {page} 页上{label}是 {found} 元，"
        "相差超过一成。请核对一下：如果这是以前的收入、收入已经变化，请在逾期原因说明中写明"
        "（也可以把它写进 finances.previous_monthly_income）；如果是写错了，请改正 {field}。",
        "en": "You state a monthly income of {stated} yuan ({field}), but {file}, page {page}, "
        "prints {label} {found} yuan: more than 10 % apart. Please check: if that was your "
        "income before, or it has changed, say so in your statement (or put it in "
        "finances.previous_monthly_income); if it is a typo, correct {field}.",
    },
    "EXPENSE_DIFFERS": {
        "zh": "支出“{item}”写的是 {stated} 元（{field}），而它的凭证 {file} 第 {page} 页上{label}是 "
        "{found} 元。请核对一下：如果您实际支付的金额不同（例如医保报销了一部分），请在 item "
        "中写明原因；如果是写错了，请改正 {field}。",
        "en": "The expense “{item}” says {stated} yuan ({field}), but its proof {file}, page "
        "{page}, prints a {label} of {found} yuan. Please check: if what you paid differs "
        "(insurance covered part, say), write why in item; if it is a typo, correct {field}.",
    },
    "DATES_DIFFER": {
        "zh": "逾期原因说明里写的时间是“{stated}”，而 {file} 第 {page} 页上的日期是 {found}，"
        "两者相差一个多月。请核对一下：如果说明里的时间写错了，请改正 {field}；"
        "如果这份材料是另一段时间的，请在说明中写清楚。",
        "en": "Your statement gives the time as “{stated}”, but {file}, page {page}, is "
        "dated {found}: more than a month apart. Please check: if the statement is wrong, "
        "correct {field}; if the document is about another time, say so in the statement.",
    },
    "TOTAL_WORDS_DIFFER": {
        "zh": "{file} 第 {page} 页上的大写金额（{words} 元）和小写金额（{found} 元）读出来不一致，"
        "可能是照片不够清楚。请把这张票据放平、光线充足地重新拍一张，替换这个文件。",
        "en": "On {file}, page {page}, the amount in words ({words} yuan) and in figures "
        "({found} yuan) read differently: the photo may be unclear. Please photograph the "
        "receipt again, flat and in good light, and replace the file.",
    },
    "PROPOSE_INCOME": {
        "zh": "case.toml 还没有写每月收入。{file} 第 {page} 页上{label}是 {amount} 元："
        "如果这就是您现在每月的收入，可以在 case.toml 中写 [finances] monthly_income = {number}"
        "（网页上点“采用”即可）；不是的话请写实际的数字。",
        "en": "case.toml states no monthly income yet. {file}, page {page}, prints {label} "
        "{amount} yuan: if that is your monthly income now, write [finances] monthly_income "
        "= {number} in case.toml (or click “采用” on the web page); if not, write the real figure.",
    },
    "PROPOSE_EXPENSE": {
        "zh": "{file} 第 {page} 页上{label}是 {amount} 元，但没有哪一项 [[expense]] 以它为凭证。"
        "如果这是您的支出，可以加一项支出“{item}”，金额 {amount} 元，proof 写 {file}"
        "（网页上点“采用”即可）。",
        "en": "{file}, page {page}, prints a {label} of {amount} yuan, but no [[expense]] names "
        "it as proof. If it is your expense, add an expense “{item}” of {amount} yuan with "
        "proof = {file} (or click “采用” on the web page).",
    },
}

FACT_TEXT: Mapping[str, Mapping[Lang, str]] = {
    "sec_facts": {"zh": "从材料中读到的数字", "en": "Figures read from your documents"},
    "facts_note": {
        "zh": "这些是从材料照片和文件上读出来的，只供核对：申请书和支出明细只写您自己填写或确认过的数字。"
        "读错的地方以原件为准。",
        "en": "Read from your photos and files, for checking only: the letter and the expense "
        "table state only the figures you wrote or confirmed. Where a reading is wrong, the "
        "original counts.",
    },
    "facts_where": {"zh": "{file} 第 {page} 页", "en": "{file}, page {page}"},
    "facts_packet_page": {"zh": "（材料包第 {n} 页）", "en": " (packet page {n})"},
    "fact_amount": {"zh": "{amount} 元", "en": "{amount} yuan"},
    "facts_read": {"zh": "读到的原文", "en": "As read"},
    "sec_proposals": {"zh": "可以采用的数字", "en": "Figures you may adopt"},
    "fact_net_pay": {"zh": "实发工资", "en": "Net pay"},
    "fact_gross_pay": {"zh": "应发工资", "en": "Gross pay"},
    "fact_salary_credit": {"zh": "工资入账", "en": "Salary credit"},
    "fact_total": {"zh": "合计金额", "en": "Total"},
    "fact_total_words": {"zh": "合计（大写）", "en": "Total in words"},
    "fact_pay_month": {"zh": "工资月份", "en": "Pay month"},
    "fact_pay_date": {"zh": "发放日期", "en": "Pay date"},
    "fact_invoice_date": {"zh": "开票日期", "en": "Invoice date"},
    "fact_admission_date": {"zh": "入院日期", "en": "Admitted"},
    "fact_discharge_date": {"zh": "出院日期", "en": "Discharged"},
    "fact_diagnosis_date": {"zh": "诊断日期", "en": "Diagnosed"},
    "fact_leave_date": {"zh": "离职日期", "en": "Left the job"},
    "fact_name": {"zh": "姓名", "en": "Name"},
}
