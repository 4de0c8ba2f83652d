"""The web page's money steps (收支情况, 支出明细) and what a file's pages said, over HTTP."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from pathlib import Path

import pytest
from markupsafe import escape
from starlette.testclient import TestClient

from packager import api
from packager.cache.pages import PageCache
from packager.image.ocr import Line
from packager.messages import message
from packager.read.intake import intake
from packager.read.pages import ReadJob, read
from packager.read.pagetext import PageText
from packager.web.builds import CACHE_DIR
from tests.conftest import TODAY
from tests.webkit import client, config, new_case, photo

EXPENSES = {
    "expense.row": ["", ""],
    "expense.item": ["住院医疗费", "房租"],
    "expense.amount": ["9,180", "1500"],
    "expense.period": ["once", "monthly"],
    "expense.date": ["2026-09-21", ""],
    "expense.month": ["", ""],
    "expense.proof": ["疾病证明/收费票据.jpg", ""],
}


def _post(c: TestClient, token: str, form: dict[str, list[str] | str]) -> object:
    return c.post("/cases/wang/form", data={"csrf_token": token, **form})


def _with_receipt(c: TestClient, token: str) -> None:
    r = c.post(
        "/cases/wang/files",
        files=[("files", ("收费票据.jpg", photo(), "image/jpeg"))],
        data={"kind": "medical"},
        headers={"x-csrf-token": token},
    )
    assert r.status_code == 200, r.text


def test_income_and_expenses_are_saved_and_counted(tmp_path: Path) -> None:
    """This test ensures the 收支情况 and 支出明细 steps write [finances] and [[expense]] as typed
    values (amount "9,180" as a number, a proof chosen from the case's files), keep the
    template's comments, and the checklist then counts the written expenses as 支出明细 and
    shows the monthly picture as check words it."""
    cfg = config(tmp_path)
    with client(cfg) as (c, token):
        new_case(c, token)
        _with_receipt(c, token)
        page = c.get("/cases/wang").text
        assert "5. 收支情况" in page and "6. 支出明细" in page
        assert '<option value="疾病证明/收费票据.jpg">' in page  # a proof is picked, not typed
        r = _post(
            c,
            token,
            {
                "finances.monthly_income": "2000",
                "finances.previous_monthly_income": "6000",
                "finances.dependants": "0",
                **EXPENSES,
            },
        )
        assert r.status_code == 200, r.text
        assert "已保存到 case.toml" in r.text
        text = (cfg.inbox / "wang" / "case.toml").read_text(encoding="utf-8")
        assert "# 现在每月税后收入（元）" in text and "# 支出明细：每一笔重大支出" in text
        data = tomllib.loads(text)
        assert data["finances"] == {
            "monthly_income": 2000,
            "previous_monthly_income": 6000,
            "dependants": 0,
        }
        assert data["expense"] == [
            {
                "item": "住院医疗费",
                "amount": 9180,
                "period": "once",
                "date": TODAY.replace(month=9, day=21),
                "proof": "疾病证明/收费票据.jpg",
            },
            {"item": "房租", "amount": 1500, "period": "monthly"},
        ]
        checklist = r.text.split('id="checklist"')[1]
        assert re.search(r"支出明细 <span class=\"muted\">· 已填写（自动成表）", checklist)
        assert "每月必要支出 1,500.00 元" in r.text and "每月结余 500.00 元" in r.text
        assert 'value="9180"' in r.text and 'name="expense.row" value="2"' in r.text


def test_expense_mistakes_read_as_check_says_them(tmp_path: Path) -> None:
    """This test ensures a half-filled row, a negative amount, a date after today and a proof
    that is not in the case come back as 422 with exactly the sentences `packager check`
    prints for the same case.toml, each beside its cell, and nothing is saved."""
    cfg = config(tmp_path)
    with client(cfg) as (c, token):
        new_case(c, token)
        _with_receipt(c, token)
        before = (cfg.inbox / "wang" / "case.toml").read_bytes()
        bad = {
            "expense.row": ["", "", ""],
            "expense.item": ["住院医疗费", "药费", "学费"],
            "expense.amount": ["-50", "", "3000"],
            "expense.period": ["once", "monthly", "once"],
            "expense.date": ["2027-01-05", "", ""],
            "expense.month": ["", "", "2026-09"],
            "expense.proof": ["", "", "学校/学费收据.jpg"],
        }
        r = _post(c, token, bad)
        assert r.status_code == 422
        assert (cfg.inbox / "wang" / "case.toml").read_bytes() == before
        assert 'value="药费"' in r.text and 'value="2026-09"' in r.text  # the answers stay

        # The same entries written by hand, judged by check itself.
        case = cfg.inbox / "wang"
        rows = "".join(
            f'\n[[expense]]\nitem = "{i}"\n'
            + (f"amount = {a}\n" if a else "")
            + f'period = "{p}"\n'
            + (f"date = {d}\n" if d else "")
            + (f'month = "{m}"\n' if m else "")
            + (f'proof = "{pr}"\n' if pr else "")
            for i, a, p, d, m, pr in zip(*(bad[k] for k in list(bad)[1:]), strict=True)
        )
        (case / "case.toml").write_text(before.decode() + rows, encoding="utf-8")
        outcome = api.check_case(case, api.Settings(today=TODAY, jobs=1))
        said = [
            f
            for f in outcome.findings
            if f.severity.value == "error" and str(f.params.get("field", "")).startswith("expense")
        ]
        assert sorted(f.code for f in said) == [
            "AMOUNT_NOT_POSITIVE",
            "DATE_IN_FUTURE",
            "EXPENSE_PROOF_MISSING",  # names the nearest file: 疾病证明/收费票据.jpg
            "MISSING_FIELD",
        ]
        for finding in said:
            assert str(escape(message(finding, "zh"))) in r.text, message(finding, "zh")
        cells = r.text.split('id="step_expenses"')[1].split('id="step_contacts"')[0]
        assert cells.count('class="field bad"') == 4


def test_rows_are_edited_and_removed_in_place(tmp_path: Path) -> None:
    """This test ensures editing one expense keeps the comments the person wrote in its table,
    and the remove button takes out exactly its row (its table with it), the others kept."""
    cfg = config(tmp_path)
    with client(cfg) as (c, token):
        new_case(c, token)
        case_file = cfg.inbox / "wang" / "case.toml"
        case_file.write_text(
            case_file.read_text(encoding="utf-8")
            + '\n[[expense]]\nitem = "房租"   # 和房东签到明年\namount = 1500\nperiod = "每月"\n'
            '\n[[expense]]\nitem = "学费"\namount = 3000\nperiod = "once"\nmonth = "2026年9月"\n'
            '\n[[expense]]\nitem = "药费"\namount = 300\nperiod = "monthly"\n',
            encoding="utf-8",
        )
        page = c.get("/cases/wang").text
        assert 'value="2026年9月" type="text"' in page  # never blanked by a month picker
        r = _post(
            c,
            token,
            {
                "expense.row": ["1", "2", "3", ""],
                "expense.item": ["房租", "学费", "药费", ""],
                "expense.amount": ["1600", "3000", "300", ""],
                "expense.period": ["monthly", "once", "monthly", ""],
                "expense.date": ["", "", "", ""],
                "expense.month": ["", "2026年9月", "", ""],
                "expense.proof": ["", "", "", ""],
                "remove": "expense:2",
            },
        )
        assert r.status_code == 200, r.text
        text = case_file.read_text(encoding="utf-8")
        assert 'item = "房租"   # 和房东签到明年' in text
        assert [(e["item"], e["amount"]) for e in tomllib.loads(text)["expense"]] == [
            ("房租", 1600),
            ("药费", 300),
        ]
        assert 'item = "学费"' not in text


def _cached_texts(cfg_out: Path, case: Path, said: dict[str, list[str]]) -> None:
    """Leave in the page cache what a build's OCR would have read on each named photo."""
    cache = PageCache(cfg_out / CACHE_DIR)
    for source in intake(case).files:
        if source.rel not in said:
            continue
        result = read(ReadJob(source))
        lines = tuple(
            Line(t, (40.0, 60.0 + 40 * i, 560.0, 90.0 + 40 * i), 0.95)
            for i, t in enumerate(said[source.rel])
        )
        texts = (PageText(lines, (600, 800), sure=source.rel != "IMG_3.jpg"),)
        cache.put(source, dataclasses.replace(result, texts=texts), source.path.stat(), ocr=True)


def _cards(page: str) -> dict[str, str]:
    """Each file card's HTML by its file."""
    return {
        m.group(1): m.group(0)
        for m in re.finditer(r'name="path" value="([^"]+)".*?</form>', page, re.S)
    }


def test_cards_say_what_the_pages_say(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """This test ensures a file card shows the kind its pages gave it and why (按内容, the words
    found), a page read as two kinds names both and stays out until a kind is picked, a page
    whose way up is unknown and another person's name are said on the card, and a photo not
    read yet says it will be sorted when the packet is built; the kind selector then fixes it."""
    monkeypatch.setenv("PACKAGER_OCR", "1")  # the page view reads only the cache, never OCR
    cfg = config(tmp_path, read_on_upload=False)  # the texts are the test's, not OCR's
    with client(cfg) as (c, token):
        new_case(c, token)
        r = _post(c, token, {"applicant.name": "王测试"})
        assert r.status_code == 200
        c.post(
            "/cases/wang/files",
            files=[
                ("files", (f"IMG_{n}.jpg", photo((600 + n, 800)), "image/jpeg")) for n in range(5)
            ],
            headers={"x-csrf-token": token},
        )
        _cached_texts(
            cfg.out,
            cfg.inbox / "wang",
            {
                "IMG_1.jpg": ["工资条", "实发工资 4800", "姓名：王测试"],
                "IMG_2.jpg": ["工资条", "诊断证明"],
                "IMG_3.jpg": ["诊断证明书", "门诊病历", "姓名：李四"],
                "IMG_4.jpg": ["一张风景照"],
            },
        )
        page = c.get("/cases/wang").text
        cards = _cards(page)
        one = cards["IMG_1.jpg"]
        assert "按内容" in one and "页面上有“工资条、实发工资”，所以归入“收入证明”" in one
        assert '<option value="income" selected>' in one
        two = cards["IMG_2.jpg"]
        assert "既像“收入证明”又像“" in two and "未分类（不会放入）" in two
        three = cards["IMG_3.jpg"]
        assert "第 1 页看不出正反方向" in three and "页面上的姓名是“李四”" in three
        assert (
            "待读取" in cards["IMG_0.jpg"] and "生成材料包”时会按页面内容归类" in cards["IMG_0.jpg"]
        )
        assert "按内容" not in cards["IMG_4.jpg"]
        assert "已读过，但页面上没认出是哪类材料" in cards["IMG_4.jpg"]
        income = page.split('id="checklist"')[1]
        assert '收入证明 <span class="muted">· 已有' in income

        r = c.post(
            "/cases/wang/file", data={"csrf_token": token, "path": "IMG_2.jpg", "kind": "expenses"}
        )
        assert r.status_code == 200
        fixed = _cards(r.text)["IMG_2.jpg"]
        assert '<option value="expenses" selected>' in fixed and "您选的" in fixed
