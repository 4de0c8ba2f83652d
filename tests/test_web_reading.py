"""``packager serve`` on a Chinese-named case, reading on upload, and the API answered from state."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from starlette.testclient import TestClient

from packager.web.answers import qr_svg
from packager.web.app import create_app
from packager.web.server import make_config
from tests.test_web_flow import ANSWERS
from tests.webkit import BASE, client, config, photo, png

NAME = "张三"
URL = f"/cases/{quote(NAME)}"


def _wait_read(c: TestClient, url: str, timeout: float = 120.0) -> dict[str, object]:
    """Poll the API until no file is being read; return its last answer."""
    deadline = time.monotonic() + timeout
    while True:
        data = c.get(_api(url)).json()
        if not data["reading"] and all(f["read"] != "queued" for f in data["files"]):
            return dict(data)
        assert time.monotonic() < deadline, data
        time.sleep(0.1)


def _api(url: str) -> str:
    return "/api" + url


@pytest.mark.slow
def test_every_route_of_a_case_named_in_chinese(tmp_path: Path) -> None:
    """This test ensures a case named 张三 works on every route: created, answered, filled with
    Chinese-named photos, a card sorted and turned, built, and every download (the upload PDF,
    the page images one by one and as a zip, the mail packet, the report) answers 200 with a
    UTF-8 file name; no request is a 500 (the test client raises any server traceback)."""
    cfg = config(tmp_path)
    with client(cfg) as (c, token):
        r = c.post("/cases", data={"name": NAME, "csrf_token": token}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == URL
        assert c.get("/").status_code == 200 and NAME in c.get("/").text
        for step in ("", "?step=step_files", "?step=step_money", "?step=step_build", "?step=x"):
            assert c.get(URL + step).status_code == 200
        r = c.post(URL + "/form", data={"csrf_token": token, **ANSWERS, "go": "step_account"})
        assert r.status_code == 200 and "已保存" in r.text
        headers = {"x-csrf-token": token}
        r = c.post(
            URL + "/files",
            files=[
                ("files", ("工资条.jpg", photo(), "image/jpeg")),
                ("files", ("收据 照片.png", png(), "image/png")),
                ("files", ("", b"", "application/octet-stream")),  # the camera picker, unused
            ],
            headers=headers,
        )
        assert r.status_code == 200, r.text
        assert "不是图片" not in r.text
        r = c.post(
            URL + "/file",
            data={"csrf_token": token, "path": "收据 照片.png", "kind": "expenses", "turn": "90"},
        )
        assert r.status_code == 200
        assert c.get(URL + "/thumb/" + quote("工资条.jpg")).status_code == 200
        assert c.get(URL + "/thumb/" + quote("收据 照片.png")).status_code == 200
        assert c.get(_api(URL)).status_code == 200
        assert c.post(URL + "/build", headers=headers).status_code in (202, 409)
        assert c.get(URL + "/status").status_code == 200
        builds = c.app.app.state.builds  # type: ignore[attr-defined]
        builds.wait()
        assert builds.state(NAME).error is None
        status = c.get(URL + "/status")
        assert status.headers.get("hx-redirect") == URL + "?step=step_build"
        page = c.get(URL + "?step=step_build").text
        links = set(re.findall(r'href="(/cases/[^"]+)"', page))
        assert URL + "/images.zip" in links
        manifest = c.get(_api(URL)).json()["manifest"]
        links |= {f"{URL}/out/{quote(o['path'])}" for o in manifest["outputs"]}
        assert any("/images/" in link for link in links)
        for link in sorted(links):
            r = c.get(link)
            assert r.status_code == 200, (link, r.status_code)
            disposition = r.headers.get("content-disposition", "")
            if disposition:
                assert "filename*=utf-8''" in disposition.lower()
                disposition.encode("latin-1")  # what goes on the wire
        archive = zipfile.ZipFile(io.BytesIO(c.get(URL + "/images.zip").content))
        assert archive.namelist() and all(n.endswith(".jpg") for n in archive.namelist())
        zipped = c.get(URL + "/images.zip").headers["content-disposition"]
        assert quote(f"{NAME}-images.zip") in zipped
        for missing in ("/out/nothing.pdf", "/thumb/none.jpg", "/out/../case.toml"):
            assert c.get(URL + missing).status_code == 404
        assert c.get("/cases/" + quote("李四")).status_code == 404
        for static in ("web.css", "web.js", "htmx.min.js"):
            assert c.get(f"/static/{static}").status_code == 200


def test_uploads_are_read_in_the_background(tmp_path: Path) -> None:
    """This test ensures files are read as they land, without a build: the page first shows
    each card 读取中 (and polls), then the read state; the API answers from state with each
    file's progress and never reads a page itself; the build later finds every photo cached."""
    cfg = config(tmp_path)
    with client(cfg) as (c, token):
        c.post("/cases", data={"name": NAME, "csrf_token": token})
        headers = {"x-csrf-token": token}
        r = c.post(
            URL + "/files",
            files=[
                ("files", (f"工资条{n}.jpg", photo((600 + n, 800)), "image/jpeg")) for n in range(4)
            ],
            headers=headers,
        )
        assert r.status_code == 200
        assert "读取中" in r.text and 'data-hx-trigger="every 2s"' in r.text
        data = _wait_read(c, URL)
        assert {f["path"]: f["read"] for f in data["files"]} == {
            f"工资条{n}.jpg": "read" for n in range(4)
        }
        assert data["read"] == {"done": 4, "total": 4}
        page = c.get(URL).text
        assert "读取中" not in page and 'data-hx-trigger="every 2s"' not in page
        builds = c.app.app.state.builds  # type: ignore[attr-defined]
        before = builds.cache.stats.misses
        c.post(URL + "/build", headers=headers)
        builds.wait()
        assert builds.state(NAME).error is None
        assert builds.cache.stats.misses == before  # every page came from the reads on upload


