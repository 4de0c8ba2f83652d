"""Bad input never stops the packet: every broken, hostile or odd file becomes a finding.

One case folder holds good documents plus every kind of bad file; the build
goes on, names each bad file with what to do, marks it in the manifest,
prints no traceback, exits with the documented code and leaves the case
folder byte for byte as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from packager.messages import message
from packager.read.prepare import prepare, survey
from packager.settings import Settings
from packager.write.plan import plan_packet
from tests.conftest import (
    GOOD_TOML,
    TODAY,
    assert_upright,
    marker_image,
    render_page,
    save_phone_jpeg,
)
from tests.samples import (
    damaged_content_pdf,
    empty_pdf,
    encrypted_pdf,
    jpeg_liar,
    pdf_bytes,
    png_bytes,
    png_liar,
    save,
)
from tests.wild import bmp_unsupported

pytestmark = pytest.mark.slow


@cache
def good_jpeg() -> bytes:
    """A good page photo, made on first use (not at import: collecting stays fast)."""
    return save(marker_image((1240, 1754)), "JPEG", quality=90)


@cache
def good_png() -> bytes:
    """A good page scan, encoded chunk by chunk: made on first use."""
    return png_bytes(marker_image((1240, 1754)), 2, 8)


DEEP = "/".join(f"d{i}" for i in range(20))


@cache
def hostile_files() -> dict[str, tuple[bytes, str | None, str]]:
    """Relative path -> (content, expected finding code or None, manifest status)."""
    jpeg, png = good_jpeg(), good_png()
    return {
        "收入证明/good.jpg": (jpeg, None, "ok"),
        "支出明细/good.png": (png, None, "ok"),
        "疾病证明/good.pdf": (pdf_bytes([(595, 842, 0)]), None, "ok"),
        "收入证明/empty.jpg": (b"", "EMPTY_FILE", "failed"),
        "收入证明/truncated.jpg": (jpeg[: len(jpeg) // 2], "TRUNCATED_FILE", "failed"),
        "收入证明/truncated.png": (png[: len(png) // 2], "TRUNCATED_FILE", "failed"),
        "收入证明/really-a-jpeg.pdf": (jpeg[:-2] + b"\x00\xff\xd9", "EXTENSION_MISMATCH", "ok"),
        "收入证明/notes.jpg": (
            b"just some text, not a photo\n" * 20,
            "UNSUPPORTED_FILE",
            "skipped",
        ),
        "收入证明/corrupt.pdf": (
            b"%PDF-1.7\n" + os.urandom(2000) + b"\n%%EOF\n",
            "UNREADABLE_FILE",
            "failed",
        ),
        "收入证明/truncated.pdf": (pdf_bytes([(595, 842, 0)])[:600], "TRUNCATED_FILE", "failed"),
        "收入证明/no-pages.pdf": (empty_pdf(), "EMPTY_PDF", "failed"),
        "收入证明/damaged-page.pdf": (damaged_content_pdf(), "PDF_PAGE_DAMAGED", "failed"),
        "收入证明/locked.pdf": (encrypted_pdf("secret"), "ENCRYPTED_PDF", "failed"),
        "收入证明/wrong-password.pdf": (encrypted_pdf("secret"), "PDF_PASSWORD_WRONG", "failed"),
        "收入证明/liar.png": (png_liar((3000, 3000)), "TRUNCATED_FILE", "failed"),
        "收入证明/bomb.png": (png_liar((40000, 40000)), "IMAGE_TOO_LARGE", "failed"),
        "收入证明/bomb.jpg": (jpeg_liar((65000, 65000)), "IMAGE_TOO_LARGE", "failed"),
        "收入证明/name\nwith newline.jpg": (save(marker_image((1240, 1754)), "PNG"), None, "ok"),
        "收入证明/-rf.jpg": (jpeg[:-2] + b"\x00\x00\xff\xd9", None, "ok"),
        f"收入证明/{DEEP}/deep.jpg": (jpeg, "TOO_DEEP", "skipped"),
        "收入证明/variant.bmp": (bmp_unsupported(), "UNSUPPORTED_VARIANT", "failed"),
    }


# The manifest's (masked, printable) path of each file or folder above.
SHOWN = {
    "收入证明/name\nwith newline.jpg": "收入证明/name�with newline.jpg",
    f"收入证明/{DEEP}/deep.jpg": "收入证明/" + "/".join(f"d{i}" for i in range(15)) + "/",
}
PASSWORD = '\n[[password]]\nfile = "wrong-password.pdf"\npassword = "not-it"\n'  # noqa: S105


def _make_case(root: Path) -> tuple[Path, Path]:
    case = root / "inbox" / "wang"
    case.mkdir(parents=True)
    (case / "case.toml").write_text(GOOD_TOML + PASSWORD, encoding="utf-8")
    for rel, (data, _, _) in hostile_files().items():
        path = case / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    outside = root / "secret.jpg"
    outside.write_bytes(good_jpeg())
    (case / "收入证明" / "link.jpg").symlink_to(outside)
    (case / "收入证明" / "linked-folder").symlink_to(root, target_is_directory=True)
    os.mkfifo(case / "收入证明" / "pipe.jpg")
    raw = os.fsencode(case / "收入证明") + b"/\xff\xfe-gbk-\xd5\xc5.jpg"
    with open(raw, "wb") as fh:  # noqa: PTH123 - a bytes path on purpose
        fh.write(good_jpeg()[:-2] + b"\x01\x00\xff\xd9")
    return case, outside


def _snapshot(case: Path) -> dict[bytes, tuple[str, str]]:
    """Every entry under the case folder: type and content hash (links: their target)."""
    seen: dict[bytes, tuple[str, str]] = {}
    for folder, dirs, files in os.walk(os.fsencode(case)):
        for name in dirs + files:
            path = os.path.join(folder, name)  # noqa: PTH118 - bytes paths (non-UTF-8 names)
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                seen[path] = ("link", os.fsdecode(os.readlink(path)))  # noqa: PTH115
            elif stat.S_ISREG(st.st_mode):
                with open(path, "rb") as fh:  # noqa: PTH123
                    seen[path] = (
                        "file",
                        hashlib.sha256(fh.read()).hexdigest() + str(st.st_mtime_ns),
                    )
            else:
                seen[path] = (stat.filemode(st.st_mode), str(st.st_mtime_ns))
    return seen


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("hostile")
    case, _ = _make_case(root)
    before = _snapshot(case)
    out = root / "out"
    # This build's own peak. Linux carries a process's high-water RSS across exec, so a
    # build started from this (by now large) test process would report this process's
    # peak: a small launcher starts it and reports what wait4 says of it alone.
    launcher = (
        "import os, subprocess, sys\n"
        "child = subprocess.Popen(sys.argv[2:])\n"
        "_, status, usage = os.wait4(child.pid, 0)\n"
        "open(sys.argv[1], 'w').write(str(usage.ru_maxrss))\n"
        "sys.exit(os.waitstatus_to_exitcode(status))\n"
    )
    args = [sys.executable, "-m", "packager", "build", str(case), "-o", str(out), "--json"]
    peak_file = root / "peak"
    run = subprocess.run(
        [sys.executable, "-c", launcher, str(peak_file), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PACKAGER_DEBUG": ""},
    )
    peak_kib = int(peak_file.read_text())
    return {
        "case": case,
        "run": run,
        "manifest": json.loads(run.stdout),
        "before": before,
        "after": _snapshot(case),
        "pdf": out / "wang" / "逾期还款协商-wang.pdf",
        "peak_kib": peak_kib,
    }


def test_build_goes_on_and_exits_with_the_documented_code(hostile, tools) -> None:
    """This test ensures bad files do not stop the build: exit 0 (complete), no traceback."""
    run = hostile["run"]
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert hostile["manifest"]["complete"] is True


def test_every_bad_file_has_its_finding_and_status(hostile) -> None:
    """This test ensures each bad file is named by the expected finding and marked failed/skipped."""
    manifest = hostile["manifest"]
    status = {s["path"]: s["status"] for s in manifest["sources"]}
    codes: dict[str, set[str]] = {}
    for finding in manifest["findings"]:
        codes.setdefault(finding["file"], set()).add(finding["code"])
    for rel, (_, code, expected) in hostile_files().items():
        shown = SHOWN.get(rel, rel)
        assert status.get(shown) == expected, (rel, status.get(shown))
        if code is not None:
            assert code in codes.get(shown, set()), (rel, codes.get(shown))
    assert status["收入证明/link.jpg"] == "skipped"
    assert "SYMLINK" in codes["收入证明/link.jpg"]
    assert status["收入证明/linked-folder"] == "skipped"
    assert status["收入证明/pipe.jpg"] == "skipped"
    assert "SPECIAL_FILE" in codes["收入证明/pipe.jpg"]
    odd = [p for p in status if "-gbk-" in p]
    assert len(odd) == 1 and status[odd[0]] == "ok"


def test_messages_say_what_to_do(hostile) -> None:
    """This test ensures every failed or skipped source's message names the file and an action."""
    manifest = hostile["manifest"]
    bad = {s["path"] for s in manifest["sources"] if s["status"] != "ok"}
    for finding in manifest["findings"]:
        if finding["file"] in bad:
            text = finding["message"]
            assert finding["file"] in text
            assert any(word in text for word in ("请", "已跳过", "未读取", "只保留")), text


