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
