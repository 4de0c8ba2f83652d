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
    "request.reason": 'reason = "疾病"   # 或 "失业"、"收入下降"、"家庭变故"、"其他"',
    "request.statement": 'statement = "今年 9 月起因病住院，收入中断……"',
    "contact.date": "date = 2026-11-22",
    "contact.channel": 'channel = "phone"   # 或 "online"、"app"、"letter"',
    "contact.reference": 'reference = "工单 20261122-0001"',
    "contact.summary": 'summary = "客服建议提交协商材料"',
    "output.upload_max_mb": "upload_max_mb = 10",
    "output.image_max_mb": "image_max_mb = 2",
    "output.language": 'language = "zh-Hans"   # 或 "zh-Hant"',
    "privacy.mask_phone_in_letter": "mask_phone_in_letter = true",
    "password.file": 'file = "收入证明/银行流水.pdf"',
    "password.password": 'password = "123456"',
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
