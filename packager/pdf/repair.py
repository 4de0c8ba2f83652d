"""Source PDFs read the way the standard says, before pypdf merges them (pikepdf's door).

pypdf merges pages well but parses some real files differently from a viewer:
a NUL inside a content stream is white space to PDF (ISO 32000-1, 7.2.2) and
part of a name to pypdf, which then writes ``/DeviceRGB#00cs`` and what
follows is lost; the values of a filled-in form live in ``/AcroForm`` and its
widgets, which a page merge drops; annotations written inline in ``/Annots``
stay at their old coordinates while the page is scaled onto A4. qpdf parses
such files as a viewer does and repairs many that pypdf refuses (a damaged
xref, a lost trailer).

So every source PDF passes through here first: opened by qpdf (its password
tried), form values drawn (``generate_appearance_streams``; Chinese values,
which qpdf would print as "?", by ``pdf.forms``, the one other module that
imports pikepdf), every annotation
made page content (``flatten_annotations``), content with a NUL re-tokenised,
and saved unencrypted in memory for pypdf. A file that needs none of that is
handed on as it is, byte for byte. Whatever could not be drawn is counted, so
the caller can say so instead of losing it silently.

Our own rendered pages pass through here too, once: ``compact_fonts`` drops
the empty glyph slots WeasyPrint's CJK subsets carry (half a megabyte a
packet).
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

import pikepdf

from packager.image import jpegheader
from packager.pdf import cjkfont, forms
from packager.pdf.names import fix_names, needs_fixing

# Annotations that are not marks on the paper: a link is an area to click, a
# popup the window a note opens; dropping them loses nothing a reader sees.
_NOT_MARKS = frozenset({"/Link", "/Popup"})
# The annotation flag "Hidden": never shown, never printed.
_HIDDEN = 2
DCT = pikepdf.Name.DCTDecode


class Locked(Exception):
    """No password we have opens the file; ``wrong`` when case.toml gave one."""

    def __init__(self, wrong: bool) -> None:
        super().__init__("password")
        self.wrong = wrong


class Unopenable(Exception):
    """qpdf cannot open the file even with repair (pypdf may still try)."""


@dataclass(frozen=True, slots=True)
class Normalised:
    """A source PDF as pypdf should read it.

    ``data`` is the original file when nothing needed doing, else qpdf's
    rewrite (unencrypted, marks drawn into the page content). ``repaired``:
    qpdf had to reconstruct the file's structure. ``undrawn`` holds, per
    1-based page, how many form values or annotations could not be drawn.
    """

    data: bytes
    repaired: bool = False
    undrawn: tuple[tuple[int, int], ...] = ()
    # 1-based pages with a stream (content, image, form) that does not decode.
    damaged: tuple[int, ...] = ()


def _open(data: bytes, password: str | None) -> tuple[pikepdf.Pdf, bool]:
    """Open strictly first, then with qpdf's repair; the flag says whether repair was needed."""
    candidates = ["", *([password] if password else [])]
    failure: Exception | None = None
    for recover in (False, True):
        for candidate in candidates:
            try:
                pdf = pikepdf.open(
                    io.BytesIO(data),
                    password=candidate,
                    attempt_recovery=recover,
                    suppress_warnings=True,
                )
            except pikepdf.PasswordError:
                failure = Locked(wrong=password is not None)
                continue
            except (pikepdf.PdfError, RuntimeError, ValueError) as exc:
                failure = exc
                break
            return pdf, recover
        if isinstance(failure, Locked):
            raise failure
    raise Unopenable(type(failure).__name__ if failure else "unknown")


def _text(value: object) -> str:
    if isinstance(value, pikepdf.String):
        return str(value)
    if isinstance(value, pikepdf.Array):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, pikepdf.Name):
        return "" if str(value) == "/Off" else str(value)[1:]
    return ""


