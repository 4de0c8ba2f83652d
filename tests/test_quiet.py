"""What decoders say about a file becomes one finding for it; the terminal stays quiet.

Issue 23 item 4: one fuzzed TIFF printed 603 lines of Pillow's ``UserWarning:
Tag data larger than file`` and libtiff's ``Read error on strip`` on the
terminal of a build. Here fuzzed and truncated TIFFs are generated, a real
``python -m packager build`` runs on them, and its real stderr is read.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from tests.watchkit import make_case

pytestmark = pytest.mark.slow
# Python's warning lines, libtiff's "<name>: message" and "TIFFReadX: …" lines, tracebacks.
NOISE = re.compile(
    r"Warning\b|warnings\.warn|^\S+\.tiff?: |^TIFF\w*:|^\w+Decode:|Read error|Traceback"
)


def _tiff(rows_per_strip: int = 16) -> bytes:
    """A 300x400 RGB gradient, Deflate-compressed in strips (libtiff decodes it)."""
    im = Image.linear_gradient("L").resize((300, 400)).convert("RGB")
    buffer = io.BytesIO()
    text = {270: "scan " * 20, 305: "scanner app " * 5, 315: "someone " * 6, 33432: "(c) " * 9}
    info = {278: rows_per_strip, **text}
    im.save(buffer, "TIFF", compression="tiff_adobe_deflate", tiffinfo=info)
    return buffer.getvalue()


def _entries(data: bytes) -> tuple[str, list[tuple[int, int, int, int, int]]]:
    """The byte order and the first IFD's entries: (where, tag, type, count, value)."""
    order = "<" if data[:2] == b"II" else ">"
    first = struct.unpack(order + "I", data[4:8])[0]
    count = struct.unpack(order + "H", data[first : first + 2])[0]
    found = []
    for i in range(count):
        at = first + 2 + 12 * i
        tag, kind, n, value = struct.unpack(order + "HHII", data[at : at + 12])
        found.append((at, tag, kind, n, value))
    return order, found


def tags_past_the_end() -> bytes:
    """Text tags said to be longer than the file: Pillow warns once per tag, the image opens."""
    data = bytearray(_tiff())
    order, entries = _entries(bytes(data))
    for at, tag, _, n, _ in entries:
        if n > 4 and tag in (270, 305, 315, 33432):
            data[at + 4 : at + 8] = struct.pack(order + "I", len(data) + 1000)
    return bytes(data)


def strips_cut_off() -> bytes:
    """A download cut short: the second half of the strips lies past the end of the file."""
    data = bytearray(_tiff())
    order, entries = _entries(bytes(data))
    (offsets,) = [e for e in entries if e[1] == 273]
    table = offsets[4]
    for i in range(offsets[3] // 2, offsets[3]):
        data[table + 4 * i : table + 4 * i + 4] = struct.pack(order + "I", len(data) + 64 * i)
    return bytes(data)


def fuzzed(seed: int) -> bytes:
    """Random bytes changed in the IFD and strip tables (as the fuzz run did)."""
    data = bytearray(_tiff())
    _, entries = _entries(bytes(data))
    start = entries[0][0]
    rng = random.Random(seed)  # noqa: S311 - a reproducible fuzz, not a secret
    for _ in range(12):
        data[rng.randrange(start, len(data))] = rng.randrange(256)
    return bytes(data)


SAID = {"DAMAGED_IMAGE", "DECODER_WARNINGS"}
READING = SAID | {"TRUNCATED_FILE", "UNREADABLE_FILE", "UNSUPPORTED_VARIANT", "IMAGE_TOO_LARGE"}


def _build(case: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "packager", "build", str(case), "-o", str(out)],
        capture_output=True,
        text=True,
        env=dict(os.environ, COLUMNS="200"),
        check=False,
    )


def test_decoder_complaints_are_findings_never_terminal_lines(tmp_path: Path) -> None:
    """This test ensures fuzzed and truncated TIFFs print no Python warning and no libtiff
    line to the terminal of a real build; each damaged file that is used has exactly one
    finding about what its decoder said (DAMAGED_IMAGE or DECODER_WARNINGS), naming it."""
    case = make_case(tmp_path / "inbox")
    folder = case / "支出明细"
    files = {"tags.tif": tags_past_the_end(), "cut.tif": strips_cut_off()}
    files.update({f"fuzz{seed}.tif": fuzzed(seed) for seed in range(8)})
    for name, data in files.items():
        (folder / name).write_bytes(data)
    run = _build(case, tmp_path / "out")
    assert run.returncode == 0, run.stderr
    noise = [line for line in run.stderr.splitlines() if NOISE.search(line)]
    assert not noise, "\n".join(noise[:20])
    manifest = json.loads((tmp_path / "out" / "wang" / "manifest.json").read_text("utf-8"))
    status = {s["path"].rsplit("/", 1)[-1]: s["status"] for s in manifest["sources"]}
    about = {
        name: [
            f["code"] for f in manifest["findings"] if (f.get("file") or "").endswith("/" + name)
        ]
        for name in files
    }
    for name, codes in about.items():
        # The refusal (TRUNCATED_FILE, UNREADABLE_FILE …) or one finding of what was said.
        reading = [c for c in codes if c in READING]
        assert len(reading) == 1, (name, codes)
        assert (status[name] == "ok") == (reading[0] in SAID), (name, status[name], codes)
    assert status["tags.tif"] == "ok" and "DECODER_WARNINGS" in about["tags.tif"]
    (finding,) = [
        f
        for f in manifest["findings"]
        if f.get("file") == "支出明细/tags.tif" and f["code"] == "DECODER_WARNINGS"
    ]
    assert "Tag data larger than file" in finding["message"]
