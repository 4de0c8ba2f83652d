"""The case page's cheap looks at files: an lstat fingerprint, and small thumbnails."""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

THUMB_SIDE = 240


def fingerprint(case_dir: Path, out_dir: Path) -> tuple[tuple[object, ...], ...]:
    """What a case page is made from, cheaply: no file read, only lstat.

    Every entry under the case folder and the published manifest. Any upload,
    edit, rename or build changes it; a view that finds it unchanged is reused.
    """
    seen: list[tuple[object, ...]] = []
    stack = [str(case_dir)]
    while stack:
        with contextlib.suppress(OSError), os.scandir(stack.pop()) as entries:
            for entry in entries:
                st = entry.stat(follow_symlinks=False)
                seen.append((entry.path, st.st_size, st.st_mtime_ns, st.st_ino, st.st_mode))
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
    with contextlib.suppress(OSError):
        st = (out_dir / "manifest.json").stat()
        seen.append(("", st.st_size, st.st_mtime_ns, st.st_ino, st.st_mode))
    return tuple(sorted(seen, key=lambda e: str(e[0])))


def thumbnail(path: Path, rotate: int = 0) -> bytes:
    """A small upright JPEG of an image's (or a PDF's first page's) content, turned as asked."""
    from PIL import Image, ImageOps

    if path.suffix.lower() == ".pdf":
        import pypdfium2

        document = pypdfium2.PdfDocument(path)
        try:
            page = document[0]
            width, height = page.get_size()
            image = page.render(scale=THUMB_SIDE / max(width, height)).to_pil()
        finally:
            document.close()
    else:
        from pillow_heif import register_heif_opener

        register_heif_opener()
        with Image.open(path) as opened:
            opened.draft("RGB", (THUMB_SIDE * 2, THUMB_SIDE * 2))
            image = ImageOps.exif_transpose(opened)
            image.thumbnail((THUMB_SIDE, THUMB_SIDE))
            if rotate:
                image = image.rotate(-rotate, expand=True)
    buf = io.BytesIO()
    image.convert("RGB").save(buf, "JPEG", quality=80)
    return buf.getvalue()


_KEPT: dict[tuple[str, int, int, int], bytes] = {}


def kept_thumbnail(path: Path, rotate: int = 0) -> bytes:
    """``thumbnail``, kept for the file's size, mtime and turn.

    A page of cards asks for each thumbnail on every refresh while files are read, and a
    decode costs a photo's pixels.
    """
    st = path.stat()
    key = (str(path), st.st_mtime_ns, st.st_size, rotate)
    if key not in _KEPT:
        _KEPT[key] = thumbnail(path, rotate)
        if len(_KEPT) > 500:
            _KEPT.pop(next(iter(_KEPT)))
    return _KEPT[key]
