"""Intake: content sniffing, junk, links and special files never opened or followed."""

from __future__ import annotations

import os
from pathlib import Path

from packager.messages import message
from packager.models import MediaType
from packager.read.intake import intake, sniff
from tests.conftest import save_phone_jpeg


def test_sniff_ignores_extension(tmp_path: Path) -> None:
    """This test ensures a JPEG named .pdf is read as JPEG and text named .jpg is unsupported."""
    save_phone_jpeg(tmp_path / "photo.pdf", 1)
    (tmp_path / "notes.jpg").write_text("hello")
    found = intake(tmp_path)
    assert [(f.rel, f.media) for f in found.files] == [("photo.pdf", MediaType.JPEG)]
    assert sorted((f.file, f.code) for f in found.findings) == [
        ("notes.jpg", "UNSUPPORTED_FILE"),
        ("photo.pdf", "EXTENSION_MISMATCH"),
    ]


def test_sniff_table() -> None:
    """This test ensures the magic bytes we rely on."""
    assert sniff(b"%PDF-1.7\n") is MediaType.PDF
    assert sniff(b"\x89PNG\r\n\x1a\n....") is MediaType.PNG
    assert sniff(b"\x00\x00\x00\x18ftypheic") is MediaType.HEIF
    assert sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 ") is MediaType.WEBP
    assert sniff(b"hello") is MediaType.UNKNOWN


def test_junk_links_fifos_empty_and_duplicates(tmp_path: Path) -> None:
    """This test ensures junk is quiet, links and FIFOs are never opened, and the rest is reported."""
    case = tmp_path / "case"
    case.mkdir()
    save_phone_jpeg(case / "a.jpg", 1)
    (case / "b.jpg").write_bytes((case / "a.jpg").read_bytes())
    for junk in (
        ".DS_Store",
        "._a.jpg",
        "Thumbs.db",
        "desktop.ini",
        "~$x.docx",
        "x.tmp",
        "y.part",
        "z.crdownload",
    ):
        (case / junk).write_bytes(b"junk")
    (case / "__MACOSX").mkdir()
    (case / "__MACOSX" / "a.jpg").write_bytes(b"junk")
    (case / "empty.jpg").write_bytes(b"")
    outside = tmp_path / "secret.jpg"
    save_phone_jpeg(outside, 3)
    (case / "link.jpg").symlink_to(outside)
    os.mkfifo(case / "pipe.jpg")
    found = intake(case)
    assert [f.rel for f in found.files] == ["a.jpg"]
    codes = {f.file: f.code for f in found.findings}
    assert codes == {
        "b.jpg": "DUPLICATE",
        "empty.jpg": "EMPTY_FILE",
        "link.jpg": "SYMLINK",
        "pipe.jpg": "SPECIAL_FILE",
    }
    status = {s.rel: s.status.value for s in found.skipped}
    assert status == {
        "b.jpg": "skipped",
        "empty.jpg": "failed",
        "link.jpg": "skipped",
        "pipe.jpg": "skipped",
    }


def test_odd_names_are_displayable(tmp_path: Path) -> None:
    """This test ensures names with newlines or non-UTF-8 bytes are shown safely."""
    case = tmp_path / "case"
    case.mkdir()
    save_phone_jpeg(case / "a\nb.jpg", 1)
    raw = os.fsencode(case) + b"/\xff\xfe.jpg"
    fd = os.open(raw, os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, b"not an image")
    os.close(fd)
    found = intake(case)
    shown = [f.rel for f in found.files] + [f.file for f in found.findings]
    for name in shown:
        assert name is not None
        name.encode("utf-8")  # never raises
        assert "\n" not in name


def test_the_sorted_copy_of_a_duplicate_wins(tmp_path: Path) -> None:
    """This test ensures a folder-sorted copy beats a keyword copy, which beats an unsorted one."""
    case = tmp_path / "case"
    (case / "收入证明").mkdir(parents=True)
    save_phone_jpeg(case / "IMG_20261120_101500.jpg", 1)
    (case / "收入证明" / "工资条.jpg").write_bytes((case / "IMG_20261120_101500.jpg").read_bytes())
    (case / "工资-副本.jpg").write_bytes((case / "IMG_20261120_101500.jpg").read_bytes())
    found = intake(case)
    assert [f.rel for f in found.files] == ["收入证明/工资条.jpg"]
    dropped = {f.file: f.params["other"] for f in found.findings if f.code == "DUPLICATE"}
    assert dropped == {
        "IMG_20261120_101500.jpg": "收入证明/工资条.jpg",
        "工资-副本.jpg": "收入证明/工资条.jpg",
    }
    assert not [f for f in found.findings if f.code == "DUPLICATE_KINDS"]


def test_identical_files_in_two_kinds_are_named(tmp_path: Path) -> None:
    """This test ensures one document in two kind folders is kept once, with a warning in words."""
    case = tmp_path / "case"
    for folder in ("收入证明", "支出明细"):
        (case / folder).mkdir(parents=True)
    save_phone_jpeg(case / "支出明细" / "单据.jpg", 1)
    (case / "收入证明" / "单据.jpg").write_bytes((case / "支出明细" / "单据.jpg").read_bytes())
    found = intake(case)
    assert [f.rel for f in found.files] == ["收入证明/单据.jpg"]  # packet order: income first
    (warning,) = [f for f in found.findings if f.code == "DUPLICATE_KINDS"]
    assert warning.file == "支出明细/单据.jpg"
    assert warning.severity.value == "warning"
    zh, en = message(warning, "zh"), message(warning, "en")
    assert "只能属于一类" in zh and "支出明细" in zh and "收入证明" in zh
    assert "one document cannot be both" in en and "Expense" in en
