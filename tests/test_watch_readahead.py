"""The watcher reads dropped files as its build will, so the build finds every page read.

The child's request handler is driven in this process (``watch.handler.Handler``,
a kept cache and pool, as the running watcher's child keeps them).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from packager.cache.pages import PageCache
from packager.pool import Workers
from packager.watch.handler import Handler
from packager.watch.protocol import Build, BuildReply, Probe, ProbeReply
from packager.watch.readiness import Readiness
from tests.conftest import GOOD_TOML, TODAY, make_pdf
from tests.desk import desk_photo
from tests.watchkit import make_case

TURNED = GOOD_TOML + '\n[[file]]\npath = "疾病证明/诊断.jpg"\nrotate = 90\n'


def _dropped(case: Path) -> tuple[Path, ...]:
    """A desk photo and a PDF, dropped into a built case."""
    photo = case / "支出明细" / "桌上.jpg"
    photo.write_bytes(desk_photo(seed=5).data)
    pdf = case / "收入证明" / "流水.pdf"
    make_pdf(pdf, [(595, 842, 0)])
    return (photo, pdf, case / "疾病证明" / "诊断.jpg")


def test_probe_reads_with_the_builds_settings_so_the_build_reads_nothing(tmp_path: Path) -> None:
    """This test ensures the probe of dropped files (a desk photo, cleaned; a PDF; a photo a
    [[file]] entry turns) stores the very reads the build looks for: the build then has no
    cache miss, and the cleaned photo is in the packet as a scan."""
    case = make_case(tmp_path / "inbox", toml=TURNED)
    out = tmp_path / "out"
    dropped = _dropped(case)
    cache = PageCache(out / ".cache")
    with Workers(2) as workers:
        handler = Handler(cache, workers)
        reply = handler.handle(Probe(dropped, case, "zh", ocr=False, clean=True))
        assert isinstance(reply, ProbeReply)
        assert [v.status for v in reply.results] == [Readiness.READY] * 3
        assert cache.stats.misses == 3
        built = handler.handle(Build(case, out, "zh", TODAY, ocr=False, clean=True))
    assert isinstance(built, BuildReply)
    assert built.cache_misses == 2  # the two photos nobody probed (already in the case)
    assert built.cache_hits == 3
    from tests.watchkit import manifest

    sources = {s["path"]: s for s in manifest(out)["sources"]}
    assert sources["支出明细/桌上.jpg"]["cleaned"] == "flattened"
    assert sources["收入证明/流水.pdf"]["status"] == "ok"


@pytest.mark.parametrize("toml", [GOOD_TOML, "[applicant\nname = "])
def test_probe_tells_a_half_written_photo_with_or_without_a_good_case_file(
    tmp_path: Path, toml: str
) -> None:
    """This test ensures the build's read in the probe still tells a half-written photo (it
    waits) from a whole one, and a wrong case.toml does not stop the probe: files are opened
    (the build then reports the case file)."""
    case = make_case(tmp_path / "inbox", toml=toml)
    data = desk_photo(seed=6).data
    (case / "half.jpg").write_bytes(data[: len(data) // 2])
    paths = (case / "收入证明" / "工资.jpg", case / "half.jpg")
    with Workers(1) as workers:
        handler = Handler(PageCache(tmp_path / "out" / ".cache"), workers)
        reply = handler.handle(Probe(paths, case, "zh", ocr=False, clean=True))
    assert isinstance(reply, ProbeReply)
    assert [v.status for v in reply.results] == [Readiness.READY, Readiness.INCOMPLETE]
