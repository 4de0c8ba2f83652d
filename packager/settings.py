"""The choices one run is made with, decided at the edge (CLI flags, the watcher).

Stages receive these as a value; none reads them from anywhere global.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from packager.cache.pages import PageCache
from packager.pool import Workers
from packager.read.checks import UPLOAD
from packager.read.eligibility import Guide

Progress = Callable[[int, int, str], None]
"""Called with (files read, files in all, the file now read) while a case is read."""


def ocr_by_default() -> bool:
    """Pages are read unless ``PACKAGER_OCR=0`` (a slow machine; the test suite)."""
    return os.environ.get("PACKAGER_OCR", "1") != "0"


def clean_by_default() -> bool:
    """Photos are made into scans unless ``PACKAGER_CLEAN=0`` (the test suite)."""
    return os.environ.get("PACKAGER_CLEAN", "1") != "0"


@dataclass(frozen=True, slots=True)
class Settings:
    """Per-run choices made at the edge (CLI flags, watcher options)."""

    lang: str = "zh"
    today: date = field(default_factory=date.today)
    progress: Progress | None = None
    profiles: tuple[str, ...] = (UPLOAD,)
    guide: Guide = field(default_factory=Guide)
    # Normalized pages by content hash (the watcher's); None normalizes every source afresh.
    cache: PageCache | None = None
    max_mb: float | None = None  # overrides case.toml [output] upload_max_mb
    gray: bool = False
    duplex: bool = False
    jobs: int | None = None  # worker processes of a pool of the build's own; None: one per CPU
    # A pool owned by the caller and reused across builds; None: each build makes its own.
    workers: Workers | None = None
    # Read every page's text (offline OCR): sorts unsorted files and turns pages upright.
    ocr: bool = field(default_factory=lambda: ocr_by_default())
    # Make photos of a sheet on a desk into scans (``--no-clean`` keeps them as taken).
    clean: bool = field(default_factory=lambda: clean_by_default())
    # Where cleaned pages are kept (OUT/.cache/clean), set by the build; None: not cleaned.
    clean_store: Path | None = None
    # A first guess at the letter's pages (the last build's Outcome.letter_pages); None: 2.
    letter_pages: int | None = None
