"""Is each page legible? Warnings computed on a small grey preview of every image page.

The preview (longest side ``normalize.PREVIEW_SIZE``, about 90 ppi on A4,
JPEGs decoded at reduced scale by libjpeg) is what a reader's eye resolves
on a printed or on-screen page, so defects that do not show at that scale do
not matter and the checks stay cheap (a few milliseconds per page). Every
threshold was set on synthetic pages (the demo's documents, drawn text
blurred, darkened, faded, blanked) so that the demo and the test cards raise
nothing and clearly bad pages are caught; see tests/test_quality.py.

Vector PDF pages are not rasterised and get no quality checks.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageFilter, ImageOps

from packager.geometry import effective_ppi, slice_page
from packager.models import Finding, Severity, SourcePage

# LOW_RESOLUTION: image pixels per inch on the packet page. 150 ppi is where
# Ghostscript's /ebook preset and lenders' upload guides put "readable"; a
# 12 MP phone photo of an A4 sheet gives about 250.
MIN_PPI = 150
# An edge pixel: Sobel response (grey levels per pixel, 0–127) of a stroke of
# at least 16/255 contrast. Paper texture and sensor noise stay below it.
EDGE_LEVEL = 16
# BLANK_PAGE: fewer edge pixels than this share of the page. A page holding
# one short line of text has 0.2 %, the marker test card 0.37 %; a noisy
# photo of blank paper 0.00 %.
BLANK_EDGES = 0.0005
# POOR_EXPOSURE (dark): the brightest 2 % of the page (the paper) is darker
# than this grey level. Photos in a dim room still have paper above 120.
DARK_PAPER = 90
# POOR_EXPOSURE (washed out): the darkest 0.05 % of the page (the ink; one
# short line of text covers about 0.1 %) is within this many grey levels of
# the paper. A photographed text page has 200+ levels; faded to 30 % of its
# contrast (still legible) 66; to 20 % 43, which is flagged.
FAINT_INK = 50
INK_SHARE = 0.0005
# BLURRY: steepest edges (Sobel level at the top 0.1 % of pixels) over the
# page's contrast (paper minus ink). Sharp strokes give about 0.5 whatever
# the exposure. Measured on a text page photographed at 3000 px and blurred
# (Gaussian sigma in photo pixels): 0 → 0.48, 6 → 0.24, 8 → 0.20 (16 pt text
# soft but readable), 12 → 0.13 (barely readable). 0.17 flags blur of about
# 0.6 mm on the printed page, where 10 pt print is lost.
SHARPNESS = 0.17
EDGE_SHARE = 0.001
# NEAR_DUPLICATE, step 1: at most this many of the 256 bits of the 16×16
# difference hash differ. Re-saved, resized, darkened or faded copies of a
# photo differ by 0–7, other documents by 35 or more, but two payslips of
# one layout by as little as 3, hence step 2.
NEAR_DUPLICATE_BITS = 10
HASH_SIDE = 16
# NEAR_DUPLICATE, step 2: on 128-px-wide contrast-stretched thumbnails, at
# most this share of pixels differs by 48 grey levels or more. Copies of one
# photo: 0–0.07 %; two payslips differing in a few numbers: 0.4 %.
THUMB_WIDTH = 128
THUMB_LEVEL = 48
THUMB_SHARE = 0.002


@dataclass(frozen=True, slots=True)
class Measures:
    """What the checks read off one preview."""

    edges: float
    paper: int
    ink: int
    sharpness: float | None


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """A page's perceptual hash and thumbnail, to find the same picture twice."""

    file: str
    page: int
    bits: int
    thumb: Image.Image


@dataclass(frozen=True, slots=True)
class Assessment:
    """Quality warnings for one source file, and its pages' fingerprints."""

    findings: tuple[Finding, ...]
    prints: tuple[Fingerprint, ...]


def _percentile(histogram: Sequence[int], share: float) -> int:
    """Grey level below which ``share`` of the pixels lie."""
    total = sum(histogram)
    wanted = share * total
    seen = 0
    for level, count in enumerate(histogram):
        seen += count
        if seen >= wanted:
            return level
    return len(histogram) - 1


def _top_level(histogram: Sequence[int], count: int) -> int:
    """Smallest level among the ``count`` largest values."""
    seen = 0
    for level in range(len(histogram) - 1, -1, -1):
        seen += histogram[level]
        if seen >= count:
            return level
    return 0


def _abs_response(grey: Image.Image, kernel: Sequence[int], scale: int) -> Image.Image:
    """|kernel ∗ grey| / scale, clipped to 0–127 (offset trick: Pillow kernels are unsigned)."""
    shifted = grey.filter(ImageFilter.Kernel((3, 3), kernel, scale=scale, offset=128))
    # Pillow copies the outermost pixels unfiltered: drop them.
    inner = shifted.crop((1, 1, grey.width - 1, grey.height - 1))
    return ImageChops.difference(inner, Image.new("L", inner.size, 128))


def measure(preview: Image.Image) -> Measures:
    """Edge density, paper and ink levels and sharpness of a grey preview."""
    grey = preview.convert("L")
    if min(grey.size) < 8:
        # Too small to judge; LOW_RESOLUTION speaks for such an image.
        return Measures(1.0, 255, 0, None)
    histogram = grey.histogram()
    paper = _percentile(histogram, 0.98)
    ink = _percentile(histogram, INK_SHARE)
    gx = _abs_response(grey, (-1, 0, 1, -2, 0, 2, -1, 0, 1), 8)
    gy = _abs_response(grey, (-1, -2, -1, 0, 0, 0, 1, 2, 1), 8)
    gradient = ImageChops.lighter(gx, gy)
    g_hist = gradient.histogram()
    pixels = max(1, gradient.width * gradient.height)
    edge_count = sum(g_hist[EDGE_LEVEL:])
    top = max(20, round(pixels * EDGE_SHARE))
    sharpness = None
    if edge_count >= 2 * top and paper > ink:
        sharpness = _top_level(g_hist, top) / (paper - ink)
    return Measures(edge_count / pixels, paper, ink, sharpness)


