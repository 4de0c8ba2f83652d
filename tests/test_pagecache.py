"""The page cache: same pages as a fresh normalize, owner-only, corruption never used."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import pytest

from packager import api
from packager.cache.pages import PageCache
from packager.errors import InputError
from packager.models import EncodedImage
from packager.read.intake import intake
from packager.read.normalize import normalize
from packager.read.pages import ReadJob, read
from packager.sources import image_bytes
from tests.conftest import TODAY, make_pdf, marker_image
from tests.samples import encrypted_pdf
from tests.watchkit import make_case, photo


def _sources(folder: Path):
    return {f.rel: f for f in intake(folder).files}


def test_cache_serves_the_same_pages(tmp_path: Path) -> None:
    """This test ensures a cached read equals a fresh one (pages, warnings and quality
    inspections, thumbnails included), for JPEG and PNG."""
    folder = tmp_path / "case"
    photo(folder / "a.jpg", 1)
    marker_image((300, 400)).convert("RGBA").save(folder / "b.png")
    cache = PageCache(tmp_path / "cache")
    for source in _sources(folder).values():
        fresh = read(ReadJob(source))
        assert fresh.inspections and all(fresh.inspections)
        for served in (cache.read(ReadJob(source)), cache.read(ReadJob(source))):
            assert served.pages == fresh.pages
            assert served.warnings == fresh.warnings
            assert served.inspections == fresh.inspections
    assert (cache.stats.hits, cache.stats.misses) == (2, 2)


def test_cache_is_owner_only_and_holds_no_photo_copies(tmp_path: Path) -> None:
    """This test ensures the cache folder is 0700, entries 0600, and JPEG bytes are not copied."""
    folder = tmp_path / "case"
    photo(folder / "a.jpg", 1)
    cache = PageCache(tmp_path / "out" / ".cache")
    source = _sources(folder)["a.jpg"]
    cache.read(ReadJob(source))
    entry = cache.entry_path(source)
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "out" / ".cache").stat().st_mode) == 0o700
    assert entry.stat().st_size < source.size  # metadata and a small preview only
    assert source.path.read_bytes()[:2000] not in entry.read_bytes()


@pytest.mark.parametrize("where", ["header", "data", "digest", "truncated"])
def test_corrupt_cache_entry_is_detected_and_rebuilt(tmp_path: Path, where: str) -> None:
    """This test ensures a damaged entry is never used: it is dropped and written afresh."""
    folder = tmp_path / "case"
    folder.mkdir()
    marker_image((300, 400)).save(folder / "scan.png")
    source = _sources(folder)["scan.png"]
    cache = PageCache(tmp_path / "cache")
    good = cache.read(ReadJob(source))
    entry = cache.entry_path(source)
    blob = bytearray(entry.read_bytes())
    if where == "truncated":
        del blob[len(blob) // 2 :]
    else:
        index = {"header": 30, "data": len(blob) // 2, "digest": len(blob) - 3}[where]
        blob[index] ^= 0xFF
    entry.write_bytes(bytes(blob))
    fresh = PageCache(tmp_path / "cache")
    assert fresh.read(ReadJob(source)) == good
    assert (fresh.stats.rejected, fresh.stats.misses, fresh.stats.hits) == (1, 1, 0)
    assert PageCache(tmp_path / "cache").read(ReadJob(source)) == good


def test_pdf_reads_are_cached_with_their_password_outside_the_entry(tmp_path: Path) -> None:
    """This test ensures a PDF's read (pages by reference, /Rotate sizes) is served from the
    cache as read; an encrypted PDF's entry holds no password and is found only with it."""
    folder = tmp_path / "case"
    folder.mkdir()
    make_pdf(folder / "a.pdf", [(595, 842, 0), (842, 595, 90)])
    secret = "s3cret-pw"  # noqa: S105 - a test file's password
    (folder / "locked.pdf").write_bytes(encrypted_pdf(secret))
    sources = _sources(folder)
    cache = PageCache(tmp_path / "cache")
    fresh = read(ReadJob(sources["a.pdf"]))
    assert len(fresh.pages) == 2
    assert cache.read(ReadJob(sources["a.pdf"])) == fresh
    assert PageCache(tmp_path / "cache").read(ReadJob(sources["a.pdf"])) == fresh
    locked = ReadJob(sources["locked.pdf"], password=secret)
    opened = cache.read(locked)
    assert opened.refused is None and opened.pages
    entry = cache.entry_path(sources["locked.pdf"], password=secret)
    assert secret.encode() not in entry.read_bytes()
    again = PageCache(tmp_path / "cache")
    assert again.read(locked) == opened
    assert again.get(sources["locked.pdf"]) is None  # without the password: not this entry
    assert (again.stats.hits, again.stats.misses) == (1, 0)


