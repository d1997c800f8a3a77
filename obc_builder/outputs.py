"""Writing output files so that a reader never sees half a file and nothing is replaced by surprise.

The one overwrite rule, for ``generate``, ``batch`` and the wizard alike: an existing file with exactly the
bytes about to be written is left as it is (a re-run after an interruption, or ``make demo`` twice, simply
finds the work done); an existing file that differs is never replaced without ``force`` (a lawyer may have
edited it); ``force`` writes every file again. All files of one contract are checked first and written to
temporary files next to their targets; only when every one of them is on disk are they moved into place, so
a refusal, a full disk or an interruption leaves each output either complete or not there at all.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import OutputError, OutputExists


@dataclass
class Written:
    """What one call wrote (``written``) and what it found already done (``unchanged``)."""

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)

    @property
    def paths(self) -> list[Path]:
        return [*self.written, *self.unchanged]


def _existing(path: Path) -> os.stat_result | None:
    try:
        return path.lstat()
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise OutputError(str(path), "a file stands where its folder should be") from None
    except OSError as error:
        raise OutputError(str(path), error.strerror or type(error).__name__) from error


def _same_bytes(path: Path, data: bytes, size: int) -> bool:
    if size != len(data):
        return False
    try:
        return path.read_bytes() == data
    except OSError as error:
        raise OutputError(str(path), error.strerror or type(error).__name__) from error


def _plan(out_dir: Path, files: Mapping[str, bytes], force: bool) -> tuple[dict[Path, bytes], list[Path]]:
    """Which files to write and which are already done; refuses before anything is written."""
    to_write: dict[Path, bytes] = {}
    unchanged: list[Path] = []
    for name, data in files.items():
        path = out_dir / name
        info = _existing(path)
        if info is None:
            to_write[path] = data
        elif stat.S_ISLNK(info.st_mode):
            raise OutputError(str(path), "it is a symbolic link, and obc-builder does not write through links; "
                                         "remove the link or choose another --out folder")
        elif not stat.S_ISREG(info.st_mode):
            raise OutputError(str(path), "something that is not a file stands there")
        elif force:
            to_write[path] = data
        elif _same_bytes(path, data, info.st_size):
            unchanged.append(path)
        else:
            raise OutputExists(str(path))
    return to_write, unchanged


def _stage(path: Path, data: bytes, mode: int | None = None) -> str:
    """``data`` in a temporary file beside ``path``; the temporary file is gone again if writing fails.
    ``mode``: its permissions (``0o600``, owner only, for student data); ``None``: as the umask allows."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask if mode is None else mode)
    except BaseException:
        os.unlink(temporary)
        raise
    return temporary


def _commit(temporary: str, path: Path, replace: bool) -> None:
    if replace:
        os.replace(temporary, path)
    else:
        os.link(temporary, path)  # fails if a file appeared meanwhile: never replace one by accident
        os.unlink(temporary)


def _folder(out_dir: Path) -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(str(out_dir), "a file stands where this folder should be") from None
    except OSError as error:
        raise OutputError(str(out_dir), error.strerror or type(error).__name__) from error


def write_files(out_dir: Path, files: Mapping[str, bytes], *, force: bool = False, mode: int | None = None) -> Written:
    """Write every file of ``files`` (name → bytes) into ``out_dir`` under the one overwrite rule (``mode``: see
    :func:`_stage`)."""
    to_write, unchanged = _plan(out_dir, files, force)
    result = Written(unchanged=unchanged)
    if not to_write:
        return result
    _folder(out_dir)
    staged: dict[Path, str] = {}
    try:
        for path, data in to_write.items():
            try:
                staged[path] = _stage(path, data, mode)
            except OSError as error:
                raise OutputError(str(path), error.strerror or type(error).__name__) from error
        for path, temporary in list(staged.items()):
            try:
                _commit(temporary, path, replace=force)
            except FileExistsError:
                raise OutputExists(str(path)) from None
            except OSError as error:
                raise OutputError(str(path), error.strerror or type(error).__name__) from error
            del staged[path]
            result.written.append(path)
    finally:
        for temporary in staged.values():
            if os.path.exists(temporary):
                os.unlink(temporary)
    return result


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step (answers files and reports: always the latest wins)."""
    write_files(path.parent, {path.name: data}, force=True)
