"""``packager serve`` refuses what could leak or change a case: every rule, at the HTTP level."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from packager.web.app import create_app
from packager.web.server import make_config
from tests.conftest import FULL_ID
from tests.webkit import BASE, client, config, new_case, photo


def test_every_response_carries_the_security_headers(tmp_path: Path) -> None:
    """This test ensures pages, refusals and 404s all say CSP default-src 'self', nosniff and
    no-referrer, and the first page load sets an HttpOnly, SameSite=Strict CSRF cookie."""
    with TestClient(create_app(config(tmp_path)), base_url=BASE) as c:
        first = c.get("/")
        cookie = first.headers["set-cookie"]
        assert cookie.startswith("packager_csrf=") and "HttpOnly" in cookie
        assert "SameSite=Strict" in cookie
        for response in (first, c.get("/cases/nobody"), c.post("/cases", data={"name": "x"})):
            assert response.headers["content-security-policy"].startswith("default-src 'self'")
            assert response.headers["x-content-type-options"] == "nosniff"
            assert response.headers["referrer-policy"] == "no-referrer"
        assert c.get("/cases/nobody").status_code == 404


def test_foreign_host_is_refused(tmp_path: Path) -> None:
    """This test ensures a request whose Host is not a name we bound is refused (DNS rebinding:
    evil.example resolving to 127.0.0.1) before any route runs."""
    with client(config(tmp_path)) as (c, _):
        assert c.get("/", headers={"host": "evil.example:8765"}).status_code == 400
        assert c.get("/", headers={"host": "localhost:8765"}).status_code == 200


def test_cross_origin_post_is_refused(tmp_path: Path) -> None:
    """This test ensures a POST from another origin is refused even with a valid CSRF token, and
    nothing is created."""
    cfg = config(tmp_path)
    with client(cfg) as (c, token):
        r = c.post(
            "/cases",
            data={"name": "wang", "csrf_token": token},
            headers={"origin": "http://evil.example"},
        )
        assert r.status_code == 403
        r = c.post(
            "/cases",
            data={"name": "wang", "csrf_token": token},
            headers={"sec-fetch-site": "cross-site"},
        )
        assert r.status_code == 403
    assert not (cfg.inbox / "wang").exists()


def test_missing_or_wrong_csrf_token_is_refused(tmp_path: Path) -> None:
    """This test ensures every state-changing request without the page's CSRF token (form field
    or X-CSRF-Token header) is refused with 403, uploads included."""
    cfg = config(tmp_path)
    with client(cfg) as (c, token):
        assert c.post("/cases", data={"name": "wang"}).status_code == 403
        assert c.post("/cases", data={"name": "wang", "csrf_token": "forged"}).status_code == 403
        assert not (cfg.inbox / "wang").exists()
        new_case(c, token)
        files = [("files", ("IMG_1.jpg", photo(), "image/jpeg"))]
        r = c.post("/cases/wang/files", files=files, headers={"x-csrf-token": "forged"})
        assert r.status_code == 403
        assert c.post("/cases/wang/files", files=files).status_code == 403
        assert c.post("/cases/wang/build").status_code == 403
        ok = c.post("/cases/wang/files", files=files, data={"csrf_token": token})
        assert ok.status_code == 200
    assert sorted(p.name for p in (cfg.inbox / "wang").glob("*.jpg")) == ["IMG_1.jpg"]


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("../../evil.jpg", "evil.jpg"),
        ("..\\..\\evil.jpg", "evil.jpg"),
        (".hidden.jpg", "hidden.jpg"),
        ("CON.jpg", "_CON.jpg"),
        ("case.toml", "case.toml.jpg"),
        ("工资条 十月.JPG", "工资条 十月.JPG"),
    ],
)
def test_upload_names_are_sanitised(tmp_path: Path, sent: str, kept: str) -> None:
    """This test ensures an uploaded file lands inside the case folder under a safe name (no
    separators, no .., not hidden or reserved, never case.toml), otherwise as the device named
    it, Chinese included."""
    cfg = config(tmp_path)
    with client(cfg) as (c, token):
        new_case(c, token)
        r = c.post(
            "/cases/wang/files",
            files=[("files", (sent, photo(), "image/jpeg"))],
            headers={"x-csrf-token": token},
        )
        assert r.status_code == 200
    case = cfg.inbox / "wang"
    assert (case / kept).is_file()
    assert not (tmp_path / "evil.jpg").exists() and not (cfg.inbox / "evil.jpg").exists()
    assert (case / "case.toml").read_text(encoding="utf-8").startswith("#")


def test_upload_never_overwrites(tmp_path: Path) -> None:
    """This test ensures a second file of the same name becomes a numbered copy."""
    cfg = config(tmp_path)
    with client(cfg) as (c, token):
        new_case(c, token)
        for size in ((600, 800), (640, 800)):
            c.post(
                "/cases/wang/files",
                files=[("files", ("IMG_1.jpg", photo(size), "image/jpeg"))],
                headers={"x-csrf-token": token},
            )
    names = sorted(p.name for p in (cfg.inbox / "wang").glob("*.jpg"))
    assert names == ["IMG_1 (2).jpg", "IMG_1.jpg"]


def test_an_exe_renamed_jpg_is_refused(tmp_path: Path) -> None:
    """This test ensures a file is judged by its content: a Windows program named .jpg is not
    saved (415) and the page says why, naming it."""
    cfg = config(tmp_path)
    with client(cfg) as (c, token):
        new_case(c, token)
        exe = b"MZ\x90\x00" + b"\x00" * 2000
        r = c.post(
            "/cases/wang/files",
            files=[("files", ("photo.jpg", exe, "image/jpeg"))],
            headers={"x-csrf-token": token},
        )
        assert r.status_code == 415
        assert "photo.jpg 不是图片或 PDF" in r.text
    assert not list((cfg.inbox / "wang").rglob("*.jpg"))
    assert not list((cfg.inbox / "wang").rglob("*.part"))


def test_oversized_upload_is_refused_while_streaming(tmp_path: Path) -> None:
    """This test ensures a file over the per-file limit, and a request over the per-request
    limit, are refused with 413 and leave nothing behind."""
    cfg = config(tmp_path, max_file_mb=0.2, max_request_mb=0.5)
    big = photo((600, 800)) + b"\x00" * 300_000
    with client(cfg) as (c, token):
        new_case(c, token)
        headers = {"x-csrf-token": token}
        r = c.post(
            "/cases/wang/files", files=[("files", ("a.jpg", big, "image/jpeg"))], headers=headers
        )
        assert r.status_code == 413
        assert "每个文件最多 0.2 MB" in r.text
        small = photo((300, 400))
        many = [
            ("files", (f"{i}.jpg", small + bytes(i) * 100_000, "image/jpeg")) for i in range(1, 7)
        ]
        assert c.post("/cases/wang/files", files=many, headers=headers).status_code == 413
    case = cfg.inbox / "wang"
    assert not list(case.rglob("*.jpg")) and not list(case.rglob("*.part"))


def test_download_traversal_is_refused(tmp_path: Path) -> None:
    """This test ensures downloads come only from out/<case>/: a path climbing out of it, into
    the case folder or another case, is a 404, and thumbnails stay inside the case."""
    cfg = config(tmp_path)
    with client(cfg) as (c, token):
        new_case(c, token)
        new_case(c, token, "li")
        (cfg.out / "li").mkdir(parents=True)
        (cfg.out / "li" / "manifest.json").write_text("{}", encoding="utf-8")
        (cfg.out / "wang").mkdir()
        (cfg.out / "wang" / "report.html").write_text("<p>ok</p>", encoding="utf-8")
        assert c.get("/cases/wang/out/report.html").status_code == 200
        for path in (
            "/cases/wang/out/../li/manifest.json",
            "/cases/wang/out/%2e%2e/li/manifest.json",
            "/cases/wang/out/..%2F..%2Finbox%2Fwang%2Fcase.toml",
            "/cases/wang/out/",
            "/cases/..%2Fout/out/report.html",
            "/cases/wang/thumb/..%2F..%2Fout%2Fwang%2Freport.html",
        ):
            r = c.get(path)
            assert r.status_code == 404, path
            assert "case.toml" not in r.text or "[applicant]" not in r.text


def test_bad_case_names_are_refused(tmp_path: Path) -> None:
    """This test ensures a case name that is a path, hidden, reserved or an ID number is not made."""
    cfg = config(tmp_path)
    with client(cfg) as (c, token):
        for name in ("../x", "a/b", ".hidden", "con", FULL_ID, ""):
            r = c.post("/cases", data={"name": name, "csrf_token": token})
            assert r.status_code == 422, name
            assert "不能用" in r.text
    assert not cfg.inbox.exists() or list(cfg.inbox.iterdir()) == []


def test_lan_mode_needs_the_token(tmp_path: Path) -> None:
    """This test ensures that with --lan every request without the token is refused, and the
    token in the URL becomes an HttpOnly, SameSite=Strict cookie and leaves the address."""
    cfg = make_config(tmp_path / "inbox", tmp_path / "out", "127.0.0.1", 8765, True, "zh")
    assert cfg.token and cfg.lan_url and cfg.token in cfg.lan_url
    with TestClient(create_app(cfg), base_url=BASE) as c:
        assert c.get("/").status_code == 403
        assert c.get("/?token=wrong").status_code == 403
        assert c.post("/cases", data={"name": "x"}).status_code == 403
        r = c.get(f"/?token={cfg.token}", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/"
        cookie = next(v for k, v in r.headers.multi_items() if k == "set-cookie")
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        page = c.get("/")
        assert page.status_code == 200
        assert "<svg" in page.text  # the QR code for the phone
    with TestClient(create_app(cfg), base_url=BASE) as other:
        assert other.get("/cases/x").status_code == 403


def test_nothing_logged_holds_an_id_or_phone(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """This test ensures saving an ID and phone number and uploading a file named with an ID
    logs neither, at any level."""
    cfg = config(tmp_path)
    caplog.set_level(logging.DEBUG)
    with client(cfg) as (c, token):
        new_case(c, token)
        c.post(
            "/cases/wang/form",
            data={
                "csrf_token": token,
                "applicant.id_number": FULL_ID,
                "applicant.phone": "13800138000",
            },
        )
        c.post(
            "/cases/wang/files",
            files=[("files", (f"身份证{FULL_ID}.jpg", photo(), "image/jpeg"))],
            headers={"x-csrf-token": token},
        )
    assert FULL_ID not in caplog.text and "13800138000" not in caplog.text


def test_null_origin_counts_only_with_same_origin_fetch_site(tmp_path: Path) -> None:
    """This test ensures the "Origin: null" a browser sends with a plain form under our
    no-referrer policy is accepted only when Sec-Fetch-Site says same-origin (a sandboxed
    frame elsewhere also says null, but cross-site)."""
    cfg = config(tmp_path)
    with client(cfg) as (c, token):
        data = {"name": "wang", "csrf_token": token}
        foreign = {"origin": "null", "sec-fetch-site": "cross-site"}
        assert c.post("/cases", data=data, headers=foreign).status_code == 403
        assert c.post("/cases", data=data, headers={"origin": "null"}).status_code == 403
        ours = {"origin": "null", "sec-fetch-site": "same-origin"}
        assert c.post("/cases", data=data, headers=ours, follow_redirects=False).status_code == 303