def test_reread_serves_nothing_and_stores_fresh_reads(tmp_path: Path) -> None:
    """This test ensures ``reread`` (``--reread``) reads every source again and keeps the
    fresh read, which a normal cache then serves."""
    folder = tmp_path / "case"
    photo(folder / "a.jpg", 1)
    source = _sources(folder)["a.jpg"]
    PageCache(tmp_path / "cache").read(ReadJob(source))
    forced = PageCache(tmp_path / "cache", reread=True)
    forced.read(ReadJob(source))
    assert (forced.stats.hits, forced.stats.misses) == (0, 1)
    normal = PageCache(tmp_path / "cache")
    normal.read(ReadJob(source))
    assert (normal.stats.hits, normal.stats.misses) == (1, 0)


def test_cache_rereads_a_changed_photo(tmp_path: Path) -> None:
    """This test ensures a photo replaced after hashing never reaches the packet via the cache."""
    folder = tmp_path / "case"
    photo(folder / "a.jpg", 1)
    source = _sources(folder)["a.jpg"]
    cache = PageCache(tmp_path / "cache")
    cache.read(ReadJob(source))
    photo(folder / "a.jpg", 2)  # same path, new content, old SourceFile
    page = cache.read(ReadJob(source)).pages[0].content
    assert isinstance(page, EncodedImage)
    # The page is lazy: its bytes are read while the packet is written and
    # must still hash to what intake saw, so the new photo is refused there.
    with pytest.raises(InputError):
        image_bytes(page)


def test_build_with_cache_matches_build_without(tmp_path: Path) -> None:
    """This test ensures the watcher's cached build publishes the same pages as a plain build."""
    case = make_case(tmp_path / "inbox")
    marker_image((500, 700)).convert("RGBA").save(case / "支出明细" / "收据.png")
    plain = api.build_case(case, tmp_path / "a", api.Settings(today=TODAY))
    cache = PageCache(tmp_path / "b" / ".cache")
    cached = api.build_case(case, tmp_path / "b", api.Settings(today=TODAY, cache=cache))
    again = api.build_case(case, tmp_path / "b", api.Settings(today=TODAY, cache=cache))
    assert plain.manifest["sources"] == cached.manifest["sources"] == again.manifest["sources"]
    assert plain.outputs[0].pages == again.outputs[0].pages
    assert cache.stats.hits == 4 and cache.stats.misses == 4
    assert (
        again.manifest["case_file_sha256"]
        == hashlib.sha256((case / "case.toml").read_bytes()).hexdigest()
    )


def test_ladder_cache_round_trip_and_corruption(tmp_path: Path) -> None:
    """This test ensures re-encoded photos come back identical from the cache, and a damaged
    ladder entry is dropped rather than used."""
    from packager.image.reencode import QUALITIES, ShrinkJob, shrink

    folder = tmp_path / "case"
    photo(folder / "a.jpg", 1)
    source = _sources(folder)["a.jpg"]
    image = normalize(source).pages[0].content
    assert isinstance(image, EncodedImage)
    job = ShrinkJob(image, (200, 260), QUALITIES)
    cache = PageCache(tmp_path / "cache")
    assert cache.ladder(job) is None
    ladder = shrink(job)
    cache.store_ladder(job, ladder)
    assert cache.ladder(job) == ladder
    assert cache.ladder(ShrinkJob(image, (200, 260), QUALITIES, gray=True)) is None
    path = cache.ladder_path(job)
    assert path is not None
    blob = bytearray(path.read_bytes())
    blob[len(blob) // 2] ^= 0xFF
    path.write_bytes(bytes(blob))
    assert cache.ladder(job) is None
    assert not path.exists()


def test_fingerprint_follows_every_module_that_shapes_an_entry() -> None:
    """This test ensures the cache's code fingerprint covers every module reading and the ladder
    import, found by following imports rather than from a list that can go stale (issue 10:
    compress.py, the ladder, was missing and a changed ladder kept serving old entries)."""
    from packager.cache.pages import entry_modules

    modules = entry_modules()
    for needed in (
        "packager.image.reencode",
        "packager.sources",
        "packager.read.normalize",
        "packager.read.quality",
        "packager.read.pages",
        "packager.geometry",
        "packager.models",
    ):
        assert needed in modules
    assert not any(m.startswith(("packager.write", "packager.watch")) for m in modules)
