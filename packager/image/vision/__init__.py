"""The only door to OpenCV: find a sheet of paper in a photo, flatten it, even out its light.

What phone scanner apps do (ocr-anchors.md, "Photo clean-up"), done with
classic image processing, no learned model. Real photos defeat any single
cue (a white sheet on warm wood is as bright as the wood; a dark desk's
grain lines up with the paper; a hand or the frame hides a corner), so the
sheet is found from several, on a 720-px copy with the print closed away:

- candidate outlines: the contours of Canny edges taken on grey,
  saturation and Lab a/b (``_edges``), the outline of a paper-versus-
  surround segmentation (bright and grey against dark or coloured, Otsu:
  ``_paper_mask``), and quads made of long straight edge segments, one per
  side or the frame's own edge (``_segments``, probabilistic Hough);
- every convex outline is reduced to four sides by dropping its shortest
  ones (``_to_quad``: a corner cut by the frame or a hand comes back where
  the two sides cross, even outside the picture), then each side is moved
  onto the line fitted to the edge pixels near it (``_fit_sides``);
- each candidate is scored (``_score``): edge support along its sides
  (0.45), paper brighter or greyer than what lies just outside (0.25, and
  a hard floor: the same paper on both sides is a printed frame, not the
  sheet's edge), plausible corner angles (0.1), and the recognised text's
  boxes inside it (0.2, and a veto: a cut along the frame may leave no
  line outside). The best scoring at least ``SURE_SCORE`` is the sheet.
- when none is sure, one more: the outline of a GrabCut segmentation seeded
  by the text (``regions.seeded_paper``: each line is paper, the text's
  extent probably paper), whose colour models learnt from the photo tell a
  book's pages from a cluttered desk where thresholds could not. It is
  tried only where the colours inside and outside the text's extent differ
  (``regions.SEED_APART``: on white against white it finds nothing and
  costs most), scored by the same rules and taken only when sure; a page
  cut out along it is always said.

Four real sides: the quad is warped to a rectangle with the sheet's own
proportions ("flattened"). A side on the frame's edge, or no outline sure
enough: the second best, a rectangle around the paper region and every
text box with a margin, levelled by the text lines' angle (``regions.cut_out``:
"cropped"); what the page still shows of the surround is measured
(``surround``) and said. Then each colour channel is divided by a smooth
estimate of its paper, so shadow and grey cast go and a red seal stays
red; nothing is binarised or sharpened. Last, print lying askew on its
sheet is turned level (projection profiles), only when its lines leave no
doubt. Grey photos go through the same steps. Whether the pixels are a
photo at all is judged from them (``looks_photographed``), not from the
container or EXIF.
"""

from __future__ import annotations

from packager.image.vision.cues import (
    FINDER,
    PAPER_WHITE,
    Found,
    Pixels,
    Quad,
    TextBox,
    looks_photographed,
    text_angle,
    version,
)
from packager.image.vision.outline import (
    find_sheet,
)
from packager.image.vision.pixels import (
    blank_inside,
    distance,
    even_light,
    flatten,
    inside,
    reduced,
    residual_skew,
    sheet_ratio,
    surround,
    turn,
)

__all__ = [
    "FINDER",
    "PAPER_WHITE",
    "Found",
    "Pixels",
    "Quad",
    "TextBox",
    "blank_inside",
    "distance",
    "even_light",
    "find_sheet",
    "flatten",
    "inside",
    "looks_photographed",
    "reduced",
    "residual_skew",
    "sheet_ratio",
    "surround",
    "text_angle",
    "turn",
    "version",
]
