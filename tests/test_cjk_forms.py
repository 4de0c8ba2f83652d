"""Forms filled in Chinese arrive with their values drawn, in the field, as copyable text.

qpdf draws form values in WinAnsi fonts only, so Chinese would become "?";
``pdf.forms`` draws them in an embedded Noto Sans CJK subset. The fixtures
(``tests/cjkforms.py``) give each field its own colour, so each value can be
found on the rendered page and checked against its field's rectangle.
"""

from __future__ import annotations

import io
import os
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from packager.pdf import cjkfont, repair
from tests import cjkforms
from tests.cjkforms import FIELDS, Field
from tests.test_wild import build, codes, pdf_text, qpdf_clean

DPI = 100
PAGE_HEIGHT = 842


def _render(data: bytes) -> Image.Image:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(data)
        pdf.flush()
        out = subprocess.run(
            ["pdftoppm", "-r", str(DPI), "-f", "1", "-l", "1", "-png", pdf.name],
            capture_output=True,
            check=True,
        ).stdout
    return Image.open(io.BytesIO(out)).convert("RGB")


def _ink(page: Image.Image, colour: tuple[int, int, int]) -> np.ndarray:
    """(x, y) pixel positions close to ``colour``."""
    pixels = np.asarray(page, dtype=np.int16)
    near = np.abs(pixels - np.array(colour, dtype=np.int16)).sum(axis=2) < 90
    ys, xs = np.nonzero(near)
    return np.stack([xs, ys], axis=1)


def _box(f: Field) -> tuple[float, float, float, float]:
    """The field's rectangle in pixels: left, top, right, bottom."""
    x1, y1, x2, y2 = f.rect
    k = DPI / 72
    return x1 * k, (PAGE_HEIGHT - y2) * k, x2 * k, (PAGE_HEIGHT - y1) * k


def _text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


@pytest.fixture(scope="module")
def drawn() -> repair.Normalised:
    return repair.normalise(cjkforms.chinese_form())


def test_every_chinese_value_is_drawn_inside_its_field(
    drawn: repair.Normalised, tmp_path: Path, tools
) -> None:
    """This test ensures each Chinese value (text, multi-line, right-aligned, comb, combo box)
    is drawn in its own field's rectangle, the ticked check box shows its tick, nothing is
    reported undrawn and the result passes qpdf --check cleanly."""
    assert drawn.undrawn == ()
    page = _render(drawn.data)
    for f in FIELDS:
        ink = _ink(page, f.colour)
        assert len(ink) > 30, f.name
        left, top, right, bottom = _box(f)
        assert ink[:, 0].min() >= left and ink[:, 0].max() <= right, f.name
        assert ink[:, 1].min() >= top and ink[:, 1].max() <= bottom, f.name
    tick = _ink(page, (0, 0, 0))
    inside = tick[(tick[:, 0] > 140 * DPI / 72) & (tick[:, 0] < 160 * DPI / 72)]
    assert len(inside[(inside[:, 1] > 442 * DPI / 72) & (inside[:, 1] < 462 * DPI / 72)]) > 100
    out = tmp_path / "form.pdf"
    out.write_bytes(drawn.data)
    qpdf_clean(out)


def test_values_copy_out_as_the_same_characters(drawn: repair.Normalised, tools) -> None:
    """This test ensures the drawn values extract (pdftotext, through ToUnicode) as exactly the
    characters typed into the form, with no "?" anywhere; the multi-line address wraps."""
    text = _text(drawn.data)
    assert "?" not in text
    flat = text.replace("\n", "")
    for f in FIELDS:
        assert f.value in flat, f.name
    address = next(f for f in FIELDS if f.name == "address")
    assert address.value not in text  # wrapped onto more than one line
    assert "\n，" not in text  # and no line starts with a comma


def test_layout_follows_the_field(drawn: repair.Normalised, tools) -> None:
    """This test ensures the right-aligned amount sits at the right of its field, the comb
    field spreads its six characters over the cells, and the auto-sized multi-line address
    takes two lines."""
    page = _render(drawn.data)
    fields = {f.name: f for f in FIELDS}
    left, _, right, _ = _box(fields["amount"])
    assert _ink(page, fields["amount"].colour)[:, 0].min() > (left + right) / 2
    left, _, right, _ = _box(fields["code"])
    comb = _ink(page, fields["code"].colour)[:, 0]
    assert comb.max() - comb.min() > 0.8 * (right - left)
    ys = _ink(page, fields["address"].colour)[:, 1]
    assert ys.max() - ys.min() > 2 * 10 * DPI / 72


@pytest.mark.parametrize("turn", [90, 270])
def test_a_turned_field_is_drawn_along_its_length(turn: int, tmp_path: Path, tools) -> None:
    """This test ensures a field whose /MK /R turns it (a tall, narrow field written
    bottom-to-top or top-to-bottom) shows its value inside its rectangle, running along the
    field's length, not squeezed across its width; the result stays qpdf-clean."""
    tall = Field(
        "side", "张三李四王五", (200, 300, 230, 560), (0, 0, 255), size=16, mk=b"/R %d " % turn
    )
    drawn = repair.normalise(cjkforms.chinese_form((tall,), checkbox=False))
    assert drawn.undrawn == ()
    ink = _ink(_render(drawn.data), tall.colour)
    left, top, right, bottom = _box(tall)
    assert len(ink) > 100
    assert ink[:, 0].min() >= left and ink[:, 0].max() <= right
    assert ink[:, 1].min() >= top and ink[:, 1].max() <= bottom
    spread_x = ink[:, 0].max() - ink[:, 0].min()
    spread_y = ink[:, 1].max() - ink[:, 1].min()
    assert spread_y > 4 * spread_x  # six characters one after another down the field
    assert spread_y > 6 * 16 * DPI / 72 * 0.8  # at the asked size, not shrunk to fit a width
    out = tmp_path / "turned.pdf"
    out.write_bytes(drawn.data)
    qpdf_clean(out)


