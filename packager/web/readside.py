"""What a file's read says on its card: the kind its pages give and why, its notes, its sheet.

The same ``by_content`` the build runs, on the reads the background reader
and the builds leave in the page cache: a page view never reads a page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from packager.cache.pages import PageCache
from packager.hant import localize
from packager.messages import content_reason, kind_title, lang_key, message
from packager.messages.web import WEB
from packager.models import Document, EncodedImage, Finding, Kind, Severity, SourceFile
from packager.read.content import by_content
from packager.read.pages import Read

# What a file's pages said, as its card words it (the web's fix is the kind selector).
_SAID = {
    "SORTED_BY_CONTENT": "why_sorted",
    "UNCLASSIFIED_CLOSE": "why_close",
    "UNCLASSIFIED_OTHER": "why_other_kind",
    "KIND_MISMATCH": "why_mismatch",
    "ORIENTATION_UNSURE": "why_unsure",
    "PAGE_TURNED": "why_turned",
    "OTHER_PERSON": "why_other",
}


def said_words(finding: Finding, lang: str) -> str:
    """What a file's pages said, in the card's words."""
    lk = lang_key(lang)
    params: dict[str, object] = {"page": finding.page or 1, **finding.params}
    params["reason"] = content_reason(finding.params, lang)  # what decided, as the finding says
    for key in ("kind", "first", "second", "content_kind"):
        if key in params:
            params[key] = kind_title(Kind(str(params[key])), lang)
    return localize(WEB[_SAID[finding.code]][lk].format(**params), lang)


def read_side(
    documents: list[Document],
    unsorted: tuple[SourceFile, ...],
    cache: PageCache | None,
    applicant: str | None,
    rotations: Mapping[str, int] | None = None,
    clean: Path | None = None,
    ocr: bool = True,
    password: Callable[[SourceFile], str | None] = lambda source: None,
) -> tuple[list[Document], dict[str, list[Finding]], set[str], dict[str, Read]]:
    """The documents once their read pages have spoken, what they said, files not read, reads.

    The same ``by_content`` the build runs, on the reads the background reader
    and the builds left in the page cache (looked up with a build's own key:
    OCR, clean store, turn): an unsorted file read before takes its content's
    kind, or stays out with the likeliest kinds named.
    """
    said: dict[str, list[Finding]] = {}
    unread: set[str] = set()
    reads: dict[str, Read] = {}
    kept: list[Document] = []
    todo = [(d.source, d) for d in documents] + [(s, None) for s in unsorted]
    for source, sorted_as in todo:
        turn = (rotations or {}).get(str(source.path), 0)
        hit = cache.get(source, ocr, clean, turn, password(source)) if cache is not None else None
        if hit is not None:
            reads[source.rel] = hit
        if hit is None or hit.refused is not None or not any(hit.texts):
            if sorted_as is not None:
                kept.append(sorted_as)
            elif hit is None and ocr:
                unread.add(source.rel)
            elif ocr:
                said[source.rel] = []  # read, and nothing on its pages to sort it by
            continue
        doc, findings = by_content(source, sorted_as, hit.texts, applicant)
        said[source.rel] = [f for f in findings if f.code in _SAID]
        if doc is not None:
            kept.append(doc)
    return kept, said, unread, reads


def read_notes(rel: str, hit: Read | None, lang: str) -> tuple[str, ...]:
    """What reading the file noted (a sheet not found, a page it cannot use), in words."""
    if hit is None:
        return ()
    if hit.refused is not None:
        code, params = hit.refused
        return (message(Finding(code, Severity.WARNING, file=rel, params=params), lang),)
    return tuple(
        message(Finding(code, Severity.INFO, file=rel, params=params), lang)
        for code, params in hit.warnings
    )


def sheet_of(hit: Read | None, cleaning: bool) -> bool | None:
    """True when a photo's page was made into a scan, False when left as taken, None: n/a."""
    if hit is None or not cleaning or hit.refused is not None:
        return None
    images = [p.content for p in hit.pages if isinstance(p.content, EncodedImage)]
    if not images:
        return None
    return any(i.quad is not None for i in images)
