"""Reading a file a user names (a contract input, a district policy) with its size bounded, in one way.

Whatever the file, the refusals read alike: a folder, a pipe or a device, a missing or unreadable file, one
larger than its limit (checked from its size first, then by reading at most one byte past the limit, since a
size can lie), or text that is not UTF-8. Each is one line naming the file.
"""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any, BinaryIO

from .errors import InputError


def size_text(size: int) -> str:
    """A file size as people say it: 812 bytes, 64 KB, 5.7 MB."""
    if size < 1024 * 1024:
        return f"{size:,} bytes" if size < 10_000 else f"{size / 1024:,.0f} KB"
    return f"{size / (1024 * 1024):,.1f} MB".replace(".0 MB", " MB")


def read_file(path: str | Path, source: str, *, kind: str, limit: int, instead: str = "") -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    ``kind`` names what the file should be ("JSON file", "policy file"); ``instead`` is added to the refusal of
    a pipe or device, to say what to give instead.
    """
    try:
        info = Path(path).stat()
        if stat.S_ISDIR(info.st_mode):
            raise InputError(source, None, f"is a folder, not a {kind}")
        if not stat.S_ISREG(info.st_mode):
            raise InputError(source, None, f"is not a regular file (a pipe, socket or device); give a {kind}{instead}")
        if info.st_size > limit:
            raise InputError(source, None, f"is {size_text(info.st_size)}; a {kind} can be at most {size_text(limit)}")
        with open(path, "rb") as handle:
            return read_stream(handle, source, kind=kind, limit=limit)
    except FileNotFoundError:
        raise InputError(source, None, "no such file") from None
    except IsADirectoryError:
        raise InputError(source, None, f"is a folder, not a {kind}") from None
    except OSError as error:
        raise InputError(source, None, f"cannot be read ({error.strerror})") from error


def read_stream(stream: BinaryIO | Any, source: str, *, kind: str, limit: int) -> bytes:
    """At most ``limit`` bytes of ``stream``: one byte more says the input is too large."""
    data = stream.read(limit + 1)
    if isinstance(data, str):  # a text-only standard input (an embedding program replaced sys.stdin)
        data = data.encode("utf-8", "surrogateescape")
    if len(data) > limit:
        raise InputError(source, None, f"is more than {size_text(limit)}; a {kind} can be at most {size_text(limit)}")
    return data


def decode_text(raw: bytes, source: str) -> str:
    """The text of a file's bytes: UTF-8, with or without the byte-order mark Windows editors write."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(source, None, "is not UTF-8 text") from None
