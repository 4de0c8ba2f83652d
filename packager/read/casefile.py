"""Read and validate ``case.toml``: the trust boundary of the case folder.

Shape is checked here (syntax, unknown keys, types, choices) and any problem
raises ``ConfigError`` (exit 3) with a message naming the field and what to
write. Whether the case is *complete* is not this module's business: missing
values are allowed here and become findings in ``checks``, so a freshly
scaffolded case is "incomplete" (exit 5), never "invalid" (exit 3).
"""

from __future__ import annotations

import hashlib
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
from packager.invocation import quoted
from packager.models import Kind
from packager.read.caseerrors import syntax_message, validation_message
from packager.read.casevalues import to_amount, to_date, to_month
from packager.read.choices import (
    ALIASES,
    Channel,
    Period,
    Plan,
    Reason,
    Sent,
    plan_words,
    reason_words,
)
from packager.read.classify import FOLDERS

CASE_FILE = "case.toml"


def _choice(enum: type[StrEnum]) -> Any:
    """Accept the English value or any Chinese alias, case-insensitively."""

    def convert(value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            mapped = ALIASES[enum].get(text) or ALIASES[enum].get(text.lower())
            return mapped or text.lower()
        return value

    return BeforeValidator(convert)


Text = Annotated[str | None, Field(default=None)]
Amount = Annotated[float | None, BeforeValidator(to_amount), Field(default=None)]
Day = Annotated[date | None, BeforeValidator(to_date), Field(default=None)]
Month = Annotated[date | None, BeforeValidator(to_month), Field(default=None)]


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
    stop_interest: bool | None = None
    reason: Annotated[tuple[Reason, ...], BeforeValidator(reason_words)] = ()
    """Every reason given, in the order written (``reason = "疾病"`` or a list: several at once)."""
    statement: Text = None

    @model_validator(mode="before")
    @classmethod
    def _everyday_words(cls, data: Any) -> Any:
        return plan_words(data) if isinstance(data, dict) else data


class Contact(_Fillable):
    """One [[contact]] entry of the communication log."""

    date: Day = None
    channel: Annotated[Channel | None, _choice(Channel)] = None
    reference: Text = None
    summary: Text = None


class Submission(_Fillable):
    """[submission]: when and how the packet went out, and the numbers to quote on a call."""

    date: Day = None
    channel: Annotated[Sent | None, _choice(Sent)] = None
    tracking: Text = None  # the EMS or registered-mail number
    reference: Text = None  # the app's ticket number
    note: Text = None


class Agreement(_Fillable):
    """[agreement]: what the lender agreed to, once it did; the repayment schedule comes from it.

    A first due date before the agreement, or zero instalments, is a finding
    (``read.schedule``), not a shape error: the rest of the case still builds.
    """

    date: Day = None
    plan: Annotated[Plan | None, _choice(Plan)] = None
    total: Amount = None
    installments: int | None = None
    first_due: Day = None
    day_of_month: int | None = Field(default=None, ge=1, le=31)
    due: Day = None  # a single payment's day
    reference: Text = None

    @model_validator(mode="before")
    @classmethod
    def _everyday_words(cls, data: Any) -> Any:
        return plan_words(data) if isinstance(data, dict) else data


class Finances(_Fillable):
    """[finances]: what comes in each month, and who depends on it."""

    monthly_income: Amount = None
    previous_monthly_income: Amount = None
    dependants: int | None = None


class Expense(_Fillable):
    """One [[expense]] line of the 支出明细 the packager writes."""

    item: Text = None
    amount: Amount = None
    period: Annotated[Period | None, _choice(Period)] = None
    date: Day = None
    month: Month = None
    proof: Text = None


def _ratio(value: object) -> object:
    """40%, "40%", 40 or 0.4 all mean 0.40 of the credit limit."""
    if isinstance(value, str):
        text = value.strip().rstrip("%％").strip()
        try:
            number = float(text)
        except ValueError:
            return value
        return number / 100
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 1:
        return value / 100
    return value


class Eligibility(_Strict):
    """[eligibility]: the guide's thresholds, when the person knows the lender's own."""

    max_owed_ratio: Annotated[float | None, BeforeValidator(_ratio)] = Field(
        default=None, gt=0, le=1
    )
    max_overdue_days: int | None = Field(default=None, ge=0)


class Output(_Strict):
    """[output]: optional knobs."""

    upload_max_mb: float = 10.0
    image_max_mb: float = 2.0
    # zh-Hant: Traditional characters only; -TW / -HK also rephrase our own wording that way.
    language: Literal["zh-Hans", "zh-Hant", "zh-Hant-TW", "zh-Hant-HK"] = "zh-Hans"
    ocr: bool = True  # read the pages: sort unsorted files, turn pages upright
    clean: bool = True  # photos of a sheet on a desk become scans (cropped, flat, white)


class Privacy(_Strict):
    """[privacy]: the applicant's own phone is in full on the letter unless hidden here."""

    mask_phone_in_letter: bool = False


class Password(_Strict):
    """One [[password]] entry: the password of an encrypted source PDF."""

    file: str
    password: str


def _folder_kind(value: object) -> object:
    """Accept a kind's folder name ("收入证明") as well as its value ("income")."""
    if isinstance(value, str):
        text = value.strip().lower()
        return next((k.value for k, names in FOLDERS.items() if text in names), text)
    return value


class FileEntry(_Strict):
    """One [[file]] entry: a person's (or the web page's) decision about one file.

    Its ``kind`` beats the folder and the file name; ``exclude`` leaves the file out;
    ``rotate`` turns a photo clockwise after its EXIF tag (and no page content decides).
    """

    path: str
    kind: Annotated[Kind | None, BeforeValidator(_folder_kind)] = None
    exclude: bool = False
    rotate: Literal[0, 90, 180, 270] = 0


class Case(_Strict):
    """The whole case file."""

    applicant: Applicant = Applicant()
    account: Account = Account()
    request: Request = Request()
    contact: tuple[Contact, ...] = ()
    submission: Submission = Submission()
    agreement: Agreement = Agreement()
    finances: Finances = Finances()
    expense: tuple[Expense, ...] = ()
    output: Output = Output()
    eligibility: Eligibility = Eligibility()
    privacy: Privacy = Privacy()
    password: tuple[Password, ...] = ()
    file: tuple[FileEntry, ...] = ()


def load_case(case_dir: Path, lang: str = "zh") -> Case:
    """Read ``case_dir/case.toml``; raise ``ConfigError`` with every problem found."""
    path = case_dir / CASE_FILE
    shown = f"{case_dir.name}/{CASE_FILE}"
    if not path.is_file():
        raise ConfigError(
            messages.render("CASE_FILE_MISSING", lang, {"file": shown, "case": quoted(case_dir)})
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
        raise ConfigError(syntax_message(exc, shown, lang, text)) from exc
    try:
        return Case.model_validate(data)
    except ValidationError as exc:
        lines = [
            validation_message(err, lang, _SECTION_MODELS) for err in exc.errors(include_url=False)
        ]
        raise ConfigError("\n".join(dict.fromkeys(lines))) from exc


# Where an unknown key's nearest known key is looked for ("" is the top level).
_SECTION_MODELS: dict[str, type[BaseModel]] = {
    "": Case,
    "applicant": Applicant,
    "account": Account,
    "request": Request,
    "contact": Contact,
    "submission": Submission,
    "agreement": Agreement,
    "finances": Finances,
    "expense": Expense,
    "output": Output,
    "eligibility": Eligibility,
    "password": Password,
    "file": FileEntry,
}


def case_file_sha256(case_dir: Path) -> str | None:
    """Hash case.toml *before* it is parsed: a later edit then always reads as a change."""
    try:
        return hashlib.sha256((case_dir / CASE_FILE).read_bytes()).hexdigest()
    except OSError:
        return None


def default_recipient(case: Case) -> str:
    """Who the letter goes to when the case does not say."""
    platform = case.account.platform or "贷款机构"
    return f"{platform}客户服务中心"


def proper_names(case: Case) -> tuple[str, ...]:
    """The names case.toml gives (lender, product, recipient, person, addresses, contacts' refs).

    A Traditional variant with phrasing (zh-Hant-TW, zh-Hant-HK) converts
    these by their characters only: a name is not ours to reword.
    """
    a, acc = case.applicant, case.account
    found = (a.name, a.address, acc.platform, acc.product, acc.recipient, acc.mailing_address)
    refs = (
        *(c.reference for c in case.contact),
        case.submission.tracking,
        case.submission.reference,
        case.agreement.reference,
    )
    return tuple(dict.fromkeys(n for n in (*found, *refs) if n))


def field_problems(data: object, lang: str = "zh") -> list[tuple[tuple[int | str, ...], str]]:
    """Each shape problem of parsed case.toml data as (its location, the sentence ``check`` says).

    For a form that shows every message beside its field; [] when the data is valid.
    """
    try:
        Case.model_validate(data)
    except ValidationError as exc:
        return [
            (tuple(err["loc"]), validation_message(err, lang, _SECTION_MODELS))
            for err in exc.errors(include_url=False)
        ]
    return []
