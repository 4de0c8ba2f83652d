"""The messages between the watcher and its build process (``child``).

Requests and replies are frozen dataclasses, pickled over the pipe between
our own two processes: both run this very code, so there is nothing to
version. The watcher sends one request at a time and waits for its reply.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from packager.models import Outcome, Severity
from packager.watch.readiness import Verdict

# Errors and warnings a status line names (the report has them all).
NOTABLE = 3

# -- requests --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Probe:
    """Open these files of ``case_dir`` the way its build will, reading them into the cache.

    Without ``case_dir`` (or when its case.toml is wrong) the files are only
    decoded (``readiness.probe``).
    """

    paths: tuple[Path, ...]
    case_dir: Path | None = None
    lang: str = "zh"
    ocr: bool = False
    clean: bool = False


@dataclass(frozen=True, slots=True)
class CaseJob:
    """What building one case needs; the base of ``Build`` and ``Stage``."""

    case_dir: Path
    out: Path
    lang: str
    today: date
    ocr: bool = True
    clean: bool = True


@dataclass(frozen=True, slots=True)
class Build(CaseJob):
    """Build the case and publish it into ``out``."""


@dataclass(frozen=True, slots=True)
class Stage(CaseJob):
    """Build the case and keep it unpublished until ``Commit`` (one case at a time)."""


@dataclass(frozen=True, slots=True)
class Commit:
    """Publish the staged bundle, if it is this case's and was built for this day."""

    case_dir: Path
    today: date


@dataclass(frozen=True, slots=True)
class Quit:
    """End the child."""


Request = Probe | Build | Stage | Commit | Quit

# -- replies ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProbeReply:
    """One verdict per probed path, in order."""

    results: tuple[Verdict, ...]


@dataclass(frozen=True, slots=True)
class BuildReply:
    """A published bundle; its fields are the ``built`` event's keys, in this order."""

    complete: bool
    pages: int
    seconds: float
    findings: Mapping[str, int]  # severity -> count
    out_dir: str | None
    cache_hits: int
    cache_misses: int
    early: bool = False  # published by Commit: it was built while the case settled
    # The first errors and warnings, (severity, code, file), so the status line can name them.
    notable: tuple[tuple[str, str, str | None], ...] = ()

    @classmethod
    def of(cls, outcome: Outcome, seconds: float, hits: int, misses: int) -> BuildReply:
        """The reply for a build's outcome: counts, and the first errors and warnings by name."""
        notable = sorted(
            (f for f in outcome.findings if f.severity is not Severity.INFO),
            key=lambda f: f.severity is not Severity.ERROR,
        )[:NOTABLE]
        return cls(
            complete=outcome.complete,
            pages=sum(
                o.pages
                for o in outcome.outputs
                if o.profile == "upload" and o.path.endswith(".pdf")
            ),
            seconds=seconds,
            findings={
                s.value: sum(1 for f in outcome.findings if f.severity is s) for s in Severity
            },
            out_dir=str(outcome.out_dir) if outcome.out_dir is not None else None,
            cache_hits=hits,
            cache_misses=misses,
            notable=tuple((f.severity.value, f.code, f.file) for f in notable),
        )

    def event_data(self) -> dict[str, Any]:
        """The ``built`` event's details (``early`` only when true, as scripts know it)."""
        data: dict[str, Any] = {
            "complete": self.complete,
            "pages": self.pages,
            "seconds": self.seconds,
            "findings": dict(self.findings),
            "out_dir": self.out_dir,
            "cache_hits": self.cache_hits,
            "cache_misses": self.cache_misses,
        }
        if self.early:
            data["early"] = True
        if self.notable:
            data["notable"] = [
                {"severity": s, "code": code, "file": file} for s, code, file in self.notable
            ]
        return data


@dataclass(frozen=True, slots=True)
class StagedReply:
    """``Stage`` built the case; it waits for ``Commit``."""


@dataclass(frozen=True, slots=True)
class NotStaged:
    """``Commit`` found nothing (any more) to publish: build afresh."""


@dataclass(frozen=True, slots=True)
class Failure:
    """The request failed; ``exit_code`` is the one ``packager build`` would exit with."""

    exit_code: int
    error: str


Reply = ProbeReply | BuildReply | StagedReply | NotStaged | Failure