def test_good_pages_are_all_there_and_upright(hostile, tools) -> None:
    """This test ensures the good files (odd names included) are in the packet, upright."""
    manifest = hostile["manifest"]
    ok = [s for s in manifest["sources"] if s["status"] == "ok"]
    assert len(ok) == 7
    for source in ok:
        assert_upright(render_page(hostile["pdf"], source["first_page"]))


def test_case_folder_is_byte_for_byte_unchanged(hostile) -> None:
    """This test ensures no file, link, pipe or folder in the case changed (content, mtime)."""
    assert hostile["after"] == hostile["before"]


def test_bombs_are_refused_from_the_header_in_bounded_memory(hostile) -> None:
    """This test ensures a 1.6 GP PNG and a 4.2 GP JPEG are refused without decoding (RSS < 1 GB)."""
    assert hostile["peak_kib"] < 1024 * 1024
    messages = {f["file"]: f["message"] for f in hostile["manifest"]["findings"]}
    assert "40000×40000" in messages["收入证明/bomb.png"]


def test_changed_source_during_build_is_caught(tmp_path: Path, case_factory) -> None:
    """This test ensures a photo replaced between reading and writing never enters the packet silently."""
    from packager.errors import InputError
    from packager.write.assemble import assemble

    case = case_factory(files={"收入证明/a.jpg": lambda p: p.write_bytes(good_jpeg())})
    prep = prepare(survey(case, "zh"), Settings(today=TODAY))
    plan = plan_packet(prep, TODAY)
    (case / "收入证明" / "a.jpg").write_bytes(good_jpeg()[:-2] + b"\x00\xff\xd9")
    stamps = _blank_pdf(plan.total_pages)
    with pytest.raises(InputError, match=r"a\.jpg"):
        assemble(plan, stamps, {}, {"letter": "x", "income": "y"})


