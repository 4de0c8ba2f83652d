"""Property: no byte sequence under an image or PDF name can make intake or reading raise.

Random bytes and mutated valid files (flipped bytes, cut short, junk spliced
in) go through intake, reading (normalize, the quality checks, the ladder) and, when a file is
accepted, through assembly too: a file is either used or refused with a
finding code (``Unusable``); nothing else may escape. A packet that is made
is checked as a person would see it: every page there, ``qpdf --check``
clean, no EXIF/XMP/Photoshop/MPF block in it.
"""

from __future__ import annotations

import io
import os
import subprocess
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader, PdfWriter

from packager.geometry import paginate
from packager.image.reencode import Encoding
from packager.models import PacketPlan, PlacedDocument, Section
from packager.read.classify import classify
from packager.read.intake import intake
from packager.read.normalize import normalize
from packager.read.pages import ReadJob, read
from packager.read.quality import judge
from packager.write.assemble import assemble
from tests import cjkforms, wild
from tests.conftest import marker_image
from tests.samples import pdf_bytes, png_bytes, save, with_alpha

CARD = marker_image((48, 64))
SEEDS: dict[str, bytes] = {
    ".jpg": save(CARD, "JPEG", quality=80),
    ".png": save(with_alpha(CARD), "PNG"),
    ".png16": png_bytes(CARD, 2, 16, interlace=True),
    ".pdf": pdf_bytes([(200, 280, 90), (280, 200, 0)]),
    ".gif": save(CARD.convert("P"), "GIF"),
    ".tif": save(CARD, "TIFF", compression="tiff_lzw"),
    ".webp": save(CARD, "WEBP"),
    ".bmp": save(CARD, "BMP"),
    ".heic": save(CARD, "HEIF", quality=50),
    ".bmprle": wild.rle_bmp(8),  # the RLE stream walked for damage
    ".pdfform": cjkforms.chinese_form(),  # Chinese values drawn by pdf.forms
}
EXTENSIONS = sorted({ext[:4] for ext in SEEDS})
# Modest by default (the suite shares two cores); PACKAGER_FUZZ_EXAMPLES=5000 for a long run.
FUZZ = settings(
    max_examples=int(os.environ.get("PACKAGER_FUZZ_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _blank(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _run(name: str, data: bytes) -> None:
    """Everything a build does with one file, short of rendering the letter."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "income"
        folder.mkdir()
        (folder / name).write_bytes(data)
        found = intake(Path(tmp))
        for document in classify(found.files).documents:
            # The way a build reads it: one decode for the pages, their quality
            # inspection and the upload ladder (a share small enough to step down).
            result = read(ReadJob(document.source, None, (Encoding(150, enough=2_000),)))
            if result.refused is not None:
                assert result.refused[0]  # refusing with a code is the allowed outcome
                continue
            judge(document.source.rel, result.pages, result.inspections)
            pages = paginate(result.pages)
            placed = PlacedDocument(document, pages, 2, 1 + len(pages))
            plan = PacketPlan(_blank(1), 1, (Section(document.kind, (placed,)),), draft=False)
            titles = {"letter": "letter", document.kind.value: "kind"}
            pdf = assemble(plan, _blank(plan.total_pages), {}, titles)
            _looks_right(pdf, plan.total_pages, Path(tmp))


def _looks_right(pdf: bytes, pages: int, tmp: Path) -> None:
    """What a person would see: every page there, a file qpdf finds clean, no metadata."""
    assert len(PdfReader(io.BytesIO(pdf)).pages) == pages
    out = tmp / "packet.pdf"
    out.write_bytes(pdf)
    check = subprocess.run(["qpdf", "--check", str(out)], capture_output=True, text=True)
    assert check.returncode == 0 and "WARNING" not in check.stdout + check.stderr, check.stdout
    for signature in (b"Exif\x00", b"http://ns.adobe.com/xap", b"Photoshop 3.0", b"MPF\x00"):
        assert signature not in pdf


@FUZZ
@given(ext=st.sampled_from(EXTENSIONS), data=st.binary(min_size=1, max_size=2048))
def test_random_bytes_never_escape(ext: str, data: bytes) -> None:
    """This test ensures random bytes under image/PDF names are refused with a finding, never raised."""
    _run(f"x{ext}", data)


@FUZZ
@given(
    seed=st.sampled_from(sorted(SEEDS)),
    flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=6),
    cut=st.none() | st.floats(0.05, 1),
    splice=st.none() | st.tuples(st.floats(0, 1), st.binary(min_size=1, max_size=64)),
)
def test_mutated_files_never_escape(
    seed: str,
    flips: list[tuple[float, int]],
    cut: float | None,
    splice: tuple[float, bytes] | None,
) -> None:
    """This test ensures damaged real files (flipped, cut, spliced) never raise out of the pipeline."""
    data = bytearray(SEEDS[seed])
    for where, value in flips:
        data[min(len(data) - 1, int(where * len(data)))] = value
    if splice is not None:
        at = int(splice[0] * len(data))
        data[at:at] = splice[1]
    if cut is not None:
        del data[max(1, int(cut * len(data))) :]
    _run(f"x{seed[:4]}", bytes(data))


def test_seeds_are_accepted() -> None:
    """This test ensures the unmutated seeds are real files the pipeline uses (a meaningful baseline)."""
    for ext, data in SEEDS.items():
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"x{ext[:4]}"
            path.write_bytes(data)
            (source,) = intake(Path(tmp)).files
            assert normalize(source).pages, ext
    assert Image.open(io.BytesIO(SEEDS[".heic"])).size == CARD.size