def thumbnail(preview: Image.Image) -> Image.Image:
    """Small contrast-stretched copy for confirming a near-duplicate."""
    grey = ImageOps.autocontrast(preview.convert("L"), cutoff=1)
    height = max(1, round(THUMB_WIDTH * grey.height / grey.width))
    thumb = grey.resize((THUMB_WIDTH, height), Image.Resampling.BOX)
    thumb.info.clear()  # pixels only: equal to the copy the page cache keeps
    return thumb


def same_picture(a: Fingerprint, b: Fingerprint) -> bool:
    """True when two pages are the same picture, re-saved, resized or re-exposed."""
    if (a.bits ^ b.bits).bit_count() > NEAR_DUPLICATE_BITS:
        return False
    if abs(a.thumb.height - b.thumb.height) > 2:
        return False
    other = b.thumb.resize(a.thumb.size, Image.Resampling.BOX)
    histogram = ImageChops.difference(a.thumb, other).histogram()
    return sum(histogram[THUMB_LEVEL:]) <= THUMB_SHARE * a.thumb.width * a.thumb.height


def dhash(preview: Image.Image) -> int:
    """256-bit difference hash: is each cell brighter than its right neighbour."""
    small = preview.convert("L").resize((HASH_SIDE + 1, HASH_SIDE), Image.Resampling.BOX)
    values = small.tobytes()
    bits = 0
    for row in range(HASH_SIDE):
        for col in range(HASH_SIDE):
            left = values[row * (HASH_SIDE + 1) + col]
            right = values[row * (HASH_SIDE + 1) + col + 1]
            bits = (bits << 1) | (left > right)
    return bits


def page_findings(
    rel: str, number: int, measures: Measures, ppi: float | None, damaged: bool = False
) -> list[Finding]:
    """Warnings for one page from its measures and effective resolution.

    A ``damaged`` page (DAMAGED_IMAGE: its decoder reported errors) is judged
    on its resolution only: a blank, dark or smeared band in it is the
    damage, not the light or the focus, and "re-shoot in better light"
    would send the person after the wrong fix; DAMAGED_IMAGE says what to do.
    """
    found: list[Finding] = []

    def warn(code: str, **params: str | int | float) -> None:
        found.append(Finding(code, Severity.WARNING, file=rel, page=number, params=params))

    if not damaged:
        if measures.edges < BLANK_EDGES:
            # No strokes at all: blank paper, or something so blurred that its
            # dark parts no longer make edges.
            warn("BLURRY" if measures.paper - measures.ink >= 2 * FAINT_INK else "BLANK_PAGE")
            return found
        if measures.paper < DARK_PAPER:
            warn("POOR_EXPOSURE", problem="dark")
        elif measures.paper - measures.ink < FAINT_INK:
            warn("POOR_EXPOSURE", problem="faint")
        if measures.sharpness is not None and measures.sharpness < SHARPNESS:
            warn("BLURRY")
    if ppi is not None and ppi < MIN_PPI:
        warn("LOW_RESOLUTION", ppi=round(ppi))
    return found


@dataclass(frozen=True, slots=True)
class Inspection:
    """Everything the checks need from one page's preview, small enough to cache."""

    measures: Measures
    bits: int
    thumb: Image.Image


def inspect(preview: Image.Image) -> Inspection:
    """Measure a page's preview once; ``judge`` turns it into warnings later."""
    return Inspection(measure(preview), dhash(preview), thumbnail(preview))


def judge(
    rel: str,
    pages: Sequence[SourcePage],
    inspections: Sequence[Inspection | None],
    damaged: Collection[int] = (),
) -> Assessment:
    """Quality warnings and fingerprints for every page of one source file.

    Pages in ``damaged`` (1-based) get no exposure, blank or blur verdicts
    (``page_findings``) and no fingerprint: their pixels are partly the
    decoder's guesses, so they are no measure of the paper or of a match.
    """
    findings: list[Finding] = []
    prints: list[Fingerprint] = []
    for number, (page, seen) in enumerate(zip(pages, inspections, strict=False), start=1):
        if seen is None:
            continue
        ppi = _lowest_ppi(slice_page(page))
        broken = number in damaged
        findings.extend(page_findings(rel, number, seen.measures, ppi, broken))
        if not broken:
            prints.append(Fingerprint(rel, number, seen.bits, seen.thumb))
    return Assessment(tuple(findings), tuple(prints))


def _lowest_ppi(pages: Iterable[SourcePage]) -> float | None:
    values = [ppi for ppi in (effective_ppi(p) for p in pages) if ppi is not None]
    return min(values) if values else None


def near_duplicates(prints: Sequence[Fingerprint]) -> tuple[Finding, ...]:
    """A warning for each page that looks like a page of an earlier, different file."""
    findings: list[Finding] = []
    for i, later in enumerate(prints):
        for earlier in prints[:i]:
            if earlier.file == later.file:
                continue
            if same_picture(earlier, later):
                findings.append(
                    Finding(
                        "NEAR_DUPLICATE",
                        Severity.WARNING,
                        file=later.file,
                        page=later.page,
                        params={"other": earlier.file, "other_page": earlier.page},
                    )
                )
                break
    return tuple(findings)
