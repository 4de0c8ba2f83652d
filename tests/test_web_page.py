"""The case page kept between views, and a second device (a phone) on ``--lan``."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

from starlette.testclient import TestClient

from packager.web.app import create_app
from packager.web.server import make_config
from tests.webkit import BASE, config, new_case, photo


def _token_in(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]*)"', page)
    assert found, page[:300]
    return found.group(1)


def test_a_kept_page_carries_each_clients_own_token(tmp_path: Path) -> None:
    """This test ensures the case page kept between views shows every client its own CSRF
    token (a token sent back in a cookie is escaped, never markup), and shows at once what
    changed: an upload, and case.toml edited by hand outside the page."""
    cfg = config(tmp_path)
    app = create_app(cfg)
    with TestClient(app, base_url=BASE) as a:
        a.get("/")
        new_case(a, a.cookies["packager_csrf"])
        first = a.get("/cases/wang").text
        assert _token_in(first) == a.cookies["packager_csrf"]
        b = TestClient(app, base_url=BASE)
        b.get("/")
        assert b.cookies["packager_csrf"] != a.cookies["packager_csrf"]
        assert _token_in(b.get("/cases/wang").text) == b.cookies["packager_csrf"]
        evil = TestClient(app, base_url=BASE, cookies={"packager_csrf": "x<script>y"})
        page = evil.get("/cases/wang").text
        assert "x<script>y" not in page and "x&lt;script&gt;y" in page

        r = a.post(
            "/cases/wang/files",
            files=[("files", ("工资条.jpg", photo(), "image/jpeg"))],
            headers={"x-csrf-token": a.cookies["packager_csrf"]},
        )
        assert r.status_code == 200
        assert 'value="工资条.jpg"' in b.get("/cases/wang").text
        case_file = cfg.inbox / "wang" / "case.toml"
        text = case_file.read_text(encoding="utf-8").replace('name = ""', 'name = "王手写"', 1)
        stat = case_file.stat()
        case_file.write_text(text, encoding="utf-8")
        os.utime(case_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))  # same size, new time
        assert 'value="王手写"' in b.get("/cases/wang").text


def test_a_phone_joins_with_the_token_url_then_its_cookie(tmp_path: Path) -> None:
    """This test ensures that with --lan a second device (its own cookies) is refused until it
    opens the printed token URL, then works on its cookie alone: it loads the case, uploads a
    photo and answers a question, which the first device then sees."""
    cfg = make_config(tmp_path / "inbox", tmp_path / "out", "127.0.0.1", 8765, True, "zh")
    lan = cfg.lan_url
    assert lan and cfg.token
    address = lan.split("/")[2]
    app = create_app(cfg)
    with TestClient(app, base_url=f"http://{address}") as desk:
        desk.get(f"/?token={cfg.token}")
        new_case(desk, desk.cookies["packager_csrf"])
        phone = TestClient(app, base_url=f"http://{address}")
        assert phone.get("/cases/wang").status_code == 403
        assert phone.get("/static/web.css").status_code == 403
        r = phone.get(lan.split(address, 1)[1], follow_redirects=False)
        assert r.status_code == 303 and cfg.token not in r.headers["location"]
        assert phone.get("/").status_code == 200  # the cookie alone, from now on
        page = phone.get("/cases/wang")
        assert page.status_code == 200 and cfg.token not in page.text
        csrf = phone.cookies["packager_csrf"]
        assert csrf != desk.cookies["packager_csrf"]
        origin = {"x-csrf-token": csrf, "origin": f"http://{address}"}
        up = phone.post(
            "/cases/wang/files",
            files=[("files", ("IMG_20261120_0931.jpg", photo(), "image/jpeg"))],
            headers=origin,
        )
        assert up.status_code == 200 and "IMG_20261120_0931.jpg" in up.text
        said = phone.post(
            "/cases/wang/form",
            data={"csrf_token": csrf, "finances.monthly_income": "0"},
            headers={"origin": f"http://{address}"},
        )
        assert said.status_code == 200, said.text
        # A request carrying the phone's CSRF token but the desk's cookies is refused.
        assert desk.post("/cases/wang/build", headers={"x-csrf-token": csrf}).status_code == 403
        seen = desk.get("/cases/wang").text
        assert 'value="IMG_20261120_0931.jpg"' in seen
    assert (cfg.inbox / "wang" / "IMG_20261120_0931.jpg").is_file()
    data = tomllib.loads((cfg.inbox / "wang" / "case.toml").read_text(encoding="utf-8"))
    assert data["finances"]["monthly_income"] == 0
