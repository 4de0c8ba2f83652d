"""The choices case.toml offers (plan, reason, contact channel) and the words people use for them.

A person writes 分期还款 or 生病 rather than ``installments`` or ``illness``:
every alias here is accepted wherever the English value is.
"""

from __future__ import annotations

from enum import StrEnum


class Plan(StrEnum):
    """What the applicant asks the lender for."""

    LUMP_SUM = "lump_sum"
    INSTALLMENTS = "installments"
    DEFERRAL = "deferral"


class Reason(StrEnum):
    """Why the applicant cannot pay now."""

    ILLNESS = "illness"
    UNEMPLOYMENT = "unemployment"
    INCOME_DROP = "income_drop"
    FAMILY = "family"
    OTHER = "other"


class Period(StrEnum):
    """How often an [[expense]] is paid."""

    ONCE = "once"
    MONTHLY = "monthly"


class Channel(StrEnum):
    """How a contact with the lender happened."""

    PHONE = "phone"
    ONLINE = "online"
    APP = "app"
    LETTER = "letter"


ALIASES: dict[type[StrEnum], dict[str, str]] = {
    Plan: {
        "一次性偿还本金": "lump_sum",
        "一次性還款": "lump_sum",
        "一次性还款": "lump_sum",
        "一次性偿还": "lump_sum",
        "一次性償還本金": "lump_sum",
        "一次性结清": "lump_sum",
        "分期还款": "installments",
        "分期": "installments",
        "分期還款": "installments",
        "个性化分期": "installments",
        "延期还款": "deferral",
        "延期": "deferral",
        "延期還款": "deferral",
        "lump sum": "lump_sum",
        "lump-sum": "lump_sum",
    },
    Reason: {
        "疾病": "illness",
        "生病": "illness",
        "患病": "illness",
        "失业": "unemployment",
        "失業": "unemployment",
        "收入下降": "income_drop",
        "收入减少": "income_drop",
        "收入減少": "income_drop",
        "家庭变故": "family",
        "家庭變故": "family",
        "其他": "other",
        "其它": "other",
    },
    Channel: {
        "电话": "phone",
        "電話": "phone",
        "在线客服": "online",
        "在線客服": "online",
        "在线": "online",
        "网页": "online",
        "app": "app",
        "App": "app",
        "APP": "app",
        "应用": "app",
        "信函": "letter",
        "信件": "letter",
        "邮寄": "letter",
        "郵寄": "letter",
    },
    Period: {
        "一次性": "once",
        "一次": "once",
        "单次": "once",
        "單次": "once",
        "每月": "monthly",
        "按月": "monthly",
        "月度": "monthly",
        "每个月": "monthly",
        "每個月": "monthly",
    },
}


CHOICE_NAMES: dict[str, str] = {
    "lump_sum": "一次性偿还本金",
    "installments": "分期还款",
    "deferral": "延期还款",
    "illness": "疾病",
    "unemployment": "失业",
    "income_drop": "收入下降",
    "family": "家庭变故",
    "other": "其他",
    "phone": "电话",
    "online": "在线客服",
    "app": "App",
    "letter": "信函",
    "once": "一次性",
    "monthly": "每月",
}
