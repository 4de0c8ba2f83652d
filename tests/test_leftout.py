"""report.html shows a small thumbnail beside each file left out of the packet."""

from __future__ import annotations

import base64
import hashlib
import io
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from packager import api
from packager.models import MediaType, SkippedFile, Status
from packager.write.leftout import LEFT_OUT_SIDE, left_out_thumbnail
from tests.conftest import GOOD_TOML, TODAY, make_pdf, marker_image, save_phone_jpeg

pytestmark = pytest.mark.slow


class Thumbs(HTMLParser):
    """The left-out thumbnails of the report: (alt, data) in order."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, bytes]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "img" and a.get("class") == "left-out":
            assert a["src"].startswith("data:image/jpeg;base64,")
            self.found.append((a["alt"], base64.b64decode(a["src"].split(",", 1)[1])))


def _gps_photo(path: Path) -> None:
    """A phone photo stored turned (EXIF 6) with a GPS block and a camera model."""
    save_phone_jpeg(path, 6, size=(1200, 1600))
    im = Image.open(path)
    exif = im.getexif()
    exif[0x0110] = "TestPhone 12"  # Model
    exif[0x8825] = {1: "N", 2: (39.0, 54.0, 0.0)}  # GPS
    im.save(path, "JPEG", exif=exif.tobytes(), quality=92)


def _case(tmp_path: Path) -> Path:
    case = tmp_path / "inbox" / "wang"
    for folder in ("收入证明", "支出明细", "疾病证明"):
        (case / folder).mkdir(parents=True)
    (case / "case.toml").write_text(
        GOOD_TOML + '\n[[file]]\npath = "疾病证明/旧的.jpg"\nexclude = true\n', encoding="utf-8"
    )
    save_phone_jpeg(case / "收入证明/工资.jpg", 1)
    save_phone_jpeg(case / "支出明细/收据.jpg", 3)
    save_phone_jpeg(case / "疾病证明/诊断.jpg", 8)
    _gps_photo(case / "IMG_20261120_101500.jpg")  # unsorted: left out
    (case / "IMG_copy.jpg").write_bytes((case / "收入证明/工资.jpg").read_bytes())  # duplicate
    save_phone_jpeg(case / "疾病证明/旧的.jpg", 6)  # excluded in case.toml
    make_pdf(case / "scan_0001.pdf", [(842, 595, 0)])  # unsorted landscape PDF
    (case / "收入证明/坏的.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")  # unreadable
    (case / "notes.txt").write_text("not a scan", encoding="utf-8")
    return case


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    tmp = tmp_path_factory.mktemp("leftout")
    case = _case(tmp)
    before = {
        str(p.relative_to(case)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in case.rglob("*")
        if p.is_file()
    }
    outcome = api.build_case(case, tmp / "out", api.Settings(today=TODAY))
    assert outcome.out_dir is not None
    return case, outcome.out_dir, before


def test_each_left_out_image_and_pdf_has_a_small_thumbnail(built) -> None:
    """This test ensures the report's 没有放入材料包的文件 section shows one thumbnail for each
    left-out photo and PDF (unsorted, duplicate, excluded; upright, at most 160 px, JPEG) and
    none for files that are not images (the text file, the broken JPEG)."""
    _, out, _ = built
    html = (out / "report.html").read_text(encoding="utf-8")
    parser = Thumbs()
    parser.feed(html)
    names = [alt for alt, _ in parser.found]
    assert sorted(names) == sorted(
        ["IMG_20261120_101500.jpg", "IMG_copy.jpg", "疾病证明/旧的.jpg", "scan_0001.pdf"]
    )
    for alt, data in parser.found:
        thumb = Image.open(io.BytesIO(data))
        assert thumb.format == "JPEG" and max(thumb.size) <= LEFT_OUT_SIDE
        assert len(data) < 12_000
        if alt != "scan_0001.pdf":  # the photos are portrait once turned by their EXIF tag
            assert thumb.height > thumb.width
            assert not thumb.getexif()
        else:
            assert thumb.width > thumb.height
    section = html.split('id="skipped"', 1)[1].split("</section>", 1)[0]
    assert "notes.txt" in section and "坏的.jpg" in section


def test_photo_thumbnail_carries_no_metadata(built) -> None:
    """This test ensures the photo's GPS block and camera model never reach the report."""
    _, out, _ = built
    parser = Thumbs()
    parser.feed((out / "report.html").read_text(encoding="utf-8"))
    (data,) = [d for alt, d in parser.found if alt == "IMG_20261120_101500.jpg"]
    assert b"TestPhone" not in data and b"Exif" not in data and b"GPS" not in data
    assert b"TestPhone" not in (out / "report.html").read_bytes()


def test_case_folder_is_untouched(built) -> None:
    """This test ensures making the thumbnails changes nothing in the case folder."""
    case, _, before = built
    after = {
        str(p.relative_to(case)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in case.rglob("*")
        if p.is_file()
    }
    assert after == before


def test_unopenable_files_have_no_thumbnail(tmp_path: Path) -> None:
    """This test ensures a damaged image, an encrypted-looking PDF and an image over the pixel
    budget give no thumbnail rather than an error."""
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0garbage")
    pdf = tmp_path / "bad.pdf"
    pdf.write_bytes(b"%PDF-1.7\n%broken")
    for path, media in ((broken, MediaType.JPEG), (pdf, MediaType.PDF)):
        assert (
            left_out_thumbnail(SkippedFile(path.name, None, Status.FAILED, path=path, media=media))
            is None
        )
    assert left_out_thumbnail(SkippedFile("dir/", None, Status.SKIPPED)) is None
    png = tmp_path / "ok.png"
    marker_image((400, 300)).save(png, "PNG")
    thumb = left_out_thumbnail(
        SkippedFile("ok.png", None, Status.SKIPPED, path=png, media=MediaType.PNG)
    )
    assert thumb is not None and Image.open(io.BytesIO(thumb)).size == (160, 120)
