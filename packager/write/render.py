"""The only door to WeasyPrint: Jinja2 templates in, checked PDF bytes out.

Two guarantees hold for every document rendered here: a character with no
glyph in the fonts is an error (``RenderError``, exit 6), not a box; and the
embedded fonts are faces of the requested script — Simplified-Chinese by
default, Traditional-Chinese for ``zh-Hant`` — never a JP/KR fallback. One
``FontConfiguration`` is shared per process: rebuilding it per render costs
both time and hundreds of MB (letter-anchors.md §2).
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from packager.errors import RenderError
from packager.hant import HANS, HANT, HTML_LANG, hant_fonts, is_traditional, localize
from packager.messages import both
from packager.pdf import repair

# Package data: a regular (or pipx) install finds them as a checkout does.
TEMPLATES = Path(str(resources.files("packager") / "templates"))
# The documents on the shared page (page.css, then their own sheet): one set of page rules.
PAGE_CSS = "page.css"
ON_THE_PAGE = frozenset({"letter.html", "expenses.html", "followup.html", "repayment.html"})
_NOT_SC = re.compile(r"CJK[-\s]?(JP|KR|TC|HK)|CJKjp|CJKkr|CJKtc|CJKhk|\bJP\b|\bKR\b|\bTC\b|\bHK\b")
_NOT_TC = re.compile(r"CJK[-\s]?(JP|KR|SC|HK)|CJKjp|CJKkr|CJKsc|CJKhk|\bJP\b|\bKR\b|\bSC\b|\bHK\b")
_IMPORT = re.compile(r'@import\s+url\("([\w.-]+\.css)"\);')
# Per script: the faces a rendered PDF must not embed, and the error that names them.
_WRONG_FACES = {
    HANS: (_NOT_SC, "FONT_NOT_SC"),
    HANT: (_NOT_TC, "FONT_NOT_TC"),
}


@dataclass(frozen=True, slots=True)
class RenderedPdf:
    """A rendered document and its page count."""

    data: bytes
    pages: int


@cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def _fonts() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def warm_up() -> None:
    """Import WeasyPrint and set up its fonts now, while other processes do other work.

    Importing WeasyPrint switches on Pillow's LOAD_TRUNCATED_IMAGES for the
    whole process; ``sources.strict_images`` switches it off around every read.
    """
    _fonts()
    _env()


def html(template: str, context: Mapping[str, object]) -> str:
    """Fill a template; also used for report.html, which is not a PDF."""
    return _env().get_template(template).render(**context)


@contextmanager
def _glyph_guard() -> Iterator[list[str]]:
    """Collect WeasyPrint's '.notdef glyph' warnings while rendering."""
    missing: list[str] = []

    class Catch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            text = record.getMessage()
            if ".notdef" in text:
                missing.append(text)

    logger = logging.getLogger("weasyprint")
    handler = Catch(level=logging.WARNING)
    logger.addHandler(handler)
    try:
        yield missing
    finally:
        logger.removeHandler(handler)


def stylesheet(name: str, script: str = HANS) -> str:
    """A stylesheet's text; for Traditional Chinese its SC families become TC ones."""
    css = (TEMPLATES / name).read_text(encoding="utf-8")
    # A sheet that builds on another (followup.css on letter.css) gets it inlined, so the
    # Traditional-Chinese font swap below reaches the imported rules too.
    css = _IMPORT.sub(lambda m: stylesheet(m.group(1)), css)
    return hant_fonts(css) if is_traditional(script) else css


def _document(
    template: str, context: Mapping[str, object], script: str, keep: Sequence[str]
) -> Any:
    from weasyprint import CSS, HTML

    name = template.replace(".html", ".css")
    fonts = _fonts()
    sheets = [PAGE_CSS] if template in ON_THE_PAGE else []
    sheets += [name] if (TEMPLATES / name).exists() else []
    styles = [
        CSS(string=stylesheet(sheet, script), base_url=str(TEMPLATES), font_config=fonts)
        for sheet in sheets
    ]
    filled = html(template, {"html_lang": HTML_LANG.get(script, "zh-CN"), **context})
    source = HTML(string=localize(filled, script, keep), base_url=str(TEMPLATES))
    return source.render(stylesheets=styles, font_config=fonts)


def render_pdf(
    template: str, context: Mapping[str, object], script: str = HANS, keep: Sequence[str] = ()
) -> RenderedPdf:
    """Render a template to PDF bytes; raise RenderError on missing glyphs or wrong-script fonts.

    ``script`` is "zh-Hans" (default) or "zh-Hant": the latter converts the
    filled page through OpenCC, swaps the fonts to TC faces and then insists
    on TC faces instead of SC ones. ``keep``: proper names converted by
    their characters only, whatever the variant (``hant.to_hant``).
    """
    with _glyph_guard() as missing:
        try:
            document = _document(template, context, script, keep)
            data = document.write_pdf()
        except (OSError, ValueError) as exc:  # pragma: no cover - depends on the system
            raise RenderError(both("RENDER_FAILED", template=template, error=exc)) from exc
    if missing:
        chars = "".join(sorted({m.split('"')[1] for m in missing if m.count('"') >= 2}))
        raise RenderError(both("FONT_MISSING", chars=chars or "?"))
    wrong, code = _WRONG_FACES[HANT if is_traditional(script) else HANS]
    bad = [name for name in embedded_fonts(data) if wrong.search(name)]
    if bad:
        raise RenderError(both(code, faces=", ".join(bad)))
    return RenderedPdf(data=repair.compact_fonts(data), pages=len(document.pages))


def embedded_fonts(data: bytes) -> list[str]:
    """BaseFont names of every font the PDF uses (subset tags stripped)."""
    names: set[str] = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        resources = page.get("/Resources")
        resources = resources.get_object() if resources is not None else None
        if not isinstance(resources, DictionaryObject) or "/Font" not in resources:
            continue
        fonts = resources["/Font"].get_object()
        if not isinstance(fonts, DictionaryObject):
            continue
        for ref in fonts.values():
            base = str(ref.get_object().get("/BaseFont", ""))
            names.add(base.lstrip("/").split("+", 1)[-1])
    return sorted(names)