def _drawable(value: str) -> bool:
    """True when qpdf can draw ``value`` in a form's WinAnsi font (else it writes "?")."""
    try:
        value.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def _annotations(page: pikepdf.Page) -> Iterable[pikepdf.Dictionary]:
    annots = page.obj.get("/Annots")
    if not isinstance(annots, pikepdf.Array):
        return ()
    return [a for a in annots if isinstance(a, pikepdf.Dictionary)]


def _has_appearance(annot: pikepdf.Dictionary) -> bool:
    ap = annot.get("/AP")
    if not isinstance(ap, pikepdf.Dictionary):
        return False
    normal = ap.get("/N")
    if isinstance(normal, pikepdf.Dictionary) and not isinstance(normal, pikepdf.Stream):
        state = annot.get("/AS")
        return state is not None and state in normal
    return isinstance(normal, pikepdf.Stream)


def _choose_state(annot: pikepdf.Dictionary) -> None:
    """Give a check box or radio button without ``/AS`` the state its value names.

    Its appearances are states (``/AP /N << /Yes … /Off … >>``); which one
    shows is ``/AS``, which some writers leave out when no NeedAppearances
    makes qpdf set it. A radio group's value names the chosen button's own
    state, so only that button is drawn on.
    """
    ap = annot.get("/AP")
    normal = ap.get("/N") if isinstance(ap, pikepdf.Dictionary) else None
    if "/AS" in annot or not isinstance(normal, pikepdf.Dictionary):
        return
    if isinstance(normal, pikepdf.Stream):
        return
    value = forms.inherited(annot, "/V")
    if isinstance(value, pikepdf.Name) and value in normal:
        annot.AS = value
    elif pikepdf.Name.Off in normal:
        annot.AS = pikepdf.Name.Off


def _undrawn_marks(pdf: pikepdf.Pdf) -> tuple[tuple[int, int], ...]:
    """Draw every form value and count, per page, the marks that would still be lost.

    qpdf draws what its WinAnsi form fonts can; a value it cannot (Chinese:
    it would print "?"), or a field qpdf left without an appearance, is
    drawn by ``pdf.forms`` in an embedded CJK font. A form whose maker drew
    its own appearances (no NeedAppearances) keeps them.
    """
    form = pdf.Root.get("/AcroForm")
    needs = isinstance(form, pikepdf.Dictionary) and bool(form.get("/NeedAppearances", False))
    if form is not None:
        pdf.generate_appearance_streams()
    lost: dict[int, int] = {}
    ours: list[tuple[int, pikepdf.Dictionary]] = []
    for number, page in enumerate(pdf.pages, 1):
        for annot in _annotations(page):
            subtype = str(annot.get("/Subtype", ""))
            flags = int(annot.get("/F", 0)) if isinstance(annot.get("/F"), int) else 0
            if subtype in _NOT_MARKS or flags & _HIDDEN:
                continue
            if subtype == "/Widget":
                _choose_state(annot)
            drawn = _has_appearance(annot)
            if subtype == "/Widget":
                value = _text(forms.inherited(annot, "/V"))
                if str(forms.inherited(annot, "/FT")) in ("/Tx", "/Ch") and value:
                    if not drawn or (needs and not _drawable(value)):
                        ours.append((number, annot))
                    continue
                drawn = drawn or not value
            if not drawn:
                lost[number] = lost.get(number, 0) + 1
    for index in forms.draw(pdf, [annot for _, annot in ours]):
        number = ours[index][0]
        lost[number] = lost.get(number, 0) + 1
    return tuple(sorted(lost.items()))


def _needs_rewrite(pdf: pikepdf.Pdf) -> bool:
    if "/AcroForm" in pdf.Root:
        return True
    return any("/Annots" in page.obj for page in pdf.pages) or any(
        b"\x00" in _content(page) for page in pdf.pages
    )


