"""Every EXIF orientation 1–8 comes out upright without touching the JPEG bytes."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from packager import api
from tests.conftest import TODAY, assert_upright, render_page, save_phone_jpeg, upload_pdf

pytestmark = pytest.mark.slow


def test_all_eight_orientations(case_factory, tmp_path: Path, tools) -> None:
    """This test ensures orientations 1–8 (flips included) render upright."""
    files = {
        f"收入证明/o{n}.jpg": (lambda p, n=n: save_phone_jpeg(p, n, size=(400, 560)))
        for n in range(1, 9)
    }
    case = case_factory(files=files)
    outcome = api.build_case(case, tmp_path / "out", api.Settings(today=TODAY))
    assert outcome.out_dir is not None
    pdf = upload_pdf(outcome.out_dir)
    first = outcome.manifest["sources"][0]["first_page"]
    assert len(PdfReader(pdf).pages) == first - 1 + 8
    for page in range(first, first + 8):
        assert_upright(render_page(pdf, page))
