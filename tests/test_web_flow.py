"""``packager serve`` end to end over HTTP: a case made, answered, filled, sorted and built."""

from __future__ import annotations

import io
import json
import tomllib
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from starlette.testclient import TestClient

from tests.webkit import client, config, new_case, photo, png

ANSWERS = {
    "applicant.name": "王测试",
    "applicant.id_number": "11010519491231002X",
    "applicant.phone": "13800138000",
    "applicant.address": "北京市朝阳区测试路 1 号",
    "account.platform": "支付宝",
    "account.product": "花呗",
    "account.amount_owed": "3,800",
    "account.credit_limit": "10000",
    "account.overdue_since": "2026-11-20",
    "account.mailing_address": "浙江省杭州市测试大道 100 号",
    "request.plan": "installments",
    "request.installments": "12",
    "request.reason": "income_drop",
    "request.statement": "今年十月起公司停工，收入减少一半，家里还要照顾老人，未能按期还款。",
    "contact.date": "2026-11-22",
    "contact.channel": "phone",
    "contact.reference": "工单 20261122-0001",
    "contact.summary": "客服建议提交协商材料",
}


def _answer(c: TestClient, token: str, **changes: str) -> object:
    return c.post("/cases/wang/form", data={"csrf_token": token, **ANSWERS, **changes})


def test_wrong_check_digit_is_explained_on_the_form(tmp_path: Path) -> None:
    """This test ensures a wrong ID check digit comes back as 422 with check's own Chinese
    message beside the field (masked), the answers kept in the form, and nothing saved."""
    cfg = config(tmp_path)
    with client(cfg) as (c, token):
        new_case(c, token)
        before = (cfg.inbox / "wang" / "case.toml").read_bytes()
        r = _answer(c, token, **{"applicant.id_number": "110105194912310021"})
        assert r.status_code == 422
        assert "最后一位校验码不对" in r.text and "应为 X" in r.text
        assert "110105********0021" in r.text
        assert 'value="王测试"' in r.text
        assert (cfg.inbox / "wang" / "case.toml").read_bytes() == before
        bad = _answer(c, token, **{"account.overdue_since": "2027-01-05"})
        assert bad.status_code == 422 and "2027-01-05" in bad.text


def test_answers_are_saved_keeping_comments(tmp_path: Path) -> None:
    """This test ensures valid answers land in case.toml as typed values (amount, date, choice,
    a [[contact]]) while the template's comments stay, and the checklist then asks only for
    the documents."""
    cfg = config(tmp_path)
    with client(cfg) as (c, token):
        new_case(c, token)
        r = _answer(c, token)
        assert r.status_code == 200, r.text
        assert "已保存到 case.toml" in r.text
    text = (cfg.inbox / "wang" / "case.toml").read_text(encoding="utf-8")
    assert "# 姓名，与身份证一致" in text
    data = tomllib.loads(text)
    assert data["account"]["amount_owed"] == 3800
    assert str(data["account"]["overdue_since"]) == "2026-11-20"
    assert data["request"]["plan"] == "installments"
    assert data["contact"][0]["channel"] == "phone"
    page = r.text
    assert "还要填写" not in page
    assert "收入证明" in page and "还缺" in page


def test_several_reasons_are_ticked_and_saved(tmp_path: Path) -> None:
    """This test ensures the interview lets a person tick several reasons: two ticks are saved
    as a list, shown ticked again, and the checklist then asks for the 疾病证明 that illness
    needs; one tick is saved as a plain string; no tick clears the answer."""
    cfg = config(tmp_path)
    path = cfg.inbox / "wang" / "case.toml"
    with client(cfg) as (c, token):
        new_case(c, token)
        r = c.post(
            "/cases/wang/form",
            data={"csrf_token": token, **ANSWERS, "request.reason": ["", "illness", "income_drop"]},
        )
        assert r.status_code == 200, r.text
        assert tomllib.loads(path.read_text(encoding="utf-8"))["request"]["reason"] == [
            "illness",
            "income_drop",
        ]
        page = c.get("/cases/wang").text
        for value in ("illness", "income_drop"):
            assert f'type="checkbox" name="request.reason" value="{value}" checked' in page
        assert 'value="family" checked' not in page
        assert '<li class="missing"><span class="dot"></span>疾病证明' in page
        assert "可以选多项" in page
        r = c.post("/cases/wang/form", data={"csrf_token": token, **ANSWERS})
        page = c.get("/cases/wang").text
        assert '<li class="optional"><span class="dot"></span>疾病证明' in page
        assert tomllib.loads(path.read_text(encoding="utf-8"))["request"]["reason"] == "income_drop"
        r = c.post(
            "/cases/wang/form", data={"csrf_token": token, **ANSWERS, "request.reason": [""]}
        )
        assert r.status_code == 200
        assert tomllib.loads(path.read_text(encoding="utf-8"))["request"]["reason"] == ""


