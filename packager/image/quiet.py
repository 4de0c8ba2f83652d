"""What C decoders and Python's warnings say while a file is read, kept from the terminal.

libtiff, libjpeg and libpng write straight to file descriptor 2, past Python;
Pillow warns through ``warnings``. Either would reach the person's terminal
with no file named. Inside these blocks both are caught, so the reader can
make them one finding for the file they are about.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field

_DECODER_LOCK = threading.RLock()
# At most this much of what decoders said about one file is kept.
_SAID_LIMIT = 1 << 16


@contextlib.contextmanager
def quiet_decoders() -> Iterator[list[str]]:
    """Catch what C decoders (libtiff, libjpeg, libpng) write to stderr while we decode.

    They write straight to file descriptor 2, past Python: a user would see
    ``TIFFFillStrip: Read error on strip 0`` on the terminal with no file
    named. Inside this block descriptor 2 is a temporary file; the lines come
    back in the yielded list once the block ends, for a finding.
    """
    said: list[str] = []
    with _DECODER_LOCK, tempfile.TemporaryFile() as sink:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(sink.fileno(), 2)
        try:
            yield said
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            text = sink.read(_SAID_LIMIT).decode("utf-8", "replace")
            said.extend(line for line in text.splitlines() if line.strip())


@dataclass(slots=True)
class Heard:
    """What was said while one file was read: C decoders' lines and Python warnings."""

    decoders: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@contextlib.contextmanager
def heard() -> Iterator[Heard]:
    """``quiet_decoders`` plus Python's warnings about the file, recorded instead of shown.

    Pillow warns ``Tag data larger than file`` once per tag of a fuzzed TIFF
    (603 lines for one file), ``Corrupt EXIF data``, ``DecompressionBombWarning``;
    shown, they would reach the terminal with no file named. The caller makes
    them one finding for the file. Inside the decoder lock, so threads reading
    other files do not swap the process's warning filters under each other.
    """
    result = Heard()
    said: list[str] = []
    caught: list[warnings.WarningMessage] = []
    try:
        with quiet_decoders() as said, warnings.catch_warnings(record=True) as recorded:
            warnings.simplefilter("always")
            caught = recorded
            yield result
    finally:  # quiet_decoders fills ``said`` as it ends
        result.decoders.extend(said)
        result.warnings.extend(dict.fromkeys(f"{w.category.__name__}: {w.message}" for w in caught))
