"""Decide the kind of each document: [[file]] entries, then folder names, then keywords.

A ``[[file]]`` entry of case.toml (``decisions``, by path) beats everything and
may exclude the file (an info finding says so). A folder name (at any depth, the deepest wins) beats a keyword; a file that
matches neither is reported as ``UNCLASSIFIED``, never guessed. Order inside
the packet is kind order, then natural file-name order (IMG_2 before IMG_10).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from packager.models import (
    KIND_ORDER,
    Document,
    Finding,
    Kind,
    Severity,
    SkippedFile,
    SourceFile,
    Status,
)

FOLDERS: Mapping[Kind, tuple[str, ...]] = {
    Kind.INCOME: ("收入证明", "收入證明", "income"),
    Kind.EXPENSES: ("支出明细", "支出明細", "expenses", "expense"),
    Kind.MEDICAL: ("疾病证明", "疾病證明", "medical"),
    Kind.CIRCUMSTANCES: ("其他说明", "其他說明", "其他情况说明", "其他情況說明", "other"),
    Kind.COMMUNICATION: ("沟通记录", "溝通記錄", "communication"),
}

KEYWORDS: Mapping[Kind, tuple[str, ...]] = {
    Kind.INCOME: ("收入", "工资", "工資", "薪", "流水", "payslip", "salary", "income", "bank"),
    Kind.EXPENSES: (
        "支出",
        "费用",
        "費用",
        "账单",
        "賬單",
        "帳單",
        "发票",
        "發票",
        "收据",
        "收據",
        "expense",
        "receipt",
        "bill",
    ),
    Kind.MEDICAL: (
        "疾病",
        "诊断",
        "診斷",
        "病历",
        "病歷",
        "医院",
        "醫院",
        "住院",
        "medical",
        "diagnosis",
    ),
    Kind.CIRCUMSTANCES: (
        "失业",
        "失業",
        "离职",
        "離職",
        "情况说明",
        "情況說明",
        "变故",
        "變故",
        "unemployment",
    ),
    Kind.COMMUNICATION: ("沟通", "溝通", "聊天", "客服", "通话", "通話", "chat", "call"),
}


@dataclass(frozen=True, slots=True)
class Classification:
    """Documents in packet order, plus the files no rule matched."""

    documents: tuple[Document, ...]
    skipped: tuple[SkippedFile, ...]
    findings: tuple[Finding, ...]
    # With ``by_content``: files no rule matched, left for their pages to decide.
    unsorted: tuple[SourceFile, ...] = ()


def kind_of(rel: str) -> tuple[Kind, str] | None:
    """Return (kind, rule) for a path relative to the case folder, or None."""
    *folders, name = rel.split("/")
    for folder in reversed(folders):
        low = folder.strip().lower()
        for kind in KIND_ORDER:
            if low in FOLDERS[kind]:
                return kind, f"folder:{folder}"
    stem = name.rsplit(".", 1)[0].lower()
    for kind in KIND_ORDER:
        for word in KEYWORDS[kind]:
            if word in stem:
                return kind, f"keyword:{word}"
    return None


def natural_key(rel: str) -> tuple[tuple[int, int | str], ...]:
    """Sort key that puts IMG_2 before IMG_10."""
    parts = re.split(r"(\d+)", rel.lower())
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts if p)


@dataclass(frozen=True, slots=True)
class Decision:
    """A [[file]] entry as classify uses it: the kind it names (or None) and exclude."""

    kind: Kind | None
    exclude: bool


def left_out(source: SourceFile, status: Status = Status.SKIPPED) -> SkippedFile:
    """A recognised file that is not used, with what its thumbnail in the report needs."""
    return SkippedFile(source.rel, source.sha256, status, path=source.path, media=source.media)


def classify(
    files: tuple[SourceFile, ...],
    decisions: Mapping[str, Decision] | None = None,
    by_content: bool = False,
) -> Classification:
    """Give each file a kind, and order the documents as they go into the packet.

    ``decisions`` are keyed by ``str(source.path)`` (the case folder joined with
    the entry's path), so a masked display path never hides an entry. With
    ``by_content`` a file no rule matches is not reported yet: its pages are
    read and decide (``read.content``).
    """
    documents: list[Document] = []
    skipped: list[SkippedFile] = []
    findings: list[Finding] = []
    unsorted: list[SourceFile] = []
    for source in files:
        decision = (decisions or {}).get(str(source.path))
        if decision is not None and decision.exclude:
            skipped.append(left_out(source))
            findings.append(Finding("EXCLUDED", Severity.INFO, file=source.rel))
            continue
        if decision is not None and decision.kind is not None:
            documents.append(Document(source=source, kind=decision.kind, rule="file:case.toml"))
            continue
        decided = kind_of(source.rel)
        if decided is None and by_content:
            unsorted.append(source)
            continue
        if decided is None:
            skipped.append(left_out(source))
            findings.append(Finding("UNCLASSIFIED", Severity.WARNING, file=source.rel))
            continue
        documents.append(Document(source=source, kind=decided[0], rule=decided[1]))
    documents.sort(key=lambda d: (KIND_ORDER.index(d.kind), natural_key(d.source.rel)))
    return Classification(tuple(documents), tuple(skipped), tuple(findings), tuple(unsorted))
