"""Is the packet complete? Pure rules over the case and its documents.

Never raises for anything missing: every gap is a ``Finding``. Errors make the
packet a draft (exit 5); warnings and infos only inform.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from packager.casefile import EXAMPLES, Case, Plan, Reason
from packager.classify import FOLDERS
from packager.models import Document, Finding, Kind, Severity

FIELD_LABELS = {
    "applicant.name": "申请人姓名",
    "account.platform": "借款平台",
    "account.amount_owed": "欠款本金",
    "account.overdue_since": "逾期起始日",
    "request.plan": "还款方案",
    "request.reason": "逾期原因类别",
    "request.statement": "逾期原因说明",
    "request.installments": "分期期数",
    "request.defer_days": "延期天数",
}


def required_kinds(reason: Reason | None) -> list[tuple[Kind, str]]:
    """Kinds the packet must contain, with the rule that asks for each (design.md)."""
    needed = [(Kind.INCOME, "always"), (Kind.EXPENSES, "always")]
    if reason is Reason.ILLNESS:
        needed.append((Kind.MEDICAL, "illness"))
    if reason in (Reason.UNEMPLOYMENT, Reason.FAMILY):
        needed.append((Kind.CIRCUMSTANCES, reason.value))
    return needed


def _missing_fields(case: Case) -> Iterable[str]:
    values = {
        "applicant.name": case.applicant.name,
        "account.platform": case.account.platform,
        "account.amount_owed": case.account.amount_owed,
        "account.overdue_since": case.account.overdue_since,
        "request.plan": case.request.plan,
        "request.reason": case.request.reason,
        "request.statement": case.request.statement,
    }
    if case.request.plan is Plan.INSTALLMENTS:
        values["request.installments"] = case.request.installments
    if case.request.plan is Plan.DEFERRAL:
        values["request.defer_days"] = case.request.defer_days
    return (name for name, value in values.items() if value in (None, ""))


def check_completeness(case: Case, documents: Sequence[Document]) -> list[Finding]:
    """Findings for every required field or document kind that is missing."""
    findings = [
        Finding(
            "MISSING_FIELD",
            Severity.ERROR,
            params={"field": name, "label": FIELD_LABELS[name], "example": EXAMPLES[name]},
        )
        for name in _missing_fields(case)
    ]
    present = {d.kind for d in documents}
    for kind, why in required_kinds(case.request.reason):
        if kind not in present:
            findings.append(
                Finding(
                    f"MISSING_{kind.value.upper()}",
                    Severity.ERROR,
                    params={"kind": kind.value, "why": why, "folder": FOLDERS[kind][0]},
                )
            )
    return findings