@pytest.mark.slow
def test_upload_sort_build_download(tmp_path: Path) -> None:
    """This test ensures unsorted phone photos uploaded through the page can be given a kind
    (a [[file]] entry; the photo untouched), and the build runs once per case, then offers
    the upload PDF, the page images as a zip, the mail packet and the report."""
    cfg = config(tmp_path)
    with client(cfg) as (c, token):
        new_case(c, token)
        assert _answer(c, token).status_code == 200
        headers = {"x-csrf-token": token}
        r = c.post(
            "/cases/wang/files",
            files=[
                ("files", ("IMG_0001.jpg", photo(), "image/jpeg")),
                ("files", ("IMG_0002.jpg", photo((640, 800)), "image/jpeg")),
            ],
            headers=headers,
        )
        assert r.status_code == 200 and "IMG_0001.jpg" in r.text
        assert "未分类" in r.text
        r = c.post(
            "/cases/wang/files",
            files=[("files", ("收据.png", png(), "image/png"))],
            data={"kind": "expenses"},
            headers=headers,
        )
        assert (cfg.inbox / "wang" / "支出明细" / "收据.png").is_file()
        original = (cfg.inbox / "wang" / "IMG_0001.jpg").read_bytes()
        r = c.post(
            "/cases/wang/file", data={"csrf_token": token, "path": "IMG_0001.jpg", "kind": "income"}
        )
        assert r.status_code == 200
        r = c.post(
            "/cases/wang/file",
            data={"csrf_token": token, "path": "IMG_0002.jpg", "kind": "", "exclude": "1"},
        )
        entries = tomllib.loads((cfg.inbox / "wang" / "case.toml").read_text(encoding="utf-8"))[
            "file"
        ]
        assert {"path": "IMG_0001.jpg", "kind": "income", "exclude": False} in entries
        assert {"path": "IMG_0002.jpg", "exclude": True} in entries
        assert (cfg.inbox / "wang" / "IMG_0001.jpg").read_bytes() == original
        assert c.get("/cases/wang/thumb/IMG_0001.jpg").headers["content-type"] == "image/jpeg"

        first = c.post("/cases/wang/build", headers=headers)
        assert first.status_code == 202
        second = c.post("/cases/wang/build", headers=headers)
        assert second.status_code in (409, 202)  # 409 while the first still runs
        if second.status_code == 409:
            assert "正在生成" in second.text
        builds = c.app.app.state.builds  # type: ignore[attr-defined]
        builds.wait()
        state = builds.state("wang")
        assert state.error is None and state.complete is True
        page = c.get("/cases/wang").text
        assert "材料包已生成" in page and "images.zip" in page and "打印邮寄用的 PDF" in page

        data = c.get("/api/cases/wang").json()
        assert data["case"] == "wang" and data["building"] is False
        assert data["manifest"]["complete"] is True
        kinds = {s["path"]: s["kind"] for s in data["manifest"]["sources"]}
        assert kinds["IMG_0001.jpg"] == "income"
        files = {f["path"]: f for f in data["files"]}
        assert files["IMG_0002.jpg"]["excluded"] is True
        assert files["IMG_0001.jpg"]["read"] == "read" and files["IMG_0001.jpg"]["kind"] == "income"

        pdf = c.get("/cases/wang/out/逾期还款协商-wang.pdf")
        assert pdf.status_code == 200
        assert len(PdfReader(io.BytesIO(pdf.content)).pages) >= 3
        with zipfile.ZipFile(io.BytesIO(c.get("/cases/wang/images.zip").content)) as archive:
            assert len(archive.namelist()) == len(PdfReader(io.BytesIO(pdf.content)).pages)
        report = c.get("/cases/wang/out/report.html")
        assert (
            "王" in report.text and "script-src 'none'" in report.headers["content-security-policy"]
        )
        manifest = json.loads(c.get("/cases/wang/out/manifest.json").text)
        assert manifest["complete"] is True


def test_a_build_error_is_a_page_not_a_traceback(tmp_path: Path) -> None:
    """This test ensures a case whose case.toml is broken builds into a page that says what is
    wrong and what to do, never a traceback."""
    cfg = config(tmp_path)
    with client(cfg) as (c, token):
        new_case(c, token)
        (cfg.inbox / "wang" / "case.toml").write_text(
            '[applicant]\nname = "王"\nnmae = "x"\n', encoding="utf-8"
        )
        assert c.post("/cases/wang/build", headers={"x-csrf-token": token}).status_code == 202
        c.app.app.state.builds.wait()  # type: ignore[attr-defined]
        page = c.get("/cases/wang").text
        assert "没能生成材料包" in page and "applicant.name" in page
        assert "Traceback" not in page


def test_rotate_buttons_turn_a_photo_by_a_file_entry(tmp_path: Path) -> None:
    """This test ensures the card's turn buttons write `[[file]] rotate` (clockwise, adding up
    a quarter at a time), the thumbnail shows the photo turned, and the photo is untouched."""
    from PIL import Image

    cfg = config(tmp_path)
    with client(cfg) as (c, token):
        new_case(c, token)
        headers = {"x-csrf-token": token}
        c.post(
            "/cases/wang/files",
            files=[("files", ("IMG_0003.jpg", photo((600, 800)), "image/jpeg"))],
            data={"kind": "income"},
            headers=headers,
        )
        rel = "收入证明/IMG_0003.jpg"
        original = (cfg.inbox / "wang" / rel).read_bytes()
        before = Image.open(io.BytesIO(c.get(f"/cases/wang/thumb/{rel}").content)).size
        for turn, expected in (("90", 90), ("90", 180), ("270", 90)):
            r = c.post(
                "/cases/wang/file",
                data={"csrf_token": token, "path": rel, "kind": "income", "turn": turn},
            )
            assert r.status_code == 200
            case = tomllib.loads((cfg.inbox / "wang" / "case.toml").read_text(encoding="utf-8"))
            (entry,) = [e for e in case["file"] if e["path"] == rel]
            assert entry["rotate"] == expected
        after = Image.open(io.BytesIO(c.get(f"/cases/wang/thumb/{rel}").content)).size
        assert after == (before[1], before[0])  # a quarter turn: portrait thumbnail now landscape
        assert "已顺时针转 90°" in r.text
        assert (cfg.inbox / "wang" / rel).read_bytes() == original
        bad = c.post("/cases/wang/file", data={"csrf_token": token, "path": rel, "turn": "45"})
        assert bad.status_code == 422
