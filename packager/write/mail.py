"""The mail profile: the packet at full resolution, cover sheet and address label in front.

Scans go in byte for byte. With duplex printing each unit (cover, label,
letter, each document) starts on a front side. The file is written to a
scratch file beside the output and hashed as it is written, so its hundreds
of MB are neither held in memory nor read back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import BinaryIO

from packager import __version__
from packager.manifest import mail_name
from packager.messages import words
from packager.models import OutputFile, PacketPlan
from packager.read.casefile import proper_names
from packager.write import render
from packager.write.assemble import assemble_into
from packager.write.cover import cover_context
from packager.write.plan import (
    Blank,
    FrontPage,
    Layout,
    Packet,
    Slot,
    file_id,
    page_units,
    pdf_metadata,
)


class _Hashing:
    """A write-only file that hashes what passes through it to ``out``."""

    def __init__(self, out: BinaryIO) -> None:
        self._out = out
        self._size = 0
        self.digest = hashlib.sha256()

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self._size += len(data)
        return self._out.write(data)

    def tell(self) -> int:
        return self._size

    def flush(self) -> None:
        self._out.flush()


def mail_slots(plan: PacketPlan, front_pages: int, duplex: bool) -> tuple[Slot, ...]:
    """Cover, label, letter, documents; with duplex each starts on a front (odd) side.

    The last front page is the address label; the ones before it the cover sheet.
    """
    units: list[list[Slot]] = []
    if front_pages > 1:
        units.append([FrontPage(i) for i in range(front_pages - 1)])
    if front_pages:
        units.append([FrontPage(front_pages - 1)])
    units.extend(list(unit) for unit in page_units(plan))
    slots: list[Slot] = []
    for unit in units:
        if duplex and len(slots) % 2 == 1:
            slots.append(Blank())
        slots.extend(unit)
    return tuple(slots)


def mail_packet(
    packet: Packet, stamps: bytes, duplex: bool, spool: Callable[[], BinaryIO]
) -> tuple[BinaryIO, OutputFile]:
    """Write the print-ready packet into a scratch file from ``spool``; its manifest record."""
    cover = render.render_pdf(
        "cover.html",
        cover_context(
            packet.case, packet.plan, packet.today, packet.recipient, f"packager {__version__}"
        ),
        packet.script,
        proper_names(packet.case),
    )
    slots = mail_slots(packet.plan, cover.pages, duplex)
    layout = Layout(
        slots=slots,
        front=cover.data,
        front_outline=((words.FRONT_TITLES[0], 0), (words.FRONT_TITLES[1], cover.pages - 1)),
    )
    path = mail_name(packet.file_stem)
    spooled = spool()
    sink = _Hashing(spooled)
    assemble_into(
        packet.plan,
        stamps,
        pdf_metadata(packet, words.MAIL_TITLE),
        packet.titles,
        sink,  # type: ignore[arg-type]
        layout,
        file_id(packet, path),
        dedupe=False,
    )
    spooled.seek(0)
    return spooled, OutputFile(path, "mail", sink.digest.hexdigest(), len(slots), sink.tell())
