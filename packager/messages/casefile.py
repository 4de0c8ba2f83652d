"""Words for case.toml mistakes: what to write instead, and what a value should be."""

from __future__ import annotations

# What to write instead, per field: shown in every message about that field.
EXAMPLES: dict[str, str] = {
    "applicant.name": 'name = "张三"',
    "applicant.id_number": 'id_number = "11010519491231002X"',
    "applicant.phone": 'phone = "13800138000"',
    "applicant.address": 'address = "北京市朝阳区某某路 1 号"',
    "account.platform": 'platform = "支付宝"',
    "account.product": 'product = "花呗"',
    "account.account": 'account = "zhang***@example.com"',
    "account.credit_limit": "credit_limit = 10000.00",
    "account.amount_owed": "amount_owed = 3800.00",
    "account.overdue_since": "overdue_since = 2026-11-20",
    "account.recipient": 'recipient = "支付宝客户服务中心"',
    "account.mailing_address": 'mailing_address = "浙江省杭州市……"',
    "request.plan": 'plan = "分12期"   # 或 "一次性还清"、"分期还款"、"延期还款"、"停息挂账"',
    "request.installments": "installments = 12",
    "request.defer_days": "defer_days = 30",
    "request.stop_interest": "stop_interest = true",
    "request.reason": 'reason = "疾病"   # 或 "失业"、"收入下降"、"家庭变故"、"其他"；几个原因：["疾病", "收入下降"]',
    "request.statement": 'statement = "今年 9 月起因病住院，收入中断……"',
    "contact.date": "date = 2026-11-22",
    "contact.channel": 'channel = "phone"   # 或 "online"、"app"、"letter"',
    "contact.reference": 'reference = "工单 20261122-0001"',
    "contact.summary": 'summary = "客服建议提交协商材料"',
    "submission.date": "date = 2026-12-01   # 寄出或上传的日期",
    "submission.channel": 'channel = "邮寄"   # 或 "上传"（mail | upload）',
    "submission.tracking": 'tracking = "EA123456789CN"   # EMS 或挂号信单号',
    "submission.reference": 'reference = "工单 20261201-0002"',
    "submission.note": 'note = "在支付宝 App 我的客服 里上传"',
    "agreement.date": "date = 2026-12-20   # 平台同意方案的日期",
    "agreement.plan": 'plan = "分期"   # 或 "一次性还清"、"延期"',
    "agreement.total": "total = 7600.00   # 约定要还的总金额（元）",
    "agreement.installments": "installments = 12",
    "agreement.first_due": "first_due = 2027-01-10",
    "agreement.day_of_month": "day_of_month = 10   # 每月几号还款（1–31）",
    "agreement.due": "due = 2027-01-10   # 一次性还款的日期",
    "agreement.reference": 'reference = "协商编号 XY20261220"',
    "finances.monthly_income": "monthly_income = 4800.00   # 现在每月税后收入，没有收入写 0",
    "finances.previous_monthly_income": "previous_monthly_income = 6000.00",
    "finances.dependants": "dependants = 2",
    "expense.item": 'item = "住院医疗费"',
    "expense.amount": "amount = 9180.00",
    "expense.period": 'period = "once"   # 或 "monthly"（一次性 | 每月）',
    "expense.date": "date = 2026-09-21",
    "expense.month": 'month = "2026-10"',
    "expense.proof": 'proof = "疾病证明/收费票据.jpg"',
    "eligibility.max_owed_ratio": 'max_owed_ratio = 0.40   # 或 "40%"',
    "eligibility.max_overdue_days": "max_overdue_days = 14",
    "output.upload_max_mb": "upload_max_mb = 10",
    "output.image_max_mb": "image_max_mb = 2",
    "output.language": 'language = "zh-Hans"   # 或 "zh-Hant"',
    "privacy.mask_phone_in_letter": "mask_phone_in_letter = true",
    "password.file": 'file = "收入证明/银行流水.pdf"',
    "password.password": 'password = "123456"',
    "file.path": 'path = "IMG_20261121_093120.jpg"',
    "file.kind": 'kind = "expenses"   # 或 "income"、"medical"、"circumstances"、"communication"',
    "file.exclude": "exclude = true",
}


PROBLEMS = {
    "zh": {
        "float": "应为数字",
        "int": "应为整数",
        "date": "应为日期",
        "string": "应为文字（加英文双引号）",
        "bool": "应为 true 或 false",
        "list": "应为 [[…]] 表格列表",
        "dict": "应为 […] 表格",
        "other": "格式不对",
    },
    "en": {
        "float": "must be a number",
        "int": "must be a whole number",
        "date": "must be a date",
        "string": "must be text in double quotes",
        "bool": "must be true or false",
        "list": "must be a [[…]] table list",
        "dict": "must be a […] table",
        "other": "wrong format",
    },
}


# What a person types wrong in case.toml with a Chinese input method.
TOML_MISTAKES: dict[str, dict[str, str]] = {
    "TOML_FULLWIDTH_EQUALS": {
        "zh": "{file} 第 {line} 行用了中文的等号“＝”，要用英文（半角）的“=”：\n  {text}\n  {caret}\n请改成：\n  {fix}",
        "en": "{file} line {line} uses a full-width equals sign “＝”; type a half-width “=”:\n  {text}\n  {caret}\nWrite instead:\n  {fix}",
    },
    "TOML_CHINESE_QUOTES": {
        "zh": '{file} 第 {line} 行用了中文引号“ ”，文字要用英文双引号 " " 括起来：\n  {text}\n  {caret}\n请改成：\n  {fix}',
        "en": '{file} line {line} uses Chinese quotes “ ”; text needs plain double quotes " ":\n  {text}\n  {caret}\nWrite instead:\n  {fix}',
    },
    "TOML_AMOUNT_UNIT": {
        "zh": "{file} 第 {line} 行的金额后面写了单位，金额只写数字（单位默认是元）：\n  {text}\n  {caret}\n请改成：\n  {fix}",
        "en": "{file} line {line} has a unit after the amount; write the number only (yuan is assumed):\n  {text}\n  {caret}\nWrite instead:\n  {fix}",
    },
    "TOML_NEWLINE_IN_QUOTES": {
        "zh": "{file} 第 {line} 行的文字在引号里换了行。一对英文双引号里只能写一行；要写很多行，请用三个双引号把整段括起来：\n  {text}\n  {caret}\n例如：\n  {fix}",
        "en": "{file} line {line}: the text breaks the line inside its quotes. One pair of quotes holds one line; for several lines put the whole text between triple quotes:\n  {text}\n  {caret}\nFor example:\n  {fix}",
    },
}
