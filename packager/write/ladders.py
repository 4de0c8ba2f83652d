"""Every photo's quality ladder for one build, wherever it comes from.

A ladder is one photo re-encoded at 150 ppi for each JPEG quality rung
(``reencode``). For a build they come, in this order, from the decode that
reading already did (``Prepared.premade``), from the page cache (the
watcher's: a rebuild re-encodes only the new photos), or from the pool,
started as soon as the documents are known so the letter renders meanwhile.
"""

from __future__ import annotations

from collections.abc import Sequence

from packager.cache.pages import PageCache
from packager.image.reencode import (
    QUALITIES,
    TARGET_PPI,
    Ladder,
    Premade,
    ShrinkJob,
    ladder_key,
    shrink,
    shrinkable,
    target_size,
)
from packager.models import Document, EncodedImage, SourcePage
from packager.pool import Batch, Workers
from packager.sources import encoded_size

Key = tuple[str, int]
"""A scan: (source rel path, page index in the document)."""

# Letter, fonts and overlays before anything is rendered: deciding early whether
# photos must shrink lets the pool start while the letter renders.
FIXED_ESTIMATE = 1_000_000


def will_shrink(
    documents: Sequence[tuple[Document, tuple[SourcePage, ...]]], cap: int, gray: bool
) -> bool:
    """True unless the originals plus the letter's fonts clearly fit under the cap."""
    if gray:
        return True
    total = FIXED_ESTIMATE
    for doc, pages in documents:
        images = [p.content for p in pages if isinstance(p.content, EncodedImage)]
        total += sum(encoded_size(i) for i in images) if images else doc.source.size
    return total > cap


class Ladders:
    """The build's ladders, keyed by scan; made at most once, in the pool."""

    def __init__(
        self,
        documents: Sequence[tuple[Document, tuple[SourcePage, ...]]],
        gray: bool,
        premade: Premade,
        cache: PageCache | None,
        workers: Workers,
    ) -> None:
        self._documents = documents
        self._gray = gray
        self._premade = premade
        self._cache = cache
        self._workers = workers
        self._cached: dict[Key, Ladder] = {}
        # Premade ladders ``enough`` cut short at their share of the cap.
        self._short: list[tuple[Key, ShrinkJob]] = []
        self._keys: list[Key] = []
        self._jobs: list[ShrinkJob] = []
        self._batch: Batch[Ladder] | None = None
        self._ladders: dict[Key, Ladder] | None = None

    @property
    def started(self) -> bool:
        """True once re-encoding was asked for (the originals will not do)."""
        return self._batch is not None

    def start(self) -> Batch[Ladder]:
        """Submit every photo no premade or cached ladder covers to the pool."""
        for doc, pages in self._documents:
            for offset, page in enumerate(pages):
                image = page.content
                if isinstance(image, EncodedImage) and shrinkable(image):
                    key = (doc.source.rel, offset)
                    size = target_size(image, page.landscape, TARGET_PPI)
                    job = ShrinkJob(image, size, QUALITIES, self._gray)
                    cached = self._premade.get(job)
                    if cached is not None and ladder_key(job) in self._premade.short:
                        self._short.append((key, job))
                    if cached is None and self._cache is not None:
                        cached = self._cache.ladder(job)
                    if cached is not None:
                        self._cached[key] = cached
                        continue
                    self._keys.append(key)
                    self._jobs.append(job)
        self._batch = self._workers.submit(shrink, self._jobs)
        return self._batch

    def _all(self) -> dict[Key, Ladder]:
        if self._ladders is None:
            batch = self._batch if self._batch is not None else self.start()
            fresh = batch.results()
            if self._cache is not None:
                for job, ladder in zip(self._jobs, fresh, strict=True):
                    self._cache.store_ladder(job, ladder)
            self._ladders = {**self._cached, **dict(zip(self._keys, fresh, strict=True))}
        return self._ladders

    def at(self, level: int) -> dict[Key, EncodedImage]:
        """Re-encoded images at rung ``level`` (1-based; 0: none); originals are left out."""
        if not level:
            return {}
        chosen: dict[Key, EncodedImage] = {}
        for key, ladder in self._all().items():
            image = ladder[level - 1]
            if image is not None:
                chosen[key] = image
        return chosen

    def complete(self) -> bool:
        """Re-encode down to the floor the photos whose ladder stopped at their share.

        Needed only when the packet does not fit even at the floor, before
        splitting it; returns False when there was nothing to complete.
        """
        if not self._short:
            return False
        ladders = self._all()
        jobs = [job for _, job in self._short]
        for (key, _), ladder in zip(self._short, self._workers.map(shrink, jobs), strict=True):
            ladders[key] = ladder
        self._short = []
        return True

    def cancel(self) -> None:
        """Drop this build's queued re-encodings (the pool itself stays up)."""
        if self._batch is not None:
            self._batch.cancel()