def _content(page: pikepdf.Page) -> bytes:
    contents = page.obj.get("/Contents")
    streams = contents if isinstance(contents, pikepdf.Array) else [contents]
    out = []
    for stream in streams:
        if isinstance(stream, pikepdf.Stream):
            try:
                out.append(stream.read_bytes())
            except pikepdf.PdfError:
                continue  # damaged content is judged later, where the page is checked
    return b"\n".join(out)


def _retokenise(pdf: pikepdf.Pdf) -> None:
    """Rewrite page content that holds a NUL, tokenised as the standard says."""
    for page in pdf.pages:
        if b"\x00" not in _content(page):
            continue
        operations = pikepdf.parse_content_stream(page)
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(operations))


# How deep Form XObjects nest before we stop looking (real files: 2 or 3).
_MAX_NESTING = 8


def _streams(page: pikepdf.Page) -> Iterable[pikepdf.Stream]:
    """Every stream a page draws: its content, images and forms, nested forms' too."""
    seen: set[tuple[int, int]] = set()
    todo: list[tuple[object, int]] = [(page.obj.get("/Contents"), 0)]
    resources = page.obj.get("/Resources")
    todo.append((resources, 0))
    while todo:
        node, depth = todo.pop()
        if isinstance(node, pikepdf.Array):
            todo.extend((item, depth) for item in node)
            continue
        if isinstance(node, pikepdf.Stream):
            if node.objgen in seen and node.objgen != (0, 0):
                continue
            seen.add(node.objgen)
            yield node
            if depth < _MAX_NESTING:
                todo.append((node.get("/Resources"), depth + 1))
            continue
        if isinstance(node, pikepdf.Dictionary) and depth < _MAX_NESTING:
            xobjects = node.get("/XObject")
            if isinstance(xobjects, pikepdf.Dictionary):
                todo.extend((xobjects[key], depth) for key in xobjects.keys())  # noqa: SIM118


def _damaged_pages(pdf: pikepdf.Pdf) -> tuple[int, ...]:
    """Pages with a stream qpdf cannot decode (a viewer shows a broken or missing image).

    The same decoders ``qpdf --check`` uses, so a page accepted here keeps
    the packet clean for it.
    """
    damaged = []
    for number, page in enumerate(pdf.pages, 1):
        for stream in _streams(page):
            try:
                stream.read_bytes(pikepdf.StreamDecodeLevel.all)
            except pikepdf.PdfError:
                damaged.append(number)
                break
    return tuple(damaged)


def _clean_streams(pdf: pikepdf.Pdf) -> tuple[bool, bool]:
    """Invalid names out of the content every page draws, metadata out of its JPEGs.

    The file's own bytes had their names fixed before qpdf read them
    (``pdf.names``); content streams are compressed there, so they are fixed
    here, decoded. A JPEG (``DCTDecode`` alone) gets the header our photos
    get (``jpegheader``): EXIF with its GPS, XMP, Photoshop blocks, comments
    and MPF frames dropped, the image data untouched. One whose header
    cannot be rebuilt cleanly is left as it is rather than re-encoded here.
    Returns (names fixed, JPEGs stripped).
    """
    changed = stripped = False
    for page in pdf.pages:
        for stream in _streams(page):
            try:
                if stream.get("/Subtype") == "/Image":
                    filters = stream.get("/Filter")
                    if filters == DCT or filters == [DCT]:
                        rebuilt = jpegheader.rebuild(raw := stream.read_raw_bytes())
                        if rebuilt is not None and rebuilt.clean and rebuilt.data != raw:
                            parms = stream.get("/DecodeParms")
                            if isinstance(parms, pikepdf.Array):
                                parms = parms[0] if len(parms) else None
                            keep = parms if isinstance(parms, pikepdf.Dictionary) else None
                            stream.write(rebuilt.data, filter=DCT, decode_parms=keep)
                            stripped = True
                    continue
                data = stream.read_bytes()
            except pikepdf.PdfError:
                continue  # judged where damage is looked for
            if needs_fixing(data) and (fixed := fix_names(data, whole_file=False)) is not data:
                stream.write(zlib.compress(fixed, 6), filter=pikepdf.Name.FlateDecode)
                changed = True
    return changed, stripped


