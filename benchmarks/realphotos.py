"""The real development photos (``../shared/realphotos-dev``) built as a user would, and judged.

Each photo is copied into a fresh case (its folder of the shared set is only
read), built with OCR and clean-up on, and judged per photo against
``truth.json`` and the sheet outlines below: what the clean-up did
(flattened / cropped / as taken), how much surround is left on the page
(the page's region in the photo minus the sheet's, over the page's), whether
a finding names a page that keeps its surround, the quarter turn, and the
printed key words found in the packet's text layer. ``python -m
benchmarks.realphotos OUT`` also renders every photo's page to
``OUT/pages/`` to be looked at. Skipped when the folder is absent.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pypdf import PdfReader
from shapely.geometry import Polygon, box

from benchmarks.bench_clean import TOML  # the same case file as the generated photo set
from packager import api


def _dev() -> Path:
    """``../shared/realphotos-dev`` beside the repository (or beside its worktrees' folder)."""
    here = Path(__file__).resolve().parents[1]
    for root in (here.parent, here.parent.parent):
        if (root / "shared" / "realphotos-dev" / "truth.json").exists():
            return root / "shared" / "realphotos-dev"
    return here.parent / "shared" / "realphotos-dev"


DEV = _dev()
# The sheet's outline in each photo that shows a surround, judged by eye on a
# 5 %-grid (fractions of the upright frame, clockwise from top left; values
# at 0 or 1 run out of the frame). A book spread is its pages' outline.
OUTLINES: dict[str, tuple[tuple[float, float], ...]] = {
    "en_book_page_wooddesk.png": ((0.152, 0.113), (0.876, 0.14), (0.96, 0.855), (0.165, 0.92)),
    "en_dmv_change_of_address_wood.jpg": (
        (0.037, 0.228),
        (0.741, 0.148),
        (0.948, 0.889),
        (0.175, 0.964),
    ),
    "en_guidance_sheet_cluttered_desk.jpg": (
        (0.215, 0.357),
        (0.872, 0.374),
        (0.88, 0.70),
        (0.168, 0.697),
    ),
    "en_muo_page_wooddesk.png": ((0.171, 0.114), (0.80, 0.121), (0.947, 0.846), (0.048, 0.857)),
    "zh_book_spread_desk.jpg": (
        (0.0, 0.05),
        (0.49, 0.2),
        (1.0, 0.105),
        (1.0, 0.82),
        (0.43, 0.76),
        (0.0, 0.74),
    ),
    "zh_entrust_agreement_wooddesk.jpg": ((0.093, 0.093), (0.885, 0.06), (0.955, 1.0), (0.1, 1.0)),
    "zh_student_practice_form.jpg": ((0.03, 0.0), (0.958, 0.0), (0.95, 1.0), (0.007, 1.0)),
    "zh_vehicle_invoice_rot90.jpg": ((0.146, 0.0), (0.993, 0.072), (0.82, 1.0), (0.007, 0.922)),
    "en_receipt_freshco_exif6.jpg": (
        (0.198, 0.151),
        (0.732, 0.143),
        (0.712, 0.933),
        (0.201, 0.933),
    ),
}
# A page keeps its surround when more than this share of it lies outside the sheet.
SURROUND = 0.03
# Findings that say a page was left with (some of) its surround.
SAID = frozenset({"PAGE_NOT_FOUND", "CROP_UNSURE", "SURROUND_KEPT"})
FOLDER = "其他说明"


@dataclass(frozen=True, slots=True)
class Judged:
    """One photo as built: what was done, surround left, said, turned, words found."""

    name: str
    desk: bool
    cleaned: str
    surround: float
    said: tuple[str, ...]
    turn: int
    turn_wanted: int
    words: int
    words_total: int

    @property
    def silent(self) -> bool:
        """A page that keeps its surround and no finding says so."""
        return self.desk and self.surround > SURROUND and not self.said


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).casefold()


def _region(
    record: dict[str, object], size: tuple[int, int]
) -> Polygon:  # the page's part of the photo
    quads = record.get("quads") or []
    assert isinstance(quads, list)
    if not quads:
        return box(0, 0, size[0], size[1])
    return Polygon([(x, y) for x, y in quads[0]])


def _size(path: Path) -> tuple[int, int]:
    from PIL import Image, ImageOps

    with Image.open(path) as im:
        turned = ImageOps.exif_transpose(im)
        return turned.size


