"""A minimal, reproducible zip writer whose unchanging entries are compressed once per process.

A Word file is a zip; most of its bytes (styles, theme, numbering) are the same in every contract.
:class:`Entry` holds an entry already deflated, so a document costs only the deflation of its own parts.
Every entry gets the same fixed timestamp, so identical inputs give identical bytes.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

_DOS_TIME = 0  # 00:00:00
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
_VERSION = 20
_DEFLATED = 8


@dataclass(frozen=True)
class Entry:
    name: str
    data: bytes  # deflated (raw, no zlib header)
    crc: int
    size: int

    @classmethod
    def deflate(cls, name: str, content: bytes, level: int = 6) -> Entry:
        compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
        data = compressor.compress(content) + compressor.flush()
        return cls(name, data, zlib.crc32(content), len(content))


def build_zip(entries: Iterable[Entry]) -> bytes:
    """The archive: local headers and data, then the central directory."""
    out = bytearray()
    central = bytearray()
    count = 0
    for entry in entries:
        name = entry.name.encode("utf-8")
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, _VERSION, 0x0800, _DEFLATED, _DOS_TIME, _DOS_DATE,
                           entry.crc, len(entry.data), entry.size, len(name), 0)
        out += name + entry.data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, (3 << 8) | _VERSION, _VERSION, 0x0800, _DEFLATED,
                               _DOS_TIME, _DOS_DATE, entry.crc, len(entry.data), entry.size, len(name), 0, 0, 0, 0,
                               0o100644 << 16, offset)
        central += name
        count += 1
    start = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), start, 0)
    return bytes(out)
