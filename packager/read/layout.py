"""Where lines stand on a page: its title, its rows, a chat screenshot's bubbles.

Used by ``read.content``: a word in the title or a table's header row counts as
a whole, and a conversation is known by its layout when its words are few.
"""

from __future__ import annotations

import re

from packager.models import PageText

# The title zone: the top part of the text block; a large line is this much over the median.
TITLE_ZONE = 0.3
LARGE = 1.3
_TIME = re.compile(r"^\D{0,6}\d{1,2}:\d{2}\b")
# A sentence is not a title: a full stop, or a second comma.
_SENTENCE = re.compile(r"[。!?！？]|[,，;；].*[,，;；]")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def boxed(text: PageText) -> bool:
    """True when the lines carry positions (OCR boxes); a PDF's text layer has none."""
    return text.size[0] > 0 and text.size[1] > 0 and any(ln.height > 0 for ln in text.lines)


def _chars(text: str) -> int:
    return len(_CJK.findall(text)) + len(re.findall(r"[A-Za-z]", text))


def title_lines(text: PageText) -> tuple[int, ...]:
    """Indexes of the page's title lines, the likeliest first: large or centred, short, on top.

    A title is short (a sentence is not one: a full stop, two commas), in the top part of the text, and
    either clearly larger than the median line or centred. A text layer
    without positions (a PDF's) offers its first two short lines.
    """
    lines = text.lines
    if not lines:
        return ()
    if not boxed(text):
        return tuple(
            i for i, ln in enumerate(lines[:2]) if _chars(ln.text) >= 2 and len(ln.text) <= 30
        )
    width = text.size[0]
    heights = sorted(ln.height for ln in lines if ln.height > 0)
    median = heights[len(heights) // 2]
    top = min(ln.box[1] for ln in lines)
    bottom = max(ln.box[3] for ln in lines)
    zone = top + TITLE_ZONE * (bottom - top)
    near = [
        i
        for i, ln in enumerate(lines)
        if ln.box[1] <= zone
        and _chars(ln.text) >= 2
        and len("".join(ln.text.split())) <= 30
        and not _SENTENCE.search(ln.text)
    ]
    if not near:
        return ()
    tallest = max(lines[i].height for i in near)
    large = {
        i for i in near if lines[i].height >= LARGE * median and lines[i].height >= 0.85 * tallest
    }
    centred = [
        i
        for i in sorted(near, key=lambda i: lines[i].box[1])
        if abs((lines[i].box[0] + lines[i].box[2]) / 2 - width / 2) <= 0.06 * width
        and lines[i].box[2] - lines[i].box[0] <= 0.6 * width
    ][:2]
    rest = sorted(large - set(centred), key=lambda i: (-lines[i].height, lines[i].box[1]))
    return (*centred, *rest)


def rows(text: PageText) -> list[list[int]]:
    """Indexes of lines that sit on one row, left to right (OCR reads a table's cells apart)."""
    lines = text.lines
    if not boxed(text):
        return [[i] for i in range(len(lines))]
    rows: list[list[int]] = []
    for i in sorted(range(len(lines)), key=lambda i: (lines[i].box[1] + lines[i].box[3]) / 2):
        line = lines[i]
        centre = (line.box[1] + line.box[3]) / 2
        if rows:
            last = lines[rows[-1][0]]
            last_centre = (last.box[1] + last.box[3]) / 2
            if abs(centre - last_centre) <= 0.5 * min(line.height, last.height):
                rows[-1].append(i)
                continue
        rows.append([i])
    return [sorted(row, key=lambda i: lines[i].box[0]) for row in rows]


def is_chat(text: PageText) -> bool:
    """A phone screenshot of a conversation: a status bar's clock, bubbles left and right.

    Bubbles sit alone on their row (a payment page's label and value share one).
    """
    if not boxed(text):
        return False
    width, height = text.size
    if height < 1.6 * width:
        return False
    if not any(ln.box[1] < 0.05 * height and _TIME.match(ln.text.strip()) for ln in text.lines):
        return False
    left = right = 0
    for row in rows(text):
        line = text.lines[row[0]]
        if line.box[1] < 0.08 * height or len(row) != 1:
            continue
        if len(_CJK.findall(line.text)) < 2:
            continue
        x0, _, x1, _ = line.box
        if x0 < 0.25 * width and x1 < 0.8 * width:
            left += 1
        elif x0 > 0.25 * width and x1 > 0.75 * width:
            right += 1
    return left >= 2 and right >= 2