def test_drawing_is_deterministic_and_small() -> None:
    """This test ensures the same form gives the same bytes twice (the subset, its tag and
    the appearance streams are functions of the values) and the embedded font stays small."""
    first = repair.normalise(cjkforms.chinese_form()).data
    assert repair.normalise(cjkforms.chinese_form()).data == first
    chars = "".join(sorted({c for f in FIELDS for c in f.value}))
    assert len(cjkfont.subset(chars).cff) < 20_000
    assert len(first) < 40_000


def test_maker_drawn_appearance_is_kept(tools) -> None:
    """This test ensures a form whose maker drew its own appearance (no NeedAppearances) keeps
    that drawing (orange), not one of ours."""
    normal = repair.normalise(cjkforms.drawn_by_maker())
    assert normal.undrawn == ()
    page = _render(normal.data)
    assert len(_ink(page, (255, 128, 0))) > 14_000  # the whole 260×30 pt box (361×42 px), filled


@pytest.mark.parametrize("need", [True, False])
def test_check_box_without_state_shows_its_value(need: bool, tools) -> None:
    """This test ensures a ticked check box whose writer left out /AS (only /V says Yes) is
    drawn ticked, with or without NeedAppearances, and nothing is reported undrawn."""
    data = cjkforms.chinese_form(FIELDS[:1], need_appearances=need)
    normal = repair.normalise(data.replace(b"/V /Yes /AS /Yes", b"/V /Yes"))
    assert normal.undrawn == ()
    tick = _ink(_render(normal.data), (0, 0, 0))
    inside = tick[(tick[:, 0] > 140 * DPI / 72) & (tick[:, 0] < 160 * DPI / 72)]
    assert len(inside[(inside[:, 1] > 442 * DPI / 72) & (inside[:, 1] < 462 * DPI / 72)]) > 100


def test_a_character_no_font_has_is_a_finding(tmp_path: Path, tools) -> None:
    """This test ensures a value with a character the font lacks is reported on its page
    (PDF_MARKS_NOT_DRAWN, counted once) and drawn nowhere as "?", while the others are drawn."""
    odd = Field("note", "心情😀", (140, 300, 400, 330), (0, 0, 255))
    assert cjkfont.missing(odd.value) == {"😀"}
    result, pdf = build("form.pdf", cjkforms.chinese_form((*FIELDS[:1], odd)), tmp_path)
    assert pdf is not None
    assert ("PDF_MARKS_NOT_DRAWN", {"page": "1", "count": "1"}) in result.warnings
    text = pdf_text(pdf)
    assert "张三" in text and "心情" not in text and "?" not in text
    qpdf_clean(pdf)


def test_without_a_cjk_font_the_values_are_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tools
) -> None:
    """This test ensures that on a machine without the CJK font, every Chinese value is named
    in a finding instead of drawn as "?"."""
    monkeypatch.setattr(cjkfont, "missing", lambda text: set(text))
    result, pdf = build("form.pdf", cjkforms.chinese_form(FIELDS[:2]), tmp_path)
    assert pdf is not None
    assert ("PDF_MARKS_NOT_DRAWN", {"page": "1", "count": "2"}) in result.warnings
    assert "?" not in pdf_text(pdf)


def test_chinese_form_in_the_packet(tmp_path: Path, tools) -> None:
    """This test ensures a Chinese form read and assembled as a build does has its values on
    the packet page, no finding, and a qpdf-clean packet."""
    result, pdf = build("form.pdf", cjkforms.chinese_form(), tmp_path)
    assert pdf is not None and not codes(result)
    text = pdf_text(pdf).replace("\n", "")
    assert all(f.value in text for f in FIELDS)
    qpdf_clean(pdf)


# Characters a form value may hold: Chinese, Latin, digits, punctuation, spaces of
# every kind, line breaks, a control character and one the font lacks (an emoji).
_CHARS = st.sampled_from(
    list("张三李四王五北京市朝阳区，。、（）abcXYZ 0123456789\u3000\xa0\n\r\t\x07😀")
)


@settings(
    max_examples=int(os.environ.get("PACKAGER_FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    value=st.text(_CHARS, min_size=1, max_size=120),
    width=st.integers(2, 500),
    height=st.integers(2, 200),
    size=st.sampled_from([0, 4, 12, 40]),
    flags=st.sampled_from([b"", b"/Ff 4096 ", b"/Ff 16777216 /MaxLen 5 ", b"/Q 1 "]),
)
def test_any_value_in_any_field_is_drawn_or_reported(
    value: str, width: int, height: int, size: int, flags: bytes
) -> None:
    """This test ensures any value in any field shape (tiny, huge, comb, multi-line, centred)
    is either drawn (no "?", its Chinese characters extractable) or reported undrawn, and the
    result always passes qpdf --check cleanly."""
    f = Field("v", value, (20, 400, 20 + width, 400 + height), (0, 0, 255), flags, size=size)
    normal = repair.normalise(cjkforms.chinese_form((f,), checkbox=False))
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "f.pdf"
        out.write_bytes(normal.data)
        qpdf_clean(out)
    text = _text(normal.data)
    assert "?" not in text
    shown = value.replace("\r", "").replace("\n", "").strip()
    if "😀" in value or not shown:
        return
    assert normal.undrawn == ()
    han = [c for c in value if "\u4e00" <= c <= "\u9fff"]
    comb = b"MaxLen" in flags
    if han and not comb and width >= 40 and height >= 20:
        assert han[0] in text
