"""PDF names made valid in a source PDF's bytes, before anything parses them.

A name may hold any byte but NUL: ``#00`` is forbidden even escaped
(ISO 32000-2, 7.3.5), and a ``#`` must be followed by two hex digits. qpdf
reads ``/F#001`` as a broken token (the font or colour space it names is lost,
and its repair invents ``/QPDFFake`` keys); pypdf keeps the NUL and writes it
back, and the packet then fails ``qpdf --check`` ("null character not allowed
in name token"). So such names are rewritten first, the same way wherever they
appear (a resource's key and the content that uses it stay paired):
``#00`` becomes ``_00`` and a stray ``#`` becomes ``_``: the same length, so
in a whole file every byte offset stays right (the xref with it), and the
same in a file's dictionaries as in its (decoded) content.

The scan is a small tokeniser: it steps over strings, comments, stream data
and inline images, so only name tokens change. Names inside compressed
object streams are not reached in the file; qpdf reads those.
"""

from __future__ import annotations

import re

WHITE = b"\x00\t\n\x0c\r "
DELIMITERS = b"()<>[]{}/%"
_NAME_END = frozenset(WHITE + DELIMITERS)
_HEX = frozenset(b"0123456789abcdefABCDEF")
_STREAM = re.compile(rb"stream\r?\n")
_ENDSTREAM = re.compile(rb"endstream")
_INLINE_END = re.compile(rb"[\x00\t\n\x0c\r ]EI(?=[\x00\t\n\x0c\r /]|$)")
_NAME_CHARS = rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]"
# A name with #00, or with a # not followed by two hex digits (C speed, before the scan).
_SUSPECT = re.compile(rb"/" + _NAME_CHARS + rb"*#(?:00|(?![0-9A-Fa-f]{2}))")
# Where the scan must look: strings, comments, hex strings, names, streams, inline images.
_NEXT = {True: re.compile(rb"[(%</s]"), False: re.compile(rb"[(%</I]")}


def needs_fixing(data: bytes) -> bool:
    """A cheap look: could ``data`` hold an invalid name?"""
    return _SUSPECT.search(data) is not None


def _fixed_name(name: bytes) -> bytes:
    out = bytearray()
    i = 0
    while i < len(name):
        c = name[i]
        if c != 0x23:  # '#'
            out.append(c)
            i += 1
            continue
        pair = name[i + 1 : i + 3]
        if len(pair) == 2 and pair[0] in _HEX and pair[1] in _HEX:
            out += b"_00" if pair == b"00" else name[i : i + 3]
            i += 3
        else:
            out += b"_"
            i += 1
    return bytes(out)


def _string_end(data: bytes, i: int) -> int:
    """The index after the literal string starting at ``data[i] == '('``."""
    depth, n = 0, len(data)
    while i < n:
        c = data[i]
        if c == 0x5C:  # backslash escapes the next byte
            i += 2
            continue
        if c == 0x28:
            depth += 1
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return n


def fix_names(data: bytes, whole_file: bool) -> bytes:
    """``data`` with every invalid name rewritten; the same object when none needed it.

    ``whole_file``: a PDF file (stream data is skipped); otherwise a decoded
    content stream (inline image data is skipped).
    """
    if not needs_fixing(data):
        return data
    out = bytearray()
    i, start, n, changed = 0, 0, len(data), False
    step = _NEXT[whole_file]
    while i < n:
        found = step.search(data, i)
        if found is None:
            break
        i = found.start()
        c = data[i]
        if c == 0x28:  # (
            i = _string_end(data, i)
        elif c == 0x25:  # % comment, to the end of the line
            while i < n and data[i] not in b"\r\n":
                i += 1
        elif c == 0x3C:  # a dictionary's << or a <hex string>
            if data[i + 1 : i + 2] == b"<":
                i += 2
            else:
                end = data.find(b">", i)
                i = n if end < 0 else end + 1
        elif c == 0x2F:  # a name
            j = i + 1
            while j < n and data[j] not in _NAME_END:
                j += 1
            name = data[i:j]
            if b"#" in name:
                fixed = _fixed_name(name)
                if fixed != name:
                    out += data[start:i] + fixed
                    start, changed = j, True
            i = j
        elif whole_file and c == 0x73 and (m := _STREAM.match(data, i)) and _after_white(data, i):
            stop = _ENDSTREAM.search(data, m.end())
            i = n if stop is None else stop.end()
        elif not whole_file and c == 0x49 and data[i : i + 2] == b"ID" and _token(data, i, 2):
            stop = _INLINE_END.search(data, i + 3)
            i = n if stop is None else stop.end()
        else:
            i += 1
    if not changed:
        return data
    return bytes(out + data[start:])


def _after_white(data: bytes, i: int) -> bool:
    return i == 0 or data[i - 1] in WHITE or data[i - 1] == 0x3E


def _token(data: bytes, i: int, length: int) -> bool:
    """``data[i:i+length]`` is a whole token (white space or a delimiter on both sides)."""
    before = i == 0 or data[i - 1] in WHITE
    after = i + length >= len(data) or data[i + length] in WHITE
    return before and after
