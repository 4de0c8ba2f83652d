"""Facts end to end: generated documents in a case, through check, build, the report and 采用.

Text PDFs are read from their own text (no recognition model): fast. The
phone case (unsorted photos of a payslip, a hospital receipt and a pharmacy
list on a desk, one lying on its side) is recognised: slow.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from packager import api
from packager.cli import main
from tests import papers
from tests.conftest import GOOD_TOML, TODAY
from tests.webkit import client, config

STATED = """
[finances]
# 每月到手的钱
monthly_income = 3000

[[expense]]
item = "门诊费"
amount = 460
period = "once"
proof = "{proof}"
"""

PAYSLIP, RECEIPT, PHARMACY = papers.payslip(4800.0), papers.receipt(640.0), papers.pharmacy(236.5)


def _expected(rel: str, paper: papers.Paper) -> set[tuple[str, str, object]]:
    return {(rel, field, value) for field, value in paper.facts}


def _pdf_case(case_factory: Callable[..., Path], toml: str) -> Path:
    return case_factory(
        toml=toml,
        files={
            "收入证明/工资条.pdf": papers.writer(PAYSLIP, "pdf"),
            "支出明细/门诊收据.pdf": papers.writer(RECEIPT, "pdf"),
            "疾病证明/诊断证明.pdf": papers.writer(papers.diagnosis(), "pdf"),
            "其他说明/说明.pdf": papers.writer(papers.blank_letter(), "pdf"),
        },
    )


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, object]]:
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    out, _ = capsys.readouterr()
    return int(exit_info.value.code or 0), json.loads(out)


def test_check_and_build_list_the_facts_and_ask_about_the_differences(
    case_factory: Callable[..., Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("PACKAGER_OCR", "1")  # text PDFs: their own text, no model runs
    case = _pdf_case(case_factory, GOOD_TOML + STATED.format(proof="支出明细/门诊收据.pdf"))
    _, checked = _run(["check", str(case), "--json"], capsys)
    facts = checked["facts"]
    assert isinstance(facts, list)
    got = {(f["file"], f["field"], f["value"]) for f in facts}
    assert got == (
        _expected("收入证明/工资条.pdf", PAYSLIP)
        | _expected("支出明细/门诊收据.pdf", RECEIPT)
        | _expected("疾病证明/诊断证明.pdf", papers.diagnosis())
    )  # exactly what is printed; the letter page with no figure gives none
    assert all(f["page"] is None and f["file_page"] == 1 for f in facts)  # no packet yet
    said = {f["code"]: f["message"] for f in checked["findings"]}  # type: ignore[union-attr]
    assert "3,000.00" in said["INCOME_DIFFERS"] and "4,800.00" in said["INCOME_DIFFERS"]
    assert "收入证明/工资条.pdf 第 1 页" in said["INCOME_DIFFERS"]
    assert "460.00" in said["EXPENSE_DIFFERS"] and "640.00" in said["EXPENSE_DIFFERS"]
    assert "支出明细/门诊收据.pdf 第 1 页" in said["EXPENSE_DIFFERS"]

    out = tmp_path / "out"
    _, built = _run(["build", str(case), "--json", "-o", str(out)], capsys)
    first = {s["path"]: s["first_page"] for s in built["sources"]}  # type: ignore[union-attr]
    for fact in built["facts"]:  # type: ignore[union-attr]
        assert fact["page"] == first[fact["file"]]  # the packet page it is on
    report = (out / "wang" / "report.html").read_text(encoding="utf-8")
    assert "从材料中读到的数字" in report and "4,800.00 元" in report and "640.00 元" in report
    # The letter and the 支出明细 page state what the person wrote, never the documents' figures.
    pdf = PdfReader(next((out / "wang").glob("逾期还款协商-*.pdf")))
    finances = built["finances"]
    assert isinstance(finances, dict)
    written = range(1, finances["pages"][1] + 1)  # letter, index, then the written 支出明细
    said_text = "".join((pdf.pages[i - 1].extract_text() or "") for i in written)
    said_text = said_text.replace(" ", "").replace("\n", "")
    assert "3,000" in said_text and "460" in said_text
    assert "4,800" not in said_text and "640.00" not in said_text


def test_proposals_where_case_toml_is_silent_and_adopted_on_the_web_page(
    case_factory: Callable[..., Path], tmp_path: Path
) -> None:
    case = _pdf_case(case_factory, GOOD_TOML + "# 我的备注：保留这一行\n")
    checked = api.check_case(case, api.Settings(today=TODAY, ocr=True))
    codes = [f.code for f in checked.findings]
    assert "PROPOSE_INCOME" in codes and "PROPOSE_EXPENSE" in codes
    api.build_case(case, tmp_path / "out", api.Settings(today=TODAY, ocr=True))
    manifest = json.loads((tmp_path / "out" / "wang" / "manifest.json").read_text("utf-8"))
    keys = {p["section"]: p["key"] for p in manifest["proposals"]}
    with client(config(tmp_path)) as (c, token):
        page = c.get("/cases/wang")
        assert "采用" in page.text and "4,800.00" in page.text
        r = c.post("/cases/wang/adopt", data={"key": keys["finances"], "csrf_token": token})
        assert r.status_code == 200, r.text
        r = c.post("/cases/wang/adopt", data={"key": keys["expense"], "csrf_token": token})
        assert r.status_code == 200, r.text
        again = c.post("/cases/wang/adopt", data={"key": keys["expense"], "csrf_token": token})
        assert again.status_code == 409  # written once, never twice
        forged = c.post("/cases/wang/adopt", data={"key": keys["expense"]})
        assert forged.status_code == 403  # CSRF, as every form
    toml = (case / "case.toml").read_text(encoding="utf-8")
    assert "# 我的备注：保留这一行" in toml
    adopted = api.check_case(case, api.Settings(today=TODAY, ocr=True))
    assert not any(f.code.startswith("PROPOSE_") for f in adopted.findings)
    assert not any(f.code.endswith("_DIFFERS") for f in adopted.findings)
    expense = adopted.manifest["finances"]["expenses"][0]  # type: ignore[index]
    assert (expense["amount"], expense["proof"], expense["date"]) == (
        640.0,
        "支出明细/门诊收据.pdf",
        "2026-10-09",
    )
    assert adopted.manifest["finances"]["monthly_income"] == 4800.0  # type: ignore[index]


@pytest.mark.slow
def test_a_phone_case_of_unsorted_photos(case_factory: Callable[..., Path], tmp_path: Path) -> None:
    """The demo's kind of case: a payslip, a hospital receipt and a pharmacy list, photographed."""
    case = case_factory(
        toml=GOOD_TOML + STATED.format(proof="IMG_0002.jpg"),
        files={
            "IMG_0001.jpg": papers.writer(PAYSLIP, "photo", seed=1),
            "IMG_0002.jpg": papers.writer(RECEIPT, "photo", seed=2),
            "IMG_0003.jpg": papers.writer(PHARMACY, "turned", seed=3),
            "IMG_0004.jpg": papers.writer(papers.diagnosis(), "photo", seed=4),
        },
    )
    outcome = api.build_case(
        case, tmp_path / "out", api.Settings(today=TODAY, ocr=True, clean=True, jobs=2)
    )
    facts = outcome.manifest["facts"]
    assert isinstance(facts, list)
    got = {(f["file"], f["field"], f["value"]) for f in facts}
    printed = (
        _expected("IMG_0001.jpg", PAYSLIP)
        | _expected("IMG_0002.jpg", RECEIPT)
        | _expected("IMG_0003.jpg", PHARMACY)
        | _expected("IMG_0004.jpg", papers.diagnosis())
    )
    assert got <= printed  # no figure that is not printed on its page
    for wanted in (
        ("IMG_0001.jpg", "net_pay", 4800.0),
        ("IMG_0002.jpg", "total", 640.0),
        ("IMG_0003.jpg", "total", 236.5),
    ):
        assert wanted in got
    first = {s.path: s.first_page for s in outcome.sources}
    assert all(f["page"] == first[f["file"]] for f in facts)  # each with its page
    said = {f.code: f for f in outcome.findings}
    assert said["INCOME_DIFFERS"].params["stated"] == "3,000.00"
    assert said["INCOME_DIFFERS"].params["found"] == "4,800.00"
    assert said["EXPENSE_DIFFERS"].params["stated"] == "460.00"
    assert said["EXPENSE_DIFFERS"].params["found"] == "640.00"
