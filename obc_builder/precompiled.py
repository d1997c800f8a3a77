"""The library's clause bodies compiled once per installation, not once per process.

Compiling a family's clauses (Jinja's parser and code generator, then Python's compiler) is most of what a fresh
process spends on them. Like Python's ``__pycache__`` and Jinja's bytecode caches, the compiled code is kept in a
file, ``~/.cache/obc-builder/<family>-<digest>.bin`` (``$XDG_CACHE_HOME`` where set; ``OBC_BUILDER_CACHE`` names
another folder, or, empty, turns the cache off). The digest covers every input of the compiled code: the clause
files' names and bytes, the Python bytecode and Jinja versions, and the environment's options, filters and globals;
any change makes another file. A file that cannot be read or written is passed over: the clauses are then compiled
as before. Only the library's own clauses are kept; a district's are compiled (and checked) afresh each time.

The same file keeps what else reading the clauses takes (their front matter as yaml reads it, their ``when:``
conditions compiled), and ``<family>.family-<digest>.bin`` the family's ``_family.yaml`` as read: each entry is found
by the digest of its kind and the text it was made from, so it cannot outlive that text.
"""

from __future__ import annotations

import hashlib
import importlib.util
import marshal
import os
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .version import __version__

Compiled = tuple[Any, tuple[str, ...] | None]
"""A clause body's code object and the clause ids its ``ref()`` calls name (see ``library.build_clause``)."""


def cache_dir() -> Path | None:
    configured = os.environ.get("OBC_BUILDER_CACHE")
    if configured is not None:
        return Path(configured) if configured.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "obc-builder"


class CompiledBodies:
    """The compiled bodies of one family's clauses (and what else is kept with them, see above): read when the family
    loads, written once if any was missing. ``env``: the Jinja environment the code is compiled for (``None``: the
    file keeps no code)."""

    def __init__(self, family: str, files: list[Path], env: Any = None) -> None:
        folder = cache_dir()
        digest = hashlib.sha256()
        environment = _environment_key(env) if env is not None else ""
        for part in (importlib.util.MAGIC_NUMBER, __version__.encode(), environment.encode()):
            digest.update(part + b"\0")
        for path in files:
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        self.folder, self.family = folder, family
        self.path = folder / f"{family}-{digest.hexdigest()[:32]}.bin" if folder else None
        self.codes: dict[str, Compiled] = self._read()
        self.added = False

    def _read(self) -> dict[str, Compiled]:
        if self.path is None:
            return {}
        try:
            with open(self.path, "rb") as stream:
                codes = marshal.load(stream)
        except (OSError, EOFError, ValueError, TypeError):
            return {}
        return codes if isinstance(codes, dict) else {}

    def get(self, text: str, kind: str = "body") -> Any:
        """What was kept for ``text`` (a clause body's ``Compiled``, or another ``kind`` of entry), or ``None``."""
        return self.codes.get(_key(text, kind))

    def add(self, text: str, value: Any, kind: str = "body") -> None:
        try:
            marshal.dumps(value)
        except ValueError:  # e.g. a date in front matter: read from its file each time
            return
        self.codes[_key(text, kind)] = value
        self.added = True

    def save(self) -> None:
        """Write the file (replacing the family's files of other digests) when a body had to be compiled."""
        if not self.added or self.path is None or self.folder is None:
            return
        try:
            data = marshal.dumps(self.codes)
        except ValueError:
            return
        if write_kept(self.path, data):
            remove_quietly(stale for stale in self.folder.glob(f"{self.family}-*.bin") if stale != self.path)


_TEMPORARY = ".obc-builder-"
"""How the name of a cache file being written starts, so that a sweep takes no other program's file (the cache may be
a folder of the user's choosing: ``OBC_BUILDER_CACHE``)."""

ABANDONED = 3600
"""Seconds after which a cache folder's temporary file is taken for one a process was killed while writing: writing
one takes milliseconds, so no process is still writing it."""


def write_kept(path: Path, data: bytes) -> bool:
    """Write a file of the cache whole or not at all (a temporary file beside it, then renamed over it); ``False``
    where it cannot be written (a read-only home, a full disk: the next process makes it again). A written file also
    sweeps out the folder's abandoned temporary files (:data:`ABANDONED`)."""
    temporary = None
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f"{_TEMPORARY}{path.stem}-", suffix=".part", dir=path.parent)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except OSError:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        return False
    remove_quietly(_abandoned(path.parent))
    return True


def _abandoned(folder: Path) -> list[Path]:
    """The folder's temporary files older than :data:`ABANDONED`, left by processes killed while writing them."""
    before = time.time() - ABANDONED
    found = []
    for part in folder.glob(f"{_TEMPORARY}*.part"):
        try:
            if part.stat().st_mtime < before:
                found.append(part)
        except OSError:  # removed meanwhile by the process that wrote it, or by another sweep
            continue
    return found


def remove_quietly(paths: Iterable[Path]) -> None:
    """Remove files of the cache another process may be removing too (or reading: it then makes its own)."""
    try:
        for path in paths:
            path.unlink(missing_ok=True)
    except OSError:
        pass


def _key(text: str, kind: str) -> str:
    digest = hashlib.sha256(text.encode()).hexdigest()
    return digest if kind == "body" else f"{kind}:{digest}"


def _environment_key(env: Any) -> str:
    """What the generated code depends on besides the source: the Jinja version, the options, the names in scope."""
    import jinja2

    options = (env.block_start_string, env.variable_start_string, env.comment_start_string, env.trim_blocks,
               env.lstrip_blocks, env.keep_trailing_newline, env.autoescape, env.newline_sequence,
               type(env).__qualname__, env.undefined.__qualname__, getattr(env.finalize, "__qualname__", None))
    return repr((jinja2.__version__, options, sorted(env.filters), sorted(env.tests), sorted(env.globals)))
