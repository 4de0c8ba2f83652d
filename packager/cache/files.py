"""Writing a file so that a reader sees either the old one or the whole new one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place."""
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        Path(tmp).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise


def prune_oldest(folder: Path, suffixes: tuple[str, ...], max_bytes: int) -> int:
    """Delete the least recently used files ending in ``suffixes`` beyond ``max_bytes``.

    Returns how many were deleted; a folder that cannot be listed is left alone.
    """
    try:
        entries = [
            (e.stat().st_mtime_ns, e.stat().st_size, e.path)
            for e in os.scandir(folder)
            if e.name.endswith(suffixes) and e.is_file(follow_symlinks=False)
        ]
    except OSError:
        return 0
    total = sum(size for _, size, _ in entries)
    removed = 0
    for _, size, name in sorted(entries):
        if total <= max_bytes:
            break
        with contextlib.suppress(OSError):
            Path(name).unlink()
            removed += 1
        total -= size
    return removed
