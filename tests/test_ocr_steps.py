"""The pieces of one-detection reading: boxes follow the page's turn, lines keep reading order."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw

from packager.image.ocr import reading_order, turned_box
from packager.models import Line


@pytest.mark.parametrize("turn", [0, 90, 180, 270])
def test_a_box_lands_where_the_turned_page_shows_it(turn: int) -> None:
    """This test ensures a line's box, moved by ``turned_box``, frames the same ink on the page
    turned clockwise as PIL turns it (the upright page the text layer is drawn on)."""
    page = Image.new("L", (300, 200), 0)
    box = (40.0, 30.0, 120.0, 60.0)
    ImageDraw.Draw(page).rectangle((40, 30, 119, 59), fill=255)
    shown = page.rotate(-turn, expand=True)
    x0, y0, x1, y1 = shown.getbbox() or (0, 0, 0, 0)
    assert turned_box(box, page.size, turn) == pytest.approx((x0, y0, x1, y1), abs=1)


def test_lines_read_top_to_bottom_then_left_to_right() -> None:
    """This test ensures lines whose tops are within a row's gap read left to right."""
    lines = [
        Line("金额", (300, 102, 380, 130), 0.9),
        Line("标题", (100, 10, 300, 60), 0.9),
        Line("实发工资", (40, 100, 200, 130), 0.9),
        Line("备注", (40, 160, 100, 190), 0.9),
    ]
    assert [line.text for line in reading_order(lines)] == ["标题", "实发工资", "金额", "备注"]


CHINESE = ["收入证明", ["兹证明王测试为我单位员工", "月平均收入 6,000.00 元", "特此证明"]]
ENGLISH = ["Notice of change of address", ["Personal information", "Old address", "New address"]]


@pytest.mark.slow
@pytest.mark.parametrize("words", [CHINESE, ENGLISH], ids=["chinese", "english"])
@pytest.mark.parametrize("turn", [0, 90, 180, 270])
def test_each_quarter_turn_is_undone_and_each_line_read_once(
    words: list, turn: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """This test ensures a page lying any way up is turned upright by its text, sure of it; and
    that on Chinese print, where the line-direction model's guess is confirmed by one read,
    every detected line is recognised exactly once (no second read of the sample)."""
    from packager.demo import paper
    from packager.image import ocr
    from packager.read import pagetext

    page = paper(words[0], words[1]).convert("RGB")
    page.thumbnail((1200, 1200))
    shown = page.rotate(turn, expand=True)  # counter-clockwise: it needs `turn` clockwise
    read: list[int] = []
    real = ocr.read_crops

    def counted(crops, **kw):  # type: ignore[no-untyped-def]
        read.append(len(crops))
        return real(crops, **kw)

    monkeypatch.setattr(ocr, "read_crops", counted)
    found, sure, lines, _ = pagetext._orient(shown)
    assert (found, sure) == (turn, True)
    text = "".join(line.text for line in lines).replace(" ", "")
    assert words[1][0].replace(" ", "") in text
    if words is CHINESE:
        assert sum(read) == len(ocr.detect(shown).boxes)
