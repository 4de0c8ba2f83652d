"""Is the packet complete and honest? Pure, table-driven rules over the case and its documents.

Never raises for anything missing or wrong: every gap is a ``Finding`` that
names the field or kind. Errors make the packet a draft (exit 5); warnings
and infos only inform. Three tables drive it:

- ``required_kinds``: document kinds per reason (design.md);
- ``FIELD_RULES``: which case.toml fields must be filled, and when (some only
  for the mail profile, some only for one plan);
- ``VALUE_RULES``: checks of the values themselves (dates, amounts, plan,
  statement, ID number, mobile number).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from packager.messages.casefile import EXAMPLES
from packager.models import Document, Finding, Kind, Severity
from packager.privacy import id_problem, mask_id, mask_phone, normalize_id, phone_ok
from packager.read.casefile import Case
from packager.read.choices import Plan, Reason
from packager.read.classify import FOLDERS
from packager.read.finances import finance_findings, lines

UPLOAD = "upload"
MAIL = "mail"
PROFILES = (UPLOAD, MAIL)
MAX_CARD_INSTALLMENTS = 60  # Art. 70: 个性化分期 of at most 5 years (credit cards only)
MIN_STATEMENT_CHARS = 20
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


@dataclass(frozen=True, slots=True)
class Context:
    """What every rule may look at."""

    case: Case
    documents: Sequence[Document]
    today: date
    profiles: Collection[str]


When = Callable[[Context], bool]


def _always(_: Context) -> bool:
    return True


def _mail(ctx: Context) -> bool:
    return MAIL in ctx.profiles


def _plan(plan: Plan) -> When:
    return lambda ctx: ctx.case.request.plan is plan


@dataclass(frozen=True, slots=True)
class FieldRule:
    """A case.toml field that must (error) or should (warning) be filled when ``when`` holds."""

    field: str
    code: str
    severity: Severity
    when: When = _always


FIELD_RULES: tuple[FieldRule, ...] = (
    FieldRule("applicant.name", "MISSING_FIELD", Severity.ERROR),
    FieldRule("account.platform", "MISSING_FIELD", Severity.ERROR),
    FieldRule("account.amount_owed", "MISSING_FIELD", Severity.ERROR),
    FieldRule("account.overdue_since", "MISSING_FIELD", Severity.ERROR),
    FieldRule("request.plan", "MISSING_FIELD", Severity.ERROR),
    FieldRule("request.reason", "MISSING_FIELD", Severity.ERROR),
    FieldRule("request.statement", "MISSING_FIELD", Severity.ERROR),
    FieldRule("request.installments", "MISSING_FIELD", Severity.ERROR, _plan(Plan.INSTALLMENTS)),
    FieldRule("request.defer_days", "MISSING_FIELD", Severity.ERROR, _plan(Plan.DEFERRAL)),
    FieldRule("applicant.address", "MISSING_MAIL_FIELD", Severity.ERROR, _mail),
    FieldRule("account.mailing_address", "MISSING_MAIL_FIELD", Severity.ERROR, _mail),
    FieldRule("applicant.id_number", "RECOMMENDED_FIELD", Severity.WARNING),
    FieldRule("applicant.phone", "RECOMMENDED_FIELD", Severity.WARNING),
    FieldRule("account.credit_limit", "RECOMMENDED_FIELD", Severity.WARNING),
)


def field_value(case: Case, dotted: str) -> object:
    """``case`` value at "section.field"."""
    section, name = dotted.split(".", 1)
    return getattr(getattr(case, section), name)


# The proof each reason asks for (design.md): illness a medical certificate, job loss or a
# family event a statement or proof of it. A reason not here (income drop, other) asks for
# nothing beyond what every request needs.
REASON_KINDS: dict[Reason, Kind] = {
    Reason.ILLNESS: Kind.MEDICAL,
    Reason.UNEMPLOYMENT: Kind.CIRCUMSTANCES,
    Reason.FAMILY: Kind.CIRCUMSTANCES,
}


def required_kinds(reasons: Sequence[Reason]) -> list[tuple[Kind, str]]:
    """Kinds the packet must contain, with the rule that asks for each (design.md).

    Every reason given counts; a kind two reasons ask for is named once, by
    the first of them.
    """
    needed = [(Kind.INCOME, "always"), (Kind.EXPENSES, "always")]
    for reason in reasons:
        kind = REASON_KINDS.get(reason)
        if kind is not None and all(k is not kind for k, _ in needed):
            needed.append((kind, reason.value))
    return needed


def _field_finding(rule: FieldRule) -> Finding:
    return Finding(
        rule.code,
        rule.severity,
        params={"field": rule.field, "example": EXAMPLES[rule.field]},
    )


def _kind_findings(ctx: Context) -> Iterator[Finding]:
    present = {d.kind for d in ctx.documents}
    if lines(ctx.case):  # the 支出明细 page written from [[expense]] is the expenses document
        present.add(Kind.EXPENSES)
    for kind, why in required_kinds(ctx.case.request.reason):
        if kind not in present:
            yield Finding(
                f"MISSING_{kind.value.upper()}",
                Severity.ERROR,
                params={"kind": kind.value, "why": why, "folder": FOLDERS[kind][0]},
            )


def _blank(value: object) -> bool:
    return value is None or value == () or (isinstance(value, str) and not value.strip())


def check_fields(ctx: Context) -> list[Finding]:
    """Findings for every field a rule of ``FIELD_RULES`` wants and the case lacks."""
    return [
        _field_finding(rule)
        for rule in FIELD_RULES
        if rule.when(ctx) and _blank(field_value(ctx.case, rule.field))
    ]


# --- value rules ---------------------------------------------------------------


def is_credit_card(case: Case) -> bool:
    """True when the product is a bank credit card (the only one with a documented cap)."""
    text = f"{case.account.product or ''} {case.account.platform or ''}".lower()
    return "信用卡" in text or "credit card" in text or "creditcard" in text


def _plan_rules(ctx: Context) -> Iterator[Finding]:
    req = ctx.case.request
    if req.plan is Plan.INSTALLMENTS and req.installments is not None:
        n = req.installments
        params: dict[str, str | int | float] = {
            "field": "request.installments",
            "value": n,
            "cap": MAX_CARD_INSTALLMENTS,
        }
        if n < 1:
            yield Finding("INSTALLMENTS_INVALID", Severity.ERROR, params=params)
        elif n > MAX_CARD_INSTALLMENTS and is_credit_card(ctx.case):
            yield Finding("INSTALLMENTS_OVER_CAP", Severity.WARNING, params=params)
        elif n > MAX_CARD_INSTALLMENTS:
            yield Finding("INSTALLMENTS_LONG", Severity.INFO, params=params)
    if req.plan is Plan.DEFERRAL and req.defer_days is not None and req.defer_days <= 0:
        yield Finding(
            "DEFER_DAYS_INVALID",
            Severity.ERROR,
            params={"field": "request.defer_days", "value": req.defer_days},
        )


def _date_rules(ctx: Context) -> Iterator[Finding]:
    dates: list[tuple[str, date | None]] = [
        ("account.overdue_since", ctx.case.account.overdue_since)
    ]
    dates += [(f"contact[{i}].date", c.date) for i, c in enumerate(ctx.case.contact, start=1)]
    for name, day in dates:
        if day is not None and day > ctx.today:
            yield Finding(
                "DATE_IN_FUTURE",
                Severity.ERROR,
                params={"field": name, "value": day.isoformat(), "today": ctx.today.isoformat()},
            )


def _amount_rules(ctx: Context) -> Iterator[Finding]:
    acc = ctx.case.account
    for name, amount in (
        ("account.amount_owed", acc.amount_owed),
        ("account.credit_limit", acc.credit_limit),
    ):
        if amount is not None and amount <= 0:
            yield Finding(
                "AMOUNT_NOT_POSITIVE",
                Severity.ERROR,
                params={"field": name, "value": f"{amount:g}", "example": EXAMPLES[name]},
            )
    if acc.amount_owed and acc.credit_limit and acc.amount_owed > acc.credit_limit > 0:
        yield Finding(
            "OWED_OVER_LIMIT",
            Severity.WARNING,
            params={"owed": f"{acc.amount_owed:,.2f}", "credit_limit": f"{acc.credit_limit:,.2f}"},
        )


_SPACE = re.compile(r"\s+")


def _statement_rules(ctx: Context) -> Iterator[Finding]:
    text = ctx.case.request.statement
    if text and text.strip():
        length = len(_SPACE.sub("", text))
        if length < MIN_STATEMENT_CHARS:
            yield Finding(
                "STATEMENT_SHORT",
                Severity.WARNING,
                params={
                    "field": "request.statement",
                    "length": length,
                    "minimum": MIN_STATEMENT_CHARS,
                },
            )


def expected_check_digit(id_number: str) -> str:
    """The GB 11643 MOD 11-2 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(id_number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def _identity_rules(ctx: Context) -> Iterator[Finding]:
    raw = ctx.case.applicant.id_number
    if raw and raw.strip():
        value = normalize_id(raw)
        problem = id_problem(value)
        if problem is None and date(int(value[6:10]), int(value[10:12]), int(value[12:14])) > (
            ctx.today
        ):
            problem = "ID_BIRTH_DATE"
        if problem is not None:
            params: dict[str, str | int | float] = {
                "field": "applicant.id_number",
                "masked": mask_id(value),
                "length": len(value),
            }
            if problem == "ID_CHECK_DIGIT":
                params.update(expected=expected_check_digit(value), actual=value[17])
            yield Finding(problem, Severity.ERROR, params=params)
    phone = ctx.case.applicant.phone
    if phone and phone.strip() and not phone_ok(phone):
        yield Finding(
            "PHONE_INVALID",
            Severity.ERROR,
            params={"field": "applicant.phone", "masked": mask_phone(phone)},
        )


Rule = Callable[[Context], Iterable[Finding]]

VALUE_RULES: tuple[Rule, ...] = (
    _identity_rules,
    _date_rules,
    _amount_rules,
    _plan_rules,
    _statement_rules,
)


def run_checks(
    case: Case,
    documents: Sequence[Document],
    today: date,
    profiles: Collection[str] = (UPLOAD,),
    skipped: Sequence[str] = (),
) -> list[Finding]:
    """Every rule: missing fields, missing kinds, the values, then the money picture.

    ``skipped`` names the case's files left out of the packet, so an expense's
    ``proof`` pointing at one is told apart from one that does not exist.
    """
    ctx = Context(case, documents, today, profiles)
    findings = [*check_fields(ctx), *_kind_findings(ctx)]
    for rule in VALUE_RULES:
        findings.extend(rule(ctx))
    findings.extend(finance_findings(case, documents, today, skipped))
    return findings
