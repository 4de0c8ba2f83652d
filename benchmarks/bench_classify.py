"""Sorting by content: a confusion table over the generated papers, as the build reads them.

The papers of ``tests/kindpapers.py`` (real titles, table headers and stamps; a
payslip's 医疗保险, a statement's 医院 row, a receipt from a hospital; papers
of none of our kinds) are written three ways and read by the build's own
reading stage (``read.pages.read``): text PDFs (their text layer), flat scans
(OCR), and phone photos on a desk (photo clean-up, then OCR), in Simplified
and Taiwan Traditional characters. Each is judged by ``read.content.judge``.
``untitled`` judges the drawn lines of each paper without its title, seal and
title bar (no OCR): what the body alone says.

Rows are what a paper is, columns what it was sorted as (``close``: left out
naming two kinds; ``out``: left out, none of ours or too little). Measured:
right / wrong / left out for our kinds, and how many of none of our kinds were
left out. ``python -m benchmarks classify [pdf scan photo]`` picks the ways.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

from packager.models import Kind
from packager.read.content import judge
from packager.read.intake import intake
from packager.read.pages import ReadJob, read
from tests.desk import desk_photo
from tests.kindpapers import HANS, HANT, PAPERS, Paper, draw, save

WAYS = ("pdf", "scan", "photo", "untitled")
COLUMNS = [*(k.value for k in Kind), "close", "out"]


def _write(way: str, folder: Path) -> dict[str, Paper]:
    """Write every paper the given way; file name -> paper."""
    names: dict[str, Paper] = {}
    for n, paper in enumerate(PAPERS):
        for script in (HANS, HANT):
            if way == "pdf" and paper.chat:
                continue  # screenshots are images
            if way == "photo" and not paper.chat:
                im, _ = draw(paper, script)
                shot = desk_photo(seed=n, page=im.resize((im.width * 2, im.height * 2)))
                path = folder / f"{paper.name}-{'t' if script != HANS else 's'}.jpg"
                path.write_bytes(shot.data)
            else:
                path = save(paper, folder, script, as_pdf=way == "pdf")
            names[path.name] = paper
    return names


def _column(verdict_kind: Kind | None, close: bool) -> str:
    if verdict_kind is not None:
        return verdict_kind.value
    return "close" if close else "out"


def _untitled() -> tuple[Counter[tuple[str, str]], float, int]:
    """The drawn lines (no OCR) of every paper without its title, seal and title bar.

    What the body alone says, as when a real photo's title or stamp is not read: it
    may leave more out, it must put nothing under a wrong kind.
    """
    table: Counter[tuple[str, str]] = Counter()
    started = time.perf_counter()
    count = 0
    for paper in PAPERS:
        bare = replace(paper, heading=paper.heading[:-1], stamp=(), bar="")
        for script in (HANS, HANT):
            verdict = judge([draw(bare, script)[1]])
            row = paper.kind.value if paper.kind else "none"
            table[(row, _column(verdict.kind, len(verdict.candidates) == 2))] += 1
            count += 1
    return table, (time.perf_counter() - started) / count, count


def measure(way: str) -> tuple[Counter[tuple[str, str]], float, int]:
    """(row, column) counts, wall seconds per document (shared machine: a rough guide), count."""
    if way == "untitled":
        return _untitled()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "case"
        store = Path(tmp) / "clean"
        folder.mkdir()
        store.mkdir()
        names = _write(way, folder)
        table: Counter[tuple[str, str]] = Counter()
        started = time.perf_counter()
        sources = intake(folder).files
        for source in sources:
            paper = names[source.rel]
            result = read(ReadJob(source, ocr=True, clean=store if way == "photo" else None))
            verdict = judge(result.texts)
            row = paper.kind.value if paper.kind else "none"
            table[(row, _column(verdict.kind, len(verdict.candidates) == 2))] += 1
        seconds = (time.perf_counter() - started) / max(len(sources), 1)
    return table, seconds, len(sources)


def confusion(table: Counter[tuple[str, str]]) -> str:
    """The confusion table in Markdown."""
    rows = [*(k.value for k in Kind), "none"]
    out = ["| paper is ↓ / sorted as → | " + " | ".join(COLUMNS) + " |"]
    out.append("| --- |" + " --- |" * len(COLUMNS))
    for row in rows:
        out.append(f"| {row} | " + " | ".join(str(table[(row, c)]) for c in COLUMNS) + " |")
    return "\n".join(out)


def summary(table: Counter[tuple[str, str]]) -> tuple[int, int, int, int, int]:
    """(ours, right, wrong, none of ours, of them left out)."""
    ours = sum(v for (r, _), v in table.items() if r != "none")
    right = sum(v for (r, c), v in table.items() if r == c)
    wrong = sum(
        v for (r, c), v in table.items() if r != "none" and c in Kind._value2member_map_ and c != r
    )
    none = sum(v for (r, _), v in table.items() if r == "none")
    left = sum(v for (r, c), v in table.items() if r == "none" and c in ("close", "out"))
    return ours, right, wrong, none, left


def main() -> str:
    """Measure each way asked for (all three by default); print and return the tables."""
    ways = [w for w in sys.argv[1:] if w in WAYS] or list(WAYS)
    parts = []
    lines = [
        "| read as | documents | ours sorted right | under a wrong kind | none of ours left out | s/document |"
    ]
    lines.append("| --- | --- | --- | --- | --- | --- |")
    for way in ways:
        table, seconds, count = measure(way)
        ours, right, wrong, none, left = summary(table)
        lines.append(
            f"| {way} | {count} | {right}/{ours} ({100 * right / max(ours, 1):.0f} %) | {wrong} | "
            f"{left}/{none} | {seconds:.1f} |"
        )
        parts.append(f"**{way}**\n\n{confusion(table)}")
        print(parts[-1], flush=True)
    text = "\n".join(lines) + "\n\n" + "\n\n".join(parts)
    print(text)
    return text


if __name__ == "__main__":
    main()
