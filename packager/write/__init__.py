"""The write side: a ``Prepared`` case in, the files of ``out/<case>/`` out.

plan (letter, page numbers, stamp sheets) -> bundle (upload: ladders, split,
page images; mail: cover, label, duplex) -> report -> publish (atomic). render
is the only door to WeasyPrint; assemble the only writer of packet PDFs.
"""