def _touch_streams(pdf: pikepdf.Pdf) -> tuple[int, ...]:
    """Parse every object a page draws (without decoding it), so its warnings are known."""
    for page in pdf.pages:
        for _ in _streams(page):
            pass
    return ()


def normalise(data: bytes, password: str | None = None, check: bool = False) -> Normalised:
    """Return the PDF pypdf should merge; raise ``Locked`` or ``Unopenable``.

    With ``check`` (once, while reading), every stream each page draws is
    decoded and the pages where one fails are listed in ``damaged``.
    """
    fixed = fix_names(data, whole_file=True)  # names qpdf and pypdf would each misread
    renamed, data = fixed is not data, fixed
    pdf, repaired = _open(data, password)
    with pdf:
        names, stripped = _clean_streams(pdf)
        renamed = renamed or names
        damaged = _damaged_pages(pdf) if check else _touch_streams(pdf)
        # qpdf parses objects as they are reached; one that did not parse as
        # written (a NUL inside a name, a key without a value) is a repair
        # too: pypdf would copy its own reading of it into the packet.
        repaired = repaired or renamed or bool(pdf.get_warnings())
        if not (repaired or stripped or pdf.is_encrypted or _needs_rewrite(pdf)):
            return Normalised(data, damaged=damaged)
        undrawn = _undrawn_marks(pdf)
        pdf.flatten_annotations(mode="all")
        for page in pdf.pages:
            # What is left is links, popups and marks with no appearance:
            # at their old coordinates they would float beside the page.
            if "/Annots" in page.obj:
                del page.obj["/Annots"]
        if "/AcroForm" in pdf.Root:
            del pdf.Root["/AcroForm"]
        _retokenise(pdf)
        out = io.BytesIO()
        pdf.save(out, encryption=False, deterministic_id=True)
    return Normalised(out.getvalue(), repaired, undrawn, damaged)


def _used_cids(widths: object) -> frozenset[int]:
    """The CIDs a CIDFont's ``/W`` array gives widths for: the glyphs its pages use."""
    used: set[int] = set()
    items = list(widths) if isinstance(widths, pikepdf.Array) else []
    i = 0
    while i + 1 < len(items):
        first, then = items[i], items[i + 1]
        if isinstance(then, pikepdf.Array):
            used.update(range(int(first), int(first) + len(then)))
            i += 2
        elif i + 2 < len(items):
            used.update(range(int(first), int(then) + 1))
            i += 3
        else:
            break
    return frozenset(used)


def compact_fonts(data: bytes) -> bytes:
    """``data`` (our own rendered PDF) with its CJK subsets stripped of empty glyph slots.

    See ``cjkfont.compacted``: the letter's five faces fall from about 500 KB
    to about 70 KB, and the pages render the same. A font that cannot be
    compacted is kept as it is; a PDF with none is returned unchanged.
    """
    changed = False
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for font in pdf.objects:
            if not isinstance(font, pikepdf.Dictionary) or font.get("/Subtype") != "/CIDFontType0":
                continue
            descriptor = font.get("/FontDescriptor")
            program = descriptor.get("/FontFile3") if descriptor is not None else None
            if not isinstance(program, pikepdf.Stream) or program.get("/Subtype") != "/OpenType":
                continue
            cids = _used_cids(font.get("/W"))
            bare = cjkfont.compacted(program.read_bytes(), cids) if cids else None
            if bare is None:
                continue
            program.write(zlib.compress(bare, 9), filter=pikepdf.Name.FlateDecode)
            program.Subtype = pikepdf.Name.CIDFontType0C
            changed = True
        if not changed:
            return data
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    return out.getvalue()
