"""The choices case.toml offers (plan, reason, contact channel) and the words people use for them.

A person writes 分期还款 or 生病 rather than ``installments`` or ``illness``:
every alias here is accepted wherever the English value is.
"""

from __future__ import annotations

import re
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


class Sent(StrEnum):
    """How the packet went to the lender ([submission] channel)."""

    UPLOAD = "upload"
    MAIL = "mail"


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
        "一次性还清": "lump_sum",
        "一次性還清": "lump_sum",
        "一次性结清欠款": "lump_sum",
        "结清": "lump_sum",
        "結清": "lump_sum",
        "还清": "lump_sum",
        "停息挂账": "installments",  # with stop_interest: see ``plan_words``
        "停息掛賬": "installments",
        "停息分期": "installments",
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
        "住院": "illness",
        "因病住院": "illness",
        "病": "illness",
        "被裁员": "unemployment",
        "被裁員": "unemployment",
        "裁员": "unemployment",
        "裁員": "unemployment",
        "离职": "unemployment",
        "離職": "unemployment",
        "下岗": "unemployment",
        "没有工作": "unemployment",
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
    Sent: {
        "上传": "upload",
        "上傳": "upload",
        "网上上传": "upload",
        "在线上传": "upload",
        "app上传": "upload",
        "App上传": "upload",
        "线上": "upload",
        "邮寄": "mail",
        "郵寄": "mail",
        "寄送": "mail",
        "挂号信": "mail",
        "掛號信": "mail",
        "ems": "mail",
        "EMS": "mail",
        "快递": "mail",
        "post": "mail",
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


STOP_INTEREST = ("停息挂账", "停息掛賬", "停息分期")
"""Plan words that also ask the lender to stop charging interest (``request.stop_interest``)."""
_N_INSTALLMENTS = re.compile(r"^\s*分\s*(\d{1,3})\s*期(?:还款|還款)?\s*$")


def plan_words(data: dict[str, object]) -> dict[str, object]:
    """Read what people write for a plan: 分12期 -> installments = 12; 停息挂账 -> stop_interest."""
    plan = data.get("plan")
    if not isinstance(plan, str):
        return data
    data = dict(data)
    match = _N_INSTALLMENTS.match(plan)
    if match:
        data["plan"] = Plan.INSTALLMENTS.value
        if data.get("installments") in (None, ""):
            data["installments"] = int(match.group(1))
    elif plan.strip() in STOP_INTEREST:
        data.setdefault("stop_interest", True)
    return data


_REASON_SPLIT = re.compile(r"\s*(?:[、,，/／;；]|和|及|以及)\s*")


def reason_words(value: object) -> object:
    """Several reasons: ["疾病", "收入下降"] or "疾病、收入下降" -> ["illness", "income_drop"].

    Each word goes through the aliases; a word that is not one stays as typed
    (lower-cased), so the choice's own message names it. Repeats are dropped.
    """
    if value is None:
        return []
    if isinstance(value, str):
        value = [part for part in _REASON_SPLIT.split(value) if part.strip()]
    if not isinstance(value, list | tuple):
        return value
    words: list[object] = []
    for item in value:
        if isinstance(item, str):
            text = item.strip()
            if not text:
                continue
            item = ALIASES[Reason].get(text) or ALIASES[Reason].get(text.lower()) or text.lower()
        if item not in words:
            words.append(item)
    return words


CHOICE_NAMES: dict[str, str] = {
    "lump_sum": "一次性还清",
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
    "upload": "网上上传",
    "mail": "邮寄",
    "once": "一次性",
    "monthly": "每月",
}
