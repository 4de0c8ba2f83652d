"""The packet's scans: which pages are drawn from an image, and swapping re-encoded ones in."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from packager.models import EncodedImage, PacketPlan, PlacedDocument, Section
from packager.write.ladders import Key


@dataclass(frozen=True, slots=True)
class Scan:
    """A packet page drawn from an image, and how to find the image again."""

    key: Key
    image: EncodedImage
    landscape: bool


def image_pages(plan: PacketPlan) -> dict[int, Scan]:
    """Packet page number -> scan, for every page drawn from an image."""
    found: dict[int, Scan] = {}
    for section in plan.sections:
        for placed in section.documents:
            for offset, page in enumerate(placed.pages):
                if isinstance(page.content, EncodedImage):
                    key = (placed.document.source.rel, offset)
                    found[placed.first_page + offset] = Scan(key, page.content, page.landscape)
    return found


def with_images(plan: PacketPlan, images: Mapping[Key, EncodedImage]) -> PacketPlan:
    """The same plan with some scans swapped for re-encoded ones."""
    sections: list[Section] = []
    for section in plan.sections:
        placed_docs: list[PlacedDocument] = []
        for placed in section.documents:
            rel = placed.document.source.rel
            pages = tuple(
                replace(page, content=images[(rel, i)]) if (rel, i) in images else page
                for i, page in enumerate(placed.pages)
            )
            placed_docs.append(replace(placed, pages=pages))
        sections.append(replace(section, documents=tuple(placed_docs)))
    return replace(plan, sections=tuple(sections))
