"""The cover letter: wording, masking, Simplified-Chinese fonts, and no silent boxes."""

from __future__ import annotations

import io
import subprocess
import tempfile
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from pypdf import PdfReader

from packager.errors import ExitCode, RenderError
from packager.read.casefile import parse_case
from packager.write import render
from packager.write.letter import cn_date, letter_context, money_cn
from tests.conftest import FULL_ID, GOOD_TOML, TODAY

pytestmark = pytest.mark.slow


def _letter(toml: str = GOOD_TOML) -> tuple[str, bytes]:
    case = parse_case(toml.encode())
    rendered = render.render_pdf(
        "letter.html", letter_context(case, [], TODAY, "支付宝客户服务中心")
    )
    reader = PdfReader(io.BytesIO(rendered.data))
    return "".join(p.extract_text() for p in reader.pages), rendered.data


def test_letter_text_and_masking() -> None:
    """This test ensures the letter states facts, plan and date: ID masked, own phone in full."""
    text, data = _letter()
    flat = "".join(text.split())
    for expected in (
        "逾期还款协商申请书",
        "支付宝客户服务中心：",
        "110105********002X",
        "联系电话：13800138000",
        "****7890",
        "3,800.00",
        "分 12 期",
        "2026年11月28日",
        "诚信承诺",
        "此致",
        "敬礼",
        "沟通记录",
        "工单 20261122-0001",
        "附件清单",
    ):
        assert "".join(expected.split()) in flat, expected
    assert FULL_ID not in flat and FULL_ID.encode() not in data
    assert "6222021234567890" not in flat


def test_phone_can_be_hidden_in_the_letter() -> None:
    """This test ensures [privacy] mask_phone_in_letter = true prints 138****8000 instead."""
    text, _ = _letter(GOOD_TOML + "\n[privacy]\nmask_phone_in_letter = true\n")
    flat = "".join(text.split())
    assert "138****8000" in flat and "13800138000" not in flat


@pytest.mark.parametrize(
    ("plan", "wording"),
    [
        ('plan = "lump_sum"', "一次性偿还欠款本金人民币 3,800.00 元"),
        ('plan = "deferral"\ndefer_days = 30', "30 天的延期还款宽限期"),
        ('plan = "停息挂账"\ninstallments = 12', "同意停息挂账：自协商达成之日起停止计收利息"),
        ('plan = "分24期"', "分 24 期偿还，每期约人民币 158.33 元"),
    ],
)
def test_plan_wording(plan: str, wording: str) -> None:
    """This test ensures each plan is worded as the request it is."""
    toml = GOOD_TOML.replace('plan = "分期还款"\ninstallments = 12', plan)
    text, _ = _letter(toml)
    assert "".join(wording.split()) in "".join(text.split())


def test_fonts_are_simplified_chinese_and_embedded() -> None:
    """This test ensures every font is an embedded SC face with Identity-H encoding."""
    _, data = _letter()
    reader = PdfReader(io.BytesIO(data))
    seen = set()
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            seen.add(str(font["/BaseFont"]).split("+", 1)[-1])
            assert font["/Subtype"] == "/Type0"
            assert font["/Encoding"] == "/Identity-H"
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor
    assert seen and all("SC" in name for name in seen), seen


def _pixels(data: bytes) -> list[bytes]:
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "l.pdf"
        pdf.write_bytes(data)
        subprocess.run(["pdftoppm", "-r", "60", "-gray", str(pdf), f"{tmp}/p"], check=True)
        return [page.read_bytes() for page in sorted(Path(tmp).glob("p-*.pgm"))]


def test_fonts_carry_no_empty_glyph_slots(monkeypatch: pytest.MonkeyPatch, tools) -> None:
    """This test ensures the letter's CJK fonts are embedded without the empty glyph slots
    WeasyPrint's subsets keep (a fifth of the bytes), with the same text, the same look and
    a clean qpdf --check."""
    text, data = _letter()
    monkeypatch.setattr(render.repair, "compact_fonts", lambda raw: raw)
    raw_text, raw = _letter()
    assert text == raw_text
    assert len(data) < len(raw) / 3, (len(data), len(raw))
    for ours, theirs in zip(_pixels(data), _pixels(raw), strict=True):
        a, b = (np.frombuffer(x[-200_000:], dtype=np.uint8).astype(int) for x in (ours, theirs))
        assert np.abs(a - b).mean() < 1.0  # the same glyphs; hinting may move a pixel's grey
    with tempfile.NamedTemporaryFile(suffix=".pdf") as out:
        out.write(data)
        out.flush()
        check = subprocess.run(["qpdf", "--check", out.name], capture_output=True, text=True)
    assert check.returncode == 0 and "WARNING" not in check.stdout + check.stderr


def test_missing_glyph_is_an_error() -> None:
    """This test ensures a character no installed font can draw stops the render (exit 6)."""
    toml = GOOD_TOML.replace("导致未能按期还款。", "导致未能按期还款\U000f0000。")
    with pytest.raises(RenderError) as info:
        _letter(toml)
    assert info.value.exit_code is ExitCode.RENDER
    assert "fonts-noto-cjk" in info.value.message


def test_dates_and_amounts() -> None:
    """This test ensures GB/T 9704 dates and the 大写 amount banks write."""
    assert cn_date(date(2026, 1, 5)) == "2026年1月5日"
    assert money_cn(3800) == "人民币叁仟捌佰元整"


def test_enclosure_index_never_splits_across_pages() -> None:
    """This test ensures the 附件清单 heading and all its rows stay on one page however long
    the statement above them grows (issue 14 item 8: one row alone on the next page)."""
    from pathlib import Path

    from packager.models import Document, EncodedImage, Kind, MediaType, SourceFile, SourcePage
    from packager.write.plan import place

    image = EncodedImage(b"", "/DCTDecode", 100, 140, "/DeviceRGB")
    documents = []
    for i, kind in enumerate([Kind.INCOME, Kind.EXPENSES, Kind.MEDICAL, Kind.COMMUNICATION]):
        source = SourceFile(Path(f"/x/{i}.jpg"), f"{i}.jpg", f"{i:064d}", 1, MediaType.JPEG)
        documents.append((Document(source, kind, "folder"), (SourcePage(image, False),) * 2))
    sections = place(documents, 3)
    split = []
    for paragraphs in range(0, 40):
        statement = "\\n".join(["收入中断，无法按期还款。"] * paragraphs)
        toml = (
            GOOD_TOML.replace('statement = "', f'statement = """{statement}\\n', 1).replace(
                '"\n\n[[contact]]', '"""\n\n[[contact]]', 1
            )
            if paragraphs
            else GOOD_TOML
        )
        case = parse_case(toml.encode())
        rendered = render.render_pdf(
            "letter.html", letter_context(case, sections, TODAY, "支付宝客户服务中心")
        )
        pages = [p.extract_text() for p in PdfReader(io.BytesIO(rendered.data)).pages]
        lines = [[line.strip() for line in text.splitlines()] for text in pages]
        heading = next(i for i, page in enumerate(lines) if "附件清单" in page)
        last = next(
            i for i, page in enumerate(lines) if any(x.startswith("4 沟通记录") for x in page)
        )
        if heading != last:
            split.append(paragraphs)
    assert split == []
