"""Each page is read once: build, check and a rebuild share OUT/.cache (issue 21).

A small phone case is read for real (clean-up and OCR on): a desk photo, a
payslip photo no rule sorts (its text decides), and a scan saved as a PDF with
no name to go by (its OCR decides). Reads are counted where the runner stores
a fresh one (``PageCache.put`` runs in the main process, once per page read).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from packager.cache.pages import PageCache
from packager.demo import paper
from tests.conftest import GOOD_TOML
from tests.desk import desk_photo
from tests.test_check_cli import run

pytestmark = pytest.mark.slow

PAYSLIP = paper(
    "工资条",
    ["员工姓名：王测试", "2026年10月 应发工资 6,000.00 元", "实发工资 4,800.00 元"],
)
DIAGNOSIS = paper("诊断证明书", ["患者：王测试  性别：男", "诊断：急性阑尾炎", "医师：李某某"])


@pytest.fixture
def case(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox" / "wang"
    (folder / "支出明细").mkdir(parents=True)
    (folder / "case.toml").write_text(GOOD_TOML, encoding="utf-8")
    (folder / "支出明细" / "账单.jpg").write_bytes(desk_photo(seed=3).data)
    exif = Image.Exif()
    exif[0x0112] = 1
    PAYSLIP.save(folder / "IMG_20261120_101500.jpg", "JPEG", quality=88, exif=exif)
    DIAGNOSIS.convert("RGB").save(folder / "下载.pdf", "PDF", resolution=100)
    return folder


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The file of every fresh read the runner stores, in order."""
    monkeypatch.setenv("PACKAGER_OCR", "1")
    monkeypatch.setenv("PACKAGER_CLEAN", "1")
    seen: list[str] = []
    put = PageCache.put

    def counting(self: PageCache, source, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        seen.append(source.rel)
        put(self, source, *args, **kwargs)

    monkeypatch.setattr(PageCache, "put", counting)
    return seen


def _sources(out: str) -> dict[str, tuple[str, str | bool]]:
    manifest = json.loads(out)
    return {s["path"]: (s["kind"], s["cleaned"]) for s in manifest["sources"]}


def test_rebuild_after_an_edit_and_check_after_a_build_read_nothing(
    case: Path, reads: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """This test ensures a cold build reads each file once; a rebuild after a case.toml edit
    and a check after the build read no page again and see the same kinds, clean-up and
    text (the PDF sorted by its OCR from the cache too); --reread reads everything again."""
    code, out, _ = run(["build", str(case), "--json"], capsys)
    assert code in (0, 5)
    first = _sources(out)
    assert sorted(reads) == ["IMG_20261120_101500.jpg", "下载.pdf", "支出明细/账单.jpg"]
    assert first["IMG_20261120_101500.jpg"][0] == "income"  # sorted by what the page says
    assert first["下载.pdf"][0] == "medical"  # a scan in a PDF, read by OCR
    assert first["支出明细/账单.jpg"][1] == "flattened"  # made into a scan
    cache = case.parents[1] / "out" / ".cache"
    assert any((cache / "pages").glob("*.page"))

    reads.clear()
    toml = case / "case.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("住院三周", "住院四周"), "utf-8")
    code, out, _ = run(["build", str(case), "--json"], capsys)
    assert code in (0, 5)
    assert reads == []  # nothing read again
    assert _sources(out) == first
    letter = json.loads(out)
    assert letter["case"] == "wang"

    code, out, _ = run(["check", str(case), "--json"], capsys)
    assert code in (0, 5)
    assert reads == []
    assert {k: v[0] for k, v in _sources(out).items()} == {k: v[0] for k, v in first.items()}

    code, out, _ = run(["check", str(case), "--json", "--reread"], capsys)
    assert sorted(reads) == ["IMG_20261120_101500.jpg", "下载.pdf", "支出明细/账单.jpg"]
    assert {k: v[0] for k, v in _sources(out).items()} == {k: v[0] for k, v in first.items()}


def test_check_fills_the_cache_a_build_then_uses(
    case: Path, tmp_path: Path, reads: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """This test ensures `check -o OUT` reads into OUT/.cache and `build -o OUT` then reads no
    page (only the upload's re-encodings are made), with the same kinds."""
    out_root = tmp_path / "elsewhere"
    code, out, _ = run(["check", str(case), "-o", str(out_root), "--json"], capsys)
    assert code in (0, 5)
    checked = {k: v[0] for k, v in _sources(out).items()}
    assert len(reads) == 3
    assert not (case.parents[1] / "out").exists()  # the cache went where -o said
    reads.clear()
    code, out, _ = run(["build", str(case), "-o", str(out_root), "--json"], capsys)
    assert code in (0, 5)
    assert reads == []
    assert {k: v[0] for k, v in _sources(out).items()} == checked
