"""Helpers for the web tests: a served inbox, a client that is our own page, generated photos."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image
from starlette.testclient import TestClient

from packager.web.app import create_app
from packager.web.config import WebConfig
from tests.conftest import TODAY, marker_image

BASE = "http://127.0.0.1:8765"


def config(tmp: Path, **options: object) -> WebConfig:
    """A server's rules over ``tmp/inbox`` and ``tmp/out`` on the tests' fixed day."""
    return WebConfig(inbox=tmp / "inbox", out=tmp / "out", today=lambda: TODAY, **options)  # type: ignore[arg-type]


@contextmanager
def client(cfg: WebConfig) -> Iterator[tuple[TestClient, str]]:
    """A client that loaded the front page once (so it holds its CSRF cookie) and the token."""
    with TestClient(create_app(cfg), base_url=BASE) as c:
        c.get("/")
        yield c, c.cookies["packager_csrf"]


def photo(size: tuple[int, int] = (600, 800), quality: int = 90) -> bytes:
    """A phone-like JPEG of the marker card."""
    buf = io.BytesIO()
    marker_image(size).save(buf, "JPEG", quality=quality)
    return buf.getvalue()


def png() -> bytes:
    """A small PNG scan."""
    buf = io.BytesIO()
    Image.new("RGB", (400, 500), (250, 250, 250)).save(buf, "PNG")
    return buf.getvalue()


def new_case(c: TestClient, token: str, name: str = "wang") -> None:
    """Create a case through the page."""
    r = c.post("/cases", data={"name": name, "csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303, r.text
