"""Where the files that ship with obc-builder are (``clauses/``, ``templates/``), without importing anything heavy."""

from __future__ import annotations

from pathlib import Path

from .errors import TemplateError

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Where ``clauses/`` or ``templates/`` is: inside the installed wheel, or at the top of a checkout.

    Found from the package's own folder rather than through ``importlib.resources``, whose import cost ``--help``
    about 5 ms: the files are read from the file system either way."""
    packaged = _PACKAGE / "_data" / name
    if packaged.is_dir():
        return packaged
    checkout = _PACKAGE.parent / name
    if checkout.is_dir():
        return checkout
    raise TemplateError(f"the {name}/ folder is missing from this installation of obc-builder")