def judge(out: Path, pages_dir: Path | None = None, clean: bool = True) -> list[Judged]:
    """Build the dev photos in a case under ``out``; judge each one (and render its pages)."""
    truth = json.loads((DEV / "truth.json").read_text("utf-8"))
    case = out / "inbox" / "real"
    shutil.rmtree(out / "inbox", ignore_errors=True)
    (case / FOLDER).mkdir(parents=True)
    (case / "case.toml").write_text(TOML, encoding="utf-8")
    for name in sorted(truth):
        shutil.copyfile(DEV / "files" / name, case / FOLDER / name)
    settings = api.Settings(today=date(2026, 11, 28), ocr=True, clean=clean)
    outcome = api.build_case(case, out / "out", settings)
    assert outcome.out_dir is not None
    (pdf,) = [p for p in outcome.out_dir.glob("*.pdf") if "-part" not in p.name]
    reader = PdfReader(pdf)
    manifest = outcome.manifest
    sources = manifest["sources"]
    findings = manifest["findings"]
    assert isinstance(sources, list)
    assert isinstance(findings, list)
    judged = []
    for record in sources:
        name = str(record["path"]).split("/")[-1]
        facts = truth[name]
        first, last = record["first_page"], record["last_page"]
        text = "".join(reader.pages[p - 1].extract_text() for p in range(first, last + 1))
        words = sum(1 for w in facts["key_words"] if _norm(w) in _norm(text))
        size = _size(DEV / "files" / name)
        region = _region(record, size)
        outline = OUTLINES.get(name)
        surround = 0.0
        if outline is not None and facts["desk_visible"]:
            sheet = Polygon([(x * size[0], y * size[1]) for x, y in outline])
            surround = region.difference(sheet).area / region.area
        mine = [f for f in findings if str(f.get("file", "")).endswith("/" + name)]
        turn = sum(
            int(m.group(1))
            for f in mine
            if f["code"] == "PAGE_TURNED" and (m := re.search(r"(\d+)°", str(f["message"])))
        )
        judged.append(
            Judged(
                name,
                bool(facts["desk_visible"]),
                str(record["cleaned"]),
                surround,
                tuple(sorted({str(f["code"]) for f in mine if f["code"] in SAID})),
                turn,
                int(facts["rotation_needed"]),
                words,
                len(facts["key_words"]),
            )
        )
        if pages_dir is not None:
            pages_dir.mkdir(parents=True, exist_ok=True)
            subprocess.run(
                ["pdftoppm", "-r", "50", "-f", str(first), "-l", str(last), "-png", str(pdf),
                 str(pages_dir / name.rsplit(".", 1)[0])],
                check=True,
            )  # fmt: skip
    return judged


def totals(judged: list[Judged]) -> tuple[int, int, int, float, int]:
    """(desk photos, desk gone, left without a finding, key words found, quarter turns right)."""
    desk = [j for j in judged if j.desk]
    gone = sum(1 for j in desk if j.surround <= SURROUND)
    words = sum(j.words for j in judged) / max(1, sum(j.words_total for j in judged))
    turns = sum(1 for j in judged if j.turn == j.turn_wanted)
    return len(desk), gone, sum(1 for j in judged if j.silent), words, turns


def table(judged: list[Judged]) -> str:
    """The per-photo table and the totals against the issue's targets."""
    rows = [
        "| photo | desk | cleaned | surround left | finding | turn (wanted) | key words |",
        "| --- | --- | --- | ---: | --- | --- | ---: |",
    ]
    for j in judged:
        rows.append(
            f"| {j.name} | {'yes' if j.desk else 'no'} | {j.cleaned} | {100 * j.surround:.0f} % "
            f"| {', '.join(j.said) or '–'} | {j.turn} ({j.turn_wanted}) | {j.words}/{j.words_total} |"
        )
    desk = [j for j in judged if j.desk]
    gone = sum(1 for j in desk if j.surround <= SURROUND)
    words = sum(j.words for j in judged) / max(1, sum(j.words_total for j in judged))
    rows += [
        "",
        f"desk gone: {gone} of {len(desk)}; left without a finding: "
        f"{sum(1 for j in judged if j.silent)}; key words found: {100 * words:.0f} %; "
        f"quarter turns right: {sum(1 for j in judged if j.turn == j.turn_wanted)} of {len(judged)}",
    ]
    return "\n".join(rows)


def main(out: Path | None = None) -> str:
    """Judge the dev set (in a temporary folder unless ``out`` is given)."""
    if not (DEV / "truth.json").exists():
        return f"(skipped: {DEV} is absent)"
    if out is not None:
        return table(judge(out, out / "pages"))
    with tempfile.TemporaryDirectory(prefix="realphotos-") as tmp:
        return table(judge(Path(tmp)))


if __name__ == "__main__":
    print(main(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