def test_the_api_answers_at_once_while_a_case_is_read(tmp_path: Path) -> None:
    """This test ensures GET /api/cases/NAME answers while reads and a build run, with
    `building`, the build's progress and each file's read state, and no page read by it."""
    cfg = config(tmp_path)
    with client(cfg) as (c, token):
        c.post("/cases", data={"name": "wang", "csrf_token": token})
        c.post(
            "/cases/wang/files",
            files=[
                ("files", (f"工资条{n}.jpg", photo((900 + n, 1200)), "image/jpeg"))
                for n in range(3)
            ],
            headers={"x-csrf-token": token},
        )
        c.post("/cases/wang/build", headers={"x-csrf-token": token})
        data = c.get("/api/cases/wang").json()
        assert data["building"] is True and data["build"]["running"] is True
        assert {f["read"] for f in data["files"]} <= {"queued", "read"}
        assert set(data) >= {"files", "read", "checklist", "fields_missing", "manifest"}
        c.app.app.state.builds.wait()  # type: ignore[attr-defined]
        done = c.get("/api/cases/wang").json()
        assert done["building"] is False and done["build"]["error"] is None


def test_no_file_input_forces_the_camera(tmp_path: Path) -> None:
    """This test ensures the case page offers a gallery picker (several images and PDFs, no
    capture, so a phone shows its photos, chat images and files) and a separate camera
    picker, each inside its own visible label; no page has bare hx-* attributes."""
    cfg = config(tmp_path)
    with client(cfg) as (c, token):
        c.post("/cases", data={"name": "wang", "csrf_token": token})
        page = c.get("/cases/wang").text
        inputs = re.findall(r"<label[^>]*>([^<]*)\s*(<input[^>]*>)", page)
        by_label = {label.strip(): tag for label, tag in inputs}
        gallery = by_label["从相册或文件选择"]
        assert "capture" not in gallery and "multiple" in gallery
        assert "image/*" in gallery and "application/pdf" in gallery
        assert 'capture="environment"' in by_label["拍照"]
        files = re.findall(r'<input type="file"[^>]*>', page)
        assert len(files) == 2 and sum("capture" in f for f in files) == 1
        for url in ("/", "/cases/wang", "/cases/wang?step=step_build", "/nothing"):
            assert not re.search(r"\shx-", c.get(url).text), url