def _blank_pdf(pages: int) -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_english_messages_exist_for_every_new_code() -> None:
    """This test ensures each finding code this suite expects is worded in zh and en."""
    from packager.models import Finding, Severity

    codes = {code for _, code, _ in hostile_files().values() if code} | {
        "SYMLINK",
        "SPECIAL_FILE",
        "LOW_RESOLUTION",
        "BLANK_PAGE",
        "POOR_EXPOSURE",
        "BLURRY",
        "NEAR_DUPLICATE",
        "UNREADABLE_FOLDER",
        "DAMAGED_IMAGE",
        "PDF_REPAIRED",
        "PDF_MARKS_NOT_DRAWN",
    }
    params: dict[str, str | int] = {
        "error": "e",
        "depth": 16,
        "actual": "JPEG",
        "ppi": 90,
        "other": "o",
        "other_page": 1,
        "kind": "BMP",
        "count": 2,
    }
    for code in codes:
        finding = Finding(code, Severity.WARNING, file="x.jpg", page=1, params=params)
        for lang in ("zh", "en"):
            text = message(finding, lang)
            assert text != code and "x.jpg" in text and "{" not in text, (code, lang)


def test_truncated_jpeg_refused_even_after_weasyprint_loaded(tmp_path: Path) -> None:
    """This test ensures a half-written JPEG is a finding even once WeasyPrint (which
    sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process) has been imported."""
    import weasyprint  # noqa: F401  - the import is the point

    from packager.read.intake import intake
    from packager.read.normalize import normalize
    from packager.sources import Unusable

    whole = tmp_path / "whole.jpg"
    save_phone_jpeg(whole, 1, size=(800, 600))
    half = tmp_path / "half.jpg"
    half.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    (source,) = [f for f in intake(tmp_path).files if f.rel == "half.jpg"]
    with pytest.raises(Unusable) as info:
        normalize(source)
    assert info.value.code in {"TRUNCATED_FILE", "UNREADABLE_FILE"}


def test_no_absolute_path_anywhere_and_no_decoder_chatter(hostile) -> None:
    """This test ensures no manifest field or message holds the case folder's absolute path,
    and no decoder line (libtiff, libjpeg) reaches the terminal."""
    manifest = json.dumps(hostile["manifest"], ensure_ascii=False)
    case = str(hostile["case"])
    assert case not in manifest and str(Path(case).parent.parent) not in manifest
    stderr = hostile["run"].stderr
    for chatter in ("TIFF", "Corrupt JPEG", "libpng", "Premature end"):
        assert chatter not in stderr, stderr
