"""The build after submission: the follow-up letter, the 还款计划表 page, CSV and .ics in out/<case>/."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import icalendar
import pytest
from pypdf import PdfReader

from packager import api
from packager.write import render
from tests.conftest import GOOD_TOML, TODAY, standard_files

pytestmark = pytest.mark.slow

SENT_30_DAYS_AGO = f"""
[submission]
date = {(TODAY - timedelta(days=30)).isoformat()}
channel = "邮寄"
tracking = "EA123456789CN"
note = "寄往浙江省杭州市"
"""

AGREED = """
[agreement]
date = 2026-11-25
plan = "分期"
total = 7600
installments = 12
first_due = 2026-12-31
reference = "协商编号 XY20261125"
"""


def pdf_text(path: Path) -> str:
    return "".join(page.extract_text() or "" for page in PdfReader(path).pages).replace(" ", "")


def test_mailed_30_days_ago_is_past_and_writes_the_follow_up(
    case_factory: Callable[..., Path], tmp_path: Path
) -> None:
    case = case_factory(toml=GOOD_TOML + SENT_30_DAYS_AGO, files=standard_files())
    outcome = api.build_case(case, tmp_path / "out", api.Settings(today=TODAY))
    codes = [f.code for f in outcome.findings]
    assert "SUBMISSION_PAST_WINDOW" in codes
    data = json.loads((tmp_path / "out" / "wang" / "manifest.json").read_text(encoding="utf-8"))
    assert data["submission"]["state"] == "past"
    assert data["submission"]["tracking"] == "EA123456789CN"
    assert data["submission"]["working_day"] > 15
    assert data["submission"]["window"]["working_days"] == [7, 15]
    letter = tmp_path / "out" / "wang" / "逾期还款协商-wang-跟进函.pdf"
    assert letter.is_file()
    assert any(o["path"] == letter.name and o["profile"] == "followup" for o in data["outputs"])
    text = pdf_text(letter)
    for said in (
        "关于逾期还款协商申请的跟进函",
        "支付宝客户服务中心",
        "王测试",
        "110105********002X",
        "2026年10月29日通过邮寄",
        "EA123456789CN",
        "尚未收到审核结果",
        "恳请贵方告知本人协商申请的审核结果",
        "逾期还款协商",
        "第1页/共",
    ):
        assert said in text, said
    assert "11010519491231002X" not in text
    report = (tmp_path / "out" / "wang" / "report.html").read_text(encoding="utf-8")
    assert "EA123456789CN" in report and "跟进函" in report


def test_agreement_of_7600_in_12_writes_page_csv_and_ics(
    case_factory: Callable[..., Path], tmp_path: Path
) -> None:
    case = case_factory(toml=GOOD_TOML + SENT_30_DAYS_AGO + AGREED, files=standard_files())
    api.build_case(case, tmp_path / "out", api.Settings(today=TODAY))
    out = tmp_path / "out" / "wang"
    assert not (out / "逾期还款协商-wang-跟进函.pdf").exists()  # agreed: nothing to chase
    rows = list(
        csv.reader(io.StringIO((out / "还款计划-wang.csv").read_text(encoding="utf-8-sig")))
    )
    assert rows[0][:3] == ["期数", "还款日", "金额（元）"]
    assert len(rows) == 13 and sum(int(r[3]) for r in rows[1:]) == 760000
    assert rows[2][1] == "2027-01-31" and rows[3][1] == "2027-02-28"
    text = pdf_text(out / "还款计划-wang.pdf")
    assert "还款计划表" in text and "7,600.00" in text and "633.37" in text
    assert "人民币柒仟陆佰元整" in text
    cal = icalendar.Calendar.from_ical((out / "日历提醒-wang.ics").read_bytes())
    events = list(cal.walk("VEVENT"))
    assert len(events) == 12
    assert all(len(list(e.walk("VALARM"))) == 2 for e in events)
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert data["agreement"]["total_fen"] == 760000
    assert sum(d["fen"] for d in data["agreement"]["dues"]) == 760000
    assert data["submission"]["state"] == "agreed"


def test_check_on_the_terminal_says_it_is_past(tmp_path: Path) -> None:
    case = tmp_path / "inbox" / "wang"
    case.mkdir(parents=True)
    sent = (date.today() - timedelta(days=30)).isoformat()
    toml = (
        GOOD_TOML + f'[submission]\ndate = {sent}\nchannel = "mail"\ntracking = "EA987654321CN"\n'
    )
    (case / "case.toml").write_text(toml, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "packager", "check", str(case)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode in (0, 5)
    assert "EA987654321CN" in run.stderr and "打电话" in run.stderr


def test_traditional_follow_up_uses_tc_faces_through_the_imported_sheet(
    case_factory: Callable[..., Path], tmp_path: Path
) -> None:
    case = case_factory(toml=GOOD_TOML + SENT_30_DAYS_AGO + '[output]\nlanguage = "zh-Hant"\n')
    api.build_case(case, tmp_path / "out", api.Settings(today=TODAY))
    out = tmp_path / "out" / "wang" / "逾期还款协商-wang-跟进函.pdf"
    text = pdf_text(out)
    assert "關於逾期還款協商申請的跟進函" in text and "EA123456789CN" in text
    fonts = render.embedded_fonts(out.read_bytes())
    assert fonts and all("SC" not in f for f in fonts), fonts
