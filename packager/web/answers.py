"""What the API and the downloads answer: the case from state as JSON, file names, the zip, the QR."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

from packager.web.builds import BuildState
from packager.web.views import CaseView


def case_answer(
    name: str, view: CaseView, state: BuildState | None, reading: bool
) -> dict[str, Any]:
    """``GET /api/cases/NAME``: what is known, from state; no page is read to answer."""
    build = None
    if state is not None:
        build = {
            "running": state.running,
            "waiting": state.waiting,
            "done": state.done,
            "total": state.total,
            "complete": state.complete,
            "error": state.error,
        }
    files = [
        {
            "path": c.rel,
            "kind": c.kind.value if c.kind is not None else None,
            "rule": c.rule or None,
            "read": c.read or "unread",
            "excluded": c.excluded,
            "rotate": c.rotate,
            "turned": c.turned,
            "sheet": c.sheet,
            "said": list(c.said),
            "notes": list(c.notes),
        }
        for c in view.cards
    ]
    done = sum(1 for c in view.cards if c.read in ("read", "failed"))
    return {
        "case": name,
        "building": state is not None and state.running,
        "build": build,
        "reading": reading,
        "read": {"done": done, "total": len(view.cards)},
        "files": files,
        "checklist": [{"kind": k.value, "state": s} for k, s in view.kinds],
        "fields_missing": view.fields_missing,
        "findings": view.findings,
        "config_error": view.config_error,
        "manifest": view.manifest,
    }


def images_zip_bytes(folder: Path) -> bytes:
    """The page images of a build, one zip (stored: JPEGs do not shrink)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as archive:
        for image in sorted(folder.glob("*.jpg")):
            archive.write(image, image.name)
    return buf.getvalue()


def attachment(filename: str) -> str:
    """A Content-Disposition for any file name: an ASCII fallback and the RFC 5987 UTF-8 one.

    Headers are Latin-1 on the wire; a case named 张三 put there raw is a 500.
    """
    fallback = filename.encode("ascii", "replace").decode("ascii").replace("?", "_")
    fallback = fallback.replace('"', "_").replace("\\", "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def qr_svg(url: str) -> str:
    """The --lan URL as an SVG QR code, for the phone to scan from the screen."""
    import segno

    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="svg", scale=4, xmldecl=False, svgns=True)
    return buf.getvalue().decode("utf-8")


def case_lan_url(lan_url: str | None, name: str) -> str | None:
    """The --lan URL that opens this case's page on the phone (same token), or None."""
    if lan_url is None:
        return None
    return lan_url.replace("/?", f"/cases/{quote(name, safe='')}?", 1)
