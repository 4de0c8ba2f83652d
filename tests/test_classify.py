"""Classification and ordering tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from packager.models import Kind, MediaType, SourceFile
from packager.read.classify import classify, kind_of, natural_key


@pytest.mark.parametrize(
    ("rel", "kind"),
    [
        ("收入证明/IMG_0001.jpg", Kind.INCOME),
        ("income/scan.pdf", Kind.INCOME),
        ("Income/scan.pdf", Kind.INCOME),
        ("2026/收入证明/十月/IMG_1.jpg", Kind.INCOME),  # kind folder at any depth
        ("工资条.jpg", Kind.INCOME),
        ("Payslip_Oct.PNG", Kind.INCOME),
        ("银行流水.pdf", Kind.INCOME),
        ("支出明细/a.jpg", Kind.EXPENSES),
        ("医疗费用.jpg", Kind.EXPENSES),
        ("receipt-1.jpg", Kind.EXPENSES),
        ("疾病证明/x.jpg", Kind.MEDICAL),
        ("診斷書.jpg", Kind.MEDICAL),  # Traditional keyword
        ("diagnosis.pdf", Kind.MEDICAL),
        ("other/x.jpg", Kind.CIRCUMSTANCES),
        ("离职证明.jpg", Kind.CIRCUMSTANCES),
        ("沟通记录/1.png", Kind.COMMUNICATION),
        ("客服聊天.png", Kind.COMMUNICATION),
        ("溝通記錄/1.png", Kind.COMMUNICATION),
        # Folder beats keyword: a payslip filed under medical is medical.
        ("疾病证明/工资条.jpg", Kind.MEDICAL),
        # The deepest kind folder wins.
        ("收入证明/沟通记录/a.png", Kind.COMMUNICATION),
    ],
)
def test_kind_of(rel: str, kind: Kind) -> None:
    """This test ensures folders and keywords decide the kind as design.md's table says."""
    decided = kind_of(rel)
    assert decided is not None and decided[0] is kind


@pytest.mark.parametrize("rel", ["IMG_0001.jpg", "scan.pdf", "photos/DSC_1.jpg"])
def test_unmatched(rel: str) -> None:
    """This test ensures files matching nothing are not guessed."""
    assert kind_of(rel) is None


def test_order_and_unclassified() -> None:
    """This test ensures kind order, natural order, and UNCLASSIFIED findings."""
    names = [
        "支出明细/b.jpg",
        "收入证明/IMG_10.jpg",
        "收入证明/IMG_2.jpg",
        "random.jpg",
        "疾病证明/a.jpg",
    ]
    files = tuple(SourceFile(Path(n), n, n, 1, MediaType.JPEG) for n in names)
    result = classify(files)
    assert [d.source.rel for d in result.documents] == [
        "收入证明/IMG_2.jpg",
        "收入证明/IMG_10.jpg",
        "支出明细/b.jpg",
        "疾病证明/a.jpg",
    ]
    assert [f.code for f in result.findings] == ["UNCLASSIFIED"]
    assert result.findings[0].file == "random.jpg"
    assert result.skipped[0].status.value == "skipped"


def test_natural_key() -> None:
    """This test ensures IMG_2 sorts before IMG_10."""
    assert sorted(["IMG_10", "IMG_2", "IMG_1"], key=natural_key) == ["IMG_1", "IMG_2", "IMG_10"]
