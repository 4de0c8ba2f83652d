"""A scan as a PDF image XObject whose bytes are read only while the file is written.

A case of many 4 MB photos is never held in memory: each image stream names
its source and reads (or re-encodes) it at the moment pypdf writes it, and
checks it is still the file intake hashed (``sources.image_bytes``).
"""

from __future__ import annotations

from typing import Any

from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    StreamObject,
)

from packager.models import EncodedImage
from packager.sources import image_bytes


class LazyImageStream(StreamObject):
    """An image XObject whose bytes are read (or re-encoded) only while the PDF is written.

    The writer streams objects to the file one by one, so with lazy images at
    most one image's bytes are in memory however many pages the packet has.
    """

    def __init__(self, image: EncodedImage) -> None:
        super().__init__()
        self.image = image

    def get_data(self) -> bytes:
        """The image bytes, read now and not kept."""
        return image_bytes(self.image)

    def set_data(self, data: bytes) -> None:
        """Refused: the bytes belong to the source file."""
        raise NotImplementedError("lazy image streams are read-only")

    def hash_bin(self) -> int:
        """Identity for pypdf's change tracking, without reading the image."""
        return hash((DictionaryObject.hash_bin(self), self._key()))

    def hash_value_data(self) -> bytes:
        """Identity for ``compress_identical_objects``, without reading the image."""
        return DictionaryObject.hash_value_data(self) + self._key()

    def _key(self) -> bytes:
        image = self.image
        return f"{image.source}|{image.frame}|{image.sha256}".encode("utf-8", "surrogateescape")

    def write_to_stream(self, stream: Any, encryption_key: Any = None) -> None:
        """Write the stream object, its bytes read (or encoded) just now."""
        data = image_bytes(self.image)
        self[NameObject("/Length")] = NumberObject(len(data))
        DictionaryObject.write_to_stream(self, stream)
        del self["/Length"]
        stream.write(b"\nstream\n")
        stream.write(data)
        stream.write(b"\nendstream")


def image_xobject(image: EncodedImage) -> StreamObject:
    """The image XObject that draws ``image``: lazy for a case file, in place for made bytes."""
    stream: StreamObject
    if image.source is not None:
        stream = LazyImageStream(image)
    else:
        stream = StreamObject()
        stream.set_data(image.data)
    stream.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(image.width),
            NameObject("/Height"): NumberObject(image.height),
            NameObject("/ColorSpace"): NameObject(image.colorspace),
            NameObject("/BitsPerComponent"): NumberObject(image.bits),
            NameObject("/Filter"): NameObject(image.filter),
        }
    )
    if image.decode:
        stream[NameObject("/Decode")] = ArrayObject(FloatObject(v) for v in image.decode)
    return stream
