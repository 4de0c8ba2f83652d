"""What ``packager watch`` was asked to do; read by the loop and the case machine."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from packager.settings import clean_by_default, ocr_by_default


@dataclass(frozen=True, slots=True)
class WatchConfig:
    """Everything ``packager watch`` was asked to do."""

    inbox: Path = Path("inbox")
    out: Path = Path("out")
    polling: bool = False
    once: bool = False
    settle: float = 2.0
    rescan: float = 60.0
    lang: str = "zh"
    # A file that stays unchanged but still does not open is built (and reported) after this.
    give_up: float = 30.0
    max_backoff: float = 30.0
    # On stop, a running build may finish for this long before it is abandoned.
    grace: float = 2.0
    # Build a case while its settle time runs (published only if nothing changed).
    early: bool = True
    # Read every page's text (``packager watch --no-ocr`` or PACKAGER_OCR=0 turn it off).
    ocr: bool = field(default_factory=lambda: ocr_by_default())
    # Make photos into scans (``packager watch --no-clean`` or PACKAGER_CLEAN=0 turn it off).
    clean: bool = field(default_factory=lambda: clean_by_default())
