"""Read and validate ``case.toml``: the trust boundary of the case folder.

Shape is checked here (syntax, unknown keys, types, choices) and any problem
raises ``ConfigError`` (exit 3) with a message naming the field and what to
write. Whether the case is *complete* is not this module's business: missing
values are allowed here and become findings in ``checks``, so a freshly
scaffolded case is "incomplete" (exit 5), never "invalid" (exit 3).
"""

from __future__ import annotations

import difflib
import re
import tomllib
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from packager import messages
from packager.errors import ConfigError
from packager.privacy import mask_text

CASE_FILE = "case.toml"


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
}


def _choice(enum: type[StrEnum]) -> Any:
    """Accept the English value or any Chinese alias, case-insensitively."""

    def convert(value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            mapped = ALIASES[enum].get(text) or ALIASES[enum].get(text.lower())
            return mapped or text.lower()
        return value

    return BeforeValidator(convert)


_CN_DATE = re.compile(r"^\s*(\d{4})\s*[年/.\-]\s*(\d{1,2})\s*[月/.\-]\s*(\d{1,2})\s*日?\s*$")


def _to_date(value: object) -> object:
    """Accept TOML dates, "2026-11-20", "2026/11/20" and "2026年11月20日"."""
    if isinstance(value, str):
        m = _CN_DATE.match(value)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            try:
                return date(y, mo, d)
            except ValueError:
                return value
    return value


def _to_amount(value: object) -> object:
    """Accept 3800, 3800.0, "3,800" and "3800元"."""
    if isinstance(value, str):
        cleaned = value.replace(",", "").replace("，", "").replace("元", "").strip()
        cleaned = cleaned.removeprefix("¥").removeprefix("￥").strip()
        try:
            return float(cleaned)
        except ValueError:
            return value
    return value


Text = Annotated[str | None, Field(default=None)]
Amount = Annotated[float | None, BeforeValidator(_to_amount), Field(default=None)]
Day = Annotated[date | None, BeforeValidator(_to_date), Field(default=None)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class _Fillable(_Strict):
    """A section the user fills in: ``field = ""`` (as ``packager init`` writes it) means unset.

    So a fresh template is incomplete (exit 5), never invalid (exit 3), even
    for numbers, dates and choices left as empty quotes.
    """

    @model_validator(mode="before")
    @classmethod
    def _blank_is_unset(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: None if isinstance(v, str) and not v.strip() else v for k, v in data.items()}
        return data


class Applicant(_Fillable):
    """[applicant]: who asks."""

    name: Text = None
    id_number: Text = None
    phone: Text = None
    address: Text = None


class Account(_Fillable):
    """[account]: the debt and the lender."""

    platform: Text = None
    product: Text = None
    account: Text = None
    credit_limit: Amount = None
    amount_owed: Amount = None
    overdue_since: Day = None
    recipient: Text = None
    mailing_address: Text = None


class Request(_Fillable):
    """[request]: the plan and the hardship."""

    plan: Annotated[Plan | None, _choice(Plan)] = None
    installments: int | None = None
    defer_days: int | None = None
    reason: Annotated[Reason | None, _choice(Reason)] = None
    statement: Text = None


class Contact(_Fillable):
    """One [[contact]] entry of the communication log."""

    date: Day = None
    channel: Annotated[Channel | None, _choice(Channel)] = None
    reference: Text = None
    summary: Text = None


class Output(_Strict):
    """[output]: optional knobs."""

    upload_max_mb: float = 10.0
    image_max_mb: float = 2.0
    language: Literal["zh-Hans", "zh-Hant"] = "zh-Hans"


class Password(_Strict):
    """One [[password]] entry: the password of an encrypted source PDF."""

    file: str
    password: str


class Case(_Strict):
    """The whole case file."""

    applicant: Applicant = Applicant()
    account: Account = Account()
    request: Request = Request()
    contact: tuple[Contact, ...] = ()
    output: Output = Output()
    password: tuple[Password, ...] = ()


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
    "request.plan": 'plan = "lump_sum"   # 或 "installments"、"deferral"',
    "request.installments": "installments = 12",
    "request.defer_days": "defer_days = 30",
    "request.reason": 'reason = "illness"   # 或 "unemployment"、"income_drop"、"family"、"other"',
    "request.statement": 'statement = "今年 9 月起因病住院，收入中断……"',
    "contact.date": "date = 2026-11-22",
    "contact.channel": 'channel = "phone"   # 或 "online"、"app"、"letter"',
    "contact.reference": 'reference = "工单 20261122-0001"',
    "contact.summary": 'summary = "客服建议提交协商材料"',
    "output.upload_max_mb": "upload_max_mb = 10",
    "output.image_max_mb": "image_max_mb = 2",
    "output.language": 'language = "zh-Hans"   # 或 "zh-Hant"',
    "password.file": 'file = "收入证明/银行流水.pdf"',
    "password.password": 'password = "123456"',
}

_PROBLEMS = {
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


def load_case(case_dir: Path, lang: str = "zh") -> Case:
    """Read ``case_dir/case.toml``; raise ``ConfigError`` with every problem found."""
    path = case_dir / CASE_FILE
    shown = f"{case_dir.name}/{CASE_FILE}"
    if not path.is_file():
        raise ConfigError(
            messages.render("CASE_FILE_MISSING", lang, {"file": shown, "case": str(case_dir)})
        )
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(
            messages.render("CASE_FILE_UNREADABLE", lang, {"file": shown, "error": exc.strerror})
        ) from exc
    return parse_case(raw, shown, lang)


def parse_case(raw: bytes, shown: str = CASE_FILE, lang: str = "zh") -> Case:
    """Validate case-file bytes; ``shown`` is the name used in messages."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(messages.render("CASE_FILE_ENCODING", lang, {"file": shown})) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_syntax_message(exc, shown, lang)) from exc
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        lines = [_error_message(err, lang) for err in exc.errors(include_url=False)]
        raise ConfigError("\n".join(dict.fromkeys(lines))) from exc


def _syntax_message(exc: tomllib.TOMLDecodeError, shown: str, lang: str) -> str:
    text = str(exc)
    line = getattr(exc, "lineno", None)
    column = getattr(exc, "colno", None)
    m = re.search(r"\(at line (\d+), column (\d+)\)", text)
    if m and line is None:
        line, column = int(m.group(1)), int(m.group(2))
    detail = re.sub(r"\s*\(at line \d+, column \d+\)", "", text)
    if line is None:
        line, column = "?", "?"
    return messages.render(
        "TOML_SYNTAX", lang, {"file": shown, "line": line, "column": column, "error": detail}
    )


def _dotted(loc: tuple[int | str, ...]) -> tuple[str, str]:
    """('contact', 0, 'date') -> ("contact[1].date", "contact.date"): shown, catalog key."""
    shown: list[str] = []
    key: list[str] = []
    for item in loc:
        if isinstance(item, int):
            shown[-1] += f"[{item + 1}]"
        elif not str(item).startswith("function-") and "[" not in str(item):
            shown.append(str(item))
            key.append(str(item))
    return ".".join(shown) or "?", ".".join(key)


_SECTION_MODELS: dict[str, type[BaseModel]] = {
    "applicant": Applicant,
    "account": Account,
    "request": Request,
    "contact": Contact,
    "output": Output,
    "password": Password,
}


def _error_message(err: Any, lang: str) -> str:
    loc = tuple(err["loc"])
    field, key = _dotted(loc)
    lk = messages.lang_key(lang)
    kind = err["type"]
    value = repr(err.get("input"))
    if isinstance(err.get("input"), str):
        value = f'"{err["input"]}"'
    value = mask_text(value)  # an ID or phone typed without quotes is still masked
    if kind == "extra_forbidden":
        name = str(key.split(".")[-1])
        section = key.split(".")[0] if "." in key else ""
        model = _SECTION_MODELS.get(section, Case)
        known = list(model.model_fields)
        nearest = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
        if nearest:
            near = f"{section}.{nearest[0]}" if section else nearest[0]
            hint = messages.render("UNKNOWN_KEY_SUGGEST", lang, {"nearest": near})
        else:
            hint = messages.render("UNKNOWN_KEY_NONE", lang, {"known": ", ".join(known)})
        return messages.render("UNKNOWN_KEY", lang, {"field": field, "suggestion": hint})
    example = EXAMPLES.get(key, "")
    if kind == "missing":
        section = key.rsplit(".", 1)[0] if "." in key else "case.toml"
        return messages.render(
            "MISSING_KEY", lang, {"section": section, "field": field, "example": example}
        )
    if kind in {"enum", "literal_error"}:
        choices = _choices_for(key)
        return messages.render(
            "BAD_CHOICE",
            lang,
            {"field": field, "value": value, "choices": choices, "example": example},
        )
    problem = _PROBLEMS[lk]["other"]
    for prefix in ("float", "int", "date", "string", "bool", "list", "dict"):
        if kind.startswith(prefix) or kind.startswith(f"{prefix}_") or prefix in kind:
            problem = _PROBLEMS[lk][prefix]
            break
    if kind == "tuple_type":
        problem = _PROBLEMS[lk]["list"]
    if kind == "model_type":
        problem = _PROBLEMS[lk]["dict"]
    return messages.render(
        "BAD_VALUE", lang, {"field": field, "value": value, "problem": problem, "example": example}
    )


def _choices_for(key: str) -> str:
    name = key.split(".")[-1]
    enum: type[StrEnum] | None = {"plan": Plan, "reason": Reason, "channel": Channel}.get(name)
    if enum is None:
        return "zh-Hans, zh-Hant"
    return "、".join(f"{m.value}（{CHOICE_NAMES[m.value]}）" for m in enum)