def test_a_traditional_chinese_case_gets_a_traditional_page(tmp_path: Path) -> None:
    """This test ensures a case whose case.toml asks for zh-Hant is shown in Traditional
    characters (the steps, the pickers, the checklist) with lang="zh-Hant"."""
    cfg = config(tmp_path)
    with client(cfg) as (c, token):
        c.post("/cases", data={"name": "chan", "csrf_token": token})
        toml = cfg.inbox / "chan" / "case.toml"
        text = toml.read_text(encoding="utf-8")
        toml.write_text(text.replace('language = "zh-Hans"', 'language = "zh-Hant"'), "utf-8")
        page = c.get("/cases/chan").text
        assert '<html lang="zh-Hant">' in page
        assert "從相簿或檔案選擇" in page or "從相冊或文件選擇" in page
        assert "拍照" in page and "清單" in page
        assert "从相册" not in page
        assert c.get("/").text.count('lang="zh-CN"') == 1
    with client(config(tmp_path, lang="zh-Hant")) as (c, _):
        front = c.get("/").text
        assert '<html lang="zh-Hant">' in front and "逾期還款協商材料" in front


def test_lan_page_shows_the_qr_code_on_the_case_page(tmp_path: Path) -> None:
    """This test ensures with --lan the case page (not only the front page) shows the QR code
    of the tokened URL, so the person scans it from the desktop with the phone."""
    cfg = make_config(tmp_path / "inbox", tmp_path / "out", "127.0.0.1", 8765, True, "zh")
    with TestClient(create_app(cfg), base_url=BASE) as c:
        assert c.get("/cases/wang").status_code == 403
        c.get(f"/?token={cfg.token}")
        token = c.cookies["packager_csrf"]
        c.post("/cases", data={"name": "wang", "csrf_token": token})
        page = c.get("/cases/wang").text
        assert "<svg" in page and "用手机扫这个二维码" in page
        assert qr_svg(f"{cfg.lan_url}".replace("/?", "/cases/wang?")) in page  # into this case
    with TestClient(create_app(cfg), base_url=BASE) as phone:  # what the phone does with it
        r = phone.get(f"/cases/wang?token={cfg.token}", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/cases/wang"
        assert phone.get("/cases/wang").status_code == 200


VNU = Path(__file__).resolve().parent.parent / "build/npm/node_modules/vnu-jar/build/dist/vnu.jar"


@pytest.mark.slow
@pytest.mark.skipif(
    not VNU.is_file() or shutil.which("java") is None,
    reason="needs the Nu HTML checker (scripts/web-test-deps.sh) and Java",
)
def test_every_page_is_valid_html(tmp_path: Path) -> None:
    """This test ensures the Nu HTML checker finds no error on the front page, a new case, a
    case with files being read, a refused answer (422), every step of the flow and the 404."""
    cfg = config(tmp_path)
    pages: dict[str, str] = {}
    with client(cfg) as (c, token):
        pages["front"] = c.get("/").text
        c.post("/cases", data={"name": NAME, "csrf_token": token})
        pages["new"] = c.get(URL).text
        c.post(
            URL + "/files",
            files=[
                ("files", (f"工资条{n}.jpg", photo((700 + n, 900)), "image/jpeg")) for n in (1, 2)
            ],
            headers={"x-csrf-token": token},
        )
        pages["reading"] = c.get(URL).text
        bad = {"csrf_token": token, **ANSWERS, "applicant.id_number": "110105194912310021"}
        pages["refused"] = c.post(URL + "/form", data=bad).text
        for step in ("step_who", "step_expenses", "step_contacts", "step_build"):
            pages[step] = c.get(f"{URL}?step={step}").text
        pages["404"] = c.get("/cases/none").text
        _wait_read(c, URL)
    for name, html in pages.items():
        (tmp_path / f"{name}.html").write_text(html, encoding="utf-8")
    done = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", *(str(tmp_path / f"{n}.html") for n in pages)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
